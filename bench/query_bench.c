/*
 * query_bench.c - time Solent's query path as a server would run it: open
 * the index once, then run each query of a file through idx_search (top 10
 * hits with snippets, the facets the query asks for), several times.
 *
 * QUERIES is tab-separated, one query a line: KIND, QUERY, FACETS (comma-
 * separated names or '-'); lines starting '#' are skipped. One warm-up pass
 * is not timed. Prints one line a query: KIND, matches (estimated), then
 * WALL/CPU milliseconds of each timed run, tab-separated.
 *
 * usage: query_bench --db DIR [--repeat N] [--limit N] QUERIES
 */
#include "index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define MAX_QUERIES 4096
#define MAX_FACETS 8

typedef struct bench_query {
	char *kind, *text;
	const char *facets[MAX_FACETS];
	size_t n_facets;
	char *facet_buf;
} bench_query;

/* Wall time is what a user waits; the thread's CPU time is what the query
 * costs, and stays meaningful when other work shares the cores. */
static int run_one(idx_db *db, const bench_query *bq, unsigned limit, double *ms,
		   double *cpu_ms, unsigned long long *matches)
{
	idx_query q;
	idx_results *res = NULL;
	sol_err err;
	double t0, c0;

	memset(&q, 0, sizeof q);
	q.text = bq->text;
	q.limit = limit;
	/* a page of none counts every match, as solent search --count does:
	 * asked for no hits and no count, Xapian does not match at all */
	q.exact_count = limit == 0;
	q.facets = bq->n_facets ? bq->facets : NULL;
	q.n_facets = bq->n_facets;
	q.facet_limit = 10;
	t0 = clock_s(CLOCK_MONOTONIC);
	c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	if (idx_search(db, &q, &res, &err) != SOL_OK) {
		fprintf(stderr, "query_bench: %s: %s\n", bq->text, err.msg);
		return -1;
	}
	*ms = (clock_s(CLOCK_MONOTONIC) - t0) * 1000.0;
	*cpu_ms = (clock_s(CLOCK_THREAD_CPUTIME_ID) - c0) * 1000.0;
	*matches = res->matches_estimated;
	idx_results_free(res);
	return 0;
}

int main(int argc, char **argv)
{
	const char *db_path = NULL, *file = NULL;
	unsigned repeat = 5, limit = 10, r;
	static bench_query qs[MAX_QUERIES];
	size_t n = 0, k;
	char line[2048];
	idx_db *db;
	sol_err err;
	FILE *in;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db_path = argv[++i];
		else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			repeat = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--limit") && i + 1 < argc)
			limit = (unsigned)atoi(argv[++i]);
		else
			file = argv[i];
	}
	if (!db_path || !file) {
		fprintf(stderr, "usage: query_bench --db DIR [--repeat N] [--limit N] QUERIES\n");
		return 2;
	}
	in = fopen(file, "r");
	if (!in) {
		perror(file);
		return 2;
	}
	while (n < MAX_QUERIES && fgets(line, sizeof line, in)) {
		char *kind, *text, *facets, *f;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		kind = line;
		text = strchr(kind, '\t');
		if (!text)
			continue;
		*text++ = '\0';
		facets = strchr(text, '\t');
		if (facets)
			*facets++ = '\0';
		qs[n].kind = strdup(kind);
		qs[n].text = strdup(text);
		qs[n].facet_buf = facets && strcmp(facets, "-") ? strdup(facets) : NULL;
		for (f = qs[n].facet_buf; f && *f && qs[n].n_facets < MAX_FACETS;) {
			char *comma = strchr(f, ',');
			if (comma)
				*comma++ = '\0';
			qs[n].facets[qs[n].n_facets++] = f;
			f = comma;
		}
		n++;
	}
	fclose(in);
	if (idx_open(db_path, IDX_READ, &db, &err) != SOL_OK) {
		fprintf(stderr, "query_bench: %s\n", err.msg);
		return 3;
	}
	for (k = 0; k < n; k++) {
		double ms, cpu_ms;
		unsigned long long matches;
		run_one(db, &qs[k], limit, &ms, &cpu_ms, &matches);   /* warm-up */
	}
	for (k = 0; k < n; k++) {
		double ms, cpu_ms;
		unsigned long long matches = 0;

		printf("%s", qs[k].kind);
		for (r = 0; r < repeat; r++) {
			if (run_one(db, &qs[k], limit, &ms, &cpu_ms, &matches) != 0)
				break;
			if (r == 0)
				printf("\t%llu", matches);
			printf("\t%.4f/%.4f", ms, cpu_ms);
		}
		printf("\n");
	}
	idx_free(db);
	for (k = 0; k < n; k++) {
		free(qs[k].kind);
		free(qs[k].text);
		free(qs[k].facet_buf);
	}
	return 0;
}
