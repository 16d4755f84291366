#!/usr/bin/env bash
# PDF, DOCX and ODT, end to end: the documents are made at test time from
# our own text (tests/tools/mkpdf with cairo, tests/tools/mkoffice.py, qpdf
# for the encrypted one) into the build directory, added in one batch with
# hostile ones beside them; the good ones are searchable, a PDF hit names
# its page, solent show --page prints one page, and every hostile one is a
# named failure that does not stop the batch.
. "$(dirname "$0")/lib.sh"

MKPDF=$SOLENT_BUILD/mkpdf
[ -x "$MKPDF" ] || { echo "$TEST_NAME: skipped: $MKPDF not built" >&2; exit 77; }
DOCS=$SOLENT_BUILD/t95-docs
DB=$TMP/db
rm -rf "$DOCS"
mkdir -p "$DOCS"

# jget FILE EXPR: a Python expression over the JSON in FILE (as d)
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# ---- make the documents
"$MKPDF" --title "Test Valley BC Community and Leisure Committee minutes" \
	--author "Democratic Services" --date 2019-03-14T18:00:00 \
	"$SOLENT_SRC/tests/tools/docs/minutes.txt" "$DOCS/minutes.pdf" || fail "mkpdf minutes"
"$MKPDF" --blank "$DOCS/scanned.pdf" || fail "mkpdf --blank"
"$MKPDF" --zero-pages "$DOCS/zero-pages.pdf" || fail "mkpdf --zero-pages"
head -c 4000 "$DOCS/minutes.pdf" >"$DOCS/truncated.pdf"
: >"$DOCS/empty.pdf"
# the name says text, the bytes say PDF: the bytes win
cp "$DOCS/minutes.pdf" "$DOCS/minutes-saved-as.txt"
python3 "$SOLENT_SRC/tests/tools/mkoffice.py" docx "$DOCS/allotment-rents.docx" || fail "mkoffice docx"
python3 "$SOLENT_SRC/tests/tools/mkoffice.py" odt "$DOCS/parish-newsletter.odt" || fail "mkoffice odt"
python3 "$SOLENT_SRC/tests/tools/mkoffice.py" bomb "$DOCS/bomb.docx" || fail "mkoffice bomb"
python3 "$SOLENT_SRC/tests/tools/mkoffice.py" zip "$DOCS/not-office.docx" || fail "mkoffice zip"
have_qpdf=0
if command -v qpdf >/dev/null 2>&1; then
	# a user password: without it poppler cannot open the file at all
	qpdf --encrypt council-only council-only 256 -- "$DOCS/minutes.pdf" "$DOCS/encrypted.pdf" &&
		have_qpdf=1 || fail "qpdf --encrypt"
else
	echo "note [$TEST_NAME]: no qpdf (scripts/install-deps installs it); encrypted-PDF case not made" >&2
fi

# ---- one batch: good and hostile together
run_rc rc "$SOLENT" add --db "$DB" --report "$TMP/report.json" "$DOCS"
expect_eq "batch with failures: exit status" "$rc" 1
expect_eq "added: the PDF, the DOCX, the ODT" "$(jget "$TMP/report.json" 'd["counts"]["added"]')" 3
expect_eq "the PDF under a .txt name is the same document" \
	"$(jget "$TMP/report.json" 'd["counts"]["duplicates"]')" 1
expect_eq "failed" "$(jget "$TMP/report.json" 'd["counts"]["failed"]')" $((6 + have_qpdf))

# expect_failure NAME WORDS: NAME failed, the reason names it and says WORDS
expect_failure() {
	local reason
	reason=$(jget "$TMP/report.json" \
		"next((f['reason'] for f in d['failures'] if f['input'] == '$DOCS/$1'), '')")
	if [ -z "$reason" ]; then
		fail "$1: not a failure in the batch report"
		return
	fi
	expect_contains "$1: reason names the file" "$reason" "$DOCS/$1"
	expect_contains "$1: reason" "$reason" "$2"
	expect_contains "$1: named on stderr" "$err" "failed: $DOCS/$1: $2"
}
expect_failure scanned.pdf "no text layer: scanned PDF?"
expect_failure truncated.pdf "truncated PDF"
expect_failure zero-pages.pdf "PDF has no pages"
expect_failure empty.pdf "empty file (0 bytes)"
expect_failure bomb.docx "word/document.xml unpacks to over"
expect_failure not-office.docx "binary or unsupported content"
[ "$have_qpdf" = 1 ] && expect_failure encrypted.pdf "encrypted (password-protected) PDF"

