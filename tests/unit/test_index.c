/* Unit tests for index/: add, dedup, update, remove, search, schema checks,
 * through the C API only (as every other stage sees it). The order of
 * hits of equal weight is test_rank.c's. */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed.h"
#include "index.h"
#include "index_fixture.h"
#include "check_main.h"

/* A record naming organisations (NULL-terminated list of norms), each
 * found in the text as written (its offsets point at it). */
static void add_with_orgs(idx_db *db, const char *source, const char *text, const char *date,
			  const char *const *orgs)
{
	sol_record r;
	sol_err err;
	idx_outcome o;
	make_record(&r, source, NULL, text, date);
	for (size_t i = 0; orgs && orgs[i]; i++) {
		const char *at = strstr(text, orgs[i]);
		ck_assert_msg(at != NULL, "%s: '%s' not in its text", source, orgs[i]);
		size_t start = (size_t)(at - text);
		ck_assert_int_eq(sol_record_add_entity(&r, "org", orgs[i], orgs[i], start,
						       start + strlen(orgs[i])), SOL_OK);
	}
	ck_assert_msg(idx_add(db, &r, "b1", &o, &err) == SOL_OK, "%s", err.msg);
	sol_record_release(&r);
}

/* The first `limit` hits of query, every match counted when exact; the
 * caller frees them. */
static idx_results *search_n(idx_db *db, const char *query, unsigned limit, int exact)
{
	idx_query q;
	idx_results *res;
	sol_err err;
	memset(&q, 0, sizeof q);
	q.text = query;
	q.limit = limit;
	q.exact_count = exact;
	ck_assert_msg(idx_search(db, &q, &res, &err) == SOL_OK, "%s: %s", query, err.msg);
	return res;
}

static idx_results *search10(idx_db *db, const char *query)
{
	return search_n(db, query, 10, 0);
}

static unsigned long long count(idx_db *db, const char *query)
{
	idx_results *res = search10(db, query);
	unsigned long long n = res->matches_estimated;
	idx_results_free(res);
	return n;
}

START_TEST(outcomes_of_add)
{
	idx_db *db;
	sol_err err;
	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	ck_assert_int_eq(add(db, "a.txt", "Bus services", "The council cut bus services.", "2013-06-12"), IDX_ADDED);
	ck_assert_int_eq(add(db, "a.txt", "Bus services", "The council cut bus services.", "2013-06-12"), IDX_UNCHANGED);
	ck_assert_int_eq(add(db, "copy.txt", "Bus services", "The council cut bus services.", "2013-06-12"), IDX_DUPLICATE);
	ck_assert_uint_eq(idx_doc_count(db), 1);
	ck_assert_int_eq(add(db, "a.txt", "Bus services", "The council restored bus services.", NULL), IDX_UPDATED);
	/* copy.txt keeps the old text; a.txt now names the new document */
	ck_assert_uint_eq(idx_doc_count(db), 2);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	ck_assert_uint_eq(count(db, "restored"), 1);
	ck_assert_uint_eq(count(db, "cut"), 1);
	/* a hit shows the document's first source left: a.txt has gone */
	idx_results *res = search10(db, "cut");
	ck_assert_uint_eq(res->n_hits, 1);
	ck_assert_str_eq(res->hits[0].source, "copy.txt");
	ck_assert_str_eq(res->hits[0].title, "Bus services");
	ck_assert_str_eq(res->hits[0].date, "2013-06-12");
	ck_assert_str_eq(res->hits[0].content_type, "text/plain");
	idx_results_free(res);
	/* and an absent date shows as none */
	res = search10(db, "restored");
	ck_assert_str_eq(res->hits[0].source, "a.txt");
	ck_assert_ptr_null(res->hits[0].date);
	ck_assert_uint_eq(strlen(res->hits[0].id), 16);
	idx_results_free(res);
	ck_assert_int_eq(idx_remove(db, "copy.txt", &err), SOL_OK);
	ck_assert_int_eq(idx_remove(db, "nothing-here.txt", &err), SOL_ERR_NOTFOUND);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	ck_assert_uint_eq(idx_doc_count(db), 1);
	ck_assert_uint_eq(count(db, "cut"), 0);
	idx_free(db);
}
END_TEST

START_TEST(uncommitted_changes_are_dropped)
{
	idx_db *db;
	sol_err err;
	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	add(db, "a.txt", NULL, "kept words", NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	add(db, "b.txt", NULL, "lost words", NULL);
	idx_free(db); /* no commit */
	ck_assert_int_eq(idx_open(dir, IDX_READ, &db, &err), SOL_OK);
	ck_assert_uint_eq(idx_doc_count(db), 1);
	ck_assert_uint_eq(count(db, "lost"), 0);
	idx_free(db);
}
END_TEST

START_TEST(second_writer_is_locked)
{
	idx_db *a, *b = NULL;
	sol_err err;
	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &a, &err), SOL_OK);
	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &b, &err), SOL_ERR_LOCKED);
	ck_assert_ptr_null(b);
	ck_assert_ptr_nonnull(strstr(err.msg, "lock"));
	idx_free(a);
}
END_TEST

