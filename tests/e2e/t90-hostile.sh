#!/usr/bin/env bash
# The hostile-file suite (issue 9), end to end: `solent add` over a folder
# of good documents and one of every kind of broken input that
# tests/hostile/make-hostile.sh generates. Asserts:
#   - nothing crashes: exit status 0 or 1, never a signal, never a timeout;
#   - each bad file gets a per-file error naming it, or a sane record;
#   - every good document of the same batch is indexed and searchable;
#   - the whole batch finishes within a bound (a hang fails the test).
#
# Two inputs need tricks:
#   unreadable: tests run as root, and root reads a mode-000 file. So the
#     batch runs under `setpriv --bounding-set=-dac_override,-dac_read_search`:
#     still uid 0, but without the capabilities that bypass file modes, so
#     the open fails with EACCES as it would for any user. (Not as root:
#     plain chmod 000 does it. Where setpriv cannot drop them, that check
#     is skipped and says so.)
#   vanishing: a watcher deletes bad/zz-vanish.txt once solent-ingest has
#     read 39 MB (so it is inside long-line.txt: bad/ was listed before any
#     of its files was read, zz-vanish.txt sorts last, and the 5 MB line
#     between them takes seconds). If the batch reached it first (the file
#     is then indexed, whole) the check says so instead of failing.
#   a million attributes: a batch of its own (with one good document) and a
#     time bound of its own, so that a hang there is one failed check that
#     says so, not a killed main batch that hides every other result.
#
# Known gaps (behaviour that is not yet a clear error or a sane result, in
# files others own) are reported as "GAP" on stderr without failing the
# test; SOLENT_STRICT_GAPS=1 makes them failures.
. "$(dirname "$0")/lib.sh"

HOSTILE=$TMP/hostile
DB=$TMP/db
REPORT=$TMP/report.json
MAX_SIZE=40000000   # below long-line.txt's 50 MB: exercises the size bound

gaps=0
gap() {
	if [ "${SOLENT_STRICT_GAPS:-0}" = 1 ]; then
		fail "gap: $*"
	else
		echo "GAP [$TEST_NAME]: $*" >&2
		gaps=$((gaps + 1))
	fi
}

bash "$SOLENT_SRC/tests/hostile/make-hostile.sh" "$HOSTILE" || { echo "make-hostile.sh failed" >&2; exit 1; }

# The bound: a batch of this size takes well under a minute; sanitizer
# builds run several times slower.
BOUND=90
if grep -q '^SOLENT_SANITIZE:BOOL=ON' "$SOLENT_BUILD/CMakeCache.txt" 2>/dev/null; then
	BOUND=400
fi

# Run without the capabilities that let root read a mode-000 file.
DROP=()
can_check_unreadable=1
if [ "$(id -u)" -eq 0 ]; then
	if setpriv --bounding-set=-dac_override,-dac_read_search true 2>/dev/null; then
		DROP=(setpriv --bounding-set=-dac_override,-dac_read_search)
	else
		can_check_unreadable=0
		echo "note [$TEST_NAME]: setpriv cannot drop CAP_DAC_OVERRIDE; unreadable-file check skipped" >&2
	fi
fi

# is_ancestor PID ANCESTOR: is ANCESTOR on PID's parent chain?
is_ancestor() {
	local p=$1
	while [ -n "$p" ] && [ "$p" -gt 1 ]; do
		[ "$p" = "$2" ] && return 0
		p=$(awk '/^PPid:/ {print $2}' "/proc/$p/status" 2>/dev/null)
	done
	return 1
}

