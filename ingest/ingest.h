/*
 * ingest.h - the ingest stage's contract: raw bytes of one document in,
 * one sol_record out (cleaned UTF-8 text, metadata, entities and dates).
 *
 * Usage:
 *   ing_ctx *ctx = ing_ctx_new(NULL, &err);   // compiles the rules once
 *   ing_input in = { .source = path, .bytes = buf, .len = n };
 *   sol_record rec;
 *   if (ing_process(ctx, &in, &rec, &err) == SOL_OK) { ...; sol_record_release(&rec); }
 *   ing_ctx_free(ctx);
 */
#ifndef ING_INGEST_H
#define ING_INGEST_H

#include "record.h"

/* Largest document accepted, in raw bytes (per-document resource bound). */
#define ING_DEFAULT_MAX_BYTES (64u * 1024 * 1024)

typedef struct ing_input {
	const char *source;        /* path or final URL; required */
	const unsigned char *bytes;
	size_t len;
	const char *content_type;  /* from HTTP or the caller; NULL = sniff */
	const char *http_charset;  /* charset from the HTTP header, or NULL */
	const char *original_url;  /* URL first asked for, when redirected */
	const char *fetched_at;    /* ISO 8601, when fetched */
} ing_input;

typedef struct ing_options {
	const char *rules_dir;     /* NULL: the rules built into the program */
} ing_options;

typedef struct ing_ctx ing_ctx;

/* Build a context: compiles every extraction rule once. NULL on failure,
 * with err naming the rule file and line at fault. opts may be NULL. */
ing_ctx *ing_ctx_new(const ing_options *opts, sol_err *err);
void ing_ctx_free(ing_ctx *ctx);

/* Turn one document into a record (initialised by the call; the caller
 * releases it on SOL_OK; on failure it is already released). Errors name
 * the source and the reason. */
sol_status ing_process(ing_ctx *ctx, const ing_input *in, sol_record *out, sol_err *err);

/* ing_process in its two steps (for ing_process_batch, and for
 * bench/stage_bench to time each). ing_clean_input: sniff, decode,
 * clean, hash; the record has its text, metadata and id, no entities or
 * dates yet. ing_extract_record: entities and dates; on failure the record
 * is released. ing_process(ctx, in, r, err) is the one then the other. */
sol_status ing_clean_input(ing_ctx *ctx, const ing_input *in, sol_record *out, sol_err *err);
sol_status ing_extract_record(ing_ctx *ctx, sol_record *r, sol_err *err);

/* What solent-ingest reads and cleans at a time: the raw bytes of a
 * batch are all held at once, so a batch stays about a MB. */
#define ING_BATCH_DOCS 64
#define ING_BATCH_BYTES (1024u * 1024)

/* What solent-ingest extracts at a time: the documents of up to four
 * cleaned batches, or fewer once their texts reach a MB. Each batch's
 * cleaning (libxml2's trees, MBs of heap) leaves extraction's compiled
 * rules, JIT code and tables out of the caches; the first documents
 * after it pay to bring them back, so the longer extraction's run, the
 * less that costs a byte. A cleaned text is about a quarter of its raw
 * page, so waiting records hold about what one raw batch does. 10k bench
 * documents, one core: 60 -> 74 MB/s of text against extracting each
 * batch of 64 as it is cleaned. */
#define ING_EXTRACT_DOCS (4 * ING_BATCH_DOCS)
#define ING_EXTRACT_BYTES (1024u * 1024)

/* One document of a batch: the caller fills in `in`, handing its bytes
 * over (they must come from malloc; the call frees them, or leaves them to
 * an abandoned worker: a copy would be one more document's size in
 * memory, and a batch's peak memory is its largest document's). The call
 * fills in the rest. */
typedef struct ing_batch_doc {
	ing_input in;
	sol_status st;          /* SOL_OK: rec holds the record, the caller's */
	sol_record rec;
	sol_err err;            /* on failure: what went wrong, naming the source */
} ing_batch_doc;

/* ing_process on each of docs[0..n), cleaning them all first and then
 * extracting them all, ING_BATCH_DOCS at a time (extraction then finds its
 * compiled rules and tables still in the caches: 3,000 bench documents,
 * extraction 60 -> 83 MB/s with batches of 32).
 *
 * Each step of each document gets `seconds` of wall time (0: no limit).
 * Neither libxml2 nor PCRE2 can be interrupted safely, so a step over the
 * limit is abandoned on its thread (which frees what it holds if it ever
 * finishes); its document fails with SOL_ERR_TOOBIG and an error naming
 * the limit, and the rest go on with a fresh context built from opts in
 * *ctx. Returns SOL_ERR_NOMEM, with *ctx NULL, only when no fresh context
 * could be built (the documents not yet done then fail too); otherwise
 * SOL_OK, each document's outcome in its st. */
sol_status ing_process_batch(ing_ctx **ctx, const ing_options *opts, ing_batch_doc *docs,
			     size_t n, double seconds);

/* ing_process_batch's two steps apart, so that several cleaned batches
 * can be extracted in one run (ING_EXTRACT_DOCS). ing_clean_batch cleans
 * docs[0..n) (ing_clean_input): each document's st says whether rec now
 * holds its cleaned record. ing_extract_batch extracts (ing_extract_record)
 * the documents of docs[0..n) whose st is SOL_OK, which must hold a record
 * from ing_clean_batch, and leaves the others as they are. Time limits,
 * fresh contexts and the return value as for ing_process_batch. */
sol_status ing_clean_batch(ing_ctx **ctx, const ing_options *opts, ing_batch_doc *docs,
			   size_t n, double seconds);
sol_status ing_extract_batch(ing_ctx **ctx, const ing_options *opts, ing_batch_doc *docs,
			     size_t n, double seconds);

/* "text/html" or "text/plain" from the first bytes and the name;
 * "application/pdf", the DOCX or the ODT type from the bytes alone (magic
 * numbers and zip member names, never the name); any other binary file
 * gives NULL. The string is static. */
const char *ing_sniff_type(const unsigned char *bytes, size_t len, const char *name);

#endif
