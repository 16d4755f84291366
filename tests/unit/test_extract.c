/* Unit tests for ingest/extract*.c: every date form and entity kind of
 * issue 4, the negatives (an Act's year, a reference number), bad input
 * (invalid UTF-8, pathological backtracking, 10 MB) and rule file errors. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "extract.h"
#include "check_main.h"

static ing_extractor *ex;

static void setup(void)
{
	sol_err err;
	ex = ing_extractor_new(NULL, &err);
	ck_assert_msg(ex != NULL, "embedded rules: %s", err.msg);
}

static void teardown(void)
{
	ing_extractor_free(ex);
	ex = NULL;
}

static void run(sol_record *r, const char *text)
{
	sol_err err;
	sol_record_init(r);
	r->text = strdup(text);
	r->text_len = strlen(text);
	ck_assert_int_eq(ing_extract(ex, r, &err), SOL_OK);
}

static int has_date(const sol_record *r, const char *iso)
{
	size_t i;
	for (i = 0; i < r->n_dates; i++)
		if (!strcmp(r->dates[i].iso, iso)) {
			/* offsets point at the surface text */
			ck_assert_uint_le(r->dates[i].end, r->text_len);
			ck_assert_int_eq(memcmp(r->text + r->dates[i].start, r->dates[i].text,
						r->dates[i].end - r->dates[i].start), 0);
			return 1;
		}
	return 0;
}

static int has_ent(const sol_record *r, const char *type, const char *norm)
{
	size_t i;
	for (i = 0; i < r->n_entities; i++)
		if (!strcmp(r->entities[i].type, type) && !strcmp(r->entities[i].norm, norm)) {
			ck_assert_uint_le(r->entities[i].end, r->text_len);
			ck_assert_int_eq(memcmp(r->text + r->entities[i].start, r->entities[i].text,
						r->entities[i].end - r->entities[i].start), 0);
			return 1;
		}
	return 0;
}

#define DATE_IS(text, iso)                                                        \
	do {                                                                      \
		sol_record r_;                                                    \
		run(&r_, text);                                                   \
		ck_assert_msg(has_date(&r_, iso), "%s: no date %s", text, iso);  \
		sol_record_release(&r_);                                          \
	} while (0)

#define NO_DATE(text)                                                             \
	do {                                                                      \
		sol_record r_;                                                    \
		run(&r_, text);                                                   \
		ck_assert_msg(r_.n_dates == 0, "%s: unexpected date %s", text,    \
			      r_.n_dates ? r_.dates[0].iso : "");                 \
		sol_record_release(&r_);                                          \
	} while (0)

#define ENT_IS(text, type, norm)                                                  \
	do {                                                                      \
		sol_record r_;                                                    \
		run(&r_, text);                                                   \
		ck_assert_msg(has_ent(&r_, type, norm), "%s: no %s '%s'", text,   \
			      type, norm);                                        \
		sol_record_release(&r_);                                          \
	} while (0)

#define NO_ENT(text, type, norm)                                                  \
	do {                                                                      \
		sol_record r_;                                                    \
		run(&r_, text);                                                   \
		ck_assert_msg(!has_ent(&r_, type, norm), "%s: unexpected %s '%s'", \
			      text, type, norm);                                  \
		sol_record_release(&r_);                                          \
	} while (0)

START_TEST(date_forms)
{
	DATE_IS("On 12 June 2013 the member agreed.", "2013-06-12");
	DATE_IS("On 12th June, 2013 the member agreed.", "2013-06-12");
	DATE_IS("Held on Wednesday 12 June 2013.", "2013-06-12");
	DATE_IS("Signed June 12, 2013 by all.", "2013-06-12");
	DATE_IS("effective from 1st July 2013, for five years", "2013-07-01");
	DATE_IS("Date of decision: 12/06/2013", "2013-06-12");
	DATE_IS("polc2 - 12.06.13 PDF", "2013-06-12");
	DATE_IS("as at 2013-06-12.", "2013-06-12");
	DATE_IS("inspection in November 2012, which", "2012-11");
	DATE_IS("judged good, in 2018. Since then", "2018");
	DATE_IS("Final Planning Minutes 16042026 (156Kb)", "2026-04-16");
	DATE_IS("3 Aug 2026 - 10:00", "2026-08-03");
	DATE_IS("meeting at 7:30 pm on Tuesday, 10 March 2026, 11.00 a.m.", "2026-03-10");
}
END_TEST

