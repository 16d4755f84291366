#!/usr/bin/env bash
# Crash safety: kill -9 the indexer of a `solent add` at many different
# points. After every kill Xapian's own checker must find the index sound,
# the document count must only grow, by whole chunks, and the batch log
# committed with it must agree with it. Running the same command once more
# must then finish the batch: every document there once, nothing missing.
. "$(dirname "$0")/lib.sh"

command -v xapian-check >/dev/null || { echo "xapian-check not installed (xapian-tools)"; exit 77; }

DB=$TMP/db
N=500        # distinct documents
COPIES=20    # byte copies under other names: duplicates, not documents
CHUNK=7      # small, so that there are many commits to land between
"$SOLENT_SRC/bench/gen-corpus" --seed 60 --copies $COPIES $N "$TMP/batch" >/dev/null ||
	{ echo "gen-corpus failed" >&2; exit 1; }

docs() { "$SOLENT" stats --db "$DB" 2>/dev/null | awk '/^documents:/ {print $2}'; }
# documents the committed batch log accounts for: added - removed by updates
logged() {
	"$SOLENT" batches --db "$DB" --json 2>/dev/null |
		python3 -c 'import json,sys; print(sum(json.loads(l)["counts"]["added"] for l in sys.stdin))'
}

# Delays chosen to land early, late, and everywhere between; each re-run
# first re-reads what is already indexed, so the same delay lands on
# different work each time. They are fractions of how long the whole batch
# takes on this machine, timed once on a scratch index, so that the kills
# land while the indexer runs however fast or loaded the machine is (a
# re-run of a finished batch still reads every file, so it lasts about as
# long as the ingest half of the batch: no fraction is past 0.45).
t0=$(date +%s.%N)
"$SOLENT" add --db "$TMP/timing" --chunk $CHUNK --quiet "$TMP/batch" 2>/dev/null ||
	{ echo "the timing run failed" >&2; exit 1; }
t1=$(date +%s.%N)
delays=$(python3 -c 'import sys; t = float(sys.argv[2]) - float(sys.argv[1])
print(" ".join("%.3f" % (t * f) for f in (0.02, 0.15, 0.06, 0.3, 0.1, 0.42, 0.2, 0.04,
      0.35, 0.12, 0.45, 0.25, 0.08, 0.38, 0.18)))' "$t0" "$t1")
prev=0
kills=0
cut_short=0
trace=
start=$SECONDS
for d in $delays; do
	"$SOLENT" add --db "$DB" --chunk $CHUNK --quiet "$TMP/batch" 2>"$TMP/add.err" &
	addpid=$!
	idxpid=
	for _ in $(seq 100); do
		idxpid=$(pgrep -P $addpid -x solent-index) && break
		sleep 0.01
	done
	sleep "$d"
	landed=0
	if [ -n "$idxpid" ] && kill -9 "$idxpid" 2>/dev/null; then
		kills=$((kills + 1))
		landed=1
	fi
	rc=0
	wait $addpid || rc=$?
	case $rc in
	0|137) ok ;;
	*) fail "after a kill at ${d}s: solent add exit status $rc"; cat "$TMP/add.err" >&2 ;;
	esac

	if xapian-check "$DB" >"$TMP/check.out" 2>&1; then ok; else
		fail "kill at ${d}s: xapian-check found the index damaged"
		tail -5 "$TMP/check.out" >&2
	fi
	n=$(docs)
	[ -n "$n" ] && [ "$n" -ge "$prev" ] && ok ||
		fail "kill at ${d}s: document count went from $prev to '$n'"
	# every commit but the batch's last holds whole chunks of new documents
	[ -n "$n" ] && { [ $((n % CHUNK)) -eq 0 ] || [ "$n" -eq $N ]; } && ok ||
		fail "kill at ${d}s: $n documents is not a whole number of chunks of $CHUNK"
	expect_eq "kill at ${d}s: batch log committed with the documents" "$(logged)" "$n"
	prev=${n:-0}
	trace="$trace $prev"
	# a kill that left the batch unfinished: what this test is about
	[ "$landed" = 1 ] && [ "$prev" -lt $N ] && cut_short=$((cut_short + 1))
