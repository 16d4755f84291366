#!/usr/bin/env bash
# A full disk: a batch that overflows a small tmpfs must stop with a clear
# error and exit 3; the index must stay readable at its last commit; and once
# there is room, the same command finishes the batch.
. "$(dirname "$0")/lib.sh"

command -v xapian-check >/dev/null || { echo "xapian-check not installed (xapian-tools)"; exit 77; }
MNT=$TMP/small
mkdir -p "$MNT"
mount -t tmpfs -o size=3m tmpfs "$MNT" 2>/dev/null ||
	{ echo "cannot mount a tmpfs here (not root, or no permission): skipped"; exit 77; }
trap 'umount "$MNT" 2>/dev/null; rm -rf "$TMP"' EXIT

DB=$MNT/db
N=300
CHUNK=20
"$SOLENT_SRC/bench/gen-corpus" --seed 62 $N "$TMP/batch" >/dev/null ||
	{ echo "gen-corpus failed" >&2; exit 1; }
docs() { "$SOLENT" stats --db "$DB" 2>/dev/null | awk '/^documents:/ {print $2}'; }
logged() {
	"$SOLENT" batches --db "$DB" --json 2>/dev/null |
		python3 -c 'import json,sys; print(sum(json.loads(l)["counts"]["added"] for l in sys.stdin))'
}

run_rc rc timeout 120 "$SOLENT" add --db "$DB" --chunk $CHUNK --report "$TMP/full.json" "$TMP/batch"
expect_eq "overflowing batch: exit status" "$rc" 3
expect_contains "names the problem" "$err" "disk full (No space left on device"
expect_contains "names the index" "$err" "$DB"
expect_contains "says the batch stopped" "$err" "stopped"
expect_contains "says what to do" "$err" "Run the same command again"
expect_not_contains "no warning about the id order after the error" "$err" "solent-idorder"
expect_eq "--report: status and error" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["status"], "disk full" in d["error"], d["not_kept"] > 0)' "$TMP/full.json")" \
	"stopped True True"

# readable, sound, and exactly at its last commit
xapian-check "$DB" >"$TMP/check.out" 2>&1 && ok ||
	{ fail "xapian-check after a full disk"; tail -5 "$TMP/check.out" >&2; }
n=$(docs)
[ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -lt $N ] && ok ||
	fail "documents after a full disk: '$n' (expected some, not all $N)"
expect_eq "a whole number of chunks" "$((${n:-1} % CHUNK))" 0
expect_eq "the batch log agrees with the documents" "$(logged)" "$n"
run_rc rc "$SOLENT" search --db "$DB" --limit 1 council
expect_eq "search after a full disk: exit status" "$rc" 0
run_rc rc "$SOLENT" batches --db "$DB"
expect_contains "the stopped batch is listed as partial" "$out" "partial"

# room again: the same command completes the batch
mount -o remount,size=128m "$MNT" 2>/dev/null || { fail "cannot grow the tmpfs"; finish; }
run_rc rc timeout 120 "$SOLENT" add --db "$DB" --chunk $CHUNK "$TMP/batch"
expect_eq "re-run with room: exit status" "$rc" 0
expect_contains "re-run with room: the rest added" "$err" "$((N - n)) added, 0 updated, $n unchanged"
expect_eq "re-run with room: documents" "$(docs)" $N
[ -s "$DB/solent-idorder" ] && ok || fail "re-run with room: no id order saved"
xapian-check "$DB" >/dev/null 2>&1 && ok || fail "xapian-check after the re-run"

finish