START_TEST(financial_years_and_ranges)
{
	sol_record r;

	DATE_IS("the 2013/14 budget", "2013");
	DATE_IS("the 2025/2026 survey", "2025");
	DATE_IS("budget_2025_26.pdf", "2025");
	run(&r, "Consultation 12-14 June 2013 closed.");
	ck_assert(has_date(&r, "2013-06-12") && has_date(&r, "2013-06-14"));
	sol_record_release(&r);
	run(&r, "open 30 September to 28 October 2025 only");
	ck_assert(has_date(&r, "2025-09-30") && has_date(&r, "2025-10-28"));
	sol_record_release(&r);
	run(&r, "from February 26 to July 16 2026.");
	ck_assert(has_date(&r, "2026-02-26") && has_date(&r, "2026-07-16"));
	sol_record_release(&r);
	/* the range lends its year backwards across the new year */
	run(&r, "Friday 28th December to Monday 11th February 2019");
	ck_assert(has_date(&r, "2018-12-28") && has_date(&r, "2019-02-11"));
	sol_record_release(&r);
}
END_TEST

START_TEST(not_dates)
{
	NO_DATE("in accordance with Children Act 2004, on behalf");
	NO_DATE("under the Local Government Act 1972.");
	NO_DATE("reference number: Strategic Partnership (4876)");
	NO_DATE("the Kingston (Traffic) Order 2022 applies");
	NO_DATE("a sum of £2013 was paid");
	NO_DATE("built 2000 homes");
	NO_DATE("during October and on 31 March");
	NO_DATE("32/13/2013 is no day");
	NO_DATE("2013/17 is no financial year");
}
END_TEST

START_TEST(orgs_and_acronyms)
{
	sol_record r;
	size_t i;
	int alias = 0;

	run(&r, "a partnership between Hampshire County Council (HCC) and Isle of Wight "
		"Council (IWC). Later HCC and IWC's staff met. The County Council agreed.");
	ck_assert(has_ent(&r, "org", "Hampshire County Council"));
	ck_assert(has_ent(&r, "org", "Isle of Wight Council"));
	for (i = 0; i < r.n_entities; i++)
		if (!strcmp(r.entities[i].text, "IWC"))
			ck_assert_str_eq(r.entities[i].norm, "Isle of Wight Council");
	for (i = 0; i < r.n_aliases; i++)
		if (!strcmp(r.aliases[i].abbrev, "HCC") &&
		    !strcmp(r.aliases[i].full, "Hampshire County Council"))
			alias = 1;
	ck_assert(alias);
	sol_record_release(&r);
	ENT_IS("FOR THE ISLE OF WIGHT COUNCIL", "org", "Isle of Wight Council");
	ENT_IS("the Department for Education expressed", "org", "Department for Education");
	ENT_IS("following an Ofsted inspection", "org", "Ofsted");
	ENT_IS("Royal Borough of Kingston upon Thames", "org",
	       "Royal Borough of Kingston upon Thames");
	ENT_IS("with Network Rail Infrastructure Limited (NRIL)", "org",
	       "Network Rail Infrastructure Limited");
	ENT_IS("the Planning Committee met", "org", "Planning Committee");
	ENT_IS("authorised by the Cabinet at its meeting", "org", "Cabinet");
	ENT_IS("Southern Health NHS Foundation Trust said", "org",
	       "Southern Health NHS Foundation Trust");
	NO_ENT("the Council agreed", "org", "Council");
	NO_ENT("the Council agreed", "org", "council");
	NO_ENT("Hampshire County Council and Isle of Wight Council", "org",
	       "Hampshire County Council and Isle of Wight Council");
}
END_TEST

