/* Unit tests for idx_upgrade (index/upgrade.cc): an index whose documents
 * are in an older schema's form (version 2: no hit slot, no id-bucket
 * term, the hit's fields in slots of their own; version 3: the text in a
 * slot of its own) is rewritten in place into
 * exactly the documents this version writes: the same terms, positions,
 * values and stored data as if they had been added today. C++, to make the
 * version 2 documents with Xapian itself. */
#include <check.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "index.h"
#include "v2form.h"
#include "check_main.h"

static char dir[] = "/tmp/solent-test-upgrade-XXXXXX";

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	std::string cmd = std::string("rm -rf '") + dir + "'";
	ck_assert_int_eq(system(cmd.c_str()), 0);
	strcpy(dir + strlen(dir) - 6, "XXXXXX");
}

/* Document i of the test archive: dates at every precision (or none),
 * entities, and every seventh one a byte copy of the one before under
 * another source (one document, two sources). */
static void add_doc(idx_db *db, int i)
{
	static const char *dates[] = { "2013-06-12", "2014-03", "2015", NULL };
	char source[64], title[64], text[256];
	int n = i % 7 == 6 ? i - 1 : i;
	snprintf(source, sizeof source, "/archive/%03d/minutes-%d.txt", i / 10, i);
	snprintf(title, sizeof title, "Minutes %d", n);
	snprintf(text, sizeof text, "Hampshire County Council met on item %d. Councillor Jane Smith "
		 "reported on harbour dredging at Ryde and the budget for %d.", n, 2010 + n % 9);
	sol_record r;
	sol_record_init(&r);
	r.source = strdup(source);
	r.title = strdup(title);
	r.text = strdup(text);
	r.text_len = strlen(text);
	r.date = dates[n % 4] ? strdup(dates[n % 4]) : NULL;
	r.content_type = strdup("text/plain");
	ck_assert_int_eq(sol_record_add_entity(&r, "org", "Hampshire County Council",
					       "Hampshire County Council", 0, 24), SOL_OK);
	const char *person = strstr(text, "Jane Smith"), *place = strstr(text, "Ryde");
	ck_assert_int_eq(sol_record_add_entity(&r, "person", "Jane Smith", "Jane Smith",
					       (size_t)(person - text), (size_t)(person - text) + 10), SOL_OK);
	ck_assert_int_eq(sol_record_add_entity(&r, "place", "Ryde", "Ryde", (size_t)(place - text),
					       (size_t)(place - text) + 4), SOL_OK);
	sol_record_hash_text(&r);
	idx_outcome o;
	sol_err err;
	ck_assert_msg(idx_add(db, &r, i < 40 ? "b1" : "b2", &o, &err) == SOL_OK, "%s", err.msg);
	sol_record_release(&r);
}

/* A document as a string: every term with its wdf and positions, every
 * value, and the stored data. */
static std::string dump(const Xapian::Document &doc)
{
	std::string s;
	for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
		s += *t + " " + std::to_string(t.get_wdf()) + ":";
		for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
			s += " " + std::to_string(*p);
		s += "\n";
	}
	for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
		s += "value " + std::to_string(v.get_valueno()) + " " + *v + "\n";
	return s + "data " + doc.get_data() + "\n";
}

static std::map<Xapian::docid, std::string> dump_all(const char *path)
{
	Xapian::Database x(path);
	std::map<Xapian::docid, std::string> out;
	for (auto p = x.postlist_begin(""); p != x.postlist_end(""); ++p)
		out[*p] = dump(x.get_document(*p));
	return out;
}

/* What a researcher sees of a few searches, for before and after. */
static std::string searches(const char *path)
{
	static const char *queries[] = { "harbour", "budget", "org:\"Hampshire County Council\"",
					 "date:2013..2014", "place:ryde minutes", "batch:b2" };
	static const char *facets[] = { "org", "year" };
	idx_db *db;
	sol_err err;
	std::string s;
	ck_assert_int_eq(idx_open(path, IDX_READ, &db, &err), SOL_OK);
	for (const char *text : queries) {
		idx_query q;
		idx_results *res;
		memset(&q, 0, sizeof q);
		q.text = text;
		q.limit = 15;
		q.facets = facets;
		q.n_facets = 2;
		ck_assert_msg(idx_search(db, &q, &res, &err) == SOL_OK, "%s: %s", text, err.msg);
		s += std::string(text) + " " + std::to_string(res->matches_estimated) + "\n";
		for (size_t i = 0; i < res->n_hits; i++) {
			const idx_hit *h = &res->hits[i];
			s += std::string(h->id) + " " + h->title + " " + h->source + " " +
			     (h->date ? h->date : "-") + " " + std::to_string(h->percent) + " " +
			     h->snippet + "\n";
		}
		for (size_t f = 0; f < res->n_facets; f++)
			for (size_t v = 0; v < res->facets[f].n_values; v++)
				s += std::string(res->facets[f].values[v].value) + "=" +
				     std::to_string(res->facets[f].values[v].count) + "\n";
		idx_results_free(res);
	}
	idx_free(db);
	return s;
}

