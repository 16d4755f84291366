/*
 * fuzz_query - idx_search, the query path: Solent's query language (field
 * prefixes, date ranges, NEAR, wildcards, acronym synonyms, lint) over
 * Xapian's QueryParser, then ranking, snippets and facets. The index is a
 * few documents built once at start-up in a temporary directory; the input
 * is the query text. The first byte picks the sort order and the facets.
 *
 * A malformed query must come back as SOL_ERR_PARSE with a message, never
 * as an exception across the C wall or a crash.
 */
#include "index.h"
#include "fuzz_common.h"

#include <dirent.h>
#include <unistd.h>

static idx_db *db;
static char query_index_dir[] = "/tmp/solent-fuzz-query.XXXXXX";

/* A Xapian database is one flat folder of files. */
static void cleanup(void)
{
	DIR *d;
	struct dirent *de;
	char path[sizeof query_index_dir + 300];

	idx_free(db);
	if ((d = opendir(query_index_dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(path, sizeof path, "%s/%s", query_index_dir, de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(query_index_dir);
}

static const struct {
	const char *source, *title, *date, *text;
	const char *org, *person, *place;
} docs[] = {
	{ "corpus/a.html", "Home to school transport policy", "2015-07-14",
	  "Hampshire County Council (HCC) cabinet approved the home to school transport "
	  "policy on 14 July 2015. Councillor Rob Humby said children's services and "
	  "school transport would be protected. The Children Act 2004 applies.",
	  "Hampshire County Council", "Rob Humby", "Winchester" },
	{ "corpus/b.txt", "Isle of Wight Council budget 2013", "2013-02-20",
	  "The Isle of Wight Council full council met in Newport on 20 February 2013 and "
	  "set the budget: £3.4 million for road repairs, potholes and highways.",
	  "Isle of Wight Council", "Jonathan Bacon", "Newport" },
	{ "corpus/c.html", "Bembridge harbour dredging", "2016",
	  "Decision notice: dredging of Bembridge harbour. Ryde and Bembridge parish "
	  "councils were consulted. Contact democratic.services@iow.gov.uk.",
	  "Bembridge Harbour Trust", "Jane Smith", "Bembridge" },
	{ "corpus/d.txt", "Adult social care charging", NULL,
	  "Portsmouth City Council scrutiny panel: adult social care charging and "
	  "delayed discharge from hospital, NHS Hampshire and Isle of Wight ICB.",
	  "Portsmouth City Council", NULL, "Portsmouth" },
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sol_err err;
	idx_outcome outcome;
	size_t i;

	if (!mkdtemp(query_index_dir) || idx_open(query_index_dir, IDX_WRITE, &db, &err) != SOL_OK) {
		fprintf(stderr, "fuzz_query: cannot make an index in %s\n", query_index_dir);
		abort();
	}
	atexit(cleanup);
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		sol_record r;
		sol_record_init(&r);
		r.source = strdup(docs[i].source);
		r.title = strdup(docs[i].title);
		r.date = docs[i].date ? strdup(docs[i].date) : NULL;
		r.content_type = strdup(strstr(docs[i].source, ".html") ? "text/html" : "text/plain");
		r.text = strdup(docs[i].text);
		r.text_len = strlen(r.text);
		r.sha256 = strdup("0000000000000000000000000000000000000000000000000000000000000000");
		r.ingested_at = strdup("2026-01-01T00:00:00Z");
		sol_record_add_entity(&r, "org", docs[i].org, docs[i].org, 0, 0);
		if (docs[i].person)
			sol_record_add_entity(&r, "person", docs[i].person, docs[i].person, 0, 0);
		sol_record_add_entity(&r, "place", docs[i].place, docs[i].place, 0, 0);
		sol_record_add_date(&r, "2013", "2013", 0, 0);
		sol_record_add_alias(&r, "HCC", "Hampshire County Council");
		sol_record_hash_text(&r);
		if (idx_add(db, &r, "fuzz", &outcome, &err) != SOL_OK) {
			fprintf(stderr, "fuzz_query: idx_add: %s\n", err.msg);
			abort();
		}
		sol_record_release(&r);
	}
	if (idx_commit(db, &err) != SOL_OK) {
		fprintf(stderr, "fuzz_query: idx_commit: %s\n", err.msg);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const facets[] = { "org", "person", "place", "act", "year" };
	idx_query q;
	idx_results *res = NULL;
	sol_err err;
	sol_status st;
	char *text;

	if (size < 1)
		return 0;
	text = fuzz_strndup(data + 1, size - 1);
	memset(&q, 0, sizeof q);
	q.text = text;
	q.limit = 10;
	q.sort = (idx_sort)(data[0] % 3);
	q.exact_count = (data[0] >> 2) & 1;
	if ((data[0] >> 3) & 1) {
		q.facets = facets;
		q.n_facets = sizeof facets / sizeof facets[0];
		q.facet_limit = 5;
	}
	q.snippet_len = (data[0] >> 4) & 1 ? 40 : 0;
	st = idx_search(db, &q, &res, &err);
	if (st == SOL_OK)
		FUZZ_REQUIRE(res != NULL, "SOL_OK without results");
	else
		FUZZ_REQUIRE(res == NULL && err.msg[0], "failure (%s) without a message or with results",
			     sol_status_to_string(st));
	FUZZ_REQUIRE(st == SOL_OK || st == SOL_ERR_PARSE, "query '%s' gave %s: %s", text,
		     sol_status_to_string(st), err.msg);
	idx_results_free(res);
	free(text);
	return 0;
}
