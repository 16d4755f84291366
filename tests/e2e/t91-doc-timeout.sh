#!/usr/bin/env bash
# A per-document time limit: a document that takes longer than
# --doc-timeout is named as failed with the limit, the rest of the batch
# is indexed, and the run does not wait for the abandoned work.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/in"
# about 30 MB of council words: far more than 0.2 s of cleaning and extraction
python3 - "$TMP/in/a-huge-minutes.txt" <<'PY'
import random, sys
random.seed(7)
words = "council report budget school transport Hampshire County Council Director June 2013".split()
with open(sys.argv[1], "w") as f:
    for _ in range(40):
        f.write(" ".join(random.choice(words) for _ in range(100000)) + "\n")
PY
printf 'Notice of a meeting about zorvexpothole repairs in Ryde.\n' > "$TMP/in/b-notice.txt"

start=$(date +%s)
run_rc rc timeout 120 "$SOLENT" add --db "$TMP/db" --doc-timeout 0.2 --report "$TMP/report.json" "$TMP/in"
elapsed=$(($(date +%s) - start))
expect_eq "exit status (one input failed)" "$rc" 1
expect_contains "the slow document is named with the limit" "$err" "a-huge-minutes.txt: took longer than the limit of 0.2 s"
reason=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(" | ".join(f["reason"] for f in r["failures"]))' "$TMP/report.json")
expect_contains "the report names it" "$reason" "a-huge-minutes.txt: took longer than"
expect_eq "the other document is indexed" "$(search_count "$TMP/db" zorvexpothole)" 1
[ "$elapsed" -lt 60 ] && ok || fail "the batch took $elapsed s: it waited for the abandoned document"

# without the limit (0) the same document is ingested in full; its
# hundreds of thousands of repeated names are listed up to 1,000 mentions
# each, the rest counted (docs/record.md, mentions_omitted)
rc=0
timeout 300 "$SOLENT" ingest --doc-timeout 0 "$TMP/in/a-huge-minutes.txt" >"$TMP/huge.jsonl" \
	2>"$TMP/huge.err" || rc=$?
expect_eq "no limit: exit status" "$rc" 0
verdict=$(python3 - "$TMP/huge.jsonl" <<'PY'
import collections, json, sys
r = json.loads(open(sys.argv[1]).readline())
per = collections.Counter((e["type"], e["norm"]) for e in r["entities"])
per.update(("date", d["iso"]) for d in r["dates"])
print("text=%d most=%d omitted=%s" % (len(r["text"]) > 25000000, max(per.values()),
                                      r.get("mentions_omitted", 0) > 100000))
PY
)
expect_eq "no limit: the whole text, 1,000 mentions of a name at most, the rest counted" \
	"$verdict" "text=1 most=1000 omitted=True"
finish
