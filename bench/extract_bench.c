/*
 * extract_bench.c - time the extractor alone over UTF-8 text files: the
 * text is cut into documents of about --doc bytes (default 64 KiB, a long
 * council report), each run through ing_extract --repeat times; prints MB/s
 * of text per core and how many entities and dates were found.
 *
 * usage: extract_bench RULES_DIR [--repeat N] [--doc BYTES] FILE...
 */
#include "extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The bench reads the rules from disk, so it needs no embedded copies. */
const ing_embedded_file ing_embedded_rules[] = { { 0, 0, 0 } };
const size_t ing_n_embedded_rules = 0;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int repeat = 3, i, rep;
	size_t doc = 64 * 1024, total = 0, n_ent = 0, n_dates = 0, off;
	double t0, elapsed = 0;
	sol_err err;
	ing_extractor *ex;
	sol_buf all;

	if (argc < 3) {
		fprintf(stderr, "usage: extract_bench RULES_DIR [--repeat N] [--doc BYTES] FILE...\n");
		return 2;
	}
	ex = ing_extractor_new(argv[1], &err);
	if (!ex) {
		fprintf(stderr, "extract_bench: %s\n", err.msg);
		return 1;
	}
	for (i = 2; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			repeat = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--doc") && i + 1 < argc)
			doc = (size_t)atol(argv[++i]);
	}
	sol_buf_init(&all, 0);
	for (; i < argc; i++) {
		sol_buf one;
		sol_buf_init(&one, 0);
		if (sol_read_file(argv[i], 1u << 30, &one, &err) != SOL_OK) {
			fprintf(stderr, "extract_bench: %s\n", err.msg);
			continue;
		}
		if (sol_buf_add(&all, one.data ? one.data : "", one.len) != SOL_OK ||
		    sol_buf_addc(&all, '\n') != SOL_OK)
			return 1;
		sol_buf_release(&one);
	}
	for (off = 0; off < all.len;) {
		size_t end = off + doc < all.len ? off + doc : all.len;
		sol_record r;
		/* cut at a line end so no word is split */
		while (end < all.len && all.data[end - 1] != '\n')
			end++;
		for (rep = 0; rep < repeat; rep++) {
			sol_record_init(&r);
			r.text = sol_strndup(all.data + off, end - off);
			r.text_len = end - off;
			t0 = now();
			if (ing_extract(ex, &r, &err) != SOL_OK)
				fprintf(stderr, "extract_bench: %s\n", err.msg);
			elapsed += now() - t0;
			total += end - off;
			if (rep == 0) {
				n_ent += r.n_entities;
				n_dates += r.n_dates;
			}
			sol_record_release(&r);
		}
		off = end;
	}
	printf("extract: %.1f MB of text in %.3f s = %.1f MB/s per core "
	       "(%zu entities, %zu dates per pass)\n",
	       (double)total / 1e6, elapsed, elapsed > 0 ? (double)total / 1e6 / elapsed : 0.0,
	       n_ent, n_dates);
	sol_buf_release(&all);
	ing_extractor_free(ex);
	return 0;
}
