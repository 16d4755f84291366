/* Unit tests for the extractor's speed mechanisms (ingest/extract_scan.c,
 * docs/rules.md): literal triggers (trigger-words, trigger-strings) and
 * the windows they open, trigger-stop and trigger-stop-lower, trigger
 * groups, regex and literal triggers in one file, no rule
 * starting inside a word, the gazetteer in the shared pass, word ends at
 * every alignment of the eight-byte letter skip, and the errors a bad
 * trigger line gives. Each test writes its own small rules directory. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract.h"
#include "check_main.h"

static char dir[64];
static const char *written[8];
static size_t n_written;

static void write_rule_file(const char *name, const char *body)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(body, f);
	fclose(f);
	if (n_written < 8)
		written[n_written++] = name;
}

static void setup(void)
{
	strcpy(dir, "/tmp/solent-trig-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	n_written = 0;
}

static void teardown(void)
{
	char path[128];
	size_t i;

	for (i = 0; i < n_written; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, written[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* An extractor over the rules written so far (must compile). */
static ing_extractor *load(void)
{
	sol_err err;
	ing_extractor *ex = ing_extractor_new(dir, &err);

	ck_assert_msg(ex != NULL, "rules: %s", err.msg);
	return ex;
}

/* The error the rules written so far give. */
static void load_fails(const char *want)
{
	sol_err err;
	ing_extractor *ex = ing_extractor_new(dir, &err);

	ck_assert_msg(ex == NULL, "rules loaded, expected: %s", want);
	ck_assert_msg(strstr(err.msg, want) != NULL, "message '%s', expected '%s'", err.msg, want);
}

/* How many entities of type with surface text found in text. */
static int count(ing_extractor *ex, const char *text, const char *type, const char *surface)
{
	sol_record r;
	sol_err err;
	size_t i;
	int n = 0;

	sol_record_init(&r);
	r.text = strdup(text);
	r.text_len = strlen(text);
	ck_assert_int_eq(ing_extract(ex, &r, &err), SOL_OK);
	for (i = 0; i < r.n_entities; i++)
		if (!strcmp(r.entities[i].type, type) && !strcmp(r.entities[i].text, surface))
			n++;
	sol_record_release(&r);
	return n;
}

START_TEST(words_open_windows_back_bytes_before)
{
	ing_extractor *ex;

	write_rule_file("t.rules", "trigger-words 10 Alpha\norg text Zed\\h+\\w+\n");
	ex = load();
	/* "Zed" starts 8 bytes before the trigger: inside the window */
	ck_assert_int_eq(count(ex, "Zed one Alpha", "org", "Zed one"), 1);
	/* far from any trigger the rule is never tried */
	ck_assert_int_eq(count(ex, "Zed one and then a long way later Alpha", "org", "Zed one"), 0);
	ck_assert_int_eq(count(ex, "Zed one", "org", "Zed one"), 0);
	/* a longer word is not the trigger word */
	ck_assert_int_eq(count(ex, "Zed one Alphabet", "org", "Zed one"), 0);
	ing_extractor_free(ex);
}
END_TEST

START_TEST(stop_characters_end_windows)
{
	ing_extractor *ex;

	write_rule_file("t.rules", "trigger-stop , ;\ntrigger-words 20 Alpha\norg text Zed\\h+\\w+\n");
	/* the same rule without trigger-stop, in a file of its own */
	write_rule_file("u.rules", "trigger-words 20 Alpha\nplace text Zed\\h+\\w+\n");
	ex = load();
	ck_assert_int_eq(count(ex, "Zed one Alpha", "org", "Zed one"), 1);
	/* a stop character or a line break between: the window starts after it */
	ck_assert_int_eq(count(ex, "Zed one, Alpha", "org", "Zed one"), 0);
	ck_assert_int_eq(count(ex, "Zed one; Alpha", "org", "Zed one"), 0);
	ck_assert_int_eq(count(ex, "Zed one\nAlpha", "org", "Zed one"), 0);
	ck_assert_int_eq(count(ex, "x, Zed one Alpha", "org", "Zed one"), 1);
	/* other files' windows are not stopped */
	ck_assert_int_eq(count(ex, "Zed one, Alpha", "place", "Zed one"), 1);
	ck_assert_int_eq(count(ex, "Zed one\nAlpha", "place", "Zed one"), 1);
	ing_extractor_free(ex);
}
END_TEST

