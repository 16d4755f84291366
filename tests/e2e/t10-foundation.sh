#!/usr/bin/env bash
# Foundation, end to end: corpus/ through `solent add` into a fresh index,
# then searches whose top hits are known; re-adding changes nothing.
. "$(dirname "$0")/lib.sh"

DB=$TMP/db
nfiles=$(find "$CORPUS" -type f ! -name '.*' | wc -l)

run_rc rc "$SOLENT" add --db "$DB" "$CORPUS"
expect_eq "add exit status" "$rc" 0
expect_contains "add report" "$err" "$nfiles added"

docs=$("$SOLENT" stats --db "$DB" | awk '/^documents:/ {print $2}')
expect_eq "every corpus file is a document" "$docs" "$nfiles"

# a phrase, with an ASCII apostrophe, also finds the curly one
n=$(search_count "$DB" "\"children's services\"")
[ "$n" -ge 4 ] && ok || fail "phrase \"children's services\" matched $n documents, expected >= 4"
run_rc rc "$SOLENT" search --db "$DB" --color=always "\"children's services\""
expect_eq "search exit status" "$rc" 0
expect_contains "highlighted snippet" "$out" $'\033[1mchildren'
run_rc rc "$SOLENT" search --db "$DB" "\"children's services\""
expect_not_contains "no escapes in a pipe" "$out" $'\033['

# a stemmed word: 'pothole' finds documents that only say 'potholes'
n_singular=$(search_count "$DB" pothole)
n_plural=$(grep -rli 'potholes' "$CORPUS" --include='*.html' --include='*.txt' | wc -l)
[ "$n_singular" -ge "$n_plural" ] && [ "$n_plural" -ge 2 ] && ok ||
	fail "stemming: 'pothole' matched $n_singular, 'potholes' appears in $n_plural files"

# a title word
expect_contains "title word top hit" "$(top_source "$DB" 'title:bembridge')" "bembridge"
expect_contains "body word top hit" "$(top_source "$DB" 'bembridge dredging')" "bembridge"

# the words of navigation, cookie banners and footers do not make a page match
for w in Xylophone Quokka Zeppelin; do
	expect_eq "furniture word '$w' is not indexed" "$(search_count "$DB" "$w")" 0
done

# nothing found: said so, exit 1
run_rc rc "$SOLENT" search --db "$DB" zzqqxxunknownword
expect_eq "no-hit exit status" "$rc" 1
expect_contains "no-hit message" "$out" "No documents match"

# a malformed query: exit 2 and a message naming the problem
run_rc rc "$SOLENT" search --db "$DB" '(potholes AND'
expect_eq "malformed query exit status" "$rc" 2
expect_contains "malformed query message" "$err" "position"

# adding the same folder again changes nothing
run_rc rc "$SOLENT" add --db "$DB" "$CORPUS"
expect_eq "re-add exit status" "$rc" 0
expect_contains "re-add report" "$err" "0 added, 0 updated, $nfiles unchanged"
docs2=$("$SOLENT" stats --db "$DB" | awk '/^documents:/ {print $2}')
expect_eq "document count after re-add" "$docs2" "$docs"

# the front: unknown command and --help
run_rc rc "$SOLENT" frobnicate
expect_eq "unknown command exit status" "$rc" 2
run_rc rc "$SOLENT" search --help
expect_eq "search --help exit status" "$rc" 0
expect_contains "search --help text" "$out" "date:2013-06-01..2013-07-31"

finish
