#!/usr/bin/env bash
# Archivist batches, end to end: every outcome of the report (added,
# updated, unchanged, duplicate, failed with input and reason) on stderr and
# in --report JSON; the exit status; the same file under two names is one
# document with both sources; a changed file replaces its text; solent rm by
# source and by id; --from; solent batches.
. "$(dirname "$0")/lib.sh"

DB=$TMP/db
IN=$TMP/in
mkdir -p "$IN" "$TMP/later"

docs() { "$SOLENT" stats --db "$DB" | awk '/^documents:/ {print $2}'; }
# jget FILE EXPR: evaluate a Python expression over the JSON in FILE (as d)
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
# show_sources SOURCE: the sources solent show lists for a document
show_sources() { "$SOLENT" show --db "$DB" "$1" 2>/dev/null | sed -n 's/^source:  //p' | sort; }
show_id() { "$SOLENT" show --db "$DB" --json "$1" 2>/dev/null |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' 2>/dev/null; }

# a: an HTML page, also saved as a copy under another name; b: a text file
# carrying a word we can watch appear and disappear.
cp "$CORPUS/html/press-iwc-ventnor-sea-wall-repairs-2014.html" "$IN/a.html"
cp "$IN/a.html" "$IN/copy-of-a.html"
{ cat "$CORPUS/text/hcc-cabinet-minutes-2013-07-01.txt"; printf '\n\nThe Zorblatt report was noted.\n'; } >"$IN/b.txt"
python3 -c 'import sys; sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)' >"$IN/logo.png"

# ---- batch 1: added, duplicate, failed (unreadable content, missing file)
run_rc rc "$SOLENT" add --db "$DB" --report "$TMP/r1.json" "$IN" "$TMP/missing.html"
expect_eq "batch with failures: exit status" "$rc" 1
expect_contains "report line" "$err" "2 added, 0 updated, 0 unchanged, 1 duplicates, 2 failed"
expect_contains "failure names the input and reason" "$err" "failed: $IN/logo.png: binary or unsupported content"
expect_contains "missing file named" "$err" "failed: $TMP/missing.html: No such file or directory"
expect_eq "json: counts" "$(jget "$TMP/r1.json" 'sorted(d["counts"].items())')" \
	"[('added', 2), ('duplicates', 1), ('failed', 2), ('unchanged', 0), ('updated', 0)]"
expect_eq "json: failed inputs" "$(jget "$TMP/r1.json" 'sorted(f["input"] for f in d["failures"])')" \
	"['$IN/logo.png', '$TMP/missing.html']"
expect_eq "json: every failure has a reason" \
	"$(jget "$TMP/r1.json" 'all("binary" in f["reason"] or "No such file" in f["reason"] for f in d["failures"])')" True
expect_eq "json: status" "$(jget "$TMP/r1.json" 'd["status"]')" complete
expect_eq "json: inputs" "$(jget "$TMP/r1.json" 'd["inputs"]')" "['$IN', '$TMP/missing.html']"
expect_eq "documents after batch 1" "$(docs)" 2

# the same page under two names: one document, both sources
expect_eq "dedup: both sources shown" "$(show_sources "$IN/a.html")" \
	"$(printf '%s\n%s' "$IN/a.html" "$IN/copy-of-a.html")"
expect_eq "dedup: one id for both names" "$(show_id "$IN/copy-of-a.html")" "$(show_id "$IN/a.html")"
expect_eq "dedup: search finds one document" "$(search_count "$DB" 'ventnor')" 1

# ---- batch 2: the same documents again: unchanged, exit 0
run_rc rc "$SOLENT" add --db "$DB" --report "$TMP/r2.json" "$IN/a.html" "$IN/b.txt" "$IN/copy-of-a.html"
expect_eq "re-add: exit status" "$rc" 0
expect_contains "re-add: report" "$err" "0 added, 0 updated, 3 unchanged, 0 duplicates, 0 failed"
expect_eq "re-add json: unchanged" "$(jget "$TMP/r2.json" 'd["counts"]["unchanged"]')" 3
expect_eq "re-add json: no failures" "$(jget "$TMP/r2.json" 'd["failures"]')" "[]"
expect_eq "documents after re-add" "$(docs)" 2

# ---- batch 3: the page saved a third time, in a later batch: duplicate
cp "$IN/a.html" "$TMP/later/a-again.html"
run_rc rc "$SOLENT" add --db "$DB" "$TMP/later/a-again.html"
expect_eq "later copy: exit status" "$rc" 0
expect_contains "later copy: duplicate" "$err" "0 added, 0 updated, 0 unchanged, 1 duplicates"
expect_eq "later copy: three sources" "$(show_sources "$IN/a.html" | wc -l)" 3
expect_eq "documents after later copy" "$(docs)" 2

# ---- batch 4: b changes: updated; its old text is gone, the new one found
expect_eq "before update: old word found" "$(search_count "$DB" zorblatt)" 1
sed -i 's/Zorblatt/Quimbleton/' "$IN/b.txt"
old_id=$(show_id "$IN/b.txt")
run_rc rc "$SOLENT" add --db "$DB" --report "$TMP/r4.json" "$IN/b.txt"
expect_eq "update: exit status" "$rc" 0
expect_contains "update: report" "$err" "0 added, 1 updated, 0 unchanged"
expect_eq "update json" "$(jget "$TMP/r4.json" 'd["counts"]["updated"]')" 1
expect_eq "update: old word no longer found" "$(search_count "$DB" zorblatt)" 0
expect_eq "update: new word found" "$(search_count "$DB" quimbleton)" 1
[ -n "$old_id" ] && [ "$(show_id "$IN/b.txt")" != "$old_id" ] && ok ||
	fail "update: the source should name a new content id"
run_rc rc "$SOLENT" show --db "$DB" "$old_id"
expect_eq "update: old content id gone" "$rc" 1
expect_eq "documents after update" "$(docs)" 2

# one of three sources of a shared document changes: it leaves the
# document, which keeps the other two
sed -i 's#</h1>#</h1><p>Blorfendale addendum: the contractor was changed.</p>#' "$TMP/later/a-again.html"
run_rc rc "$SOLENT" add --db "$DB" "$TMP/later/a-again.html"
expect_contains "shared source changed: updated" "$err" "0 added, 1 updated"
expect_eq "shared source changed: documents" "$(docs)" 3
expect_eq "shared source changed: the others stay together" "$(show_sources "$IN/a.html")" \
	"$(printf '%s\n%s' "$IN/a.html" "$IN/copy-of-a.html")"
expect_eq "shared source changed: it has its own document" "$(show_sources "$TMP/later/a-again.html")" \
	"$TMP/later/a-again.html"
expect_eq "shared source changed: new text found" "$(search_count "$DB" blorfendale)" 1

# ---- removal, by source and by id
run_rc rc "$SOLENT" rm --db "$DB" "$IN/copy-of-a.html"
expect_eq "rm one source of two: exit status" "$rc" 0
expect_eq "rm one source: document stays" "$(docs)" 3
expect_eq "rm one source: the other remains" "$(show_sources "$IN/a.html")" "$IN/a.html"
run_rc rc "$SOLENT" show --db "$DB" "$IN/copy-of-a.html"
expect_eq "rm one source: it is gone" "$rc" 1
expect_eq "rm one source: source: filter" "$(search_count "$DB" "source:$IN/copy-of-a.html")" 0
run_rc rc "$SOLENT" rm --db "$DB" "$IN/a.html"
expect_eq "rm last source: exit status" "$rc" 0
expect_eq "rm last source: document gone" "$(docs)" 2
b_id=$(show_id "$IN/b.txt")
run_rc rc "$SOLENT" rm --db "$DB" "$b_id"
expect_eq "rm by id: exit status" "$rc" 0
expect_contains "rm by id: said so" "$out" "removed $b_id"
expect_eq "rm by id: document gone" "$(docs)" 1
expect_eq "rm by id: text gone" "$(search_count "$DB" quimbleton)" 0
run_rc rc "$SOLENT" rm --db "$DB" "$IN/never-added.html"
expect_eq "rm unknown: exit status" "$rc" 1
expect_contains "rm unknown: names it" "$err" "$IN/never-added.html: no document with that source or id"

# ---- --from FILE: one path a line, comments and blank lines skipped
printf '# batch from a list\n%s\n\n%s\n' "$IN/a.html" "$IN/b.txt" >"$TMP/list.txt"
run_rc rc "$SOLENT" add --db "$DB" --from "$TMP/list.txt" --report "$TMP/r5.json"
expect_eq "--from: exit status" "$rc" 0
expect_contains "--from: report" "$err" "2 added, 0 updated, 0 unchanged, 0 duplicates, 0 failed"
expect_eq "--from: documents" "$(docs)" 3
expect_eq "--from json: inputs" "$(jget "$TMP/r5.json" 'd["inputs"]')" "['--from $TMP/list.txt']"
run_rc rc "$SOLENT" add --db "$DB" --from "$TMP/no-such-list.txt"
expect_eq "--from missing list: usage error" "$rc" 2
expect_contains "--from missing list: named" "$err" "$TMP/no-such-list.txt: No such file or directory"

# ---- --quiet: no summary, but failures still decide the exit status
run_rc rc "$SOLENT" add --db "$DB" --quiet "$IN/a.html" "$IN/logo.png"
expect_eq "--quiet with a failure: exit status" "$rc" 1
expect_not_contains "--quiet: no summary" "$err" "added"

# ---- solent batches: one line per batch, its time, status, counts, inputs
run_rc rc "$SOLENT" batches --db "$DB"
expect_eq "batches: exit status" "$rc" 0
expect_eq "batches: one per add" "$(printf '%s\n' "$out" | grep -c ' added ')" 7
expect_contains "batches: first batch counts" "$out" \
	"complete added 2, updated 0, unchanged 0, duplicates 1, failed 2"
expect_contains "batches: inputs listed" "$out" "input: $TMP/missing.html"
expect_contains "batches: --from listed" "$out" "input: --from $TMP/list.txt"
printf '%s\n' "$out" | grep -Eq '^[0-9]{8}T[0-9]{6}Z-[0-9]+  [0-9]{4}-[0-9]{2}-[0-9]{2}T' && ok ||
	fail "batches: each line starts with the batch id and its time"
run_rc rc "$SOLENT" batches --db "$DB" --json
expect_eq "batches --json: every line parses" \
	"$(printf '%s\n' "$out" | python3 -c 'import json,sys; print(sum(1 for l in sys.stdin if json.loads(l)["counts"]))')" 7

# provenance per source: sha256, size, content type, charset, times, batch
run_rc rc "$SOLENT" show --db "$DB" "$IN/b.txt"
expect_contains "show: sha256 of the raw bytes" "$out" "sha256 $(sha256sum "$IN/b.txt" | cut -c1-64), $(stat -c %s "$IN/b.txt") bytes, text/plain"
expect_contains "show: ingest time and the batch that added it" "$out" \
	"ingested 20"
expect_contains "show: the batch id" "$out" "batch $(jget "$TMP/r5.json" 'd["batch"]')"
expect_contains "show: charset" "$out" "charset UTF-8"

finish
