/* Unit tests for the order of hits of equal weight (index/rank.cc,
 * index/idorder.cc): by content id, on every page, in one index and over
 * shards, from a handle's first search and its later ones, with and
 * without the id order a writer saves. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index.h"
#include "index_fixture.h"
#include "check_main.h"

START_TEST(rank_ties_by_id_on_every_page)
{
	static const char *const words[] = { "alpha", "bravo", "charlie", "delta", "echo",
		"foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima", "mike", "november" };
	const size_t n_words = sizeof words / sizeof words[0];
	const char *facets[] = { "year" };
	idx_db *db;
	sol_err err;
	char text[128], source[64];
	idx_results *all, *res;
	idx_query q;

	ck_assert_int_eq(idx_open(dir, IDX_WRITE, &db, &err), SOL_OK);
	for (size_t i = 0; i < n_words; i++) {
		/* same length, one "harbour" each: equal weights */
		snprintf(text, sizeof text, "harbour report %s", words[i]);
		snprintf(source, sizeof source, "tie-%zu.txt", i);
		add(db, source, NULL, text, i == 3 ? NULL : i % 2 ? "2013-07" : "2013-07-01");
	}
	add(db, "heavy.txt", NULL, "harbour harbour report", "2014-01-01");
	/* added last, weighing most: heavier weights come first whatever
	 * the docids, each above the next (not only the run of ties) */
	add(db, "heaviest.txt", NULL, "harbour harbour harbour harbour", "2014-02-01");
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	idx_free(db);

	/* every hit, from a handle's first search */
	ck_assert_int_eq(idx_open(dir, IDX_READ, &db, &err), SOL_OK);
	memset(&q, 0, sizeof q);
	q.text = "harbour";
	q.limit = 50;
	ck_assert_int_eq(idx_search(db, &q, &all, &err), SOL_OK);
	ck_assert_uint_eq(all->n_hits, n_words + 2);
	ck_assert_str_eq(all->hits[0].source, "heaviest.txt");
	ck_assert_str_eq(all->hits[1].source, "heavy.txt");
	ck_assert(all->hits[0].weight > all->hits[1].weight);
	ck_assert(all->hits[1].weight > all->hits[2].weight);
	for (size_t i = 3; i < all->n_hits; i++) {
		ck_assert(all->hits[i].weight == all->hits[2].weight);
		ck_assert_int_lt(strcmp(all->hits[i - 1].id, all->hits[i].id), 0);
	}

	/* the same handle again (ids in memory now), page by page */
	for (int round = 0; round < 2; round++) {
		for (unsigned offset = 0; offset <= all->n_hits; offset++) {
			for (unsigned limit = 1; limit <= 4; limit++) {
				memset(&q, 0, sizeof q);
				q.text = "harbour";
				q.offset = offset;
				q.limit = limit;
				if (round) {
					q.facets = facets;
					q.n_facets = 1;
				}
				ck_assert_int_eq(idx_search(db, &q, &res, &err), SOL_OK);
				ck_assert_uint_eq(res->matches_estimated, all->matches_estimated);
				for (size_t i = 0; i < res->n_hits; i++) {
					ck_assert_uint_lt(offset + i, all->n_hits);
					ck_assert_str_eq(res->hits[i].id, all->hits[offset + i].id);
					ck_assert_uint_eq(res->hits[i].rank, offset + i + 1);
					ck_assert_int_eq(res->hits[i].percent, all->hits[offset + i].percent);
					/* read from the handle's table after the first search */
					ck_assert_pstr_eq(res->hits[i].date, all->hits[offset + i].date);
					ck_assert_pstr_eq(res->hits[i].content_type,
							  all->hits[offset + i].content_type);
					ck_assert_str_eq(res->hits[i].source, all->hits[offset + i].source);
				}
				ck_assert_uint_eq(res->n_hits, offset >= all->n_hits ? 0 :
						  (all->n_hits - offset < limit ? all->n_hits - offset : limit));
				idx_results_free(res);
			}
		}
	}
	idx_results_free(all);
	idx_free(db);
}
END_TEST

/* A run of equal weights too long to read every member's id (rank.cc
 * walks it through the id buckets) is cut into pages in id order: in one
 * index, its first search and later ones, and over two shards of it,
 * whose docids interleave. The order expected is worked out here, from
 * the ids the records were given. */
