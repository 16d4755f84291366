#!/usr/bin/env bash
# Progress: on a terminal (a pty, through util-linux script) solent add
# draws a bar with documents done of total, rate and ETA, the total counting
# --from lists too; in a pipe, and with --quiet, it draws nothing.
. "$(dirname "$0")/lib.sh"

command -v script >/dev/null || { echo "script (util-linux) not installed"; exit 77; }
script -qec true /dev/null >/dev/null 2>&1 || { echo "no pty available"; exit 77; }

N=120
"$SOLENT_SRC/bench/gen-corpus" --seed 63 $N "$TMP/batch" >/dev/null ||
	{ echo "gen-corpus failed" >&2; exit 1; }
ESC=$'\033'

# on a terminal
rc=0
script -qec "'$SOLENT' add --db '$TMP/db1' --chunk 10 '$TMP/batch'" /dev/null >"$TMP/tty.out" 2>&1 || rc=$?
tty=$(tr '\r' '\n' <"$TMP/tty.out")
expect_eq "on a terminal: exit status" "$rc" 0
expect_contains "bar: done of total" "$tty" "/$N documents"
expect_contains "bar: drawn" "$tty" "[#"
printf '%s\n' "$tty" | grep -Eq "[0-9]+/$N documents  [0-9]+\.[0-9]/s  ETA [0-9]+(s|m[0-9]{2}s)" && ok ||
	{ fail "bar: rate and ETA"; printf '%s\n' "$tty" | head -5 >&2; }
expect_contains "bar: redrawn in place" "$(cat "$TMP/tty.out")" $'\r'"$ESC[K"
expect_contains "summary after the bar" "$tty" "$N added"
# the bar is wiped before the summary: the summary line starts clean
printf '%s\n' "$tty" | grep -q "^${ESC}\[Ksolent: batch .*: $N added" && ok ||
	fail "the bar is cleared before the summary"

# --from lists count toward the total
find "$TMP/batch" -type f | sort | head -30 >"$TMP/list"
rc=0
script -qec "'$SOLENT' add --db '$TMP/db2' --from '$TMP/list' '$TMP/batch/000/0000100-'*" /dev/null >"$TMP/from.out" 2>&1 || rc=$?
expect_eq "--from on a terminal: exit status" "$rc" 0
total=$((30 + $(ls "$TMP/batch/000/0000100-"* | wc -l)))
expect_contains "--from: the list is in the total" "$(tr '\r' '\n' <"$TMP/from.out")" "/$total documents"

# --quiet on a terminal: nothing at all
rc=0
script -qec "'$SOLENT' add --db '$TMP/db3' --quiet '$TMP/batch'" /dev/null >"$TMP/quiet.out" 2>&1 || rc=$?
expect_eq "--quiet on a terminal: exit status" "$rc" 0
expect_eq "--quiet on a terminal: silent" "$(tr -d '\r\n' <"$TMP/quiet.out")" ""

# in a pipe: the summary, no bar, no escape sequences
run_rc rc "$SOLENT" add --db "$TMP/db4" "$TMP/batch"
expect_eq "in a pipe: exit status" "$rc" 0
expect_not_contains "in a pipe: no escapes" "$err" "$ESC"
expect_not_contains "in a pipe: no carriage returns" "$err" $'\r'
expect_not_contains "in a pipe: no bar" "$err" "ETA"
expect_contains "in a pipe: the summary" "$err" "$N added"

# --progress asks for the bar where there is no terminal
run_rc rc "$SOLENT" add --db "$TMP/db5" --progress "$TMP/batch"
expect_eq "--progress in a pipe: exit status" "$rc" 0
expect_contains "--progress in a pipe: the bar" "$(printf '%s' "$err" | tr '\r' '\n')" "/$N documents"

finish
