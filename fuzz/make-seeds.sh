#!/bin/sh
# make-seeds.sh OUTDIR [SOLENT_INGEST]: seed corpora for the harnesses, made
# from corpus/ (nothing binary is committed that this script can make).
# Each harness gets OUTDIR/<harness>/; the fuzzer adds what it finds there.
#   clean_html  the HTML documents as they are
#   clean_text  the plain-text documents
#   decode      every document behind a selector byte (see fuzz_decode.c)
#   process     every document behind a name byte (see fuzz_process.c)
#   extract     the text documents cut into 4 KB pieces (short inputs run
#               many times faster and still hold every kind of entity)
#   record      solent-ingest's records of corpus/, one a file, when a
#               built solent-ingest is given; hand-written ones otherwise
#   query       the queries of README.md's table, one a file
#   snippet     a length byte, a query line, then a text document
set -eu
OUT=${1:?usage: make-seeds.sh OUTDIR [SOLENT_INGEST]}
INGEST=${2:-}
SRC=$(cd "$(dirname "$0")/.." && pwd)
C=$SRC/corpus

for h in clean_html clean_text decode process extract record query snippet; do
	mkdir -p "$OUT/$h"
done

n=0
for f in "$C"/html/* "$C"/odd/*; do
	n=$((n + 1))
	cp "$f" "$OUT/clean_html/$n.html"
	# selector 0x08: no HTTP charset, HTML (fuzz_decode.c); name 0: .html
	{ printf '\010'; cat "$f"; } >"$OUT/decode/h$n"
	{ printf '\000'; cat "$f"; } >"$OUT/process/h$n"
done
n=0
for f in "$C"/text/*; do
	n=$((n + 1))
	cp "$f" "$OUT/clean_text/$n.txt"
	{ printf '\000'; cat "$f"; } >"$OUT/decode/t$n"          # plain text
	{ printf '\001'; cat "$f"; } >"$OUT/process/t$n"         # .txt
	{ printf '\002'; cat "$f"; } >"$OUT/process/s$n"         # sniffed
	split -b 4096 -d "$f" "$OUT/extract/t$n."
	# length byte 0xC0: a 200-byte snippet (fuzz_snippet.cc)
	k=0
	for q in council '"children'"'"'s services"' 'org:"Hampshire County Council" budget' 'title:report'; do
		k=$((k + 1))
		{ printf '\300%s\n' "$q"; head -c 12000 "$f"; } >"$OUT/snippet/t$n.$k"
	done
done
# a few charset selectors over one windows-1252 page: each HTTP charset
for sel in 1 2 3 4 5 6 7; do
	{ printf "\\$(printf %03o $((sel + 8)))"; cat "$C/odd/misdeclared-charset-1252.html"; } \
		>"$OUT/decode/c$sel"
done

if [ -n "$INGEST" ] && [ -x "$INGEST" ]; then
	"$INGEST" "$C" 2>/dev/null | split -l 1 -d -a 3 - "$OUT/record/r" || true
fi
printf '%s' '{"version":1,"source":"a.txt","title":"t","date":"2013-07-01","text":"Hampshire County Council met.","entities":[{"type":"org","text":"Hampshire County Council","norm":"Hampshire County Council","start":0,"end":24}],"dates":[{"text":"2013","iso":"2013","start":0,"end":4}],"aliases":[{"abbrev":"HCC","full":"Hampshire County Council"}]}' >"$OUT/record/hand1"
printf '%s' '{"version":1,"source":"x.bin","title":null,"date":null,"error":"x.bin: binary"}' >"$OUT/record/hand2"

n=0
# selector byte 0x18: relevance, facets, snippets (fuzz_query.c)
while IFS= read -r q; do
	n=$((n + 1))
	{ printf '\030'; printf '%s' "$q"; } >"$OUT/query/q$n"
done <<'QUERIES'
council housing
"children's services" isle of wight
school NEAR transport
potho*
a OR b
budget AND NOT cuts
+must -mustnot (a OR b)
title:budget
org:"Isle of Wight Council"
person:humby
place:ryde
act:"Children Act"
role:director
site:www.hants.gov.uk
type:html
id:0123456789abcdef
source:corpus/a.html
date:2013
date:2013-06
date:2013-06-01..2013-07-31
date:2012..
mentions:2013-07
org:"Hampshire County Council" date:2013-06..2013-07
HCC budget
QUERIES
echo "seeds in $OUT: $(find "$OUT" -type f | wc -l) files"