START_TEST(lower_case_words_end_windows)
{
	ing_extractor *ex;

	/* two groups: trigger-stop-lower is the file's, said once */
	write_rule_file("t.rules", "trigger-stop-lower of\n"
				   "trigger-words 20 Alpha\n"
				   "org text (?:a\\h+)?Zed\\h+\\w+\n"
				   "trigger-words 20 Beta\n"
				   "role text Zed\\h+\\w+\n");
	/* the same rule without it, in a file of its own */
	write_rule_file("u.rules", "trigger-words 20 Alpha\nplace text Zed\\h+\\w+\n");
	/* a regex trigger's windows stop too */
	write_rule_file("v.rules", "trigger 12 Ltd\ntrigger-stop-lower\nperson text Zed\\h+\\w+\n");
	ex = load();
	/* a lower-case word after a blank: the window starts at it */
	ck_assert_int_eq(count(ex, "Zed one Alpha", "org", "Zed one"), 0);
	ck_assert_int_eq(count(ex, "Zed one Beta", "role", "Zed one"), 0);
	ck_assert_int_eq(count(ex, "Zed one Ltd", "person", "Zed one"), 0);
	ck_assert_int_eq(count(ex, "Zed one Alpha", "place", "Zed one"), 1);
	/* capitalised words, joiners (in any case) and words after other
	 * bytes than blanks do not stop it */
	ck_assert_int_eq(count(ex, "Zed One Alpha", "org", "Zed One"), 1);
	ck_assert_int_eq(count(ex, "Zed One Beta", "role", "Zed One"), 1);
	ck_assert_int_eq(count(ex, "Zed One Ltd", "person", "Zed One"), 1);
	ck_assert_int_eq(count(ex, "Zed of Alpha", "org", "Zed of"), 1);
	ck_assert_int_eq(count(ex, "Zed oF Alpha", "org", "Zed oF"), 1);
	ck_assert_int_eq(count(ex, "Zed One-two Alpha", "org", "Zed One"), 1);
	/* a rule may start with the lower-case word itself */
	ck_assert_int_eq(count(ex, "and a Zed One Alpha", "org", "a Zed One"), 1);
	/* a lower-case trigger word does not stop its own window */
	ing_extractor_free(ex);
	write_rule_file("t.rules", "trigger-stop-lower\ntrigger-words 20 alpha Omega\n"
				   "org text Zed\\h+alpha\n"
				   "legislation text Zed\\h+\\([a-z ]+\\)\\h+Omega\n");
	ex = load();
	ck_assert_int_eq(count(ex, "Zed alpha", "org", "Zed alpha"), 1);
	/* words in brackets never stop (a title's "(Miscellaneous Provisions)") */
	ck_assert_int_eq(count(ex, "Zed (one two) Omega", "legislation", "Zed (one two) Omega"), 1);
	ing_extractor_free(ex);
}
END_TEST

START_TEST(start_pattern_and_regex_trigger_stop)
{
	ing_extractor *ex;

	/* start: rules are tried only where it matches */
	write_rule_file("t.rules", "start Q|R\norg text \\w+\\h+Inc\n");
	/* a regex trigger's windows stop too */
	write_rule_file("u.rules", "trigger 12 Ltd\ntrigger-stop ;\nplace text Zed\\h+\\w+\n");
	ex = load();
	ck_assert_int_eq(count(ex, "Quux Inc", "org", "Quux Inc"), 1);
	ck_assert_int_eq(count(ex, "Rex Inc", "org", "Rex Inc"), 1);
	ck_assert_int_eq(count(ex, "Foo Inc", "org", "Foo Inc"), 0);
	ck_assert_int_eq(count(ex, "Zed one Ltd", "place", "Zed one"), 1);
	ck_assert_int_eq(count(ex, "Zed one; Ltd", "place", "Zed one"), 0);
	ck_assert_int_eq(count(ex, "Zed one\nLtd", "place", "Zed one"), 0);
	ing_extractor_free(ex);
}
END_TEST

