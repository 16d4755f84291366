#!/usr/bin/env bash
# Sharded archives: corpus/ split three ways with --shard, searched through
# a stub of local shards, a stub of three xapian-tcpsrv servers on
# loopback, and the compacted single database; all three must give the
# same hits in the same order, the same facets and snippets. A shard that
# is down is an error, or with --allow-partial a warning.
. "$(dirname "$0")/lib.sh"

command -v xapian-tcpsrv >/dev/null || { echo "xapian-tcpsrv not installed: skipped"; exit 77; }

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT

for k in 0 1 2; do
	"$SOLENT" add --quiet --db "$TMP/shard$k" --shard "$k/3" "$CORPUS" ||
		{ echo "add shard $k failed"; exit 1; }
done
"$SOLENT" add --quiet --db "$TMP/single" "$CORPUS"
total=$("$SOLENT" stats --db "$TMP/single" | awk '/^documents:/ {print $2}')
sum=0
for k in 0 1 2; do
	n=$("$SOLENT" stats --db "$TMP/shard$k" | awk '/^documents:/ {print $2}')
	[ "$n" -gt 0 ] && ok || fail "shard $k is empty"
	sum=$((sum + n))
done
expect_eq "shards hold every document once" "$sum" "$total"

run_rc rc "$SOLENT" shards init "$TMP/local.stub" "$TMP/shard0" "$TMP/shard1" "$TMP/shard2"
expect_eq "shards init" "$rc" 0
run_rc rc "$SOLENT" compact --db "$TMP/compacted" "$TMP/local.stub"
expect_eq "compact" "$rc" 0
run_rc rc "$SOLENT" compact --db "$TMP/compacted" "$TMP/local.stub"
expect_eq "compact refuses to overwrite" "$rc" 2

# three servers on loopback, on ports the kernel picks free
ports=()
for k in 0 1 2; do
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
	# its own session: on SIGTERM xapian-tcpsrv signals its whole process group
	setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" "$TMP/shard$k" >"$TMP/srv$k.log" 2>&1 &
	pids+=($!)
	ports+=("$port")
done
for k in 0 1 2; do
	for _ in $(seq 50); do
		python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',${ports[$k]}),0.2)" 2>/dev/null && break
		sleep 0.1
	done
done
run_rc rc "$SOLENT" shards init "$TMP/remote.stub" "127.0.0.1:${ports[0]}" "127.0.0.1:${ports[1]}" "127.0.0.1:${ports[2]}"
expect_eq "remote stub" "$rc" 0

# hits as "id score snippet" lines, in rank order
hits() {
	"$SOLENT" search --db "$1" --json "${@:3}" "$2" 2>/dev/null | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if "facet" in o:
        print("facet", o["facet"], json.dumps(o["values"], sort_keys=True))
    else:
        print(o["rank"], o["id"], "%.6f" % o["score"], o["snippet"])'
}

for q in council '"children'"'"'s services"' 'potholes OR dredging' 'org:"Isle of Wight Council"' \
	'date:2013..2016' 'school NEAR transport' 'potho*'; do
	ref=$(hits "$TMP/compacted" "$q" --limit 20)
	[ -n "$ref" ] && ok || fail "no hits for $q on the compacted database"
	expect_eq "local stub = compacted: $q" "$(hits "$TMP/local.stub" "$q" --limit 20)" "$ref"
	expect_eq "remote stub = compacted: $q" "$(hits "$TMP/remote.stub" "$q" --limit 20)" "$ref"
done
ref=$(hits "$TMP/compacted" council --offset 3 --limit 4 --facet org --facet year)
expect_eq "paging and facets over remote shards" \
	"$(hits "$TMP/remote.stub" council --offset 3 --limit 4 --facet org --facet year)" "$ref"
expect_eq "sort by date over remote shards" "$(hits "$TMP/remote.stub" council --sort -date --limit 30)" \
	"$(hits "$TMP/compacted" council --sort -date --limit 30)"

# a shard down: an error naming it, or a warning with --allow-partial
kill "${pids[1]}"
for _ in $(seq 50); do
	python3 -c "import socket; socket.create_connection(('127.0.0.1',${ports[1]}),0.2)" 2>/dev/null || break
	sleep 0.1
done
run_rc rc "$SOLENT" search --db "$TMP/remote.stub" council
expect_eq "a shard down is an error" "$rc" 3
expect_contains "the error names the shard" "$err" "${ports[1]}"
run_rc rc "$SOLENT" search --db "$TMP/remote.stub" --allow-partial --count 'site:local'
expect_eq "--allow-partial still answers" "$rc" 0
n1=$("$SOLENT" stats --db "$TMP/shard1" | awk '/^documents:/ {print $2}')
expect_eq "--allow-partial counts the shards that answer" "$out" "$((total - n1))"
expect_contains "--allow-partial warns" "$err" "skipped"

finish
