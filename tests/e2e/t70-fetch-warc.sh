#!/usr/bin/env bash
# WARC against a scripted server on loopback (httpd.py): --warc writes
# WARC/1.1 request and response records, one gzip member each, with
# digests a separate reader (Python here) verifies; `solent ingest
# FILE.warc.gz` rebuilds the same index as the direct fetch (same document
# count, same hits), without the network; a damaged WARC yields the records
# before the damage and a failure naming the file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib.sh"
start_httpd
F=("$FETCH" --delay 0 --timeout 5 --connect-timeout 2 --backoff 0.1)

W=$TMP/crawl.warc.gz
URLS=("$BASE/page/alpha.html" "$BASE/page/bravo.html" "$BASE/page/charlie.html" "$BASE/gzip"
      "$BASE/latin1" "$BASE/moved/delta" "$BASE/missing/z" "$BASE/flaky/w")
run_rc rc "${F[@]}" --warc "$W" "${URLS[@]}"
expect_eq "fetch with --warc: exit" "$rc" 1
printf '%s\n' "$out" >"$TMP/direct.jsonl"
"$SOLENT" index --db "$TMP/direct" "$TMP/direct.jsonl" 2>/dev/null

# An independent check of the file: every gzip member is one record; the
# digests are SHA-1 in base32 over the block and over the HTTP payload.
check=$(python3 - "$W" <<'PY'
import base64, gzip, hashlib, io, sys, zlib
data = open(sys.argv[1], "rb").read()
records, pos = [], 0
while pos < len(data):
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    rec = d.decompress(data[pos:])
    if not d.eof:
        sys.exit("gzip member not finished at %d" % pos)
    pos = len(data) - len(d.unused_data)
    records.append(rec)
def sha1(b): return "sha1:" + base64.b32encode(hashlib.sha1(b).digest()).decode()
types = []
for rec in records:
    head, _, rest = rec.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"WARC/1.1", lines[0]
    h = {}
    for l in lines[1:]:
        k, _, v = l.partition(b":")
        h[k.strip().lower().decode()] = v.strip().decode()
    n = int(h["content-length"])
    block = rest[:n]
    assert rest[n:] == b"\r\n\r\n", "one record per member, terminated"
    assert h["warc-block-digest"] == sha1(block), "block digest"
    t = h["warc-type"]
    types.append(t)
    for k in ("warc-record-id", "warc-date"):
        assert k in h, k
    if t == "response":
        assert h["content-type"] == "application/http;msgtype=response"
        _, _, payload = block.partition(b"\r\n\r\n")
        assert h["warc-payload-digest"] == sha1(payload), "payload digest of " + h["warc-target-uri"]
    if t == "request":
        assert block.startswith(b"GET "), block[:20]
        assert "warc-concurrent-to" in h
print("%d records %s %d requests %d responses" % (len(records), types[0],
      types.count("request"), types.count("response")))
PY
)
# robots.txt, 8 URLs, one redirect hop and one retry: 11 exchanges
expect_eq "WARC structure and digests" "$check" "23 records warcinfo 11 requests 11 responses"
# the gzip response is stored as sent (still gzip), its payload digest over those bytes
gz_stored=$(python3 - "$W" <<'PY'
import gzip, sys
data = gzip.decompress(open(sys.argv[1], "rb").read())
i = data.find(b"WARC-Target-URI: http://127.0.0.1")
print("yes" if b"Content-Encoding: gzip\r\n" in data else "no")
PY
)
expect_eq "gzip body kept as received" "$gz_stored" "yes"

# Rebuild from the WARC alone: stop the server first, so nothing can come
# from the network.
kill $HTTPD; wait $HTTPD 2>/dev/null
run_rc rc "$SOLENT" ingest "$W"
expect_eq "ingest WARC: exit" "$rc" 0
printf '%s\n' "$out" >"$TMP/warc.jsonl"
"$SOLENT" index --db "$TMP/fromwarc" "$TMP/warc.jsonl" 2>/dev/null
ndocs() { "$SOLENT" stats --db "$1" | awk '/^documents:/ {print $2}'; }
expect_eq "same document count" "$(ndocs "$TMP/fromwarc")" "$(ndocs "$TMP/direct")"
expect_eq "seven documents" "$(ndocs "$TMP/direct")" 7
hits() { "$SOLENT" search --db "$1" --json --limit 50 "$2" 2>/dev/null |
	python3 -c 'import json,sys; print(" ".join(sorted(json.loads(l)["source"]+"="+json.loads(l)["id"] for l in sys.stdin)))'; }
for q in zzalphazz zzgzippedzz zzflakyzz '"school transport"' café '£150' 'title:report' \
	cabinet 'recommendations NEAR consultation' 'site:127.0.0.1'; do
	a=$(hits "$TMP/direct" "$q")
	b=$(hits "$TMP/fromwarc" "$q")
	[ -n "$a" ] && [ "$a" = "$b" ] && ok || fail "query $q: direct '$a' vs WARC '$b'"
done
# the redirected page has its final URL as source in both
expect_contains "redirect target in WARC rebuild" "$(hits "$TMP/fromwarc" zzdeltazz)" "$BASE/page/delta.html="

# solent add reads WARC files too (a folder of them included)
mkdir -p "$TMP/warcs" && cp "$W" "$TMP/warcs/"
run_rc rc "$SOLENT" add --db "$TMP/added" "$TMP/warcs"
expect_eq "add WARC folder: exit" "$rc" 0
expect_contains "add WARC folder: report" "$err" "7 added"

# a WARC cut short: the records before the cut, and a failure naming the file
python3 - "$W" "$TMP/cut.warc.gz" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(d[: len(d) * 2 // 3])
PY
run_rc rc "$SOLENT" ingest "$TMP/cut.warc.gz"
expect_eq "cut WARC: exit" "$rc" 1
expect_contains "cut WARC: failure names the file" "$err" "$TMP/cut.warc.gz: "
n=$(printf '%s\n' "$out" | grep -c '"text"' || true)
[ "$n" -ge 2 ] && ok || fail "cut WARC: only $n documents before the cut"

# not a WARC at all
printf 'hello\n' | gzip >"$TMP/junk.warc.gz"
run_rc rc "$SOLENT" ingest "$TMP/junk.warc.gz"
expect_eq "junk WARC: exit" "$rc" 1
expect_contains "junk WARC: reason" "$err" "not a WARC record at byte 0"

finish