START_TEST(word_case_hyphen_and_lists)
{
	ing_extractor *ex;

	write_rule_file("t.rules",
			"define W (?:Road|Recreation\\h+Ground|Adventures?)\n"
			"trigger-words 0 council Board Sub-Committee {W} Co-?ordinator\n"
			"org text (?i:council|board)\n"
			"org text Sub-Committee\n"
			"place text (?:Road|Recreation\\h+Ground|Adventures?|Ground)\n"
			"role text Co-?ordinator\n");
	ex = load();
	/* a word written in lower case is found in any case ... */
	ck_assert_int_eq(count(ex, "the COUNCIL met", "org", "COUNCIL"), 1);
	ck_assert_int_eq(count(ex, "the Council met", "org", "Council"), 1);
	/* ... one with capitals only as written */
	ck_assert_int_eq(count(ex, "the Board met", "org", "Board"), 1);
	ck_assert_int_eq(count(ex, "the BOARD met", "org", "BOARD"), 0);
	/* a hyphenated word triggers on its first part */
	ck_assert_int_eq(count(ex, "the Sub-Committee met", "org", "Sub-Committee"), 1);
	/* a definition that lists words; x? makes x optional; a name of
	 * several words triggers on its first word only */
	ck_assert_int_eq(count(ex, "by Mill Road", "place", "Road"), 1);
	ck_assert_int_eq(count(ex, "an Adventure", "place", "Adventure"), 1);
	ck_assert_int_eq(count(ex, "two Adventures", "place", "Adventures"), 1);
	ck_assert_int_eq(count(ex, "the Recreation Ground", "place", "Recreation Ground"), 1);
	ck_assert_int_eq(count(ex, "the Ground", "place", "Ground"), 0);
	ck_assert_int_eq(count(ex, "a Coordinator", "role", "Coordinator"), 1);
	ck_assert_int_eq(count(ex, "a Co-ordinator", "role", "Co-ordinator"), 1);
	ing_extractor_free(ex);
}
END_TEST

START_TEST(strings_and_digits_inside_words)
{
	ing_extractor *ex;

	write_rule_file("t.rules", "trigger-strings 2 @ 7 £\n"
				   "email text \\w+@\\w+\n"
				   "reference text [A-Z]+\\d+\n"
				   "money text £\\d+\n");
	ex = load();
	ck_assert_int_eq(count(ex, "mail ab@cd now", "email", "ab@cd"), 1);
	/* the match would start 6 bytes before the @: outside the window,
	 * and no rule starts inside a word */
	ck_assert_int_eq(count(ex, "mail abcdef@gh now", "email", "abcdef@gh"), 0);
	ck_assert_int_eq(count(ex, "mail abcdef@gh now", "email", "ef@gh"), 0);
	/* a string inside a word (a digit after letters) */
	ck_assert_int_eq(count(ex, "see AB712 here", "reference", "AB712"), 1);
	ck_assert_int_eq(count(ex, "see AB612 here", "reference", "AB612"), 0); /* no 7 */
	/* a multi-byte string */
	ck_assert_int_eq(count(ex, "costs £45 now", "money", "£45"), 1);
	ing_extractor_free(ex);
}
END_TEST

START_TEST(a_run_of_digits_is_one_hit)
{
	ing_extractor *ex;

	/* every digit a string: a number opens one window, from BACK before
	 * its first digit to its end; a stop digit-string is not run over */
	write_rule_file("t.rules", "trigger-strings 3 0 1 2 3 4 5 6 7 8 9\n"
				   "reference text Ab\\h\\d+\\h[a-z]+\n");
	write_rule_file("u.rules", "trigger-stop /\n"
				   "trigger-strings 3 1 2 /\n"
				   "money text Xy\\h\\d+\n");
	ex = load();
	ck_assert_int_eq(count(ex, "so Ab 2024 then", "reference", "Ab 2024 then"), 1);
	/* 5 bytes before the first digit: outside its window, and no later
	 * digit of the number reaches further back */
	ck_assert_int_eq(count(ex, "so Abc 2024 then", "reference", "Ab 2024 then"), 0);
	ck_assert_int_eq(count(ex, "Xy 12", "money", "Xy 12"), 1);
	ck_assert_int_eq(count(ex, "Xy 1212121212", "money", "Xy 1212121212"), 1);
	/* "3" is no string of u.rules: the run ends there */
	ck_assert_int_eq(count(ex, "Xy 3121", "money", "Xy 3121"), 0);
	ing_extractor_free(ex);
}
END_TEST

