# Shared helpers for the end-to-end tests: each t*.sh sources this, runs the
# real programs from $SOLENT_BUILD on real files, and exits non-zero on the
# first failed expectation (77 = skipped).
set -u
SOLENT_SRC=${SOLENT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SOLENT_BUILD=${SOLENT_BUILD:-$SOLENT_SRC/build}
SOLENT=$SOLENT_BUILD/solent
CORPUS=$SOLENT_SRC/corpus
SHARED=$SOLENT_SRC/../shared
export NO_COLOR=1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/solent-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
TEST_NAME=$(basename "$0" .sh)
failures=0
checks=0

fail() {
	echo "FAIL [$TEST_NAME]: $*" >&2
	failures=$((failures + 1))
}

ok() {
	checks=$((checks + 1))
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
	if [ "$2" = "$3" ]; then ok; else fail "$1: got '$2', expected '$3'"; fi
}

# expect_contains WHAT HAYSTACK NEEDLE
expect_contains() {
	case "$2" in
	*"$3"*) ok ;;
	*) fail "$1: output does not contain '$3'"; printf '%s\n' "$2" | head -20 >&2 ;;
	esac
}

expect_not_contains() {
	case "$2" in
	*"$3"*) fail "$1: output contains '$3'"; printf '%s\n' "$2" | head -20 >&2 ;;
	*) ok ;;
	esac
}

# run_rc VAR CMD...: run CMD, keep stdout in $out, stderr in $err and the
# exit status in VAR.
run_rc() {
	local __var=$1
	shift
	local __rc=0
	"$@" >"$TMP/.out" 2>"$TMP/.err" || __rc=$?
	out=$(cat "$TMP/.out")
	err=$(cat "$TMP/.err")
	eval "$__var=$__rc"
}

# search_count DB QUERY: number of matching documents
search_count() {
	"$SOLENT" search --db "$1" --count "$2" 2>/dev/null || true
}

# top_source DB QUERY: source of the best hit
top_source() {
	"$SOLENT" search --db "$1" --json --limit 1 "$2" 2>/dev/null |
		python3 -c 'import json,sys; l=sys.stdin.readline(); print(json.loads(l)["source"] if l else "")'
}

# start_httpd: the scripted test server (httpd.py) on a free loopback
# port, stopped when the test exits; sets FETCH (solent-fetch), HTTPD (its
# pid) and BASE (its URL). Skips the test when solent-fetch is not built.
start_httpd() {
	FETCH=$SOLENT_BUILD/solent-fetch
	[ -x "$FETCH" ] || { echo "solent-fetch not built: skipped"; exit 77; }
	command -v python3 >/dev/null || { echo "no python3: skipped"; exit 77; }
	python3 "$SOLENT_SRC/tests/e2e/httpd.py" --port-file "$TMP/port" --idle 120 &
	HTTPD=$!
	trap 'kill $HTTPD 2>/dev/null; wait $HTTPD 2>/dev/null; rm -rf "$TMP"' EXIT
	for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.05; done
	[ -s "$TMP/port" ] || { echo "httpd.py did not start" >&2; exit 1; }
	BASE=http://127.0.0.1:$(cat "$TMP/port")
}

finish() {
	if [ "$failures" -gt 0 ]; then
		echo "$TEST_NAME: $failures of $((checks + failures)) checks failed" >&2
		exit 1
	fi
	echo "$TEST_NAME: all $checks checks passed"
	exit 0
}

[ -x "$SOLENT" ] || { echo "$SOLENT not built" >&2; exit 1; }