# ---- the PDF: metadata, types, pages
run_rc rc "$SOLENT" show --db "$DB" "$DOCS/minutes.pdf"
expect_eq "show PDF: exit status" "$rc" 0
expect_contains "PDF title from the document information" "$out" \
	"title:   Test Valley BC Community and Leisure Committee minutes"
expect_contains "PDF date from the creation date" "$out" "date:    2019-03-14"
expect_contains "PDF content type" "$out" "application/pdf"
expect_contains "both sources of the PDF" "$out" "source:  $DOCS/minutes-saved-as.txt"
expect_eq "type:pdf" "$(search_count "$DB" 'type:pdf bandstand')" 1

run_rc rc "$SOLENT" search --db "$DB" '"riverside bandstand restoration"'
expect_eq "page-2 phrase: exit status" "$rc" 0
expect_contains "page-2 phrase: the PDF (under either name)" "$out" "$DOCS/minutes"
expect_contains "page-2 phrase: its page" "$out" "page 2"
run_rc rc "$SOLENT" search --db "$DB" --json 'swims'
expect_eq "page-3 word: page in JSON" \
	"$(printf '%s\n' "$out" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline()).get("page"))')" 3
run_rc rc "$SOLENT" search --db "$DB" 'apologies'
expect_contains "page-1 word: its page" "$out" "page 1"

run_rc rc "$SOLENT" show --db "$DB" --page 2 "$DOCS/minutes.pdf"
expect_eq "show --page 2: exit status" "$rc" 0
expect_contains "show --page 2: its text" "$out" "3. Riverside bandstand restoration"
expect_not_contains "show --page 2: not page 1" "$out" "Apologies"
expect_not_contains "show --page 2: not page 3" "$out" "Appendix A"
expect_not_contains "show --page 2: no header" "$out" "title:"
run_rc rc "$SOLENT" show --db "$DB" --page 1 "$DOCS/minutes.pdf"
expect_contains "show --page 1" "$out" "Apologies"
run_rc rc "$SOLENT" show --db "$DB" --page 9 "$DOCS/minutes.pdf"
expect_eq "show --page past the end: exit status" "$rc" 2
expect_contains "show --page past the end: says how many" "$err" "has 3 pages, no page 9"

# ---- the DOCX: body structure, metadata, no deleted revision, no page
D=$DOCS/allotment-rents.docx
expect_eq "DOCX phrase" "$(top_source "$DB" '"allotment water troughs"')" "$D"
expect_eq "DOCX deleted text not indexed" "$(search_count "$DB" 'withdrawn')" 0
run_rc rc "$SOLENT" show --db "$DB" "$D"
expect_contains "DOCX title from core.xml" "$out" "title:   Fareham Borough Council: allotment rents decision notice"
expect_contains "DOCX date from core.xml" "$out" "date:    2020-02-11"
expect_contains "DOCX content type" "$out" "wordprocessingml.document"
expect_contains "DOCX heading on its own line" "$out" "$(printf '\nDecision notice: allotment rents 2020/21\n')"
expect_contains "DOCX list items one a line" "$out" \
	"$(printf 'Coldeast Way allotments\nHighlands Road allotments\nWicor Path allotments')"
expect_contains "DOCX table row by tabs" "$out" "$(printf 'Full plot\t50.00\t52.00')"
run_rc rc "$SOLENT" search --db "$DB" '"allotment water troughs"'
expect_not_contains "DOCX hit has no page" "$out" "page "

# ---- the ODT
O=$DOCS/parish-newsletter.odt
expect_eq "ODT phrase" "$(top_source "$DB" '"foreshore litter picks"')" "$O"
run_rc rc "$SOLENT" show --db "$DB" "$O"
expect_contains "ODT title from meta.xml" "$out" "title:   Hamble-le-Rice Parish Council newsletter, spring 2021"
expect_contains "ODT date from meta.xml" "$out" "date:    2021-03-02"
expect_contains "ODT content type" "$out" "application/vnd.oasis.opendocument.text"
expect_contains "ODT list items one a line" "$out" \
	"$(printf 'Bring gloves and stout shoes\nBags and grabbers are provided')"
expect_contains "ODT table rows" "$out" "$(printf 'Month\tMeeting point\nApril\tthe Quay')"

finish
