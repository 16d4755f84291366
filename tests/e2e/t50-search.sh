#!/usr/bin/env bash
# Research-grade search on corpus/: every field, every date form, acronym
# synonyms both ways, facets that agree with counts, JSON/CSV that parse
# back to the same hits, errors, "did you mean", similar, kwic, entities.
# Expected values come from an independent oracle: Python reading the
# records solent-ingest wrote, not from the index.
. "$(dirname "$0")/lib.sh"

DB=$TMP/db
"$SOLENT" add --db "$DB" --quiet "$CORPUS" || { echo "add failed"; exit 1; }
"$SOLENT" ingest "$CORPUS" > "$TMP/records.jsonl" 2>/dev/null

# oracle EXPR: number of records for which the Python expression holds
# (r is the record, t its lower-cased text)
oracle() {
	python3 - "$TMP/records.jsonl" "$1" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if "error" in r: continue
    t = " ".join(((r.get("title") or "") + "\n" + r["text"]).lower().replace("\u2019", "'").split())
    if eval(sys.argv[2]): n += 1
print(n)
PY
}

count() { search_count "$DB" "$1"; }

# --- fields ---
n=$(count 'org:"Isle of Wight Council"')
[ "$n" -ge 2 ] && ok || fail "org:\"Isle of Wight Council\" matched $n"
expect_eq "org: agrees with the records" "$n" \
	"$(oracle 'any(e["type"]=="org" and "isle of wight council" in e["norm"].lower() for e in r["entities"])')"
n=$(count 'person:humby')
expect_eq "person:humby agrees with the records" "$n" \
	"$(oracle 'any(e["type"]=="person" and "humby" in e["norm"].lower() for e in r["entities"])')"
[ "$n" -ge 1 ] && ok || fail "person:humby matched nothing"
n=$(count 'place:winchester')
expect_eq "place:winchester agrees with the records" "$n" \
	"$(oracle 'any(e["type"]=="place" and "winchester" in e["norm"].lower() for e in r["entities"])')"
[ "$n" -ge 1 ] && ok || fail "place:winchester matched nothing"
n=$(count 'act:"Children Act 2004"')
expect_eq "act: agrees with the records" "$n" \
	"$(oracle 'any(e["type"]=="legislation" and "children act 2004" in e["norm"].lower() for e in r["entities"])')"
[ "$n" -ge 1 ] && ok || fail "act:\"Children Act 2004\" matched nothing"
expect_eq "type:text" "$(count 'type:text')" "$(oracle 'r["content_type"]=="text/plain"')"
expect_eq "type:html" "$(count 'type:html')" "$(oracle 'r["content_type"]=="text/html"')"
expect_eq "site:local is every document" "$(count 'site:local')" "$(oracle 'True')"

# --- document dates, every form ---
expect_eq "date:2013" "$(count 'date:2013')" "$(oracle '(r.get("date") or "").startswith("2013")')"
expect_eq "date:2013-07" "$(count 'date:2013-07')" "$(oracle '(r.get("date") or "").startswith("2013-07")')"
expect_eq "date:2013-06-01..2013-07-31" "$(count 'date:2013-06-01..2013-07-31')" \
	"$(oracle '"2013-06-01" <= (r.get("date") or "0")[:10].ljust(10,"-") <= "2013-07-31"')"
expect_eq "date:2019.." "$(count 'date:2019..')" "$(oracle '(r.get("date") or "0") >= "2019"')"
expect_eq "date:..2014" "$(count 'date:..2014')" "$(oracle '"" < (r.get("date") or "") < "2015"')"
expect_eq "mentions:2013-07" "$(count 'mentions:2013-07')" \
	"$(oracle 'any(d["iso"].startswith("2013-07") for d in r["dates"])')"
[ "$(count 'mentions:2013-07')" -ge 1 ] && ok || fail "mentions:2013-07 matched nothing"