/* Long texts compared: on a difference both go to stderr, as Check's
 * messages are limited in length. */
static void expect_same(const std::string &got, const std::string &want, const char *what)
{
	if (got != want)
		fprintf(stderr, "%s:\nwant\n%s\ngot\n%s", what, want.c_str(), got.c_str());
	ck_assert_msg(got == want, "%s differ (above)", what);
}

/* Documents from..n-1 of the test archive (add_doc) added to the index at
 * path, committed. */
static void add_docs(const char *path, int from, int n)
{
	idx_db *db;
	sol_err err;
	ck_assert_int_eq(idx_open(path, IDX_WRITE, &db, &err), SOL_OK);
	for (int i = from; i < n; i++)
		add_doc(db, i);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	idx_free(db);
}

/* Documents 0..n-1 of the test archive, the index at dir. */
static void make_archive(int n)
{
	add_docs(dir, 0, n);
}

static unsigned long upgrade(const char *path, unsigned chunk)
{
	idx_db *db;
	sol_err err;
	unsigned long n = 0;
	ck_assert_int_eq(idx_open(path, IDX_WRITE, &db, &err), SOL_OK);
	ck_assert_msg(idx_upgrade(db, chunk, NULL, NULL, &n, &err) == SOL_OK, "%s", err.msg);
	idx_free(db);
	return n;
}

static std::string schema_of(const char *path)
{
	return Xapian::Database(path).get_metadata("solent:schema");
}

/* An archive put in the form of version (v2form.h) is searched as it was,
 * and rewritten by the upgrade into exactly the documents this version
 * writes; a run that stopped halfway leaves the rest to the next. */
static void upgrade_from(int version)
{
	const int N = 60;
	const std::string old = std::to_string(version), now = std::to_string(IDX_SCHEMA_VERSION);
	make_archive(N);
	const std::map<Xapian::docid, std::string> want = dump_all(dir);
	ck_assert_uint_eq(want.size(), N - N / 7); /* the copies are sources, not documents */
	const std::string seen = searches(dir);

	oldform(dir, version, [](Xapian::docid) { return true; });
	ck_assert(dump_all(dir) != want);
	ck_assert(schema_of(dir) == old);
	expect_same(searches(dir), seen, ("searches of the version " + old + " index").c_str());

	ck_assert_uint_eq(upgrade(dir, 7), want.size());
	ck_assert(schema_of(dir) == now);
	const std::map<Xapian::docid, std::string> got = dump_all(dir);
	for (const auto &d : want)
		expect_same(got.at(d.first), d.second, ("document " + std::to_string(d.first)).c_str());
	expect_same(searches(dir), seen, "searches after the upgrade");
	ck_assert_uint_eq(upgrade(dir, 7), 0); /* nothing left to do */

	/* a run that stopped halfway: some documents rewritten, the index
	 * still the old version; the next run rewrites the rest and only
	 * those */
	oldform(dir, version, [](Xapian::docid did) { return did % 2 == 0; });
	expect_same(searches(dir), seen, "searches of the half-upgraded index");
	unsigned long even = 0;
	for (const auto &d : want)
		even += d.first % 2 == 0;
	ck_assert_uint_eq(upgrade(dir, 0), even);
	ck_assert(dump_all(dir) == want);
	ck_assert(schema_of(dir) == now);
}

START_TEST(upgrade_rewrites_version_2_documents_as_new)
{
	upgrade_from(2);
}
END_TEST

/* Version 3 kept a hit's text in a slot of its own (schema.h) */
START_TEST(upgrade_rewrites_version_3_documents_as_new)
{
	upgrade_from(3);
}
END_TEST

/* Where a document keeps its text: in the hit slot (version 4), or in
 * slot 7 with the hit slot holding none. */
