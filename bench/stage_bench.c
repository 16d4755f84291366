/*
 * stage_bench.c - time each stage of the pipeline in one process, on one
 * core, over the files listed in LIST (one path a line), in the order
 * solent-ingest runs them:
 *
 *   read     reading the file
 *   clean    ing_clean_input: sniff, decode, clean, hash
 *   extract  ing_extract_record: entities and dates. As solent-ingest
 *            runs them (ingest/main.c): documents are read and cleaned a
 *            batch at a time (ING_BATCH_DOCS, ING_BATCH_BYTES), and
 *            extracted once the cleaned batches fill ING_EXTRACT_DOCS or
 *            ING_EXTRACT_BYTES. (This once timed ing_extract a second
 *            time, by a second extractor, on the text just extracted: with
 *            that text in the caches, it read 10-20% fast.)
 *   json     sol_record_to_json (what the pipe between the stages costs)
 *   index    idx_add, plus idx_commit every --chunk documents (as
 *            solent-index does); only with --db
 *
 * Prints one JSON object: docs, raw_bytes, text_bytes and the seconds of
 * each stage ("ingest" is clean + extract). The seconds are this thread's
 * CPU time, not wall time: the cost of the work on one core, undisturbed
 * by whatever else shares the machine. bench/run turns them into MB/s per
 * core.
 *
 * usage: stage_bench [--db DIR] [--chunk N] LIST
 */
#include "index.h"
#include "ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct bench {
	ing_ctx *ctx;
	idx_db *db;
	unsigned chunk, uncommitted;
	sol_record pend[ING_EXTRACT_DOCS]; /* cleaned, to be extracted */
	size_t n_pend, text_bytes_pend;
	size_t read_docs, read_bytes; /* since the last batch was read */
	sol_buf json;
	double t_read, t_clean, t_extract, t_json, t_index;
	size_t docs, failed, raw_bytes, text_bytes;
};

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int commit(struct bench *b)
{
	sol_err err;
	double t0 = cpu_now();

	if (idx_commit(b->db, &err) != SOL_OK) {
		fprintf(stderr, "stage_bench: %s\n", err.msg);
		return -1;
	}
	b->uncommitted = 0;
	b->t_index += cpu_now() - t0;
	return 0;
}

/* The rest of the pipeline for one extracted record. */
static int finish(struct bench *b, sol_record *rec)
{
	idx_outcome outcome;
	sol_err err;
	double t0;

	b->docs++;
	b->text_bytes += rec->text_len;
	sol_buf_reset(&b->json);
	t0 = cpu_now();
	if (sol_record_to_json(rec, &b->json, &err) != SOL_OK)
		fprintf(stderr, "stage_bench: %s: %s\n", rec->source, err.msg);
	b->t_json += cpu_now() - t0;
	if (!b->db)
		return 0;
	t0 = cpu_now();
	if (idx_add(b->db, rec, "bench", &outcome, &err) != SOL_OK) {
		fprintf(stderr, "stage_bench: %s: %s\n", rec->source, err.msg);
		b->failed++;
	}
	b->t_index += cpu_now() - t0;
	return ++b->uncommitted >= b->chunk ? commit(b) : 0;
}

/* Extract the batch cleaned so far, then the rest of the pipeline. */
static int flush(struct bench *b)
{
	sol_err err;
	int rc = 0;
	double t0 = cpu_now();

	for (size_t i = 0; i < b->n_pend; i++)
		if (ing_extract_record(b->ctx, &b->pend[i], &err) != SOL_OK) {
			fprintf(stderr, "stage_bench: %s\n", err.msg);
			b->failed++; /* and the record released: no text to finish */
		}
	b->t_extract += cpu_now() - t0;
	for (size_t i = 0; i < b->n_pend; i++) {
		if (b->pend[i].text && rc == 0)
			rc = finish(b, &b->pend[i]);
		sol_record_release(&b->pend[i]);
	}
	b->n_pend = 0;
	b->text_bytes_pend = 0;
	return rc;
}