# --- query syntax ---
[ "$(count '"school transport"')" -ge 2 ] && ok || fail "phrase \"school transport\""
[ "$(count 'school NEAR transport')" -ge "$(count '"school transport"')" ] && ok || fail "NEAR"
expect_eq "wildcard potho*" "$(count 'potho*')" "$(oracle '"pothole" in t')"
expect_eq "OR" "$(count 'bembridge OR ventnor')" "$(oracle '"bembridge" in t or "ventnor" in t')"
expect_eq "AND NOT" "$(count 'potholes AND NOT southampton')" \
	"$(oracle '"pothol" in t and "southampton" not in t')"
expect_eq "+must -mustnot" "$(count '+dredging -harbour')" "$(oracle '"dredg" in t and "harbour" not in t')"

# --- acronym synonyms, both ways ---
n_full=$(count '"Hampshire County Council"')
n_abbr=$(count 'HCC')
n_either=$(oracle '"hampshire county council" in t or " hcc" in t or "(hcc" in t')
expect_eq "HCC finds the spelled-out name too" "$n_abbr" "$n_either"
expect_eq "the spelled-out name finds HCC too" "$n_full" "$n_either"
[ "$n_abbr" -gt "$(oracle '"hcc" in t')" ] && ok || fail "HCC did not expand ($n_abbr)"

# --- facets agree with counts over the whole matching set ---
"$SOLENT" search --db "$DB" --json --limit 1 --facet year --facet org council > "$TMP/facets.jsonl"
python3 - "$TMP/facets.jsonl" > "$TMP/facet-checks" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("facet") == "year":
        for v in o["values"]:
            print("year\t%s\t%d" % (v["value"], v["count"]))
    if o.get("facet") == "org":
        for v in o["values"][:3]:
            print("org\t%s\t%d" % (v["value"], v["count"]))
PY
[ -s "$TMP/facet-checks" ] && ok || fail "no facets printed"
while IFS=$'\t' read -r kind value n; do
	if [ "$kind" = year ]; then
		expect_eq "year facet $value" "$n" "$(count "council date:$value")"
	else
		expect_eq "org facet $value" "$n" \
			"$(oracle "'council' in t and any(e['type']=='org' and e['norm']=='$value' for e in r['entities'])")"
	fi
done < "$TMP/facet-checks"

# --- JSON and CSV parse back to the same hits ---
"$SOLENT" search --db "$DB" --json --limit 8 council > "$TMP/hits.jsonl"
"$SOLENT" search --db "$DB" --csv --limit 8 council > "$TMP/hits.csv"
same=$(python3 - "$TMP/hits.jsonl" "$TMP/hits.csv" <<'PY'
import csv, json, sys
j = [json.loads(l) for l in open(sys.argv[1])]
c = list(csv.DictReader(open(sys.argv[2], newline="")))
ok = len(j) == len(c) == 8 and all(a["id"] == b["id"] and a["title"] == b["title"]
        and a["source"] == b["source"] and str(a["rank"]) == b["rank"] for a, b in zip(j, c))
print("same" if ok else "different: %d json, %d csv" % (len(j), len(c)))
PY
)
expect_eq "JSON and CSV hits" "$same" "same"

# Every column, of every document and of a word's hits (whose snippets
# have highlights to take off): titles with commas ("..., spring 2021")
# and snippets with commas and double quotes ('befriending' stands next
# to the quoted "settle home") must come back from the CSV as the JSON
# has them, or a spreadsheet shifts or merges cells.
for q in 'site:local' council befriending; do
	"$SOLENT" search --db "$DB" --json --limit 1000 "$q" > "$TMP/all-$q.jsonl"
	"$SOLENT" search --db "$DB" --csv --limit 1000 "$q" > "$TMP/all-$q.csv"
