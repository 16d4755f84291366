#!/bin/sh
# run.sh BUILD WORK SECONDS [HARNESS...]: run the harnesses one after the
# other (not at once: fuzzing wants a whole core, and the machine is shared),
# each for SECONDS, from the seeds in WORK/seeds (make-seeds.sh), keeping
# what they find in WORK/corpus/<harness>/ and crashes in
# WORK/artifacts/<harness>/. The last line of WORK/logs/<harness>.log
# says how long it ran and whether it ran clean.
set -u
BUILD=${1:?usage: run.sh BUILD WORK SECONDS [HARNESS...]}
WORK=${2:?}
SECS=${3:?}
shift 3
[ $# -gt 0 ] || set -- clean_html clean_text decode process extract record query snippet

# Input size bounds: a document big enough for every structure the code
# handles, small enough that each run takes milliseconds. Memory: 2 GB a
# run, well above what one document needs. -timeout: any input over 10 s
# is a hang and is kept like a crash.
max_len() {
	case $1 in
	record|query) echo 4096 ;;
	snippet) echo 16384 ;;
	extract) echo 16384 ;;
	*) echo 65536 ;;
	esac
}

status=0
for h in "$@"; do
	mkdir -p "$WORK/corpus/$h" "$WORK/artifacts/$h" "$WORK/logs"
	log=$WORK/logs/$h.log
	start=$(date +%s)
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
	LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(dirname "$0")/lsan.supp} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$BUILD/fuzz/fuzz_$h" -max_total_time="$SECS" -rss_limit_mb=2048 \
		-max_len="$(max_len "$h")" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$WORK/artifacts/$h/" \
		"$WORK/corpus/$h" "$WORK/seeds/$h" >"$log" 2>&1
	rc=$?
	end=$(date +%s)
	if [ $rc -eq 0 ]; then
		echo "fuzz_$h: ran clean for $((end - start)) s" | tee -a "$log"
	else
		echo "fuzz_$h: FAILED (exit $rc) after $((end - start)) s; see $log and $WORK/artifacts/$h/" |
			tee -a "$log"
		status=1
	fi
done
exit $status
