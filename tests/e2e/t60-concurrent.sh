#!/usr/bin/env bash
# One writer, many readers: searches keep working (and only ever see more)
# while a batch is being written in chunks; a second writer is told at once
# which lock is held and exits 3, never hangs.
. "$(dirname "$0")/lib.sh"

DB=$TMP/db
N=400
"$SOLENT_SRC/bench/gen-corpus" --seed 61 $N "$TMP/batch" >/dev/null ||
	{ echo "gen-corpus failed" >&2; exit 1; }
"$SOLENT" add --db "$DB" --quiet "$CORPUS" 2>/dev/null
base=$("$SOLENT" stats --db "$DB" | awk '/^documents:/ {print $2}')
[ "${base:-0}" -gt 0 ] && ok || fail "the corpus was not indexed"

# ---- a second writer while one holds the lock: the holder is an indexer
# waiting on a FIFO, so the lock is held for exactly as long as we like.
mkfifo "$TMP/fifo"
"$SOLENT" index --db "$DB" --quiet <"$TMP/fifo" &
holder=$!
exec 3>"$TMP/fifo"
# wait until the holder has the lock (Xapian takes an fcntl lock on
# flintlock, listed in /proc/locks by inode) without competing for it
inode=$(stat -c %i "$DB/flintlock")
for _ in $(seq 100); do
	grep -q ":$inode " /proc/locks && break
	sleep 0.05
done
grep -q ":$inode " /proc/locks && kill -0 $holder 2>/dev/null && ok ||
	fail "the lock holder did not take the lock"
run_rc rc timeout 10 "$SOLENT" index --db "$DB" --report "$TMP/locked.json" </dev/null
expect_eq "second writer: exit status" "$rc" 3
expect_contains "second writer: names the lock" "$err" "$DB/flintlock"
expect_contains "second writer: says why" "$err" "another writer holds the lock"
expect_eq "second writer: --report says so" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["status"], "lock" in d["error"])' "$TMP/locked.json")" \
	"stopped True"
start=$(date +%s%N)
run_rc rc timeout 20 "$SOLENT" add --db "$DB" "$CORPUS/text"
ms=$((($(date +%s%N) - start) / 1000000))
expect_eq "solent add while locked: exit status" "$rc" 3
expect_contains "solent add while locked: names the lock" "$err" "$DB/flintlock"
[ "$ms" -lt 5000 ] && ok || fail "solent add while locked took ${ms}ms: it must not wait"
run_rc rc timeout 10 "$SOLENT" rm --db "$DB" "$CORPUS/text/hcc-cabinet-minutes-2013-07-01.txt"
expect_eq "solent rm while locked: exit status" "$rc" 3
expect_contains "solent rm while locked: names the lock" "$err" "flintlock"
run_rc rc timeout 10 "$SOLENT" search --db "$DB" --count council
expect_eq "search while locked: exit status" "$rc" 0
exec 3>&-
rc=0
wait $holder || rc=$?
expect_eq "the lock holder finishes normally" "$rc" 0
expect_eq "nothing changed meanwhile" "$("$SOLENT" stats --db "$DB" | awk '/^documents:/ {print $2}')" "$base"

# ---- searches in a loop while a batch is written in small chunks
"$SOLENT" add --db "$DB" --chunk 10 --quiet "$TMP/batch" 2>"$TMP/add.err" &
adder=$!
searches=0
bad=0
last=0
shrunk=0
while kill -0 $adder 2>/dev/null; do
	for q in council 'archive reference' '"children'"'"'s services"'; do
		rc=0
		"$SOLENT" search --db "$DB" --limit 3 "$q" >"$TMP/s.out" 2>"$TMP/s.err" || rc=$?
		searches=$((searches + 1))
		# 0 hits, 1 none (the batch's own words before its first chunk);
		# the corpus words must always be found
		if [ "$rc" -gt 1 ] || { [ "$rc" = 1 ] && [ "$q" != 'archive reference' ]; }; then
			bad=$((bad + 1))
			[ "$bad" -le 3 ] && { echo "search '$q' exit $rc:" >&2; cat "$TMP/s.err" >&2; }
		fi
	done
	rc=0
	n=$("$SOLENT" stats --db "$DB" 2>"$TMP/s.err" | awk '/^documents:/ {print $2}') || rc=$?
	if [ -z "$n" ]; then
		bad=$((bad + 1)); cat "$TMP/s.err" >&2
	else
		[ "$n" -ge "$last" ] || shrunk=$((shrunk + 1))
		last=$n
	fi
done
rc=0
wait $adder || rc=$?
expect_eq "the batch written under searches: exit status" "$rc" 0
echo "t60-concurrent: $searches searches while the batch was written ($last documents seen at the end)"
[ "$searches" -ge 30 ] && ok || fail "only $searches searches ran during the batch; it ended too soon to tell"
expect_eq "searches that failed during the batch" "$bad" 0
expect_eq "times the document count went down" "$shrunk" 0
expect_eq "documents at the end" "$("$SOLENT" stats --db "$DB" | awk '/^documents:/ {print $2}')" $((base + N))

finish