static int by_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_pages(const char *path, char **ids, size_t n)
{
	static const unsigned offsets[] = { 0, 1, 9, 10, 63, 64, 65, 120, 149, 150, 151 };
	idx_db *db;
	sol_err err;
	ck_assert_msg(idx_open(path, IDX_READ, &db, &err) == SOL_OK, "%s", err.msg);
	for (int round = 0; round < 2; round++) {
		for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++) {
			idx_query q;
			idx_results *res;
			memset(&q, 0, sizeof q);
			q.text = "harbour";
			q.offset = offsets[k];
			q.limit = 10;
			ck_assert_int_eq(idx_search(db, &q, &res, &err), SOL_OK);
			size_t want = offsets[k] >= n + 1 ? 0 : n + 1 - offsets[k];
			ck_assert_uint_eq(res->n_hits, want < 10 ? want : 10);
			for (size_t i = 0; i < res->n_hits; i++) {
				size_t r = offsets[k] + i; /* rank 0 is the heavy one */
				if (r == 0)
					ck_assert_msg(strcmp(res->hits[i].source, "heavy.txt") == 0,
						      "%s: rank 1 is %s (round %d, offset %u)", path,
						      res->hits[i].source, round, offsets[k]);
				else
					ck_assert_msg(strcmp(res->hits[i].id, ids[r - 1]) == 0,
						      "%s: rank %zu is %s, not %s (round %d)", path, r + 1,
						      res->hits[i].id, ids[r - 1], round);
			}
			idx_results_free(res);
		}
	}
	idx_free(db);
}

START_TEST(long_rank_ties_by_id)
{
	enum { N = 150 };
	char *ids[N];
	char path[3][300], stub[300], text[64], source[64];
	idx_db *db[2];
	sol_err err;
	snprintf(path[0], sizeof path[0], "%s/one", dir);
	snprintf(path[1], sizeof path[1], "%s/a", dir);
	snprintf(path[2], sizeof path[2], "%s/b", dir);
	ck_assert_int_eq(idx_open(path[0], IDX_WRITE, &db[0], &err), SOL_OK);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < N; i++) {
			/* same length, one "harbour" each: equal weights */
			snprintf(text, sizeof text, "harbour report w%04zu", i);
			snprintf(source, sizeof source, "tie-%zu.txt", i);
			idx_db *to = pass ? db[i % 2] : db[0];
			sol_record r;
			idx_outcome o;
			make_record(&r, source, NULL, text, NULL);
			if (!pass)
				ids[i] = strdup(r.id);
			ck_assert_msg(idx_add(to, &r, "b1", &o, &err) == SOL_OK, "%s", err.msg);
			sol_record_release(&r);
		}
		add(db[0], "heavy.txt", NULL, "harbour harbour report", NULL);
		for (int k = 0; k < (pass ? 2 : 1); k++) {
			ck_assert_int_eq(idx_commit(db[k], &err), SOL_OK);
			idx_free(db[k]);
		}
		if (!pass) {
			ck_assert_int_eq(idx_open(path[1], IDX_WRITE, &db[0], &err), SOL_OK);
			ck_assert_int_eq(idx_open(path[2], IDX_WRITE, &db[1], &err), SOL_OK);
		}
	}
	qsort(ids, N, sizeof *ids, by_strcmp);
	check_pages(path[0], ids, N);

	snprintf(stub, sizeof stub, "%s/shards.stub", dir);
	FILE *f = fopen(stub, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "auto %s\nauto %s\n", path[1], path[2]);
	ck_assert_int_eq(fclose(f), 0);
	check_pages(stub, ids, N);
	for (size_t i = 0; i < N; i++)
		free(ids[i]);
}
END_TEST

/* The id order a writer saves beside the index (idx_save_id_order) orders
 * a handle's first search: the CLI's one search reads no ids. The file is
 * a cache, so what is tested is when it is read: for the revision it was
 * saved at, whole. That it is read at all shows with a copy whose ranks
 * were turned round: the pages come in reverse id order. */
static char *id_order_file(const char *path)
{
	static char f[400];
	snprintf(f, sizeof f, "%s/solent-idorder", path);
	return f;
}

/* Turn the saved ranks round (rank r of m becomes m + 1 - r), in place;
 * cut, unless 0, that many bytes off its end. */
static void turn_ranks_round(const char *path, unsigned m, long cut)
{
	FILE *f = fopen(id_order_file(path), "r+b");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	long len = ftell(f);
	ck_assert_int_eq((len - 72) % 4, 0);
	for (long at = 72; at < len; at += 4) {
		uint32_t r;
		ck_assert_int_eq(fseek(f, at, SEEK_SET), 0);
		ck_assert_uint_eq(fread(&r, 4, 1, f), 1);
		if (r) {
			r = m + 1 - r;
			ck_assert_int_eq(fseek(f, at, SEEK_SET), 0);
			ck_assert_uint_eq(fwrite(&r, 4, 1, f), 1);
		}
	}
	ck_assert_int_eq(fclose(f), 0);
	if (cut)
		ck_assert_int_eq(truncate(id_order_file(path), len - cut), 0);
}