done
echo "t60-kill9: $kills kills landed; documents after each:$trace (of $N, $((SECONDS - start))s)"
[ "$kills" -ge 10 ] && ok || fail "only $kills of 15 kills landed on a running indexer"
# On a fast machine the batch may finish before the last delays; what
# matters is that kills did cut it short, several times, before the end.
[ "$cut_short" -ge 3 ] && ok || fail "only $cut_short kills interrupted the batch before its end"

# ---- the same command again finishes the batch
run_rc rc "$SOLENT" add --db "$DB" --chunk $CHUNK --report "$TMP/final.json" "$TMP/batch"
expect_eq "final run: exit status" "$rc" 0
xapian-check "$DB" >/dev/null 2>&1 && ok || fail "final run: xapian-check"
expect_eq "final run: documents" "$(docs)" $N
counts=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["counts"]; print(c["added"] + c["unchanged"] + c["duplicates"], c["failed"], c["updated"])' "$TMP/final.json")
expect_eq "final run: every file seen, none failed or updated" "$counts" "$((N + COPIES)) 0 0"

# nothing missing, nothing twice, read from the index's own terms (xapian-delve):
# every file is the source (U term) of exactly one document, there are N
# content ids (Q terms) each on one document, and each copy is a source of
# its original's document.
verdict=$(python3 - "$DB" "$TMP/batch" $N <<'PY'
import os, subprocess, sys
db, top, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def terms(prefix):
    out = subprocess.run(["xapian-delve", "-1", "-v", "-A", prefix, db],
                         capture_output=True, text=True, check=True).stdout.splitlines()[1:]
    return dict((l.rsplit(" ", 1)[0][len(prefix):], int(l.rsplit(" ", 1)[1])) for l in out)
files = set()
for d, _, names in os.walk(top):
    files.update(os.path.join(d, f) for f in names)
src, ids = terms("U"), terms("Q")
def docid(source):
    out = subprocess.run(["xapian-delve", "-1", "-t", "U" + source, db],
                         capture_output=True, text=True).stdout.splitlines()
    return out[1:]
bad_copies = 0
for f in sorted(files):
    if "/copies/" in f:
        base = os.path.basename(f).split("-", 2)[2]   # copy-K-<original name>
        orig = os.path.join(top, "%03d" % (int(base[:7]) // 1000), base)
        if not docid(f) or docid(f) != docid(orig):
            bad_copies += 1
print("missing=%d extra=%d multi=%d ids=%d multi_ids=%d bad_copies=%d" % (
    len(files - set(src)), len(set(src) - files), sum(1 for v in src.values() if v != 1),
    len(ids), sum(1 for v in ids.values() if v != 1), bad_copies))
PY
)
expect_eq "index terms: sources, content ids, copies" "$verdict" \
	"missing=0 extra=0 multi=0 ids=$N multi_ids=0 bad_copies=0"
# and through solent itself: a sample of sources shown, a copy with its original
for f in $(cd "$TMP/batch" && find . -type f | sort | awk 'NR % 37 == 1' | sed 's#^\./##'); do
	run_rc rc "$SOLENT" show --db "$DB" "$TMP/batch/$f"
	expect_eq "solent show $f" "$rc" 0
done
copy=$(cd "$TMP/batch/copies" && ls | head -1)
orig=${copy#copy-*-}
run_rc rc "$SOLENT" show --db "$DB" "$TMP/batch/copies/$copy"
expect_contains "a copy is shown with its original" "$out" \
	"source:  $TMP/batch/$(printf '%03d' $((10#${orig:0:7} / 1000)))/$orig"

finish
