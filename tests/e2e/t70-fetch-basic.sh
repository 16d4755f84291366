#!/usr/bin/env bash
# Fetch, end to end, against a scripted server on loopback (httpd.py): a
# page, a 404, a header-only charset and a lying one, gzip, a body over the
# size limit, a redirect (final URL is the source, the original kept), a
# redirect loop, a redirect to file:// refused; then the records through
# `solent index`, `solent ingest URL` and `solent add URL`.
. "$(dirname "$0")/lib.sh"
start_httpd
F=("$FETCH" --delay 0 --timeout 5 --connect-timeout 2 --backoff 0.1)

# rec FILE SOURCE FIELD: FIELD of the record whose source (or, for a
# failure, source) is SOURCE; "" when none.
rec() {
	python3 - "$@" <<'PY'
import json, sys
path, source, field = sys.argv[1:4]
for line in open(path, encoding="utf-8"):
    r = json.loads(line)
    if r.get("source") == source:
        v = r.get(field)
        print("" if v is None else v)
        break
PY
}

run_rc rc "${F[@]}" --max-size 1000000 "$BASE/page/alpha.html" "$BASE/missing/x" \
	"$BASE/latin1" "$BASE/liar" "$BASE/gzip" "$BASE/big" "$BASE/moved/bravo" \
	"$BASE/loop/a" "$BASE/to-file"
printf '%s\n' "$out" >"$TMP/out.jsonl"
expect_eq "exit status with failures" "$rc" 1
expect_eq "one line per URL" "$(wc -l <"$TMP/out.jsonl")" 9

# 200: a document, fetched_at set, type from the header
expect_contains "page text" "$(rec "$TMP/out.jsonl" "$BASE/page/alpha.html" text)" "zzalphazz"
expect_eq "page content_type" "$(rec "$TMP/out.jsonl" "$BASE/page/alpha.html" content_type)" "text/html"
[ -n "$(rec "$TMP/out.jsonl" "$BASE/page/alpha.html" fetched_at)" ] && ok || fail "fetched_at not set"

# 404: a failure record naming the URL and the status
expect_eq "404 failure record" "$(rec "$TMP/out.jsonl" "$BASE/missing/x" error)" \
	"$BASE/missing/x: HTTP 404 Not Found"
expect_contains "404 on stderr" "$err" "$BASE/missing/x: HTTP 404 Not Found"

# charset from the Content-Type header reaches the decoder
expect_eq "header charset used" "$(rec "$TMP/out.jsonl" "$BASE/latin1" charset_from)" "http"
expect_eq "header charset name" "$(rec "$TMP/out.jsonl" "$BASE/latin1" charset)" "windows-1252"
expect_contains "windows-1252 decoded" "$(rec "$TMP/out.jsonl" "$BASE/latin1" text)" "£150"
expect_contains "windows-1252 decoded (é)" "$(rec "$TMP/out.jsonl" "$BASE/latin1" title)" "Café"
# a header that lies (UTF-8 around windows-1252 bytes) does not garble the text
liar=$(rec "$TMP/out.jsonl" "$BASE/liar" text)
expect_contains "lying header: text decoded" "$liar" "£150"
expect_not_contains "lying header: no replacement characters" "$liar" $'\xef\xbf\xbd'
expect_not_contains "lying header not trusted" "$(rec "$TMP/out.jsonl" "$BASE/liar" charset_from)" "http"

