#!/usr/bin/env bash
# Good citizenship against a scripted server on loopback (httpd.py):
# robots.txt read once a host and obeyed (the group naming Solent over '*',
# Allow beating a shorter Disallow), --ignore-robots for one's own site, and
# the politeness delay between requests to one host.
. "$(dirname "$0")/lib.sh"
start_httpd
F=("$FETCH" --delay 0 --timeout 5 --connect-timeout 2 --backoff 0.1)

requests() {
	curl -s "$BASE/_log" | python3 -c 'import json,sys
print(sum(1 for l in sys.stdin if json.loads(l)["path"]==sys.argv[1]))' "$1"
}

run_rc rc "${F[@]}" "$BASE/private/x.html" "$BASE/nosolent/y.html" "$BASE/private/ok.html" \
	"$BASE/page/alpha.html"
expect_eq "robots: exit" "$rc" 1
expect_contains "disallowed for all" "$out" "\"error\":\"$BASE/private/x.html: disallowed by robots.txt\""
expect_contains "disallowed for Solent" "$out" "\"error\":\"$BASE/nosolent/y.html: disallowed by robots.txt\""
expect_contains "Allow beats a shorter Disallow" "$out" "\"source\":\"$BASE/private/ok.html\""
expect_contains "allowed page" "$out" "\"source\":\"$BASE/page/alpha.html\""
expect_eq "disallowed page never requested" "$(requests /private/x.html)" 0
expect_eq "disallowed page never requested (Solent group)" "$(requests /nosolent/y.html)" 0
expect_eq "robots.txt asked once" "$(requests /robots.txt)" 1

# the archivist's own site
curl -s "$BASE/_reset" >/dev/null
run_rc rc "${F[@]}" --ignore-robots "$BASE/private/x.html"
expect_eq "--ignore-robots: exit" "$rc" 0
expect_contains "--ignore-robots: fetched" "$out" "\"source\":\"$BASE/private/x.html\""
expect_eq "--ignore-robots: robots.txt not asked" "$(requests /robots.txt)" 0

# politeness: --delay 0.5 spaces requests to one host
curl -s "$BASE/_reset" >/dev/null
run_rc rc "$FETCH" --delay 0.5 --timeout 5 "$BASE/page/a1.html" "$BASE/page/a2.html" "$BASE/page/a3.html"
expect_eq "delay: exit" "$rc" 0
mingap=$(curl -s "$BASE/_log" | python3 -c 'import json,sys
t=sorted(json.loads(l)["t"] for l in sys.stdin)
print("%.2f" % min(b-a for a,b in zip(t,t[1:])))')
python3 -c "import sys; sys.exit(0 if $mingap >= 0.45 else 1)" && ok ||
	fail "politeness delay not kept: requests $mingap s apart"

finish