static int one_file(struct bench *b, const char *path, sol_buf *raw)
{
	ing_input inp;
	sol_err err;
	sol_status st;
	double t0 = cpu_now();

	/* sol_read_file fills a fresh buffer: the last file's is freed here,
	 * as solent-ingest frees each document's bytes once it is cleaned.
	 * (Reset, it leaked: the heap grew by every file read, 200 MB over the
	 * 10k corpus, and extraction's records landed on never-touched pages,
	 * page faults solent-ingest does not take.) */
	sol_buf_release(raw);
	if (sol_read_file(path, ING_DEFAULT_MAX_BYTES + 1, raw, &err) != SOL_OK) {
		b->failed++;
		return 0;
	}
	b->t_read += cpu_now() - t0;
	memset(&inp, 0, sizeof inp);
	inp.source = path;
	inp.bytes = (const unsigned char *)(raw->data ? raw->data : "");
	inp.len = raw->len;
	t0 = cpu_now();
	st = ing_clean_input(b->ctx, &inp, &b->pend[b->n_pend], &err);
	b->t_clean += cpu_now() - t0;
	if (st != SOL_OK) {
		b->failed++;
		return 0;
	}
	b->raw_bytes += raw->len;
	b->text_bytes_pend += b->pend[b->n_pend].text_len;
	b->n_pend++;
	/* main.c's rule: at the end of a read batch, extract when another
	 * would not fit */
	b->read_bytes += raw->len;
	if (++b->read_docs < ING_BATCH_DOCS && b->read_bytes < ING_BATCH_BYTES)
		return 0;
	b->read_docs = b->read_bytes = 0;
	if (b->n_pend + ING_BATCH_DOCS > ING_EXTRACT_DOCS || b->text_bytes_pend >= ING_EXTRACT_BYTES)
		return flush(b);
	return 0;
}

int main(int argc, char **argv)
{
	struct bench b;
	const char *db_path = NULL, *list = NULL;
	char line[4096];
	sol_err err;
	sol_buf raw;
	FILE *in;
	int rc = 0;

	memset(&b, 0, sizeof b);
	b.chunk = 500; /* as solent-index */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db_path = argv[++i];
		else if (!strcmp(argv[i], "--chunk") && i + 1 < argc)
			b.chunk = (unsigned)atoi(argv[++i]);
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
	b.ctx = ing_ctx_new(NULL, &err);
	if (!b.ctx) {
		fprintf(stderr, "stage_bench: %s\n", err.msg);
		return 3;
	}
	if (db_path && idx_open(db_path, IDX_WRITE, &b.db, &err) != SOL_OK) {
		fprintf(stderr, "stage_bench: %s\n", err.msg);
		return 3;
	}
	sol_buf_init(&raw, 0);
	sol_buf_init(&b.json, 0);
	while (rc == 0 && fgets(line, sizeof line, in)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0])
			rc = one_file(&b, line, &raw);
	}
	if (rc == 0)
		rc = flush(&b);
	if (rc == 0 && b.db)
		rc = commit(&b);
	idx_free(b.db);
	fclose(in);
	printf("{\"docs\": %zu, \"failed\": %zu, \"raw_bytes\": %zu, \"text_bytes\": %zu, "
	       "\"read\": %.4f, \"ingest\": %.4f, \"extract\": %.4f, \"clean\": %.4f, "
	       "\"json\": %.4f, \"index\": %.4f}\n",
	       b.docs, b.failed, b.raw_bytes, b.text_bytes, b.t_read, b.t_clean + b.t_extract,
	       b.t_extract, b.t_clean, b.t_json, b.t_index);
	sol_buf_release(&raw);
	sol_buf_release(&b.json);
	ing_ctx_free(b.ctx);
	return rc ? 3 : 0;
}