# gzip: asked for, and undone
expect_contains "gzip body decoded" "$(rec "$TMP/out.jsonl" "$BASE/gzip" text)" "zzgzippedzz"
ae=$(curl -s "$BASE/_log" | python3 -c 'import json,sys
print([json.loads(l)["ae"] for l in sys.stdin if json.loads(l)["path"]=="/gzip"][0])')
expect_contains "Accept-Encoding sent" "$ae" "gzip"

# over the size limit
expect_contains "size limit" "$(rec "$TMP/out.jsonl" "$BASE/big" error)" "over the 1000000-byte limit"
# ... also without a Content-Length, and after gzip is undone
run_rc rc "${F[@]}" --max-size 1000000 "$BASE/bigstream" "$BASE/gzbomb"
printf '%s\n' "$out" >"$TMP/big.jsonl"
expect_contains "size limit while streaming" "$(rec "$TMP/big.jsonl" "$BASE/bigstream" error)" "over the 1000000-byte limit"
expect_contains "size limit after inflating" "$(rec "$TMP/big.jsonl" "$BASE/gzbomb" error)" "more than the 1000000-byte limit"

# a redirect: the final URL is the source, the URL asked for is kept
expect_contains "redirected page" "$(rec "$TMP/out.jsonl" "$BASE/page/bravo.html" text)" "zzbravozz"
expect_eq "original_url kept" "$(rec "$TMP/out.jsonl" "$BASE/page/bravo.html" original_url)" "$BASE/moved/bravo"

# a redirect loop fails after --max-redirects
expect_contains "redirect loop" "$(rec "$TMP/out.jsonl" "$BASE/loop/a" error)" "too many redirects"
# a redirect can never read a local file
expect_contains "file:// refused" "$(rec "$TMP/out.jsonl" "$BASE/to-file" error)" "protocol not allowed"
expect_not_contains "no local file read" "$out" "root:x:0"

# the User-Agent names Solent and its version
ua=$(curl -s "$BASE/_log" | python3 -c 'import json,sys
print(json.loads(sys.stdin.readline())["ua"])')
expect_eq "User-Agent" "$ua" "Solent/0.1.0 (+https://example.invalid/solent)"

# the records feed the index; the batch report counts and names failures
run_rc rc "$SOLENT" index --db "$TMP/db" "$TMP/out.jsonl"
expect_eq "index exit status (failures in batch)" "$rc" 1
expect_contains "index report" "$err" "5 added"
expect_contains "index report failures" "$err" "4 failed"
expect_contains "index report names the 404" "$err" "$BASE/missing/x: HTTP 404 Not Found"
expect_eq "search finds a fetched page" "$(top_source "$TMP/db" zzalphazz)" "$BASE/page/alpha.html"
expect_eq "site: filter on a fetched page" "$(search_count "$TMP/db" 'site:127.0.0.1 zzgzippedzz')" 1

# solent ingest takes URLs among its inputs, after the files
run_rc rc "$SOLENT" ingest --delay 0 "$CORPUS/text" "$BASE/page/charlie.html"
expect_eq "ingest with a URL: exit status" "$rc" 0
expect_contains "ingest with a URL: the page" "$out" "\"source\":\"$BASE/page/charlie.html\""
expect_contains "ingest with a URL: the files too" "$out" "\"source\":\"$CORPUS/text/"

# solent add URL... is one batch like any other
run_rc rc "$SOLENT" add --db "$TMP/db2" --delay 0 "$BASE/page/delta.html" "$BASE/page/echo.html" "$BASE/missing/y"
expect_eq "add URLs: exit status" "$rc" 1
expect_contains "add URLs: report" "$err" "2 added"
expect_contains "add URLs: failure named" "$err" "$BASE/missing/y: HTTP 404 Not Found"
expect_eq "add URLs: searchable" "$(top_source "$TMP/db2" zzechozz)" "$BASE/page/echo.html"

# usage errors
run_rc rc "$FETCH" --allow-protocols nosuchproto "$BASE/page/alpha.html"
expect_eq "bad protocol list is a usage error" "$rc" 2
run_rc rc "$FETCH" --follow '(' "$BASE/page/alpha.html"
expect_eq "bad regex is a usage error" "$rc" 2
run_rc rc "${F[@]}" "file:///etc/passwd"
expect_eq "file:// URL refused: exit" "$rc" 1
expect_contains "file:// URL refused: reason" "$out" "protocol not allowed"

finish