static bool text_in_hit(const Xapian::Document &doc)
{
	idx_hit_fields hit;
	size_t text_at;
	ck_assert(idx__hit_split(doc.get_value(IDX_SLOT_HIT), hit, &text_at));
	ck_assert(!doc.get_value(IDX_SLOT_TEXT).empty() == (text_at == std::string::npos));
	return text_at != std::string::npos;
}

/* Documents added to a version 3 index are written in its form, so that
 * an older Solent still reads them all (it would find no text, title or
 * source in a version 4 one); the upgrade then rewrites them with the
 * rest, into what a new index holds. */
START_TEST(a_version_3_index_gets_version_3_documents)
{
	const std::string fresh = std::string(dir) + "/fresh", old = std::string(dir) + "/old";
	add_docs(fresh.c_str(), 0, 15);
	add_docs(old.c_str(), 0, 10);
	oldform(old.c_str(), 3, [](Xapian::docid) { return true; });
	add_docs(old.c_str(), 10, 15);
	ck_assert(schema_of(old.c_str()) == "3");
	{
		Xapian::Database x(old);
		ck_assert_uint_eq(x.get_doccount(), 13);
		for (auto p = x.postlist_begin(""); p != x.postlist_end(""); ++p)
			ck_assert_msg(!text_in_hit(x.get_document(*p)), "document %u", *p);
	}
	expect_same(searches(old.c_str()), searches(fresh.c_str()), "searches of the version 3 index");
	ck_assert_uint_eq(upgrade(old.c_str(), 0), 13);
	ck_assert(schema_of(old.c_str()) == std::to_string(IDX_SCHEMA_VERSION));
	const std::map<Xapian::docid, std::string> want = dump_all(fresh.c_str());
	const std::map<Xapian::docid, std::string> got = dump_all(old.c_str());
	for (const auto &d : want)
		expect_same(got.at(d.first), d.second, ("document " + std::to_string(d.first)).c_str());
	Xapian::Database x(old);
	for (auto p = x.postlist_begin(""); p != x.postlist_end(""); ++p)
		ck_assert_msg(text_in_hit(x.get_document(*p)), "document %u", *p);
}
END_TEST

/* A document whose kept record does not read back is left as it was, the
 * others are rewritten, and the index stays version 2 (a bucket term
 * missing from one document would hide it from long rank ties). */
START_TEST(upgrade_leaves_an_unreadable_document_and_says_so)
{
	idx_db *db;
	sol_err err;
	unsigned long n = 0;
	make_archive(6);
	v2form(dir, [](Xapian::docid) { return true; });
	{
		Xapian::WritableDatabase w(dir, Xapian::DB_OPEN);
		Xapian::Document doc = w.get_document(3);
		doc.set_data("{not json");
		w.replace_document(3, doc);
		w.commit();
	}
	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	ck_assert_int_eq(idx_upgrade(db, 2, NULL, NULL, &n, &err), SOL_ERR_INPUT);
	ck_assert_uint_eq(n, 5);
	ck_assert_msg(strstr(err.msg, "1 of its documents could not be rebuilt") &&
		      strstr(err.msg, "document 3") && strstr(err.msg, "stays version 2"),
		      "%s", err.msg);
	idx_free(db);
	ck_assert(schema_of(dir) == "2");
	/* still searched, all six */
	ck_assert_int_eq(idx_open(dir, IDX_READ, &db, &err), SOL_OK);
	ck_assert_uint_eq(idx_doc_count(db), 6);
	idx_free(db);
}
END_TEST

START_TEST(upgrade_needs_a_writer)
{
	idx_db *db;
	sol_err err;
	unsigned long n = 99;
	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	add_doc(db, 0);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	ck_assert_int_eq(idx_upgrade(db, 0, NULL, NULL, &n, &err), SOL_OK); /* current */
	ck_assert_uint_eq(n, 0);
	idx_free(db);
	ck_assert_int_eq(idx_open(dir, IDX_READ, &db, &err), SOL_OK);
	ck_assert_int_eq(idx_upgrade(db, 0, NULL, NULL, &n, &err), SOL_ERR_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "opened for writing"));
	idx_free(db);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("upgrade");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, upgrade_rewrites_version_2_documents_as_new);
	tcase_add_test(tc, upgrade_rewrites_version_3_documents_as_new);
	tcase_add_test(tc, a_version_3_index_gets_version_3_documents);
	tcase_add_test(tc, upgrade_leaves_an_unreadable_document_and_says_so);
	tcase_add_test(tc, upgrade_needs_a_writer);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(suite(), CK_NOFORK);
}
