/*
 * extract_bench.c - time the extractor alone over UTF-8 text files: the
 * text is cut into documents of about --doc bytes (default 64 KiB, a long
 * council report), each run through ing_extract --repeat times; prints MB/s
 * of text per core (thread CPU time) and how many entities and dates were
 * found.
 *
 * usage: extract_bench RULES_DIR [--repeat N] [--doc BYTES] [--ff] [--dump FILE] FILE...
 *
 * --ff cuts the documents at form feeds instead, where extract-bench
 * --council ends each cleaned text: the corpus's own documents, as the
 * pipeline extracts them. (With --repeat above 1 each is extracted again
 * while its text, and the branch history it taught, are still warm: no
 * pipeline sees that. On the bench texts --repeat 5 read 30-50% faster
 * than --repeat 1.)
 *
 * --dump writes every date and entity found (offset into the whole input,
 * type, norm) to FILE, so that a speed change can be checked for changing
 * nothing else: diff the dumps of two builds.
 */
#include "extract.h"
#ifdef ING_PROFILE
#include "extract_int.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The bench reads the rules from disk, so it needs no embedded copies. */
const ing_embedded_file ing_embedded_rules[] = { { 0, 0, 0 } };
const size_t ing_n_embedded_rules = 0;

/* Thread CPU time, not wall time: the machine is shared, and a core's
 * throughput is what the target is about. Wall time is printed beside it. */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int repeat = 3, split_ff = 0, i, rep;
	size_t doc = 64 * 1024, total = 0, n_ent = 0, n_dates = 0, off;
	double t0, w0, elapsed = 0, wall = 0;
	sol_err err;
	ing_extractor *ex;
	sol_buf all;
	FILE *dump = NULL;

	if (argc < 3) {
		fprintf(stderr, "usage: extract_bench RULES_DIR [--repeat N] [--doc BYTES] [--ff] [--dump FILE] "
				"FILE...\n");
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
		else if (!strcmp(argv[i], "--ff"))
			split_ff = 1;
		else if (!strcmp(argv[i], "--dump") && i + 1 < argc) {
			dump = fopen(argv[++i], "w");
			if (!dump) {
				perror(argv[i]);
				return 1;
			}
		}
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
		if (split_ff) {
			const char *ff = memchr(all.data + off, '\f', all.len - off);
			end = ff ? (size_t)(ff - all.data) + 1 : all.len;
		}
		for (rep = 0; rep < repeat; rep++) {
			sol_record_init(&r);
			r.text = sol_strndup(all.data + off, end - off);
			r.text_len = end - off;
			w0 = wall_now();
			t0 = cpu_now();
			if (ing_extract(ex, &r, &err) != SOL_OK)
				fprintf(stderr, "extract_bench: %s\n", err.msg);
			elapsed += cpu_now() - t0;
			wall += wall_now() - w0;
			total += end - off;
			if (rep == 0) {
				size_t k;
				n_ent += r.n_entities;
				n_dates += r.n_dates;
				for (k = 0; dump && k < r.n_dates; k++)
					fprintf(dump, "%zu\tdate\t%s\n", off + r.dates[k].start,
						r.dates[k].iso);
				for (k = 0; dump && k < r.n_entities; k++)
					fprintf(dump, "%zu\t%s\t%s\n", off + r.entities[k].start,
						r.entities[k].type, r.entities[k].norm);
			}
			sol_record_release(&r);
		}
		off = end;
	}
	printf("extract: %.1f MB of text in %.3f s CPU = %.1f MB/s per core "
	       "(wall %.3f s; %zu entities, %zu dates per pass)\n",
	       (double)total / 1e6, elapsed, elapsed > 0 ? (double)total / 1e6 / elapsed : 0.0,
	       wall, n_ent, n_dates);
#ifdef ING_PROFILE
	{
		extern unsigned long long ing_prof_cycles[256], ing_prof_calls[256],
			ing_prof_bytes[256], ing_prof_found[256], ing_prof_phase[8];
		static const char *ph[] = { "scan", "sets", "acronyms", "resolve", "emit",
					    "docdate", "(normalise, in sets)", "(regex windows, in sets)" };
		unsigned long long tot = 0;
		size_t k;
		for (k = 0; k < 6; k++)
			tot += ing_prof_phase[k];
		for (k = 0; k < 8; k++)
			printf("  %-22s %5.1f%%\n", ph[k], 100.0 * ing_prof_phase[k] / tot);
		for (k = 0; k < ex->n_sets; k++)
			printf("  set %-3zu %-10s %5.1f%%  calls %llu  found %llu  bytes %llu  "
			       "cyc/call %.0f\n",
			       k, ex->sets[k].name, 100.0 * ing_prof_cycles[k] / tot, ing_prof_calls[k],
			       ing_prof_found[k], ing_prof_bytes[k],
			       ing_prof_calls[k] ? (double)ing_prof_cycles[k] / ing_prof_calls[k] : 0);
	}
#endif
	if (dump)
		fclose(dump);
	sol_buf_release(&all);
	ing_extractor_free(ex);
	return 0;
}