/* A regex trigger that can only start at a digit is tried only in the
 * digit runs the shared pass lists (when every digit is a trigger string
 * of some set): hits mid-run, at the last digits of a run, in a second run
 * and across a run's end must all still open their windows. */
START_TEST(digit_trigger_searches_digit_runs)
{
	ing_extractor *ex;

	write_rule_file("d.rules", "trigger-strings 0 0 1 2 3 4 5 6 7 8 9\n"
				   "reference text ZZ\\d\n");
	write_rule_file("y.rules", "trigger 10 (?:19|20)\\d\\d(?!\\d)|\\d/\\d\n"
				   "money text Yr\\h+\\d+(?:/\\d+)?\n");
	ex = load();
	ck_assert_int_eq(count(ex, "Yr 2013 x", "money", "Yr 2013"), 1);
	/* the year is the end of a longer run: found mid-run */
	ck_assert_int_eq(count(ex, "Yr 12013 x", "money", "Yr 12013"), 1);
	/* the first number is no hit; the second run's is */
	ck_assert_int_eq(count(ex, "Yr 77 and Yr 1999", "money", "Yr 1999"), 1);
	ck_assert_int_eq(count(ex, "Yr 77 and Yr 1999", "money", "Yr 77"), 0);
	/* a hit that runs past its digit run's end ("4/5") */
	ck_assert_int_eq(count(ex, "Yr 4/5", "money", "Yr 4/5"), 1);
	/* no digit run holds a hit: no window, no match */
	ck_assert_int_eq(count(ex, "Yr 1234", "money", "Yr 1234"), 0);
	ing_extractor_free(ex);
	/* the run's positions are passed over by their first two bytes, but
	 * a trigger that reads the byte before its start still hits where it
	 * allows: \B5 only after a letter or digit ("Yr x57"), not at "57" */
	write_rule_file("y.rules", "trigger 10 \\B5\\d\n"
				   "money text Yr\\h+\\w+\n");
	ex = load();
	ck_assert_int_eq(count(ex, "Yr x57 b", "money", "Yr x57"), 1);
	ck_assert_int_eq(count(ex, "Yr 57 b", "money", "Yr 57"), 0);
	ing_extractor_free(ex);
}
END_TEST

START_TEST(regex_and_literal_triggers_in_one_file)
{
	ing_extractor *ex;

	write_rule_file("t.rules", "trigger 0 Q\\d\n"
				   "trigger-words 0 Zap\n"
				   "org text (?:Q\\d|Zap)\n");
	ex = load();
	ck_assert_int_eq(count(ex, "Zap and Q1 then Zap and Q2 and Q3", "org", "Zap"), 2);
	ck_assert_int_eq(count(ex, "Zap and Q1 then Zap and Q2 and Q3", "org", "Q3"), 1);
	ck_assert_int_eq(count(ex, "Q1 then Zap", "org", "Q1"), 1);
	ck_assert_int_eq(count(ex, "Q1 then Zap", "org", "Zap"), 1);
	ing_extractor_free(ex);
}
END_TEST

START_TEST(no_rule_starts_inside_a_word)
{
	ing_extractor *ex;

	write_rule_file("t.rules", "org text Ward\\w*\nmoney text £\\d+\n");
	ex = load();
	ck_assert_int_eq(count(ex, "the Ward met", "org", "Ward"), 1);
	ck_assert_int_eq(count(ex, "the StWard met", "org", "Ward"), 0);
	/* after punctuation, not a letter or digit, a rule may start */
	ck_assert_int_eq(count(ex, "(Wards)", "org", "Wards"), 1);
	ck_assert_int_eq(count(ex, "x-£5", "money", "£5"), 1);
	ing_extractor_free(ex);
	/* in a window, positions no match starts at are passed over without
	 * PCRE2 (its first bytes): the other case of a caseless letter, even
	 * outside ASCII (the Kelvin sign is a 'k'), is still found */
	write_rule_file("t.rules", "trigger-strings 8 5\norg text (?i:k)x?5\nplace text [(]5\n");
	ex = load();
	ck_assert_int_eq(count(ex, "a k5 b", "org", "k5"), 1);
	ck_assert_int_eq(count(ex, "a Kx5 b", "org", "Kx5"), 1);
	ck_assert_int_eq(count(ex, "a \xe2\x84\xaax5 b", "org", "\xe2\x84\xaax5"), 1);
	ck_assert_int_eq(count(ex, "ab, (5", "place", "(5"), 1);
	ck_assert_int_eq(count(ex, "ak5", "org", "k5"), 0);
	ing_extractor_free(ex);
}
END_TEST

