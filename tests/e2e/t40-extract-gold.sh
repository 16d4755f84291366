#!/bin/bash
# t40-extract-gold: solent-ingest on the council gold documents, scored by
# ../shared/eval/extract-eval; fails below the targets of issue 4. Skips
# (77) when ../shared is absent.
. "$(dirname "$0")/lib.sh"
EVAL=$SHARED/eval/extract-eval
[ -x "$EVAL" ] || [ -f "$EVAL" ] || { echo "t40: $EVAL absent, skipping"; exit 77; }
json=$(python3 "$EVAL" --cmd "$SOLENT_BUILD/solent-ingest" --json) || { fail "extract-eval failed"; exit 1; }
python3 - "$json" <<'PY' || fail "below target: $json"
import json, sys
s = json.loads(sys.argv[1])
t = s["types"]
need = {"date": 0.95, "org": 0.90, "person": 0.90}
bad = [k for k, v in t.items() if v["f1"] < need.get(k, 0.85)]
if s["missing"] or bad or (s["doc_date_acc"] or 0) < 0.9:
    print("below target:", bad, s["doc_date_acc"], file=sys.stderr)
    sys.exit(1)
PY
ok
# A malformed rules directory is refused with file:line.
mkdir -p "$TMP/rules"
printf 'date date (?<y>[0-9\n' > "$TMP/rules/bad.rules"
if command -v "$SOLENT_BUILD/solent-ingest" >/dev/null && "$SOLENT_BUILD/solent-ingest" --help 2>&1 | grep -q -- --rules; then
	out=$("$SOLENT_BUILD/solent-ingest" --rules "$TMP/rules" "$SOLENT_SRC/README.md" 2>&1)
	case $out in *bad.rules:1*) ok ;; *) fail "no file:line in: $out" ;; esac
fi
finish