/* The org at the span that starts with `surface`, or NULL. */
static const char *org_at(const sol_record *r, const char *surface)
{
	const char *at = strstr(r->text, surface);
	size_t i;

	for (i = 0; at && i < r->n_entities; i++)
		if (!strcmp(r->entities[i].type, "org") &&
		    r->entities[i].start == (size_t)(at - r->text))
			return r->entities[i].norm;
	return NULL;
}

/* "The County Council" and "the council" stand for the council the text
 * names: of that kind, the first; of no kind, only when it names one. */
START_TEST(the_council_is_the_one_named)
{
	sol_record r;

	run(&r, "Hampshire County Council said so. The County Council maintains roads.");
	ck_assert_str_eq(org_at(&r, "The County"), "Hampshire County Council");
	sol_record_release(&r);
	run(&r, "Portsmouth City Council met. The council has also agreed a plan, "
		"and the council must act.");
	ck_assert_str_eq(org_at(&r, "The council"), "Portsmouth City Council");
	ck_assert_str_eq(org_at(&r, "the council must"), "Portsmouth City Council");
	sol_record_release(&r);
	/* two councils named: which one is unsaid, so no org at all */
	run(&r, "Isle of Wight Council and Hampshire County Council met. "
		"The council agreed.");
	ck_assert_ptr_null(org_at(&r, "The council"));
	ck_assert(has_ent(&r, "org", "Isle of Wight Council"));
	sol_record_release(&r);
	/* none named: no generic "council" either */
	run(&r, "The council agreed, and the Council Tax rose.");
	ck_assert_ptr_null(org_at(&r, "The council"));
	ck_assert_ptr_null(org_at(&r, "the Council Tax"));
	sol_record_release(&r);
}
END_TEST

START_TEST(people_and_roles)
{
	sol_record r;

	ENT_IS("Leader, Councillor Rob Humby said", "person", "Rob Humby");
	ENT_IS("objection from Mr S Cowley", "person", "S Cowley");
	ENT_IS("Dr Jane Smith, Dame Judith Hay and Sir Ian Brown", "person", "Judith Hay");
	ENT_IS("COUNCILLOR MANS", "person", "Mans");
	run(&r, "Present: Councillors Noel Hadjimichael, Patrick Hall and John Sweeney.");
	ck_assert(has_ent(&r, "person", "Noel Hadjimichael"));
	ck_assert(has_ent(&r, "person", "Patrick Hall"));
	ck_assert(has_ent(&r, "person", "John Sweeney"));
	sol_record_release(&r);
	NO_ENT("the Lord Mayor opened", "person", "Mayor");
	ENT_IS("the Executive Lead Member for Childrens Services approved", "role",
	       "Executive Lead Member for Children's Services");
	ENT_IS("the Director of Children's Services and the team", "role",
	       "Director of Children's Services");
	ENT_IS("Leader of Hampshire County Council, Councillor Rob Humby", "role",
	       "Leader of Hampshire County Council");
	ENT_IS("Decision Maker: Strategic Director for Environment", "role",
	       "Strategic Director for Environment");
	ENT_IS("The Monitoring Officer advised", "role", "Monitoring Officer");
}
END_TEST