START_TEST(pair_table_keeps_what_context_allows)
{
	ing_extractor *ex;

	/* a window's start passes over byte pairs no match starts with; a
	 * rule that reads the byte before its start still matches where that
	 * byte allows it: \b after '_', and an Act word found twice (the pair
	 * "Ac" learnt once, then read from the table) */
	write_rule_file("t.rules", "trigger-strings 4 (\norg text \\b\\(x\\)\n"
				   "trigger-words 0 Act\nlegislation text Act\\h+\\d+\n");
	ex = load();
	ck_assert_int_eq(count(ex, "a_(x) b (x)", "org", "(x)"), 1);
	ck_assert_int_eq(count(ex, "Act 1 and Act 2, Ax (y)", "legislation", "Act 2"), 1);
	ck_assert_int_eq(count(ex, "Act 1 and Act 2, Ax (y)", "legislation", "Act 1"), 1);
	ing_extractor_free(ex);
	/* a positive look-behind must see text before the start: no table
	 * (a first byte that is not a letter, or there would be none anyway) */
	write_rule_file("t.rules", "trigger-strings 0 (\norg text (?<=@)\\(z\n");
	ex = load();
	ck_assert_int_eq(count(ex, "x @(z y (z", "org", "(z"), 1);
	ing_extractor_free(ex);
}
END_TEST

START_TEST(word_ends_at_every_alignment)
{
	ing_extractor *ex;
	char text[128];
	size_t k;

	write_rule_file("t.rules", "trigger-words 3 Board\norg text \\w+\\h+Board\n");
	write_rule_file("place.list", "Isle of Wight\nHampshire\nKing's Lynn\nStoke-on-Trent\n");
	ex = load();
	for (k = 0; k < 20; k++) {
		/* k letters of a long word before, so the trigger and the words
		 * around it fall at every offset of an eight-byte chunk */
		memset(text, 'a', k);
		strcpy(text + k, " Xy Board Abcdefghijklmnop Boardroomroomroom 9Board");
		ck_assert_msg(count(ex, text, "org", "Xy Board") == 1, "offset %zu", k);
		ck_assert_msg(count(ex, text, "org", "Abcdefghijklmnop Board") == 0,
			      "offset %zu", k);
		strcpy(text + k, " Hampshire's view of the Isle of Wight.");
		ck_assert_msg(count(ex, text, "place", "Hampshire") == 1, "offset %zu", k);
		ck_assert_msg(count(ex, text, "place", "Isle of Wight") == 1, "offset %zu", k);
		/* a first word that goes on past a hyphen or an apostrophe */
		strcpy(text + k, " from King's Lynn to Stoke-on-Trent");
		ck_assert_msg(count(ex, text, "place", "King's Lynn") == 1, "offset %zu", k);
		ck_assert_msg(count(ex, text, "place", "Stoke-on-Trent") == 1, "offset %zu", k);
	}
	/* the gazetteer wants a capitalised first word at a word start */
	ck_assert_int_eq(count(ex, "the isle of wight", "place", "isle of wight"), 0);
	ck_assert_int_eq(count(ex, "Sub-Hampshire", "place", "Hampshire"), 0);
	ing_extractor_free(ex);
}
END_TEST