START_TEST(search_fields_and_dates)
{
	idx_db *db;
	sol_err err;
	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	add(db, "june.txt", "Potholes report", "Potholes on the A31 were repaired.", "2013-06-12");
	add(db, "july.txt", "Library opening", "A new library opened with potholes nearby.", "2013-07-02");
	add(db, "old.txt", "Budget", "The budget for 2012 was set.", "2012-02-01");
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	ck_assert_uint_eq(count(db, "pothole"), 2);            /* stemming */
	ck_assert_uint_eq(count(db, "title:potholes"), 1);
	ck_assert_uint_eq(count(db, "\"new library\""), 1);
	ck_assert_uint_eq(count(db, "\"library new\""), 0);
	ck_assert_uint_eq(count(db, "date:2013"), 2);
	ck_assert_uint_eq(count(db, "date:2013-06"), 1);
	ck_assert_uint_eq(count(db, "date:2013-06-01..2013-07-31"), 2);
	ck_assert_uint_eq(count(db, "date:2013-07..2013-07"), 1);
	ck_assert_uint_eq(count(db, "date:..2012"), 1);
	ck_assert_uint_eq(count(db, "potho*"), 2);
	/* a wildcard is one term among others: in a boolean, a field, a
	 * NOT, and matching nothing without hiding the rest of an OR */
	ck_assert_uint_eq(count(db, "potho* AND librar*"), 1);
	ck_assert_uint_eq(count(db, "potho* AND NOT repair*"), 1);
	ck_assert_uint_eq(count(db, "title:potho*"), 1);
	ck_assert_uint_eq(count(db, "zzzq* OR budget"), 1);
	ck_assert_uint_eq(count(db, "zzzq*"), 0);
	/* whole years (year terms) and other ranges (the date slot) agree,
	 * a year-only date counting as its 1 January, an undated document
	 * in no range */
	add(db, "year.txt", "Annual plan", "The annual plan.", "2013");
	add(db, "undated.txt", "Undated", "An undated note.", NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	ck_assert_uint_eq(count(db, "date:2013..2013"), 3);
	ck_assert_uint_eq(count(db, "date:2012..2013"), 4);
	ck_assert_uint_eq(count(db, "date:2012-01..2012-12"), 1);
	ck_assert_uint_eq(count(db, "date:2014.."), 0);
	ck_assert_uint_eq(count(db, "date:..2013"), 4);
	ck_assert_uint_eq(count(db, "date:1900..2100"), 4);
	ck_assert_uint_eq(count(db, "date:2013-01..2013-01"), 1); /* the slot: year.txt */
	ck_assert_uint_eq(count(db, "date:2013-01-02..2013-12-31"), 2);
	ck_assert_uint_eq(count(db, "annual date:2013.."), 1);
	idx_query q;
	idx_results *res;
	memset(&q, 0, sizeof q);
	q.text = "library";
	q.limit = 5;
	ck_assert_int_eq(idx_search(db, &q, &res, &err), SOL_OK);
	ck_assert_uint_eq(res->n_hits, 1);
	ck_assert_str_eq(res->hits[0].source, "july.txt");
	ck_assert_ptr_nonnull(strstr(res->hits[0].snippet, "\x01library\x02"));
	idx_results_free(res);
	q.text = "date:2013-13..";
	ck_assert_int_eq(idx_search(db, &q, &res, &err), SOL_ERR_PARSE);
	ck_assert_ptr_null(res);
	/* an end that is no day or month is refused, named, rather than read
	 * as some other day (from 2013-06-32 would run from 1 July) */
	static const struct {
		const char *query, *end;
	} not_dates[] = { { "date:2013-06-32..", "'2013-06-32'" }, { "date:..2013-00-10", "'2013-00-10'" },
			  { "date:2013-06-00..2013-07", "'2013-06-00'" },
			  { "date:2013-1..2013-12", "'2013-1'" } };
	for (size_t i = 0; i < sizeof not_dates / sizeof *not_dates; i++) {
		q.text = not_dates[i].query;
		ck_assert_msg(idx_search(db, &q, &res, &err) == SOL_ERR_PARSE, "%s: accepted", q.text);
		ck_assert_ptr_null(res);
		ck_assert_msg(strstr(err.msg, not_dates[i].end), "%s: %s", q.text, err.msg);
	}
	q.text = "(unbalanced AND";
	ck_assert_int_eq(idx_search(db, &q, &res, &err), SOL_ERR_PARSE);
	/* a wildcard inside NEAR or a phrase is the query's mistake, named
	 * (it was a database error, exit status 3), in either order */
	static const char *const near_wild[] = { "n* NEAR library", "library NEAR/3 n*",
						 "n* ADJ library" };
	for (size_t i = 0; i < sizeof near_wild / sizeof *near_wild; i++) {
		q.text = near_wild[i];
		ck_assert_msg(idx_search(db, &q, &res, &err) == SOL_ERR_PARSE, "%s: %s", q.text, err.msg);
		ck_assert_ptr_null(res);
		ck_assert_msg(strstr(err.msg, "wildcard"), "%s: %s", q.text, err.msg);
	}
	/* wildcards glued together are two (Xapian's parser crashed on them
	 * after a NOT), and the name their tokens use cannot be typed in */
	ck_assert_uint_eq(count(db, "budget -library -n*n*"), count(db, "budget -library -n* n*"));
	ck_assert_uint_eq(count(db, "n*n*"), count(db, "n* n*"));
	q.text = "-i -xxsolentwildcard:0xxsolentwildcard:1";
	ck_assert_int_eq(idx_search(db, &q, &res, &err), SOL_ERR_PARSE);
	idx_free(db);
}
END_TEST

/* A date:A..B end as the date key it stands for: a year or month from its
 * first day (lower end) or to its last (upper end), as docs/index-schema.md
 * says; "" is open. */
static void range_key(const char *end, int upper, char out[9])
{
	size_t n = strlen(end);
	if (n == 0)
		snprintf(out, 9, "%s", upper ? "99999999" : "00000000");
	else if (n == 4)
		snprintf(out, 9, "%.4s%s", end, upper ? "1231" : "0101");
	else if (n == 7)
		snprintf(out, 9, "%.4s%.2s%s", end, end + 5, upper ? "31" : "01");
	else
		snprintf(out, 9, "%.4s%.2s%.2s", end, end + 5, end + 8);
}

static unsigned long long exact_count(idx_db *db, const char *query)
{
	idx_results *res = search_n(db, query, 0, 1);
	unsigned long long n = res->matches_estimated;
	idx_results_free(res);
	return n;
}

/* Every date range, made of year, month and day terms (and a first day's
 * filter), holds the documents whose date key (a year or month-only date
 * counting as its first day) lies in it: checked against the keys for
 * every pair of ends, across leap days, month ends, year ends, and open
 * ends. */
START_TEST(date_ranges_hold_the_dates_in_them)
{
	static const char *dates[] = {
		"2012", "2012-02", "2012-02-29", "2012-12-31", "2013", "2013-01", "2013-01-01",
		"2013-01-02", "2013-02-28", "2013-06", "2013-06-01", "2013-06-15", "2013-06-30",
		"2013-07-01", "2013-12", "2013-12-31", "2014-01-01", "2014-02", "2014-02-28", "2015",
	};
	static const char *ends[] = {
		"", "2012", "2012-02", "2012-02-29", "2012-03-01", "2013", "2013-01", "2013-01-01",
		"2013-01-02", "2013-02", "2013-06", "2013-06-01", "2013-06-15", "2013-06-30",
		"2013-07", "2013-12", "2013-12-31", "2014", "2014-02-28", "2015", "2016",
	};
	const size_t n_dates = sizeof dates / sizeof *dates, n_ends = sizeof ends / sizeof *ends;
	char keys[sizeof dates / sizeof *dates][9];
	idx_db *db;
	sol_err err;

	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	for (size_t i = 0; i < n_dates; i++) {
		char src[32], text[64];
		snprintf(src, sizeof src, "d%zu.txt", i);
		snprintf(text, sizeof text, "A notice dated %s.", dates[i]);
		add(db, src, "Notice", text, dates[i]);
		range_key(dates[i], 0, keys[i]);
	}
	add(db, "undated.txt", "Notice", "An undated notice.", NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	for (size_t a = 0; a < n_ends; a++) {
		for (size_t b = 0; b < n_ends; b++) {
			char lo[9], hi[9], q[64];
			if (!*ends[a] && !*ends[b])
				continue;
			range_key(ends[a], 0, lo);
			range_key(ends[b], 1, hi);
			unsigned long long want = 0;
			for (size_t i = 0; i < n_dates; i++)
				want += strcmp(keys[i], lo) >= 0 && strcmp(keys[i], hi) <= 0;
			snprintf(q, sizeof q, "date:%s..%s", ends[a], ends[b]);
			ck_assert_msg(exact_count(db, q) == want, "%s: %llu documents, want %llu", q,
				      exact_count(db, q), want);
		}
	}
	/* percentages follow the words' weights, not the filter */
	idx_results *res = search10(db, "notice date:2013-06..2013-07");
	ck_assert_uint_eq(res->n_hits, 5);
	idx_results_free(res);
	idx_free(db);
}
END_TEST

/* What "did you mean" offers for query, or NULL when it offers nothing.
 * The caller frees it. */
static char *suggestion(idx_db *db, const char *query)
{
	idx_results *res = search10(db, query);
	char *s = res->corrected ? strdup(res->corrected) : NULL;
	idx_results_free(res);
	return s;
}

static void expect_suggestion(idx_db *db, const char *query, const char *want)
{
	char *got = suggestion(db, query);
	if (!want)
		ck_assert_msg(got == NULL, "%s: unexpected suggestion '%s'", query, got);
	else
		ck_assert_msg(got && strcmp(got, want) == 0, "%s: want '%s', got '%s'", query, want,
			      got ? got : "(none)");
	free(got);
}

START_TEST(did_you_mean_reads_the_vocabulary)
{
	idx_db *db;
	sol_err err;
	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	add(db, "a.txt", "Dredging", "Dredging of the harbour was approved by the council.", NULL);
	add(db, "b.txt", "Harbour", "The harbour dredging contract and the council budget.", NULL);
	add(db, "c.txt", "Hardware", "Hardware for the council offices.", NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	expect_suggestion(db, "dreging", "dredging");           /* a dropped letter */
	expect_suggestion(db, "fredging", "dredging");          /* the first letter wrong */
	expect_suggestion(db, "harbuor AND councl", "harbour AND council"); /* a swap; operators kept */
	expect_suggestion(db, "harbour", NULL);                 /* matched: nothing to suggest */
	expect_suggestion(db, "xqzvwk", NULL);                  /* nothing near */
	/* a field's value is a name, not a word to correct */
	expect_suggestion(db, "org:\"Harbuor Board\" dreging", "org:\"Harbuor Board\" dredging");
	expect_suggestion(db, "counsil", "council");            /* a wrong letter */
	idx_free(db);
}
END_TEST

/* snip without its marks and without the ellipses at its ends, in plain
 * (cap bytes); returns its length. */
static size_t unmarked(const char *snip, char *plain, size_t cap)
{
	static const char omit[] = "\xe2\x80\xa6";
	const size_t k = strlen(omit);
	size_t n = 0;
	if (strncmp(snip, omit, k) == 0)
		snip += k;
	for (; *snip && n < cap - 1; snip++)
		if (*snip != '\x01' && *snip != '\x02')
			plain[n++] = *snip;
	plain[n] = '\0';
	if (n >= k && strcmp(plain + n - k, omit) == 0)
		plain[n -= k] = '\0';
	return n;
}

/* text made anew: head, agenda items 1 to before ("Item N of the agenda
 * was noted by members. "), middle, then items on to before + after
 * (head and middle may be NULL): a long text with the words a test asks
 * for where it puts them. Returns text->data. */
static const char *agenda(sol_buf *text, const char *head, int before, const char *middle, int after)
{
	sol_buf_reset(text);
	ck_assert_int_eq(sol_buf_adds(text, head ? head : ""), SOL_OK);
	for (int i = 1; i <= before + after; i++) {
		if (i == before + 1 && middle)
			ck_assert_int_eq(sol_buf_adds(text, middle), SOL_OK);
		ck_assert_int_eq(sol_buf_addf(text, "Item %d of the agenda was noted by members. ", i), SOL_OK);
	}
	if (after == 0 && middle)
		ck_assert_int_eq(sol_buf_adds(text, middle), SOL_OK);
	return text->data;
}

/* The snippet of query's one hit (the caller frees it). */
static char *snippet_of(idx_db *db, const char *query)
{
	idx_results *res = search10(db, query);
	ck_assert_msg(res->n_hits == 1, "%s: %zu hits", query, res->n_hits);
	char *snip = strdup(res->hits[0].snippet);
	idx_results_free(res);
	return snip;
}

/* query's one hit has exactly the snippet want, or one holding part */
static void expect_snippet(idx_db *db, const char *query, const char *want, const char *part)
{
	char *snip = snippet_of(db, query);
	if (want)
		ck_assert_str_eq(snip, want);
	if (part)
		ck_assert_msg(strstr(snip, part), "%s: no '%s' in %s", query, part, snip);
	free(snip);
}

/* Does s start with prefix? */
static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Snippets of a text far longer than a snippet: the passage around the
 * match, moved back to the text's end when the match is near it, and
 * starting at a sentence; the earliest passage holding every word of
 * the query; words that stem to a query word are found ("dying" for
 * "die"); the text's opening when no word can match (a field-only
 * query). */
START_TEST(snippets_of_long_texts)
{
	idx_db *db;
	sol_err err;
	sol_buf text;
	char *snip;

	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	sol_buf_init(&text, 0);
	add(db, "long.txt", "Ledger", agenda(&text, NULL, 60, "Harbour dredging was approved. Residents "
					     "were dying to know. The meeting closed at nine.", 0), NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);

	/* the last 200 bytes, from the sentence that starts in them */
	expect_snippet(db, "dredging", "\xe2\x80\xa6Harbour \x01" "dredging\x02 was approved. "
		       "Residents were dying to know. The meeting closed at nine.", NULL);

	/* the first passage with both words, not the first mention of one */
	expect_snippet(db, "members dredging", NULL, "noted by \x01members\x02. Harbour \x01" "dredging\x02");

	add(db, "libraries.txt", "Libraries", agenda(&text, "The library and the library service were "
		"reviewed. ", 40, "Other libraries were not discussed.", 0), NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	snip = snippet_of(db, "library");
	ck_assert_msg(starts_with(snip, "The \x01library\x02 and the \x01library\x02 service"), "%s", snip);
	free(snip);

	expect_snippet(db, "die", NULL, "\x01" "dying\x02"); /* only "dying" stems to it */

	/* nothing to highlight: the opening, cut on a word */
	snip = snippet_of(db, "title:ledger");
	ck_assert_ptr_null(strchr(snip, '\x01'));
	ck_assert_msg(starts_with(snip, "Item 1 of the agenda"), "%s", snip);
	ck_assert_ptr_nonnull(strstr(snip, "by members. Item 5 of the agenda was\xe2\x80\xa6"));
	free(snip);

	sol_buf_release(&text);
	idx_free(db);
}
END_TEST

/* Which passage a snippet shows: one with more of the words asked for
 * wins over one repeating fewer, and a word is only ever a whole word of
 * the text ("port" is not the end of "Transport", however the text is
 * searched for the words' first letters). */
START_TEST(snippets_choose_the_passage)
{
	idx_db *db;
	sol_err err;
	sol_buf text;

	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	sol_buf_init(&text, 0);
	add(db, "repeats.txt", "Repeats", agenda(&text, "Library, library, library and library again. ",
						 12, "The library staff met. ", 12), NULL);
	add(db, "port.txt", "Harbour", agenda(&text, "Transport and transports were discussed. ", 12,
					      "The port was dredged. ", 12), NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);

	/* no passage has all three words: the one with two beats four of one */
	expect_snippet(db, "library OR staff OR zebra", NULL, "The \x01library\x02 \x01staff\x02 met.");
	expect_snippet(db, "port", NULL, "The \x01port\x02 was dredged.");
	/* "planning" is the phrase's word and the stemmed word's at once:
	 * the first passage has every word asked for, not only the later
	 * one that adds "plans" */
	add(db, "plans.txt", "Plans", "The planning application was read. Item 1 of the agenda was noted. "
	    "Item 2 of the agenda was noted. Item 3 of the agenda was noted. Item 4 of the agenda "
	    "was noted. Item 5 of the agenda was noted. Item 6 of the agenda was noted. The planning "
	    "application, its local text and its plans were approved.", NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	expect_snippet(db, "\"planning application\" planning", NULL,
		       "The \x01planning\x02 \x01" "application\x02 was read.");
	/* filters name no words of the text: "local" and "text" stay plain */
	expect_snippet(db, "approved site:local type:text", NULL,
		       "its local text and its plans were \x01" "approved\x02.");
	sol_buf_release(&text);
	idx_free(db);
}
END_TEST

/* The snippet of query's one hit without its marks and ellipses, as it
 * stands in text between two blanks (or the text's ends): no sum or
 * reference cut in two ("£1,346.79" read as "346.79"). */
static void expect_whole_tokens(idx_db *db, const char *query, const char *text)
{
	char *snip = snippet_of(db, query), plain[512];
	size_t n = unmarked(snip, plain, sizeof plain);
	const char *at = strstr(text, plain);
	ck_assert_msg(at && (at == text || at[-1] == ' ') && (at[n] == '\0' || at[n] == ' '),
		      "%s: a token cut: %s", query, snip);
	free(snip);
}

/* Where a snippet is cut, it is cut between blank-separated tokens: a
 * number like 1003.7 is shown whole or not at all, at either end. */
START_TEST(snippets_cut_between_tokens)
{
	idx_db *db;
	sol_err err;
	sol_buf text;

	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	sol_buf_init(&text, 0);
	ck_assert_int_eq(sol_buf_adds(&text, "The sums were"), SOL_OK);
	for (int i = 0; i < 60; i++)
		ck_assert_int_eq(sol_buf_addf(&text, " %d.%d", 1000 + i * 37, i % 10), SOL_OK);
	ck_assert_int_eq(sol_buf_adds(&text, " in the budget for the year."), SOL_OK);
	add(db, "end.txt", "End", text.data, NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	expect_whole_tokens(db, "budget", text.data);

	sol_buf_reset(&text);
	ck_assert_int_eq(sol_buf_adds(&text, "The harbour sums were then"), SOL_OK); /* 200 falls in £17,112.6 */
	for (int i = 0; i < 60; i++)
		ck_assert_int_eq(sol_buf_addf(&text, " \xc2\xa3%d,%03d.%d", 1 + i, i * 7, i % 10), SOL_OK);
	add(db, "start.txt", "Start", text.data, NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	expect_whole_tokens(db, "harbour", text.data);
	sol_buf_release(&text);
	idx_free(db);
}
END_TEST

/* A snippet marks every form of what was asked for where the text has
 * it: an entity field's words, a wildcard's expansions, a word with its
 * apostrophe (curly in the text, straight in the query), and no other
 * word sharing their first letters. Runs of blanks read as one space. */
START_TEST(snippets_mark_what_was_asked)
{
	idx_db *db;
	sol_err err;
	static const char *const orgs[] = { "Harbour Board", NULL };

	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	add_with_orgs(db, "board.txt", "Minutes of the meeting.\n\n  Members heard that the Harbour "
		      "Board had\tagreed the dredging of the channel.", NULL, orgs);
	add(db, "kids.txt", "Services", "The children\xe2\x80\x99s services budget was set. "
	    "Children and chilly rooms were not.", NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);

	expect_snippet(db, "org:\"Harbour Board\"", "Minutes of the meeting. Members heard that the "
		       "\x01Harbour\x02 \x01" "Board\x02 had agreed the dredging of the channel.", NULL);
	expect_snippet(db, "dredg*", NULL, "the \x01" "dredging\x02 of");
	expect_snippet(db, "\"children's services\"", "The \x01" "children\xe2\x80\x99s\x02 "
		       "\x01services\x02 budget was set. Children and chilly rooms were not.", NULL);
	expect_snippet(db, "children", "The \x01" "children\xe2\x80\x99s\x02 services budget "
		       "was set. \x01" "Children\x02 and chilly rooms were not.", NULL);
	idx_free(db);
}
END_TEST

/* Is s valid UTF-8? */
static int valid_utf8(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		int k = *u < 0x80 ? 0 : (*u & 0xE0) == 0xC0 ? 1 : (*u & 0xF0) == 0xE0 ? 2 :
			(*u & 0xF8) == 0xF0 ? 3 : -1;
		if (k < 0)
			return 0;
		for (u++; k > 0; k--, u++)
			if ((*u & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

/* Whatever the text, a snippet holds at most its length of it (marks and
 * ellipses aside), in whole UTF-8 characters: texts in Greek, of one
 * word longer than a snippet, of blanks, of dashes glued to the match,
 * and matches at every place. */
START_TEST(snippets_stay_within_their_length)
{
	idx_db *db;
	sol_err err;
	sol_buf text;
	idx_results *res;
	idx_query q;
	const unsigned len = 60;

	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	sol_buf_init(&text, 0);
	for (int i = 0; i < 40; i++)
		ck_assert_int_eq(sol_buf_adds(&text, "\xce\xb4\xce\xae\xce\xbc\xce\xbf\xcf\x82 "), SOL_OK);
	ck_assert_int_eq(sol_buf_adds(&text, "harbour"), SOL_OK);
	add(db, "greek.txt", "Greek", text.data, NULL);
	sol_buf_reset(&text);
	for (int i = 0; i < 300; i++)
		ck_assert_int_eq(sol_buf_adds(&text, "\xc3\xa9"), SOL_OK);
	ck_assert_int_eq(sol_buf_adds(&text, " harbour"), SOL_OK);
	add(db, "long-word.txt", "Long word", text.data, NULL);
	sol_buf_reset(&text);
	for (int i = 0; i < 50; i++)
		ck_assert_int_eq(sol_buf_addf(&text, "harbour %d \n\n\t ", i), SOL_OK);
	add(db, "every.txt", "Every", text.data, NULL);
	/* a cut inside the dashes glued to the match must not split one */
	sol_buf_reset(&text);
	for (int i = 0; i < 80; i++)
		ck_assert_int_eq(sol_buf_adds(&text, i == 40 ? "harbour" : "\xe2\x80\x94"), SOL_OK);
	add(db, "dashes.txt", "Dashes", text.data, NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);

	const char *queries[] = { "harbour", "title:greek", "title:long", "title:every", "title:dashes" };
	for (size_t k = 0; k < sizeof queries / sizeof *queries; k++) {
		memset(&q, 0, sizeof q);
		q.text = queries[k];
		q.limit = 10;
		q.snippet_len = len;
		ck_assert_int_eq(idx_search(db, &q, &res, &err), SOL_OK);
		ck_assert_uint_ge(res->n_hits, 1);
		for (size_t i = 0; i < res->n_hits; i++) {
			const char *snip = res->hits[i].snippet;
			char buf[512];
			size_t plain = unmarked(snip, buf, sizeof buf);
			ck_assert_msg(plain <= len, "%s: %zu bytes: %s", queries[k], plain, snip);
			ck_assert_msg(plain > 0, "%s: empty", queries[k]);
			ck_assert_msg(valid_utf8(snip), "%s: a character cut: %s", queries[k], snip);
			ck_assert_msg(!strstr(snip, "  ") && !strchr(snip, '\n') && !strchr(snip, '\t'),
				      "%s: blanks kept: %s", queries[k], snip);
		}
		idx_results_free(res);
	}
	sol_buf_release(&text);
	idx_free(db);
}
END_TEST

/* Does s end with the snippet's ellipsis, once (not twice)? */
static int ends_with_one_ellipsis(const char *s)
{
	static const char omit[] = "\xe2\x80\xa6";
	size_t n = strlen(s), k = strlen(omit);
	return n >= k && strcmp(s + n - k, omit) == 0 &&
	       !(n >= 2 * k && strncmp(s + n - 2 * k, omit, k) == 0);
}

/* Is snip (highlights and its ellipses at either end taken off) a part
 * of text that starts and ends on whole words? A cut word ("I" for
 * "Item") reads as a word the document does not have. */
static int snippet_of_whole_words(const char *text, const char *snip)
{
	char plain[1024];
	size_t n = unmarked(snip, plain, sizeof plain);
	const char *at = n ? strstr(text, plain) : NULL;
	return at && (at == text || !isalnum((unsigned char)at[-1])) &&
	       !isalnum((unsigned char)at[n]);
}

/* A snippet that stops before its text does ends with an ellipsis, and
 * one that starts after the text does begins with one: a researcher
 * quoting it must not take its first or last word for the document's.
 * Both ends fall on whole words. The passage is the earliest holding
 * every word asked for: "library" alone is its first mention, "library
 * staff" the sentence, later on, that has both. */
START_TEST(snippets_say_the_text_goes_on)
{
	idx_db *db;
	sol_err err;
	sol_buf text;
	idx_results *res;
	const char *snip;

	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	sol_buf_init(&text, 0);
	add(db, "board.txt", "Library board", agenda(&text, "Minutes. The library opened late. ", 8,
						     "The library board and library staff met. ", 52), NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);

	res = search10(db, "library staff");
	ck_assert_uint_eq(res->n_hits, 1);
	snip = res->hits[0].snippet;
	ck_assert_msg(starts_with(snip, "\xe2\x80\xa6The \x01library\x02 board and \x01library\x02 "
				  "\x01staff\x02 met."), "%s", snip);
	ck_assert_msg(ends_with_one_ellipsis(snip), "no ellipsis at the end: %s", snip);
	ck_assert_msg(snippet_of_whole_words(text.data, snip), "a word cut or changed: %s", snip);
	idx_results_free(res);

	res = search10(db, "library");
	ck_assert_uint_eq(res->n_hits, 1);
	snip = res->hits[0].snippet;
	ck_assert_msg(starts_with(snip, "Minutes. The \x01library\x02 opened late."), "%s", snip);
	ck_assert_msg(ends_with_one_ellipsis(snip), "not one ellipsis at the end: %s", snip);
	ck_assert_msg(snippet_of_whole_words(text.data, snip), "a word cut or changed: %s", snip);
	idx_results_free(res);

	sol_buf_release(&text);
	idx_free(db);
}
END_TEST

/* Rank ties are broken by content id, however the search is run: the
 * first search of a handle sorts by the id slot, later ones by the ids'
 * order kept in memory. Pages cut anywhere through a run of equal
 * weights give the slices of one order: weight, then id; and a hit's id,
 * date and type, kept in memory too after the first search, are those
 * its slots hold. */
/* The schema version decides what is read: a version 2 index (no id
 * buckets) is still read and searched, its long runs of equal weights
 * ordered by reading ids; an older or newer one is refused, saying why. */
START_TEST(schema_versions)
{
	static const struct {
		const char *version;
		sol_status want;
	} cases[] = { { "2", SOL_OK }, { "1", SOL_ERR_VERSION }, { "99", SOL_ERR_VERSION } };
	char path[300], text[64], source[64];
	idx_db *db;
	sol_err err;
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		snprintf(path, sizeof path, "%s/v%zu", dir, c);
		ck_assert_int_eq(idx_open(path, IDX_WRITE, &db, &err), SOL_OK);
		for (size_t i = 0; i < 100; i++) {
			snprintf(text, sizeof text, "harbour report w%04zu", i);
			snprintf(source, sizeof source, "tie-%zu.txt", i);
			add(db, source, NULL, text, NULL);
		}
		ck_assert_int_eq(idx_set_metadata(db, "solent:schema", cases[c].version, &err), SOL_OK);
		ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
		idx_free(db);
		sol_status st = idx_open(path, IDX_READ, &db, &err);
		ck_assert_msg(st == cases[c].want, "version %s: %s", cases[c].version, err.msg);
		if (st != SOL_OK) {
			ck_assert_ptr_nonnull(strstr(err.msg, "schema version"));
			ck_assert_ptr_nonnull(strstr(err.msg, cases[c].version));
			ck_assert_int_eq(idx_open(path, IDX_WRITE, &db, &err), SOL_ERR_VERSION);
			continue;
		}
		/* the 100 tied documents, in id order, read one by one */
		idx_results *all = NULL;
		idx_query q;
		memset(&q, 0, sizeof q);
		q.text = "harbour";
		q.limit = 100;
		ck_assert_int_eq(idx_search(db, &q, &all, &err), SOL_OK);
		ck_assert_uint_eq(all->n_hits, 100);
		for (size_t i = 1; i < all->n_hits; i++)
			ck_assert_int_lt(strcmp(all->hits[i - 1].id, all->hits[i].id), 0);
		idx_results_free(all);
		idx_free(db);
	}
}
END_TEST

/* Value i of facet f is value, counted count times. */
static void expect_value(const idx_facet *f, size_t i, const char *value, unsigned long count)
{
	ck_assert_uint_lt(i, f->n_values);
	ck_assert_msg(strcmp(f->values[i].value, value) == 0 && f->values[i].count == count,
		      "%s value %zu: %s %lu, want %s %lu", f->name, i, f->values[i].value,
		      f->values[i].count, value, count);
}

/* A facet lists its values most frequent first, then by name, counted
 * over every matching document and only those: the order a researcher
 * reads as "who is named most", the same whatever order the counts were
 * gathered in; with a limit, the first of that order. Documents that do
 * not match name organisations too (a spy reading the slot past the
 * document it was handed would count them), and matching ones without
 * any are left out of every count. */
START_TEST(facets_by_count_then_name)
{
	static const char *const board[] = { "Harbour Board", NULL };
	static const char *const board_parish[] = { "Harbour Board", "Parish Council", NULL };
	static const char *const agency_board[] = { "Environment Agency", "Harbour Board", NULL };
	static const char *const parish_agency[] = { "Parish Council", "Environment Agency", NULL };
	static const char *const natural[] = { "Natural England", NULL };
	static const char *const others[] = { "Natural England", "Parish Council", NULL };
	const char *facets[] = { "org", "year" };
	idx_db *db;
	sol_err err;
	idx_query q;
	idx_results *res;

	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	add_with_orgs(db, "m1.txt", "Dredging: the Harbour Board asked for a licence.", "2013-06-12",
		      board);
	add_with_orgs(db, "other1.txt", "Parish Council and Natural England on hedgerows.",
		      "2013-06-20", others);
	add_with_orgs(db, "m2.txt", "Dredging: the Harbour Board and the Parish Council agreed.",
		      "2013-07-02", board_parish);
	add_with_orgs(db, "m3.txt", "Dredging: the Environment Agency wrote to the Harbour Board.",
		      "2014-01-15", agency_board);
	add(db, "m4.txt", NULL, "Dredging was not discussed by anyone named.", NULL);
	add_with_orgs(db, "other2.txt", "Natural England reported on the saltmarsh.", "2012-05-05",
		      natural);
	add_with_orgs(db, "m5.txt", "Dredging: the Parish Council thanked the Environment Agency.",
		      "2012-11-30", parish_agency);
	add_with_orgs(db, "m6.txt", "Dredging survey by Natural England.", "2014-09-09", natural);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);

	/* Harbour Board 3; Environment Agency and Parish Council 2 each
	 * (by name); Natural England 1 (other1 and other2 do not match) */
	memset(&q, 0, sizeof q);
	q.text = "dredging";
	q.limit = 1;
	q.facets = facets;
	q.n_facets = 2;
	ck_assert_int_eq(idx_search(db, &q, &res, &err), SOL_OK);
	ck_assert_uint_eq(res->n_facets, 2);
	const idx_facet *org = &res->facets[0];
	ck_assert_str_eq(org->name, "org");
	ck_assert_uint_eq(org->n_values, 4);
	static const struct {
		const char *value;
		unsigned long count;
	} want[] = { { "Harbour Board", 3 }, { "Environment Agency", 2 },
		     { "Parish Council", 2 }, { "Natural England", 1 } };
	for (size_t i = 0; i < 4; i++)
		expect_value(org, i, want[i].value, want[i].count);
	/* years: 2013 and 2014 twice each (m4 is undated), then 2012 */
	const idx_facet *year = &res->facets[1];
	ck_assert_uint_eq(year->n_values, 3);
	expect_value(year, 0, "2013", 2);
	expect_value(year, 1, "2014", 2);
	expect_value(year, 2, "2012", 1);
	idx_results_free(res);

	/* a limit keeps the first of the same order, a tie cut by name */
	q.facet_limit = 2;
	ck_assert_int_eq(idx_search(db, &q, &res, &err), SOL_OK);
	ck_assert_uint_eq(res->facets[0].n_values, 2);
	expect_value(&res->facets[0], 0, "Harbour Board", 3);
	expect_value(&res->facets[0], 1, "Environment Agency", 2);
	ck_assert_uint_eq(res->facets[1].n_values, 2);
	expect_value(&res->facets[1], 1, "2014", 2);
	idx_results_free(res);
	idx_free(db);
}
END_TEST

/* Facet counts where documents name the same organisations together (a
 * joined value seen before is counted through the counters it gave last
 * time) and where most do not (past 256 new joined values the counter
 * stops remembering them): every name counted once per matching
 * document, before, at and after the switch. Minutes of a harbour
 * board: twenty name the board with the parish council, then three
 * hundred the board with one ward committee each, then ten more the
 * board and the council again. */
START_TEST(facet_counts_of_names_named_together)
{
	static const char *const pair[] = { "Harbour Board", "Parish Council", NULL };
	const char *facets[] = { "org" };
	idx_db *db;
	sol_err err;
	char text[160], source[64], ward[48];
	idx_query q;
	idx_results *res;

	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	for (int i = 0; i < 330; i++) {
		snprintf(source, sizeof source, "minutes-%d.txt", i);
		if (i < 20 || i >= 320) {
			snprintf(text, sizeof text,
				 "Minutes %d: the Harbour Board met the Parish Council.", i);
			add_with_orgs(db, source, text, NULL, pair);
		} else {
			snprintf(ward, sizeof ward, "Ward %d Committee", i);
			snprintf(text, sizeof text, "Minutes %d: the Harbour Board met the %s.", i, ward);
			const char *const orgs[] = { "Harbour Board", ward, NULL };
			add_with_orgs(db, source, text, NULL, orgs);
		}
	}
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);

	memset(&q, 0, sizeof q);
	q.text = "minutes";
	q.limit = 1;
	q.facets = facets;
	q.n_facets = 1;
	q.facet_limit = 1000;
	ck_assert_int_eq(idx_search(db, &q, &res, &err), SOL_OK);
	const idx_facet *org = &res->facets[0];
	ck_assert_uint_eq(org->n_values, 302);
	expect_value(org, 0, "Harbour Board", 330);
	expect_value(org, 1, "Parish Council", 30);
	for (size_t i = 2; i < org->n_values; i++) {
		ck_assert_msg(org->values[i].count == 1, "%s: %lu", org->values[i].value,
			      org->values[i].count);
		/* the ward committees, tied at one, by name */
		ck_assert_int_lt(strcmp(org->values[i - 1].value, org->values[i].value), 0);
	}
	idx_results_free(res);
	idx_free(db);
}
END_TEST

/* The count of value in facet f (0 when it is not listed). */
static unsigned long facet_count(const idx_facet *f, const char *value)
{
	for (size_t i = 0; i < f->n_values; i++)
		if (strcmp(f->values[i].value, value) == 0)
			return f->values[i].count;
	return 0;
}

/* The facets of query, limit values each; the caller frees them. */
static idx_results *facet_search(idx_db *db, const char *query, const char *const *facets,
				 size_t n, unsigned limit)
{
	idx_query q;
	idx_results *res;
	sol_err err;
	memset(&q, 0, sizeof q);
	q.text = query;
	q.limit = 1;
	q.facets = facets;
	q.n_facets = n;
	q.facet_limit = limit;
	ck_assert_msg(idx_search(db, &q, &res, &err) == SOL_OK, "%s: %s", query, err.msg);
	ck_assert_uint_eq(res->n_facets, n);
	return res;
}

/* A facet is counted from its names' terms where the matches outnumber
 * its names, and from each match's slot where they are few (facet.h):
 * the same counts either way. 120 dredging reports name the harbour
 * board, every second the parish council, every third the environment
 * agency and each one of six ward committees, twenty a committee; 60
 * hedgerow surveys name the board and Natural England (ten the fifth
 * committee too), and are dated 2020. The board's term is in 180
 * documents but counts 120; Natural England's counts none; with a limit
 * of 3 the committees are never read (none can pass the agency's 40);
 * with 4 they tie at 20, and the first by name is shown, although the
 * fifth, in more documents, is read first. Years come from date terms at three
 * precisions (D2011, D2011-03, D2011-03-07), of which only the year
 * counts. Two reports alone are counted by slot. The matches are the
 * same, and counted alike, whether a match of their own found them (a
 * query by relevance without positions) or the match of the page did. */
START_TEST(facets_by_term_and_by_slot)
{
	const char *facets[] = { "org", "year" };
	idx_db *db;
	sol_err err;
	char text[200], source[64], date[16], ward[32], item[16];
	idx_results *res;

	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	for (int i = 0; i < 120; i++) {
		const char *orgs[5] = { "Harbour Board", ward, NULL, NULL, NULL };
		size_t n = 2;
		snprintf(ward, sizeof ward, "Ward %d Committee", i % 6);
		snprintf(item, sizeof item, "item%d", i);
		snprintf(text, sizeof text,
			 "Dredging report %s: the Harbour Board, %s, Parish Council, Environment "
			 "Agency.", item, ward);
		if (i % 2 == 0)
			orgs[n++] = "Parish Council";
		if (i % 3 == 0)
			orgs[n++] = "Environment Agency";
		snprintf(source, sizeof source, "dredging-%d.txt", i);
		snprintf(date, sizeof date, "%d-%02d-%02d", 2011 + i % 4, 1 + i % 12, 1 + i % 28);
		add_with_orgs(db, source, text, date, orgs);
	}
	for (int i = 0; i < 60; i++) {
		/* the first ten for the fifth committee too */
		static const char *const orgs[] = { "Harbour Board", "Natural England",
						    "Ward 5 Committee", NULL };
		snprintf(source, sizeof source, "hedgerow-%d.txt", i);
		snprintf(text, sizeof text, "Hedgerow survey by the Harbour Board and Natural England%s.",
			 i < 10 ? " for the Ward 5 Committee" : "");
		const char *const these[] = { orgs[0], orgs[1], i < 10 ? orgs[2] : NULL, NULL };
		add_with_orgs(db, source, text, "2020-05-01", these);
	}
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);

	res = facet_search(db, "dredging", facets, 2, 10);
	const idx_facet *org = &res->facets[0], *year = &res->facets[1];
	ck_assert_uint_eq(org->n_values, 9);
	expect_value(org, 0, "Harbour Board", 120);
	expect_value(org, 1, "Parish Council", 60);
	expect_value(org, 2, "Environment Agency", 40);
	for (int k = 0; k < 6; k++) {
		snprintf(ward, sizeof ward, "Ward %d Committee", k);
		expect_value(org, 3 + (size_t)k, ward, 20);
	}
	ck_assert_uint_eq(facet_count(org, "Natural England"), 0);
	ck_assert_uint_eq(year->n_values, 4);
	for (int y = 0; y < 4; y++) {
		snprintf(date, sizeof date, "%d", 2011 + y);
		expect_value(year, (size_t)y, date, 30);
	}
	ck_assert_uint_eq(res->matches_estimated, 120);
	idx_results_free(res);

	/* the same counts from a phrase's match (one match for the page and
	 * the facets, as positions are not checked twice) and from one
	 * sorted by date */
	for (int k = 0; k < 2; k++) {
		idx_query q;
		memset(&q, 0, sizeof q);
		q.text = k ? "dredging" : "\"dredging report\"";
		q.sort = k ? IDX_SORT_DATE_DESC : IDX_SORT_RELEVANCE;
		q.limit = 1;
		q.facets = facets;
		q.n_facets = 2;
		ck_assert_msg(idx_search(db, &q, &res, &err) == SOL_OK, "%s", err.msg);
		ck_assert_uint_eq(res->matches_estimated, 120);
		ck_assert_uint_eq(facet_count(&res->facets[0], "Harbour Board"), 120);
		ck_assert_uint_eq(facet_count(&res->facets[0], "Ward 5 Committee"), 20);
		ck_assert_uint_eq(facet_count(&res->facets[1], "2012"), 30);
		idx_results_free(res);
	}

	res = facet_search(db, "dredging", facets, 1, 3);
	ck_assert_uint_eq(res->facets[0].n_values, 3);
	expect_value(&res->facets[0], 2, "Environment Agency", 40);
	idx_results_free(res);

	res = facet_search(db, "dredging", facets, 1, 4);
	ck_assert_uint_eq(res->facets[0].n_values, 4);
	expect_value(&res->facets[0], 3, "Ward 0 Committee", 20);
	idx_results_free(res);

	/* item0 and item6: both ward 0, dated 2011 and 2013 */
	res = facet_search(db, "item0 OR item6", facets, 2, 10);
	org = &res->facets[0];
	year = &res->facets[1];
	ck_assert_uint_eq(org->n_values, 4);
	ck_assert_uint_eq(facet_count(org, "Harbour Board"), 2);
	ck_assert_uint_eq(facet_count(org, "Parish Council"), 2);
	ck_assert_uint_eq(facet_count(org, "Environment Agency"), 2);
	ck_assert_uint_eq(facet_count(org, "Ward 0 Committee"), 2);
	ck_assert_uint_eq(year->n_values, 2);
	ck_assert_uint_eq(facet_count(year, "2011"), 1);
	ck_assert_uint_eq(facet_count(year, "2013"), 1);
	idx_results_free(res);
	idx_free(db);
}
END_TEST

/* The exact filters a researcher narrows a search with: id: (the content
 * id a hit shows), source: (any of a document's sources, its later
 * copies too) and batch: (the batch that added the document, not one
 * that only found a copy of it), alone and with words. */
START_TEST(exact_filters_id_source_batch)
{
	idx_db *db;
	sol_err err;
	sol_record r;
	idx_outcome o;
	idx_results *res;
	char q[128], cut_id[32];

	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	add(db, "minutes/2013-06.txt", "June", "The council cut bus services.", "2013-06-12");
	add(db, "minutes/2013-07.txt", "July", "The council kept the ferry.", "2013-07-10");
	/* a second batch: one new document, one copy of June's */
	make_record(&r, "minutes/2013-08.txt", "August", "The council restored bus services.", NULL);
	ck_assert_int_eq(idx_add(db, &r, "b2", &o, &err), SOL_OK);
	ck_assert_int_eq(o, IDX_ADDED);
	sol_record_release(&r);
	make_record(&r, "mirror/june.txt", "June", "The council cut bus services.", "2013-06-12");
	ck_assert_int_eq(idx_add(db, &r, "b2", &o, &err), SOL_OK);
	ck_assert_int_eq(o, IDX_DUPLICATE);
	sol_record_release(&r);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);

	res = search10(db, "cut");
	ck_assert_uint_eq(res->n_hits, 1);
	snprintf(cut_id, sizeof cut_id, "%s", res->hits[0].id);
	idx_results_free(res);

	snprintf(q, sizeof q, "id:%s", cut_id);
	res = search10(db, q);
	ck_assert_uint_eq(res->n_hits, 1);
	ck_assert_str_eq(res->hits[0].source, "minutes/2013-06.txt");
	idx_results_free(res);
	snprintf(q, sizeof q, "council id:%s", cut_id);
	ck_assert_uint_eq(count(db, q), 1);
	snprintf(q, sizeof q, "ferry id:%s", cut_id);
	ck_assert_uint_eq(count(db, q), 0);

	ck_assert_uint_eq(count(db, "source:minutes/2013-07.txt"), 1);
	ck_assert_uint_eq(count(db, "council source:minutes/2013-08.txt"), 1);
	ck_assert_uint_eq(count(db, "ferry source:minutes/2013-08.txt"), 0);
	/* the copy's source finds the document it was a copy of */
	res = search10(db, "source:mirror/june.txt");
	ck_assert_uint_eq(res->n_hits, 1);
	ck_assert_str_eq(res->hits[0].id, cut_id);
	idx_results_free(res);

	ck_assert_uint_eq(count(db, "batch:b1"), 2);
	res = search10(db, "batch:b2");
	ck_assert_uint_eq(res->n_hits, 1);
	ck_assert_str_eq(res->hits[0].source, "minutes/2013-08.txt");
	idx_results_free(res);
	ck_assert_uint_eq(count(db, "bus batch:b1"), 1);
	ck_assert_uint_eq(count(db, "batch:b3"), 0);
	idx_free(db);
}
END_TEST

START_TEST(long_sources_are_hashed)
{
	idx_db *db;
	sol_err err;
	char src[1200];
	memset(src, 'a', sizeof src - 1);
	src[sizeof src - 1] = '\0';
	memcpy(src, "https://", 8);
	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	ck_assert_int_eq(add(db, src, NULL, "long url", NULL), IDX_ADDED);
	src[600] = 'b';
	ck_assert_int_eq(add(db, src, NULL, "other long url", NULL), IDX_ADDED);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	ck_assert_uint_eq(idx_doc_count(db), 2);
	idx_free(db);
}
END_TEST

/* One record as a JSON line, written to f. */
static void write_record(FILE *f, const char *source, const char *text)
{
	sol_record r;
	sol_buf b;
	sol_err err;
	make_record(&r, source, NULL, text, NULL);
	sol_buf_init(&b, 0);
	ck_assert_int_eq(sol_record_to_json(&r, &b, &err), SOL_OK);
	fwrite(b.data, 1, b.len, f);
	fputc('\n', f);
	sol_buf_release(&b);
	sol_record_release(&r);
}

START_TEST(feed_prepares_in_order)
{
	FILE *f = tmpfile();
	ck_assert_ptr_nonnull(f);
	write_record(f, "one.txt", "The first document.");
	fputs("{not json\n\n", f);                    /* line 2 bad, line 3 blank */
	fputs("{\"version\":1,\"source\":\"gone.html\",\"error\":\"404\"}\n", f);
	write_record(f, "two.txt", "The second document.");
	rewind(f);

	idx_feed *feed;
	sol_err err;
	ck_assert_int_eq(idx_feed_start(f, "b1", 0, 1, &feed, &err), SOL_OK);
	idx_feed_item *it = idx_feed_next(feed);
	ck_assert(it && it->parsed && it->lineno == 1 && it->prepared);
	ck_assert_str_eq(it->rec.source, "one.txt");
	idx_feed_item_free(it);
	it = idx_feed_next(feed);
	ck_assert(it && !it->parsed && it->lineno == 2 && !it->prepared);
	ck_assert(strlen(it->err.msg) > 0);
	idx_feed_item_free(it);
	it = idx_feed_next(feed);                      /* the blank line was skipped */
	ck_assert(it && it->parsed && it->lineno == 4 && it->rec.error && !it->prepared);
	idx_feed_item_free(it);
	it = idx_feed_next(feed);
	ck_assert(it && it->lineno == 5 && it->prepared);
	idx_db *db;
	idx_outcome o;
	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	ck_assert_int_eq(idx_add_prepared(db, &it->rec, it->prepared, "b1", &o, &err), SOL_OK);
	ck_assert_int_eq(o, IDX_ADDED);
	ck_assert_int_eq(idx_add_prepared(db, &it->rec, it->prepared, "b1", &o, &err), SOL_OK);
	ck_assert_int_eq(o, IDX_UNCHANGED);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	ck_assert_uint_eq(count(db, "second"), 1);
	idx_feed_item_free(it);
	ck_assert_ptr_null(idx_feed_next(feed));
	ck_assert_ptr_null(idx_feed_next(feed));      /* and stays at the end */
	ck_assert_ptr_null(idx_feed_error(feed));
	idx_feed_free(feed);
	idx_free(db);
	fclose(f);
}
END_TEST

/* Items handed back with idx_feed_done are freed by the reader, or by
 * idx_feed_free, whatever the timing: a long stream handed back item by
 * item, then a second feed stopped with items handed back and not yet
 * freed. The sanitizer build's leak check is what fails here. */
START_TEST(feed_frees_items_handed_back)
{
	FILE *f = tmpfile();
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 300; i++)
		write_record(f, i % 2 ? "odd.txt" : "even.txt", "A document handed back.");
	for (int round = 0; round < 2; round++) {
		idx_feed *feed;
		idx_feed_item *it;
		sol_err err;
		unsigned long seen = 0;
		rewind(f);
		ck_assert_int_eq(idx_feed_start(f, "b1", 0, 1, &feed, &err), SOL_OK);
		while ((it = idx_feed_next(feed))) {
			ck_assert_uint_eq(it->lineno, ++seen);
			ck_assert(it->parsed && it->prepared);
			idx_feed_done(feed, it);
			if (round == 1 && seen == 40)
				break;
		}
		ck_assert_uint_eq(seen, round ? 40 : 300);
		idx_feed_done(feed, NULL); /* accepted */
		idx_feed_free(feed);
	}
	fclose(f);
}
END_TEST

/* A writer that stops early must not wait for input that may never come:
 * the reader is stopped whether it waits for room in the queue (n larger
 * than the queue) or for the next line of a pipe nobody closes. */
static void stop_early(int n)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	FILE *w = fdopen(fds[1], "w"), *r = fdopen(fds[0], "r");
	ck_assert(w && r);
	for (int i = 0; i < n; i++) {
		char src[32];
		snprintf(src, sizeof src, "doc%d.txt", i);
		write_record(w, src, "Words of a document.");
	}
	fflush(w);
	idx_feed *feed;
	sol_err err;
	ck_assert_int_eq(idx_feed_start(r, NULL, 0, 1, &feed, &err), SOL_OK);
	idx_feed_item *it = idx_feed_next(feed);
	ck_assert(it && it->prepared);
	idx_feed_item_free(it);
	usleep(50 * 1000); /* let the reader get to where it waits */
	idx_feed_free(feed); /* returns although the write end is open */
	fclose(w);
	fclose(r);
}

START_TEST(feed_stops_while_waiting)
{
	stop_early(40);
	stop_early(2);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("index");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, outcomes_of_add);
	tcase_add_test(tc, uncommitted_changes_are_dropped);
	tcase_add_test(tc, second_writer_is_locked);
	tcase_add_test(tc, search_fields_and_dates);
	tcase_add_test(tc, exact_filters_id_source_batch);
	tcase_add_test(tc, date_ranges_hold_the_dates_in_them);
	tcase_add_test(tc, long_sources_are_hashed);
	tcase_add_test(tc, facets_by_count_then_name);
	tcase_add_test(tc, facet_counts_of_names_named_together);
	tcase_add_test(tc, facets_by_term_and_by_slot);
	tcase_add_test(tc, did_you_mean_reads_the_vocabulary);
	tcase_add_test(tc, snippets_of_long_texts);
	tcase_add_test(tc, snippets_say_the_text_goes_on);
	tcase_add_test(tc, snippets_choose_the_passage);
	tcase_add_test(tc, snippets_cut_between_tokens);
	tcase_add_test(tc, snippets_mark_what_was_asked);
	tcase_add_test(tc, snippets_stay_within_their_length);
	tcase_add_test(tc, schema_versions);
	tcase_add_test(tc, feed_prepares_in_order);
	tcase_add_test(tc, feed_frees_items_handed_back);
	tcase_add_test(tc, feed_stops_while_waiting);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	/* one process: the lock test needs both handles in it */
	return run_suite(suite(), CK_NOFORK);
}