START_TEST(places_law_refs_money_contacts)
{
	ENT_IS("children on the Isle of Wight have", "place", "Isle of Wight");
	ENT_IS("land near Railway Street, Huddersfield", "place", "Huddersfield");
	ENT_IS("land near Railway Street, Huddersfield", "place", "Railway Street");
	ENT_IS("residents of Tudor ward", "place", "Tudor");
	NO_ENT("Hampshire County Council", "place", "Hampshire");
	ENT_IS("in accordance with Children Act 2004, on", "legislation", "Children Act 2004");
	ENT_IS("(4876)", "reference", "4876");
	ENT_IS("Admission of the Public ref: 13149", "reference", "13149");
	ENT_IS("see Minute 24 above", "reference", "24");
	ENT_IS("under Agenda Item No. 5a, the", "reference", "5a");
	/* a word ending in a digit is an identifier, not "Item 1" */
	NO_ENT("fn notify(item1: &impl Summary)", "reference", "1");
	ENT_IS("a sum of GBP 5m and US$ 20", "money", "5000000 GBP");
	ENT_IS("a sum of GBP 5m and US$ 20", "money", "20 USD");
	ENT_IS("costs of \xe2\x82\xac" "300 each", "money", "300 EUR");
	ENT_IS("report CAB3267 and CL 108", "reference", "CL108");
	NO_ENT("polc2 - 23.09.2015 PDF 119 KB", "reference", "PDF119");
	ENT_IS("a cost of £1.2m a year", "money", "1200000 GBP");
	ENT_IS("a grant of £250,000.", "money", "250000 GBP");
	ENT_IS("up to £1.14bn", "money", "1140000000 GBP");
	ENT_IS("a fee of £2,230.00", "money", "2230 GBP");
	ENT_IS("some £20 million", "money", "20000000 GBP");
	ENT_IS("Winchester SO23 8UJ", "postcode", "SO23 8UJ");
	ENT_IS("mail democratic.services@winchester.gov.uk now", "email",
	       "democratic.services@winchester.gov.uk");
	ENT_IS("at <http://www3.hants.gov.uk/councilmeetings.htm> by", "url",
	       "http://www3.hants.gov.uk/councilmeetings.htm");
	ENT_IS("see www.winchester.gov.uk.", "url", "www.winchester.gov.uk");
	ENT_IS("call 01962 840 222 today", "phone", "01962 840 222");
}
END_TEST

START_TEST(doc_date_from_labels)
{
	sol_record r;

	run(&r, "Publication date: 10/12/2025\n\nDate of decision: 27/07/2021");
	ck_assert_str_eq(r.date, "2025-12-10");
	sol_record_release(&r);
	run(&r, "This register of interests was published on Tuesday, 10 March 2026, 11.00 a.m.");
	ck_assert_str_eq(r.date, "2026-03-10");
	sol_record_release(&r);
	/* a report that only mentions a decision's date is undated */
	run(&r, "On the 12 June 2013, the Executive Lead Member approved it.");
	ck_assert_ptr_null(r.date);
	sol_record_release(&r);
}
END_TEST

START_TEST(invalid_utf8_and_pathological_input)
{
	sol_record r;
	sol_buf big;
	size_t i;
	clock_t t0;
	const char bad[] = "On 12 June 2013 \xff\xfe\xc3 Hampshire \xe2\x80 County Council "
			   "\xed\xa0\x80 paid \xf0\x28\x8c\x28 £5m on 1 July 2013";

	run(&r, bad);
	ck_assert(has_date(&r, "2013-06-12"));
	ck_assert(has_date(&r, "2013-07-01"));
	sol_record_release(&r);

	/* long runs that patterns could backtrack over, and 10 MB of text on
	 * one line: must finish in time proportional to the size */
	sol_buf_init(&big, 0);
	for (i = 0; big.len < 10u * 1024 * 1024; i++)
		sol_buf_adds(&big, i % 3 ? "Aaaa Bbbb Cccc Dddd Eeee Ffff of and 12 12 12 2013/ "
					 : "Mr A B C D E F G H Council Committee £1,111,111,111 ");
	sol_buf_adds(&big, " on 12 June 2013.");
	t0 = clock();
	run(&r, big.data);
	ck_assert(has_date(&r, "2013-06-12"));
	ck_assert_msg((double)(clock() - t0) / CLOCKS_PER_SEC < 30.0, "10 MB took too long");
	sol_record_release(&r);
	sol_buf_release(&big);
}
END_TEST