START_TEST(trigger_groups_run_as_one_alternation)
{
	ing_extractor *ex;

	/* two groups, each with its own trigger words; trigger-stop is the
	 * file's, said once */
	write_rule_file("t.rules", "trigger-stop ,\n"
				   "trigger-words 0 Alpha\n"
				   "org text Alpha\\h+Beta\n"
				   "trigger-words 6 Beta\n"
				   "trigger-words 0 Alpha\n"
				   "place text Zed|Alpha|Beta\n");
	ex = load();
	/* a tie at one start goes to the rule listed first, and a match
	 * taken hides what the other group finds inside it */
	ck_assert_int_eq(count(ex, "Alpha Beta", "org", "Alpha Beta"), 1);
	ck_assert_int_eq(count(ex, "Alpha Beta", "place", "Alpha"), 0);
	ck_assert_int_eq(count(ex, "Alpha Beta", "place", "Beta"), 0);
	/* the later group still matches before and after the first's match */
	ck_assert_int_eq(count(ex, "Beta Alpha Beta Alpha", "place", "Beta"), 1);
	ck_assert_int_eq(count(ex, "Beta Alpha Beta Alpha", "org", "Alpha Beta"), 1);
	ck_assert_int_eq(count(ex, "Beta Alpha Beta Alpha", "place", "Alpha"), 1);
	/* each group runs in its own windows: Zed is 4 bytes before Beta (in
	 * the second group's window) but never near the first group's Alpha */
	ck_assert_int_eq(count(ex, "Zed Beta", "place", "Zed"), 1);
	ck_assert_int_eq(count(ex, "Zed Alpha", "place", "Zed"), 0);
	/* the file's trigger-stop holds in every group */
	ck_assert_int_eq(count(ex, "Zed, Beta", "place", "Zed"), 0);
	ing_extractor_free(ex);
}
END_TEST

START_TEST(bad_trigger_lines_name_file_and_line)
{
	write_rule_file("t.rules", "# c\ntrigger-words 5 Foo[0-9]\norg text Foo\n");
	load_fails("t.rules:2: trigger-words: '[' is not part of a word");
	write_rule_file("t.rules", "trigger-strings 5 @ www.\norg text Foo\n");
	load_fails("t.rules:1: trigger-strings: 'www.' starts with a letter");
	write_rule_file("t.rules", "\n\n\ntrigger-words x Foo\norg text Foo\n");
	load_fails("t.rules:4: trigger-words BACK must be a number");
	write_rule_file("t.rules", "trigger-words 5\norg text Foo\n");
	load_fails("t.rules:1: expected: trigger-words BACK");
	write_rule_file("t.rules", "define D (?i:foo)\ntrigger-words 5 {D}\norg text Foo\n");
	load_fails("t.rules:2: trigger-words: '?' is not part of a word");
	write_rule_file("t.rules", "trigger-words 5 {NOPE}\norg text Foo\n");
	load_fails("t.rules:1: unknown definition {NOPE}");
	write_rule_file("t.rules", "trigger-stop , a\ntrigger-words 5 Foo\norg text Foo\n");
	load_fails("t.rules:1: trigger-stop: 'a' is not ASCII punctuation");
	write_rule_file("t.rules", "trigger-stop-lower of, the\ntrigger-words 5 Foo\norg text Foo\n");
	load_fails("t.rules:1: trigger-stop-lower: ',' is not part of a word");
	write_rule_file("t.rules", "start (Q)\norg text Foo\n");
	load_fails("t.rules:1: start: no capture groups");
	write_rule_file("t.rules", "start Q\nstart R\norg text Foo\n");
	load_fails("t.rules:2: a second start line");
	write_rule_file("t.rules", "trigger-words 5 Foo\norg text Foo\ntrigger-words 5 Bar\n");
	load_fails("t.rules: trigger lines after the last rule");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("extract_triggers");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, words_open_windows_back_bytes_before);
	tcase_add_test(tc, stop_characters_end_windows);
	tcase_add_test(tc, lower_case_words_end_windows);
	tcase_add_test(tc, start_pattern_and_regex_trigger_stop);
	tcase_add_test(tc, word_case_hyphen_and_lists);
	tcase_add_test(tc, strings_and_digits_inside_words);
	tcase_add_test(tc, a_run_of_digits_is_one_hit);
	tcase_add_test(tc, digit_trigger_searches_digit_runs);
	tcase_add_test(tc, regex_and_literal_triggers_in_one_file);
	tcase_add_test(tc, no_rule_starts_inside_a_word);
	tcase_add_test(tc, pair_table_keeps_what_context_allows);
	tcase_add_test(tc, word_ends_at_every_alignment);
	tcase_add_test(tc, trigger_groups_run_as_one_alternation);
	tcase_add_test(tc, bad_trigger_lines_name_file_and_line);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_FORK_GETENV);
}
