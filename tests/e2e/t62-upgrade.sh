#!/usr/bin/env bash
# solent upgrade: an index an older Solent wrote (schema version 2, made
# here by tests/tools/v2index from a real `solent add` of corpus/) is
# searched as before, rewritten in place by `solent upgrade`, found sound by
# Xapian's checker, and searched the same afterwards; a second run has
# nothing to do; a read-only or missing index is refused with its reason.
. "$(dirname "$0")/lib.sh"

V2INDEX=$SOLENT_BUILD/v2index
[ -x "$V2INDEX" ] || { echo "v2index not built"; exit 77; }

run_rc rc "$SOLENT" add --quiet --db "$TMP/db" "$SOLENT_SRC/corpus"
expect_eq "add corpus/" "$rc" 0
n=$("$SOLENT" stats --db "$TMP/db" | awk '/^documents:/ {print $2}')
[ "${n:-0}" -ge 10 ] && ok || fail "corpus/ gave only '$n' documents"

# what a researcher sees, in every form a page takes
searches() {
	for q in council "org:\"Isle of Wight Council\"" "date:2013-06..2013-07" potho* "title:budget"; do
		"$SOLENT" search --db "$TMP/db" --color=never "$q"
		"$SOLENT" search --db "$TMP/db" --json --facet org --facet year "$q" |
			python3 -c 'import json,sys
for l in sys.stdin:
    r = json.loads(l); r.pop("took_ms", None); print(json.dumps(r, sort_keys=True))'
		"$SOLENT" search --db "$TMP/db" --csv --sort date --limit 50 "$q"
	done
	# a whole record, text and all, and its neighbours
	"$SOLENT" show --db "$TMP/db" "$ALTON"
	"$SOLENT" similar --db "$TMP/db" "$ALTON"
}
ALTON=$SOLENT_SRC/corpus/html/easthants-cmis-report-alton-flood-defences-2020.html
before=$(searches)
expect_contains "the searches find something" "$before" "Isle of Wight Council"
expect_contains "show prints the text" "$before" "a flood alleviation scheme for the town of Alton"

"$V2INDEX" "$TMP/db" || fail "v2index failed"
run_rc rc "$SOLENT" stats --db "$TMP/db"
expect_contains "stats: version 2, and what to do" "$out" "schema:    2 (written by an older Solent: 'solent upgrade'"
expect_eq "version 2 is searched the same" "$(searches)" "$before"

run_rc rc "$SOLENT" upgrade --db "$TMP/db"
expect_eq "upgrade: exit status" "$rc" 0
expect_contains "upgrade: says how many" "$out" "$n documents rewritten; the index is up to date"
if command -v xapian-check >/dev/null; then
	xapian-check "$TMP/db" >/dev/null 2>&1 && ok || fail "xapian-check after the upgrade"
fi
run_rc rc "$SOLENT" stats --db "$TMP/db"
expect_contains "stats: the current version" "$out" "schema:    4"
expect_not_contains "stats: nothing to do" "$out" "solent upgrade"
expect_eq "searched the same after the upgrade" "$(searches)" "$before"
expect_eq "documents" "$("$SOLENT" stats --db "$TMP/db" | awk '/^documents:/ {print $2}')" "$n"

run_rc rc "$SOLENT" upgrade --db "$TMP/db"
expect_eq "second upgrade: exit status" "$rc" 0
expect_contains "second upgrade: nothing to do" "$out" "already up to date"

run_rc rc "$SOLENT" upgrade --db "$TMP/nothing-here"
expect_eq "no index: exit status" "$rc" 3
expect_contains "no index: named" "$err" "$TMP/nothing-here: no index there"
[ ! -e "$TMP/nothing-here" ] && ok || fail "upgrade created an index where there was none"
finish