done
same=$(python3 - "$TMP"/all-site:local.{jsonl,csv} "$TMP"/all-council.{jsonl,csv} \
	"$TMP"/all-befriending.{jsonl,csv} <<'PY'
import csv, json, sys
want = lambda h: {"rank": str(h["rank"]), "score": "%.4f" % h["score"], "id": h["id"],
                  "date": h.get("date") or "", "title": h.get("title") or "",
                  "source": h["source"], "snippet": h.get("snippet") or ""}
out, commas, quotes = [], 0, 0
for jf, cf in zip(sys.argv[1::2], sys.argv[2::2]):
    j = [json.loads(l) for l in open(jf)]
    rows = list(csv.reader(open(cf, newline="")))
    c = [dict(zip(rows[0], r)) for r in rows[1:]]
    bad = [r for r in rows[1:] if len(r) != len(rows[0])]
    diff = [(want(a), b) for a, b in zip(j, c) if want(a) != b]
    commas += sum("," in (a.get("title") or "") for a in j)
    quotes += sum('"' in (a.get("snippet") or "") for a in j)
    if bad or diff or len(j) != len(c) or len(j) < (1 if "befriending" in jf else 20):
        out.append("%s: %d json, %d csv, %d rows of the wrong width, %d differ; first: %s"
                   % (jf, len(j), len(c), len(bad), len(diff), diff[:1]))
# the data must hold what is being tested
if not commas or not quotes:
    out.append("no title with a comma (%d) or snippet with a quote (%d)" % (commas, quotes))
print("; ".join(out) or "same")
PY
)
expect_eq "JSON and CSV hold the same fields, commas and quotes too" "$same" "same"

# A JSON hit carries its record's provenance and entities, as ingest wrote
# them: every source with that content id, with its checksum, and the
# entities with their offsets.
prov=$(python3 - "$TMP/hits.jsonl" "$TMP/records.jsonl" <<'PY'
import json, sys
recs = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    if "error" not in r:
        recs.setdefault(r["id"], []).append(r)
bad, n_ent = [], 0
for line in open(sys.argv[1]):
    h = json.loads(line)
    rs = recs.get(h["id"], [])
    got = sorted((s.get("source"), s.get("sha256")) for s in h.get("sources") or [])
    want = sorted((r["source"], r["sha256"]) for r in rs)
    if not rs or got != want:
        bad.append("%s sources %s, want %s" % (h["id"], got, want))
    elif h.get("entities") != rs[0]["entities"]:
        bad.append("%s: %d entities, want %d" % (h["id"], len(h.get("entities") or []), len(rs[0]["entities"])))
    n_ent += len(h.get("entities") or [])
print("; ".join(bad) if bad else "same" if n_ent else "no entities to compare")
PY
)
expect_eq "JSON hits' sources and entities are the records'" "$prov" "same"

