/*
 * emit.h - fetched pages and WARC responses to JSON Lines records, the
 * same records solent-ingest writes for files (docs/record.md), so that
 * `solent fetch URL... | solent index` and `solent ingest FILE.warc.gz`
 * feed the index like any other batch. Shared by solent-fetch and
 * solent-ingest.
 */
#ifndef FCH_EMIT_H
#define FCH_EMIT_H

#include "fetch.h"
#include "ingest.h"

#include <stdio.h>

typedef struct fch_emitter {
	ing_ctx *ctx;           /* borrowed */
	FILE *out;              /* records go here (stdout) */
	const char *prog;       /* names the program in stderr messages */
	int error_records;      /* write failure records (default 1) */
	int quiet;              /* no stderr line per failure */
	unsigned long ok, failed, unchanged;
	sol_buf line;
} fch_emitter;

void fch_emitter_init(fch_emitter *e, ing_ctx *ctx, const char *prog);
void fch_emitter_release(fch_emitter *e);

/* An fch_result_fn (arg = the emitter): a fetched page goes through
 * ing_process (Content-Type's media type and charset, original URL,
 * fetch time; the final URL is the source) and out as a record; a
 * failure becomes a failure record naming the URL and the reason; a 304
 * writes "unchanged: URL" on stderr and no record. */
void fch_emit_result(void *emitter, const fch_result *res);

/* An fch_warc_doc_fn: a response from a WARC file, source = its
 * WARC-Target-URI, fetched_at = its WARC-Date. */
void fch_emit_warc_doc(void *emitter, const fch_warc_doc *doc);

/* A failure record for source with reason ("source: why"), and the
 * stderr line unless quiet. */
void fch_emit_failure(fch_emitter *e, const char *source, const char *reason);

#endif