# watch_and_delete BATCH_PID: delete zz-vanish.txt once this batch's
# solent-ingest has read 39 MB. Writes "deleted" or "late" to $TMP/vanish.
watch_and_delete() {
	local batch=$1 ipid="" rchar
	while kill -0 "$batch" 2>/dev/null; do
		if [ -z "$ipid" ]; then
			for d in /proc/[0-9]*; do
				[ "$(cat "$d/comm" 2>/dev/null)" = solent-ingest ] || continue
				if is_ancestor "${d#/proc/}" "$batch"; then ipid=${d#/proc/}; break; fi
			done
		fi
		if [ -n "$ipid" ]; then
			rchar=$(awk '/^rchar:/ {print $2}' "/proc/$ipid/io" 2>/dev/null)
			if [ -z "$rchar" ]; then
				echo late >"$TMP/vanish"   # ingest finished first
				return
			fi
			if [ "$rchar" -gt $((39 * 1024 * 1024)) ]; then
				rm -f "$HOSTILE/bad/zz-vanish.txt"
				echo deleted >"$TMP/vanish"
				return
			fi
		fi
		sleep 0.01
	done
	echo late >"$TMP/vanish"
}

start=$(date +%s)
"${DROP[@]}" timeout -s KILL $((BOUND + 30)) "$SOLENT" add --db "$DB" --report "$REPORT" \
	--max-size=$MAX_SIZE "$HOSTILE/good" "$HOSTILE/bad" >"$TMP/add.out" 2>"$TMP/add.err" &
batch=$!
watch_and_delete "$batch" &
watcher=$!
rc=0
wait "$batch" || rc=$?
wait "$watcher" 2>/dev/null
elapsed=$(($(date +%s) - start))
err=$(cat "$TMP/add.err")

# ---- no crash, no hang, within the bound
case $rc in
0 | 1) ok ;;
137) fail "solent add did not finish in $((BOUND + 30)) s (killed)" ;;
*) fail "solent add exit status $rc (a signal or an internal error)"; echo "$err" | tail -20 >&2 ;;
esac
expect_eq "some inputs failed, so exit status" "$rc" 1
[ "$elapsed" -le "$BOUND" ] && ok || fail "the batch took $elapsed s, over the $BOUND s bound"
expect_not_contains "no sanitizer report" "$err" "Sanitizer"
expect_not_contains "no crash message" "$err" "Segmentation fault"
[ -f "$REPORT" ] && ok || fail "no batch report written"

# failure_for PATH: the reason the JSON report gives for PATH, or empty
failure_for() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for f in d.get("failures", []):
    if f.get("input") == sys.argv[2] or f.get("reason", "").startswith(sys.argv[2] + ":"):
        print(f.get("reason", "")); break' "$REPORT" "$1" 2>/dev/null
}
# indexed PATH: the stored record's text length, or empty when not indexed
indexed() {
	"$SOLENT" show --db "$DB" --json "$1" 2>/dev/null |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("text","")))' 2>/dev/null
}
# expect_error PATH WORDS: PATH failed, with a reason that names it and holds WORDS
expect_error() {
	local reason
	reason=$(failure_for "$1")
	if [ -z "$reason" ]; then
		fail "$(basename "$1"): no per-file error in the report (indexed: '$(indexed "$1")')"
		return
	fi
	expect_contains "$(basename "$1"): reason names the file" "$reason" "$1"
	expect_contains "$(basename "$1"): reason" "$reason" "$2"
	expect_contains "$(basename "$1"): named on stderr" "$err" "$1"
}
# expect_found MARKER PATH: one hit for MARKER, and it is PATH
expect_found() {
	expect_eq "search '$1'" "$(search_count "$DB" "$1")" 1
	expect_eq "search '$1' finds" "$(top_source "$DB" "$1")" "$2"
}

# ---- the good documents: all indexed and searchable
for m in alpha:a-ventnor.html bravo:b-budget.html charlie:c-minutes.txt \
	delta:d-notice.txt echo:e-page.html; do
	expect_found "zorvex${m%%:*}" "$HOSTILE/good/${m#*:}"
done
expect_eq "a known phrase of a good document" \
	"$(search_count "$DB" '"sea wall" ventnor')" 1

