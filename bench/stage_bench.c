/*
 * stage_bench.c - time each stage of the pipeline in one process, on one
 * core, over the files listed in LIST (one path a line):
 *
 *   read     reading the file
 *   ingest   ing_process: sniff, decode, clean, extract, hash (the whole
 *            ingest stage, as solent-ingest runs it)
 *   extract  ing_extract again on a fresh record holding the same cleaned
 *            text, with a second extractor: the extraction share of ingest
 *            (clean = ingest - extract; the public API is used so this
 *            stays true while process.c changes)
 *   json     sol_record_to_json (what the pipe between the stages costs)
 *   index    idx_add, plus idx_commit every --chunk documents (as
 *            solent-index does); only with --db
 *
 * Prints one JSON object: docs, raw_bytes, text_bytes and the seconds of
 * each stage. The seconds are this thread's CPU time, not wall time: the
 * cost of the work on one core, undisturbed by whatever else shares the
 * machine. bench/run turns them into MB/s per core.
 *
 * usage: stage_bench [--db DIR] [--chunk N] LIST
 */
#include "extract.h"
#include "index.h"
#include "ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *db_path = NULL, *list = NULL;
	unsigned chunk = 200, pending = 0;
	double t_read = 0, t_ingest = 0, t_extract = 0, t_json = 0, t_index = 0, t0;
	size_t docs = 0, failed = 0, raw_bytes = 0, text_bytes = 0;
	char line[4096];
	sol_err err;
	ing_ctx *ctx;
	ing_extractor *ex;
	idx_db *db = NULL;
	sol_buf raw, json;
	FILE *in;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db_path = argv[++i];
		else if (!strcmp(argv[i], "--chunk") && i + 1 < argc)
			chunk = (unsigned)atoi(argv[++i]);
		else
			list = argv[i];
	}
	if (!list) {
		fprintf(stderr, "usage: stage_bench [--db DIR] [--chunk N] LIST\n");
		return 2;
	}
	in = fopen(list, "r");
	if (!in) {
		perror(list);
		return 2;
	}
	ctx = ing_ctx_new(NULL, &err);
	ex = ctx ? ing_extractor_new(NULL, &err) : NULL;
	if (!ctx || !ex) {
		fprintf(stderr, "stage_bench: %s\n", err.msg);
		return 3;
	}
	if (db_path && idx_open(db_path, IDX_WRITE, &db, &err) != SOL_OK) {
		fprintf(stderr, "stage_bench: %s\n", err.msg);
		return 3;
	}
	sol_buf_init(&raw, 0);
	sol_buf_init(&json, 0);
	while (fgets(line, sizeof line, in)) {
		sol_record rec, again;
		ing_input inp;
		idx_outcome outcome;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		sol_buf_reset(&raw);
		t0 = cpu_now();
		if (sol_read_file(line, ING_DEFAULT_MAX_BYTES + 1, &raw, &err) != SOL_OK) {
			failed++;
			continue;
		}
		t_read += cpu_now() - t0;
		memset(&inp, 0, sizeof inp);
		inp.source = line;
		inp.bytes = (const unsigned char *)(raw.data ? raw.data : "");
		inp.len = raw.len;
		t0 = cpu_now();
		if (ing_process(ctx, &inp, &rec, &err) != SOL_OK) {
			t_ingest += cpu_now() - t0;
			failed++;
			continue;
		}
		t_ingest += cpu_now() - t0;
		docs++;
		raw_bytes += raw.len;
		text_bytes += rec.text_len;

		sol_record_init(&again);
		again.text = sol_strndup(rec.text, rec.text_len);
		again.text_len = rec.text_len;
		t0 = cpu_now();
		if (ing_extract(ex, &again, &err) != SOL_OK)
			fprintf(stderr, "stage_bench: %s: %s\n", line, err.msg);
		t_extract += cpu_now() - t0;
		sol_record_release(&again);

		sol_buf_reset(&json);
		t0 = cpu_now();
		if (sol_record_to_json(&rec, &json, &err) != SOL_OK)
			fprintf(stderr, "stage_bench: %s: %s\n", line, err.msg);
		t_json += cpu_now() - t0;

		if (db) {
			t0 = cpu_now();
			if (idx_add(db, &rec, "bench", &outcome, &err) != SOL_OK) {
				fprintf(stderr, "stage_bench: %s: %s\n", line, err.msg);
				failed++;
			}
			if (++pending >= chunk) {
				if (idx_commit(db, &err) != SOL_OK) {
					fprintf(stderr, "stage_bench: %s\n", err.msg);
					return 3;
				}
				pending = 0;
			}
			t_index += cpu_now() - t0;
		}
		sol_record_release(&rec);
	}
	if (db) {
		t0 = cpu_now();
		if (idx_commit(db, &err) != SOL_OK) {
			fprintf(stderr, "stage_bench: %s\n", err.msg);
			return 3;
		}
		t_index += cpu_now() - t0;
		idx_free(db);
	}
	fclose(in);
	printf("{\"docs\": %zu, \"failed\": %zu, \"raw_bytes\": %zu, \"text_bytes\": %zu, "
	       "\"read\": %.4f, \"ingest\": %.4f, \"extract\": %.4f, \"clean\": %.4f, "
	       "\"json\": %.4f, \"index\": %.4f}\n",
	       docs, failed, raw_bytes, text_bytes, t_read, t_ingest, t_extract,
	       t_ingest - t_extract, t_json, t_index);
	sol_buf_release(&raw);
	sol_buf_release(&json);
	ing_extractor_free(ex);
	ing_ctx_free(ctx);
	return 0;
}
