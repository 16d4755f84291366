#!/usr/bin/env bash
# Conditional re-fetch against a scripted server on loopback (httpd.py):
# ETag and Last-Modified kept in --state, sent back next time; a 304 is
# "unchanged" (stderr, no record, nothing touched in the index); a changed
# page is fetched again.
. "$(dirname "$0")/lib.sh"
start_httpd
F=("$FETCH" --delay 0 --timeout 5 --connect-timeout 2 --backoff 0.1)

S=$TMP/state.tsv
run_rc rc "${F[@]}" --state "$S" "$BASE/etag/one"
expect_eq "first fetch: exit" "$rc" 0
expect_contains "first fetch: the page" "$out" "zzonev1zz"
printf '%s\n' "$out" | "$SOLENT" index --db "$TMP/db" 2>/dev/null
expect_contains "state holds the ETag" "$(cat "$S")" "$BASE/etag/one"$'\t''"v1"'$'\t''Mon, 01 Jul 2013 10:00:00 GMT'

run_rc rc "${F[@]}" --state "$S" "$BASE/etag/one"
expect_eq "re-fetch: exit" "$rc" 0
expect_eq "re-fetch: no record" "$out" ""
expect_contains "re-fetch: unchanged on stderr" "$err" "unchanged: $BASE/etag/one"
inm=$(curl -s "$BASE/_log" | python3 -c 'import json,sys
print([json.loads(l) for l in sys.stdin if json.loads(l)["path"]=="/etag/one"][-1]["inm"])')
expect_eq "If-None-Match sent" "$inm" '"v1"'
ims=$(curl -s "$BASE/_log" | python3 -c 'import json,sys
print([json.loads(l) for l in sys.stdin if json.loads(l)["path"]=="/etag/one"][-1]["ims"])')
expect_eq "If-Modified-Since sent" "$ims" "Mon, 01 Jul 2013 10:00:00 GMT"
# unchanged touches nothing: the index is as it was
run_rc rc "$SOLENT" index --db "$TMP/db" /dev/null
expect_eq "documents after 304" "$("$SOLENT" stats --db "$TMP/db" | awk '/^documents:/ {print $2}')" 1

# the page changes: fetched again, the state follows
curl -s "$BASE/_bump" >/dev/null
run_rc rc "${F[@]}" --state "$S" "$BASE/etag/one"
expect_eq "changed: exit" "$rc" 0
expect_contains "changed: new text" "$out" "zzonev2zz"
expect_contains "changed: state updated" "$(cat "$S")" '"v2"'

# without --state nothing conditional is sent
run_rc rc "${F[@]}" "$BASE/etag/one"
expect_contains "no state: fetched" "$out" "zzonev2zz"

# solent add with --state: a 304 is neither added nor failed
run_rc rc "$SOLENT" add --db "$TMP/db2" --delay 0 --state "$S" "$BASE/etag/one" "$BASE/page/alpha.html"
expect_eq "add with state: exit" "$rc" 0
expect_contains "add with state: report" "$err" "1 added"
expect_contains "add with state: nothing failed" "$err" "0 failed"

finish
