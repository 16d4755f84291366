#!/bin/sh
# make-hostile.sh DIR: generate the hostile-file suite into DIR (which must
# not exist or be empty). Nothing here is committed as a file: every input
# is made by this script, the same bytes every run (fixed random seed).
#
# DIR/good/      documents that must be indexed whatever else the batch holds,
#                each carrying a marker word found nowhere else
# DIR/bad/       one file per kind of hostile input (README of the kinds below)
# DIR/bad/loop/  a folder holding a symbolic link back to itself
# DIR/slow/      the million-attribute page, batched on its own by t90
#
# Kinds (file: what it is -> what Solent must do):
#   empty.txt             0 bytes                   -> per-file error
#   nuls.txt              64 KB of NUL bytes        -> per-file error (binary)
#   random.dat            256 KB of random bytes    -> per-file error (binary)
#   truncated-gzip.html   half a gzip stream, named .html -> per-file error (binary)
#   invalid-utf8.txt      text with overlongs, surrogates, stray continuation
#                         and truncated sequences   -> indexed (decoded as a
#                                                      single-byte charset)
#   utf16le-nobom.txt     UTF-16LE text, no BOM     -> indexed and searchable
#   deep-nesting.html     100 000 nested <div>s     -> indexed, marker found
#   ../slow/million-attrs.html  one <p> with 1 000 000 attributes -> indexed
#                         or refused, in seconds (in a folder of its own so
#                         that t90 can give it a batch and a time bound of
#                         its own: libxml2 2.9's HTML parser is quadratic
#                         in the attributes of one element)
#   long-line.txt         a 50 MB single line       -> indexed, or refused by
#                         the size limit (t90 sets one below 50 MB: a 50 MB
#                         document takes minutes to index on a shared machine)
#   medium-line-5mb.txt   a 5 MB single line        -> indexed, marker found
#   loop/self -> .        symbolic link loop        -> per-file error naming it
#   fifo.txt              a named pipe              -> per-file error, no hang
#   dangling.html -> nowhere  a dangling symlink    -> per-file error
#   unreadable.txt        mode 000                  -> per-file error
#                         (root reads mode-000 files, so t90 runs the batch
#                         with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
#                         dropped via setpriv; see tests/e2e/t90-hostile.sh)
#   zz-vanish.txt         deleted mid-batch by t90, after the folder was
#                         listed and before it is read -> per-file error
set -eu
DIR=${1:?usage: make-hostile.sh DIR}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$DIR/good" "$DIR/bad/loop" "$DIR/slow"

# ---- good documents: three from corpus/, two written here; every one has
# a marker word of its own so that a search proves it was indexed.
marker_html() { # FILE MARKER: add a paragraph with the marker to the main text
	python3 - "$1" "$2" <<'PY'
import re, sys
path, marker = sys.argv[1], sys.argv[2]
html = open(path, encoding="utf-8", errors="surrogateescape").read()
para = "<p>The %s was noted by the committee and agreed without a vote.</p>" % marker
# After the first heading of the main text, so the cleaner keeps it.
html, n = re.subn(r"(</h1>)", r"\1" + para, html, count=1)
if not n:
    html = html.replace("</body>", para + "</body>", 1)
open(path, "w", encoding="utf-8", errors="surrogateescape").write(html)
PY
}
cp "$SRC/corpus/html/press-iwc-ventnor-sea-wall-repairs-2014.html" "$DIR/good/a-ventnor.html"
marker_html "$DIR/good/a-ventnor.html" zorvexalpha
cp "$SRC/corpus/html/hcc-moderngov-decision-budget-2024-25.html" "$DIR/good/b-budget.html"
marker_html "$DIR/good/b-budget.html" zorvexbravo
{ cat "$SRC/corpus/text/hcc-cabinet-minutes-2013-07-01.txt"; printf '\n\nThe zorvexcharlie report was noted.\n'; } \
	>"$DIR/good/c-minutes.txt"
cat >"$DIR/good/d-notice.txt" <<'TXT'
Parish council notice

The parish council met on 3 March 2024 and agreed the zorvexdelta footpath
repairs at a cost of £12,000, funded by Hampshire County Council.
TXT
cat >"$DIR/good/e-page.html" <<'HTML'
<!doctype html><html><head><title>Library opening hours</title></head>
<body><main><h1>Library opening hours</h1>
<p>Andover library will open on Sundays from 7 April 2024, the zorvexecho
trial agreed by Test Valley Borough Council's cabinet.</p></main></body></html>
HTML

# ---- hostile files
B=$DIR/bad
: >"$B/empty.txt"
python3 - "$B" <<'PY'
import gzip, os, random, sys
b = sys.argv[1]
rnd = random.Random(9)   # fixed seed: the same bytes every run
w = lambda name, data: open(os.path.join(b, name), "wb").write(data)

w("nuls.txt", b"\0" * 65536)
w("random.dat", bytes(rnd.getrandbits(8) for _ in range(256 * 1024)))

page = (b"<html><body><main><h1>Minutes</h1>"
        + b"<p>The council agreed the budget for road repairs.</p>" * 400
        + b"</main></body></html>")
gz = gzip.compress(page)
w("truncated-gzip.html", gz[: len(gz) // 2])

# Every kind of malformed UTF-8 around ASCII words: overlong '/', a UTF-16
# surrogate, stray continuation bytes, a 5-byte lead, a sequence cut short
# at the end. The marker must survive whatever the decoder does.
w("invalid-utf8.txt",
  b"Invalid bytes notice\n\nThe zorvexinvalid scheme \xc0\xaf was agreed \xed\xa0\x80 by "
  b"the council \x80\x80\xbf on 4 May 2021 \xf8\x88\x80\x80\x80 at a cost of \xa3500.\n"
  b"Cut short: \xe2\x82")

w("utf16le-nobom.txt",
  ("Notice of decision\n\nThe zorvexutfsixteen bus service was agreed by the Isle "
   "of Wight Council on 12 June 2019.\n" * 20).encode("utf-16-le"))

depth = 100000
w("deep-nesting.html",
  b"<html><body>" + b"<div>" * depth
  + b"<p>The zorvexdeep nesting test paragraph holds the only text of this page.</p>"
  + b"</div>" * depth + b"</body></html>")

attrs = b"".join(b' a%d="%d"' % (i, i) for i in range(1000000))
open(os.path.join(b, "..", "slow", "million-attrs.html"), "wb").write(
  b"<html><body><main><h1>Attributes</h1><p" + attrs
  + b">The zorvexattrs paragraph carries a million attributes.</p></main></body></html>")

# 50 MB with no newline: ordinary words, so cleaning and extraction do
# their full work, and a marker at the very end.
unit = b"The cabinet agreed the school transport policy for Hampshire County Council. "
n = (50 * 1024 * 1024) // len(unit)
with open(os.path.join(b, "long-line.txt"), "wb") as f:
    for _ in range(n // 1000):
        f.write(unit * 1000)
    f.write(unit * (n % 1000))
    f.write(b"The zorvexlongline ends here.")
with open(os.path.join(b, "medium-line-5mb.txt"), "wb") as f:
    f.write(unit * ((5 * 1024 * 1024) // len(unit)) + b"The zorvexfivemb ends here.")
PY
ln -s . "$B/loop/self"
ln -s .. "$B/loop/up"
mkfifo "$B/fifo.txt"
ln -s "$B/no-such-target.html" "$B/dangling.html"
printf 'The zorvexunreadable file.\n' >"$B/unreadable.txt"
chmod 000 "$B/unreadable.txt"
printf 'The zorvexvanish file is deleted before it is read.\n' >"$B/zz-vanish.txt"
