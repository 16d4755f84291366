#!/usr/bin/env bash
# --follow REGEX --depth N against a scripted server on loopback
# (httpd.py): same-host links matching, to N hops, each URL fetched once;
# other hosts, non-matching links, mailto: and fragments are not followed.
. "$(dirname "$0")/lib.sh"
start_httpd
F=("$FETCH" --delay 0 --timeout 5 --connect-timeout 2 --backoff 0.1)

sources() {
	printf '%s\n' "$out" | python3 -c 'import json,sys
print(" ".join(sorted(json.loads(l)["source"].rsplit("/",1)[1] for l in sys.stdin if l.strip())))'
}

run_rc rc "${F[@]}" "$BASE/list/index.html"
expect_eq "no --follow: one page" "$(sources)" "index.html"

run_rc rc "${F[@]}" --follow '/list/' "$BASE/list/index.html"
expect_eq "depth 1 (default): exit" "$rc" 0
expect_eq "depth 1: listing and its matching links" "$(sources)" "index.html m1.html m2.html"

curl -s "$BASE/_reset" >/dev/null
run_rc rc "${F[@]}" --follow '/list/' --depth 2 "$BASE/list/index.html"
expect_eq "depth 2" "$(sources)" "d1.html index.html m1.html m2.html"
dups=$(curl -s "$BASE/_log" | python3 -c 'import json,sys,collections
c=collections.Counter(json.loads(l)["path"] for l in sys.stdin)
print(" ".join(sorted(p for p,n in c.items() if n>1)))')
expect_eq "no page fetched twice" "$dups" ""

run_rc rc "${F[@]}" --follow '/list/' --depth 3 "$BASE/list/index.html"
expect_eq "depth 3" "$(sources)" "d1.html d2.html index.html m1.html m2.html"

# a wider regex takes the same-host /other/ page, never the other host
run_rc rc "${F[@]}" --follow '.' --depth 1 "$BASE/list/index.html"
expect_eq "regex '.': same host only" "$(sources)" "index.html m1.html m2.html x.html"
expect_not_contains "other host not fetched" "$out$err" "example.invalid"

# the depth of each page is in the order of fetching: links of links come later
run_rc rc "${F[@]}" --follow 'm1' --depth 5 "$BASE/list/index.html"
expect_eq "regex narrows the links" "$(sources)" "index.html m1.html"

finish