static size_t count_ent(const sol_record *r, const char *type, const char *norm)
{
	size_t i, n = 0;
	for (i = 0; i < r->n_entities; i++)
		n += !strcmp(r->entities[i].type, type) && !strcmp(r->entities[i].norm, norm);
	return n;
}

static size_t count_date(const sol_record *r, const char *iso)
{
	size_t i, n = 0;
	for (i = 0; i < r->n_dates; i++)
		n += !strcmp(r->dates[i].iso, iso);
	return n;
}

/* A name or date repeated past ING_MENTIONS_MAX times: the first mentions
 * are listed (in text order), the rest only counted, and the count goes
 * through the record's JSON and back; a name said fewer times, and a
 * shorter document, lose nothing. */
START_TEST(mentions_past_the_cap_are_counted_not_listed)
{
	const size_t reps = ING_MENTIONS_MAX + 700;
	sol_record r, back;
	sol_buf text, json;
	sol_err err;
	size_t i;

	sol_buf_init(&text, 0);
	for (i = 0; i < reps; i++)
		ck_assert_int_eq(sol_buf_addf(&text, "Hampshire County Council met on 12 June 2013 "
					     "(item %zu).\n", i), SOL_OK);
	ck_assert_int_eq(sol_buf_adds(&text, "Councillor Rob Humby spoke for Ryde.\n"), SOL_OK);
	run(&r, text.data);
	ck_assert_uint_eq(count_ent(&r, "org", "Hampshire County Council"), ING_MENTIONS_MAX);
	ck_assert_uint_eq(count_date(&r, "2013-06-12"), ING_MENTIONS_MAX);
	ck_assert(has_ent(&r, "person", "Rob Humby"));
	ck_assert(has_ent(&r, "place", "Ryde"));
	ck_assert_uint_eq(r.mentions_omitted, 2 * (reps - ING_MENTIONS_MAX));
	/* the first ones, in text order */
	for (i = 1; i < r.n_dates; i++)
		ck_assert_uint_lt(r.dates[i - 1].start, r.dates[i].start);
	char first_dropped[32];
	snprintf(first_dropped, sizeof first_dropped, "(item %d)", ING_MENTIONS_MAX);
	ck_assert_uint_lt(r.dates[r.n_dates - 1].start,
			  (size_t)(strstr(text.data, first_dropped) - text.data));
	ck_assert_uint_gt(r.dates[r.n_dates - 1].start,
			  (size_t)(strstr(text.data, first_dropped) - text.data) - 100);

	r.source = strdup("minutes.txt");
	sol_record_hash_text(&r);
	sol_buf_init(&json, 0);
	ck_assert_int_eq(sol_record_to_json(&r, &json, &err), SOL_OK);
	ck_assert_ptr_nonnull(strstr(json.data, "\"mentions_omitted\":1400"));
	ck_assert_int_eq(sol_record_from_json(json.data, json.len, &back, &err), SOL_OK);
	ck_assert_uint_eq(back.mentions_omitted, r.mentions_omitted);
	ck_assert_uint_eq(back.n_entities, r.n_entities);
	sol_record_release(&back);
	sol_record_release(&r);
	sol_buf_release(&json);

	/* at the cap exactly: everything listed, no count in the record */
	sol_buf_reset(&text);
	for (i = 0; i < ING_MENTIONS_MAX; i++)
		ck_assert_int_eq(sol_buf_adds(&text, "Hampshire County Council met.\n"), SOL_OK);
	run(&r, text.data);
	ck_assert_uint_eq(count_ent(&r, "org", "Hampshire County Council"), ING_MENTIONS_MAX);
	ck_assert_uint_eq(r.mentions_omitted, 0);
	r.source = strdup("short.txt");
	sol_record_hash_text(&r);
	sol_buf_init(&json, 0);
	ck_assert_int_eq(sol_record_to_json(&r, &json, &err), SOL_OK);
	ck_assert_ptr_null(strstr(json.data, "mentions_omitted"));
	sol_buf_release(&json);
	sol_record_release(&r);
	sol_buf_release(&text);
}
END_TEST