B=$HOSTILE/bad
# ---- bad files with a clear per-file error
expect_error "$B/random.dat" "binary or unsupported content"
expect_error "$B/truncated-gzip.html" "binary or unsupported content"
expect_error "$B/fifo.txt" "not a regular file"
expect_error "$B/dangling.html" "No such file or directory"
expect_error "$B/loop/self" "directory loop"
expect_error "$B/loop/up" "directory loop"
expect_error "$B/long-line.txt" "larger than the limit of $MAX_SIZE bytes"
if [ "$can_check_unreadable" = 1 ]; then
	expect_error "$B/unreadable.txt" "Permission denied"
fi
# The watcher polls every 10 ms: it can delete the file just after the
# batch read it (seen under ASan, the batch whole in a second). Then the
# file is indexed with its text, which loses nothing, and the check is not
# made; a file neither failed nor indexed is lost, and fails here.
vanish=$(cat "$TMP/vanish" 2>/dev/null)
if [ "$vanish" = deleted ] && [ -z "$(failure_for "$B/zz-vanish.txt")" ] &&
	[ -n "$(indexed "$B/zz-vanish.txt")" ] && [ "$(indexed "$B/zz-vanish.txt")" -gt 0 ]; then
	vanish=late
fi
case $vanish in
deleted) expect_error "$B/zz-vanish.txt" "No such file or directory" ;;
*) echo "note [$TEST_NAME]: the batch read zz-vanish.txt before the watcher deleted it; vanishing-file check not made" >&2 ;;
esac

# ---- bad files with a sane result: indexed, their words searchable
expect_found zorvexinvalid "$B/invalid-utf8.txt"
expect_found zorvexfivemb "$B/medium-line-5mb.txt"

# ---- known gaps: not a clear error, not a sane result
for f in empty.txt nuls.txt; do
	if [ -n "$(failure_for "$B/$f")" ]; then ok
	else gap "$f: indexed as a document with empty text (length '$(indexed "$B/$f")'), not refused; ingest/process.c accepts empty text"
	fi
done
if [ "$(search_count "$DB" zorvexdeep)" = 1 ]; then ok
else gap "deep-nesting.html: the text below depth 256 is lost (libxml2's depth limit without XML_PARSE_HUGE, ingest/html.c); indexed with text length '$(indexed "$B/deep-nesting.html")'"
fi
if [ "$(search_count "$DB" zorvexutfsixteen)" = 1 ]; then ok
else gap "utf16le-nobom.txt: UTF-16LE without a BOM decoded as UTF-8 with the NULs dropped ('N o t i c e'), ingest/charset.c"
fi

# ---- a million attributes on one element, in a batch of its own
SLOW_BOUND=60
cp "$HOSTILE/good/d-notice.txt" "$HOSTILE/slow/"
start=$(date +%s)
rc=0
timeout -s KILL $SLOW_BOUND "$SOLENT" add --db "$TMP/db2" --report "$TMP/report2.json" \
	"$HOSTILE/slow" >/dev/null 2>"$TMP/add2.err" || rc=$?
slow_elapsed=$(($(date +%s) - start))
case $rc in
0 | 1) ok ;;
137) fail "million-attrs.html: the batch did not finish in $SLOW_BOUND s (libxml2's HTML parser is quadratic in one element's attributes; ingest/html.c must bound them before parsing)" ;;
*) fail "million-attrs.html: solent add exit status $rc"; tail -5 "$TMP/add2.err" >&2 ;;
esac
if [ "$rc" = 0 ] || [ "$rc" = 1 ]; then
	REPORT=$TMP/report2.json DB=$TMP/db2
	err=$(cat "$TMP/add2.err") # what expect_error reads for "named on stderr"
	expect_found zorvexdelta "$HOSTILE/slow/d-notice.txt"
	if [ -z "$(failure_for "$HOSTILE/slow/million-attrs.html")" ]; then
		expect_found zorvexattrs "$HOSTILE/slow/million-attrs.html"
	else
		expect_error "$HOSTILE/slow/million-attrs.html" "attribute"
	fi
fi

echo "$TEST_NAME: batch took $elapsed s (bound $BOUND s), million attributes $slow_elapsed s, $gaps known gaps" >&2
finish