enum { TIES = 150 };

/* An index at path of TIES documents that tie for "harbour" and one that
 * outweighs them, committed, its id order saved; ids gets their ids. */
static void make_ties(const char *path, char **ids)
{
	char text[64], source[64];
	idx_db *db;
	sol_err err;
	ck_assert_int_eq(idx_open(path, IDX_WRITE, &db, &err), SOL_OK);
	for (size_t i = 0; i < TIES; i++) {
		sol_record r;
		idx_outcome o;
		snprintf(text, sizeof text, "harbour report w%04zu", i);
		snprintf(source, sizeof source, "tie-%zu.txt", i);
		make_record(&r, source, NULL, text, NULL);
		if (ids)
			ids[i] = strdup(r.id);
		ck_assert_msg(idx_add(db, &r, "b1", &o, &err) == SOL_OK, "%s", err.msg);
		sol_record_release(&r);
	}
	add(db, "heavy.txt", NULL, "harbour harbour report", NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	ck_assert_msg(idx_save_id_order(db, &err) == SOL_OK, "%s", err.msg);
	idx_free(db);
}

START_TEST(saved_id_order_orders_first_searches)
{
	enum { N = TIES };
	char *ids[N], *back[N], path[300], other[300], cmd[700];
	idx_db *db;
	sol_err err;
	struct stat st;

	snprintf(path, sizeof path, "%s/one", dir);
	make_ties(path, ids);
	qsort(ids, N, sizeof *ids, by_strcmp);
	for (size_t i = 0; i < N; i++)
		back[i] = ids[N - 1 - i];
	/* header and a rank for docids 0 to N + 1 */
	ck_assert_int_eq(stat(id_order_file(path), &st), 0);
	ck_assert_int_eq(st.st_size, 72 + 4 * (N + 2));
	check_pages(path, ids, N);

	/* saving again at the same revision leaves the file as it is */
	turn_ranks_round(path, N + 1, 0);
	ck_assert_int_eq(idx_open(path, IDX_WRITE, &db, &err), SOL_OK);
	ck_assert_int_eq(idx_save_id_order(db, &err), SOL_OK);
	idx_free(db);
	check_pages(path, back, N); /* so it was read */

	/* cut short: not read */
	turn_ranks_round(path, N + 1, 0);
	turn_ranks_round(path, N + 1, 4);
	check_pages(path, ids, N);

	/* another index's, though alike in all else: not read */
	snprintf(other, sizeof other, "%s/two", dir);
	make_ties(other, NULL);
	turn_ranks_round(other, N + 1, 0);
	snprintf(cmd, sizeof cmd, "cp '%s/solent-idorder' '%s/'", other, path);
	ck_assert_int_eq(system(cmd), 0);
	check_pages(path, ids, N);

	/* of an older revision: not read; saving replaces it */
	ck_assert_int_eq(unlink(id_order_file(path)), 0);
	ck_assert_int_eq(idx_open(path, IDX_WRITE, &db, &err), SOL_OK);
	ck_assert_int_eq(idx_save_id_order(db, &err), SOL_OK);
	turn_ranks_round(path, N + 1, 0);
	/* a revision that changed nothing the file could check but itself */
	ck_assert_int_eq(idx_set_metadata(db, "test:note", "x", &err), SOL_OK);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	check_pages(path, ids, N);
	add(db, "other.txt", NULL, "nothing of the kind", NULL);
	ck_assert_int_eq(idx_commit(db, &err), SOL_OK);
	idx_free(db);
	check_pages(path, ids, N);
	ck_assert_int_eq(idx_open(path, IDX_WRITE, &db, &err), SOL_OK);
	ck_assert_int_eq(idx_save_id_order(db, &err), SOL_OK);
	idx_free(db);
	ck_assert_int_eq(stat(id_order_file(path), &st), 0);
	ck_assert_int_eq(st.st_size, 72 + 4 * (N + 3));
	check_pages(path, ids, N);
	for (size_t i = 0; i < N; i++)
		free(ids[i]);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rank");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rank_ties_by_id_on_every_page);
	tcase_add_test(tc, long_rank_ties_by_id);
	tcase_add_test(tc, saved_id_order_orders_first_searches);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(suite(), CK_FORK_GETENV);
}
