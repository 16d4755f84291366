#!/usr/bin/env bash
# Retries against a scripted server on loopback (httpd.py): 500 then 200,
# 429 with Retry-After (the wait honoured), a response slower than the
# timeout, 503 asking for longer than we wait, and a 404 never retried.
. "$(dirname "$0")/lib.sh"
start_httpd
F=("$FETCH" --delay 0 --timeout 5 --connect-timeout 2 --backoff 0.1)

# requests PATH: how many times the server saw PATH
requests() {
	curl -s "$BASE/_log" | python3 -c 'import json,sys
print(sum(1 for l in sys.stdin if json.loads(l)["path"]==sys.argv[1]))' "$1"
}
# gap PATH: seconds between the first two requests for PATH
gap() {
	curl -s "$BASE/_log" | python3 -c 'import json,sys
t=[json.loads(l)["t"] for l in sys.stdin if json.loads(l)["path"]==sys.argv[1]]
print("%.2f" % (t[1]-t[0]) if len(t)>1 else "none")' "$1"
}

# 500, then 200 on the retry
run_rc rc "${F[@]}" "$BASE/flaky/1"
expect_eq "500 then 200: exit" "$rc" 0
expect_contains "500 then 200: the page" "$out" "zzflakyzz"
expect_eq "500 then 200: two requests" "$(requests /flaky/1)" 2
expect_contains "retry counted" "$err" "(1 retries)"

# 429 with Retry-After: 1 waits a second although --backoff is 0.1
run_rc rc "${F[@]}" "$BASE/busy/1"
expect_eq "429: exit" "$rc" 0
expect_contains "429: the page" "$out" "zzbusyzz"
g=$(gap /busy/1)
python3 -c "import sys; sys.exit(0 if $g >= 0.95 else 1)" && ok || fail "Retry-After not honoured: retried after $g s"

# slower than --timeout: retried, then a failure naming the timeout
run_rc rc "${F[@]}" --timeout 1 --retries 1 "$BASE/slow/1"
expect_eq "timeout: exit" "$rc" 1
expect_contains "timeout: reason" "$out" "timed out"
expect_contains "timeout: URL named" "$out" "\"error\":\"$BASE/slow/1: "
expect_eq "timeout: tried twice" "$(requests /slow/1)" 2

# 503 asking for an hour: not waited for, failed at once with the reason
start=$(date +%s)
run_rc rc "${F[@]}" "$BASE/unavailable/1"
expect_eq "503 Retry-After 3600: exit" "$rc" 1
expect_contains "503 Retry-After 3600: reason" "$out" "HTTP 503 Service Unavailable (Retry-After 3600 s"
expect_eq "503 Retry-After 3600: one request" "$(requests /unavailable/1)" 1
[ $(( $(date +%s) - start )) -lt 10 ] && ok || fail "503 with a long Retry-After was waited for"

# 404 is not retried
run_rc rc "${F[@]}" --retries 3 "$BASE/missing/1"
expect_eq "404: exit" "$rc" 1
expect_eq "404: one request" "$(requests /missing/1)" 1

# --retries 0: the 500 stands
run_rc rc "${F[@]}" --retries 0 "$BASE/flaky/2"
expect_eq "no retries: exit" "$rc" 1
expect_contains "no retries: reason" "$out" "$BASE/flaky/2: HTTP 500 Internal Server Error"

# a refused connection (nothing listens on port 1) fails with the reason
run_rc rc "${F[@]}" --retries 1 "http://127.0.0.1:1/x"
expect_eq "connection refused: exit" "$rc" 1
expect_contains "connection refused: reason" "$out" "http://127.0.0.1:1/x: "

finish