# --- paging and sorting ---
second=$("$SOLENT" search --db "$DB" --json --limit 2 council | sed -n 2p | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
offset=$("$SOLENT" search --db "$DB" --json --offset 1 --limit 1 council | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
expect_eq "--offset 1 --limit 1 is the second hit" "$offset" "$second"
for s in date -date; do
	sorted=$("$SOLENT" search --db "$DB" --json --limit 50 --sort "$s" 'site:local' | python3 -c '
import json, sys
d = [json.loads(l).get("date") or "" for l in sys.stdin]
d = [x for x in d if x]
rev = sys.argv[1] == "-date"
print("sorted" if d == sorted(d, reverse=rev) and len(d) > 3 else "unsorted: %s" % d)' "$s")
	expect_eq "--sort $s" "$sorted" "sorted"
done

# --- errors ---
run_rc rc "$SOLENT" search --db "$DB" 'potholes AND (roads'
expect_eq "unbalanced bracket exit" "$rc" 2
expect_contains "unbalanced bracket message" "$err" "position 14"
run_rc rc "$SOLENT" search --db "$DB" 'date:2013-02-30..2013-13'
expect_eq "bad date range exit" "$rc" 2
expect_contains "bad date range message" "$err" "2013-13"
run_rc rc "$SOLENT" search --db "$DB" '"unterminated phrase'
expect_eq "unterminated phrase exit" "$rc" 2
run_rc rc "$SOLENT" search --db "$DB" --facet colour council
expect_eq "unknown facet exit" "$rc" 2
run_rc rc "$SOLENT" search --db "$TMP/no-such-index" council
expect_eq "missing index exit" "$rc" 3

# --- did you mean ---
run_rc rc "$SOLENT" search --db "$DB" 'dreging'
expect_contains "spelling suggestion" "$out" "Did you mean: dredging"

# --- similar: another children's services partnership document comes first ---
src=$CORPUS/html/hcc-moderngov-decision-childrens-services-partnership-2013.html
id=$("$SOLENT" show --db "$DB" --json "$src" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
top=$("$SOLENT" similar --db "$DB" --json --limit 1 "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["source"])')
expect_contains "similar document" "$top" "childrens-services"
run_rc rc "$SOLENT" similar --db "$DB" nosuchid
expect_eq "similar of an unknown id" "$rc" 1

# --- show ---
run_rc rc "$SOLENT" show --db "$DB" "$id"
expect_eq "show exit" "$rc" 0
expect_contains "show provenance" "$out" "sha256"
expect_contains "show entities" "$out" "entities:"

# --- kwic: every line has the word in the same column ---
"$SOLENT" kwic --db "$DB" --limit 5 dredging > "$TMP/kwic"
[ "$(wc -l < "$TMP/kwic")" -ge 3 ] && ok || fail "kwic printed too few lines"
cols=$(python3 -c '
import re, sys
cols = {m.start() for l in open(sys.argv[1], encoding="utf-8") for m in [re.search(r" (?i:dredg\w*) ", l)] if m}
print(len(cols))' "$TMP/kwic")
expect_eq "kwic keyword column aligned" "$cols" 1

# --- entities ---
top_org=$("$SOLENT" entities --db "$DB" --type org --limit 1 | sed 's/^ *[0-9]* *//')
expect_eq "most frequent org" "$top_org" "Hampshire County Council"
run_rc rc "$SOLENT" entities --db "$DB" --type colour
expect_eq "entities unknown type exit" "$rc" 2

# --- the id order solent-index saves: hits rank alike with it or without,
# and a writer's later run saves it anew for the revision it leaves ---
idorder_head() {
	python3 -c '
import struct, sys
h = open(sys.argv[1], "rb").read(72)
magic, version, bom, rev, n, docs = struct.unpack("=8sIIQII", h[:32])
print(magic.decode(), version, rev, docs)' "$DB/solent-idorder"
}
[ -s "$DB/solent-idorder" ] && ok || fail "solent add saved no id order"
expect_contains "id order header" "$(idorder_head)" "SOLIDORD 1 "
"$SOLENT" search --db "$DB" --json --limit 1000 'site:local' > "$TMP/with-order.jsonl"
mv "$DB/solent-idorder" "$TMP/idorder.saved"
"$SOLENT" search --db "$DB" --json --limit 1000 'site:local' > "$TMP/without-order.jsonl"
mv "$TMP/idorder.saved" "$DB/solent-idorder"
[ "$(wc -l < "$TMP/with-order.jsonl")" -ge 20 ] && ok || fail "site:local found too few"
cmp -s "$TMP/with-order.jsonl" "$TMP/without-order.jsonl" && ok ||
	fail "hits differ with the saved id order"
before=$(idorder_head)
n_before=$(count 'site:local')
"$SOLENT" rm --db "$DB" "$src" > /dev/null 2>&1
after=$(idorder_head)
[ "$before" != "$after" ] && ok || fail "solent rm left the id order as it was: $after"
expect_eq "id order counts the documents left" "${after##* }" "$((n_before - 1))"

finish