static void write_file(const char *dir, const char *name, const char *body)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(body, f);
	fclose(f);
}

START_TEST(malformed_rules_name_file_and_line)
{
	char dir[] = "/tmp/solent-rules-XXXXXX";
	sol_err err;
	ing_extractor *bad;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_file(dir, "x.rules", "# comment\ndate date (?<y>\\d{4})\ndate date (?<y>[0-9\n");
	bad = ing_extractor_new(dir, &err);
	ck_assert_ptr_null(bad);
	ck_assert_msg(strstr(err.msg, "x.rules:3") != NULL, "message: %s", err.msg);
	write_file(dir, "x.rules", "dates date \\d\n");
	bad = ing_extractor_new(dir, &err);
	ck_assert_ptr_null(bad);
	ck_assert_msg(strstr(err.msg, "x.rules:1: unknown type") != NULL, "message: %s", err.msg);
	write_file(dir, "x.rules", "\n\ndate nonsense \\d\n");
	bad = ing_extractor_new(dir, &err);
	ck_assert_ptr_null(bad);
	ck_assert_msg(strstr(err.msg, "x.rules:3: unknown normaliser") != NULL, "message: %s",
		      err.msg);
	write_file(dir, "x.rules", "date date {NOPE}\n");
	bad = ing_extractor_new(dir, &err);
	ck_assert_ptr_null(bad);
	ck_assert_msg(strstr(err.msg, "x.rules:1: unknown definition") != NULL, "message: %s",
		      err.msg);
	/* a rule's own mark would hide the one that names the rule */
	write_file(dir, "x.rules", "org text A(*MARK:x)B\n");
	bad = ing_extractor_new(dir, &err);
	ck_assert_ptr_null(bad);
	ck_assert_msg(strstr(err.msg, "x.rules:1: a rule may not set or use a mark") != NULL,
		      "message: %s", err.msg);
	/* and a good directory on disk works */
	write_file(dir, "x.rules", "define Y (?:19|20)\\d\\d\ndate date (?<![\\d])(?<y>{Y})\\b\n");
	bad = ing_extractor_new(dir, &err);
	ck_assert_msg(bad != NULL, "%s", err.msg);
	ing_extractor_free(bad);
	{
		char path[600];
		snprintf(path, sizeof path, "%s/x.rules", dir);
		unlink(path);
		rmdir(dir);
	}
}
END_TEST

START_TEST(seed_rules_dir_on_disk_matches_embedded)
{
	const char *src = getenv("SOLENT_SRC");
	char path[512];
	sol_err err;
	ing_extractor *disk;

	if (!src)
		return;
	snprintf(path, sizeof path, "%s/ingest/rules", src);
	disk = ing_extractor_new(path, &err);
	ck_assert_msg(disk != NULL, "%s", err.msg);
	ing_extractor_free(disk);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("extract");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, date_forms);
	tcase_add_test(tc, financial_years_and_ranges);
	tcase_add_test(tc, not_dates);
	tcase_add_test(tc, orgs_and_acronyms);
	tcase_add_test(tc, the_council_is_the_one_named);
	tcase_add_test(tc, people_and_roles);
	tcase_add_test(tc, places_law_refs_money_contacts);
	tcase_add_test(tc, doc_date_from_labels);
	tcase_add_test(tc, invalid_utf8_and_pathological_input);
	tcase_add_test(tc, mentions_past_the_cap_are_counted_not_listed);
	tcase_add_test(tc, malformed_rules_name_file_and_line);
	tcase_add_test(tc, seed_rules_dir_on_disk_matches_embedded);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_FORK_GETENV);
}
