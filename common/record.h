/*
 * record.h - the document record: the one contract between the ingest and
 * index stages. Its JSON form (one object a line, JSON Lines) is specified
 * in docs/record.md; bump SOL_RECORD_VERSION when a field changes meaning.
 *
 * A record is either a document (error == NULL) or a failure report for an
 * input that could not be ingested (error != NULL, source set, no text), so
 * that a failure travels down the pipe and reaches the batch report instead
 * of being lost on a terminal.
 */
#ifndef SOL_RECORD_H
#define SOL_RECORD_H

#include "sol.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SOL_RECORD_VERSION 1

/* An entity's three strings are owned by the record: sol_record_add_entity
 * copies them into the record's pool and sol_record_release frees the
 * pool whole. Read them; never free or replace one. The same holds for a
 * date's two. */
typedef struct sol_entity {
	char *type;   /* org, person, place, legislation, role, reference, ... */
	char *text;   /* surface form as in text */
	char *norm;   /* normalised form */
	size_t start; /* byte offsets into the record's text, end exclusive */
	size_t end;
} sol_entity;

typedef struct sol_date {
	char *text;   /* surface form */
	char *iso;    /* YYYY-MM-DD, YYYY-MM or YYYY */
	size_t start;
	size_t end;
} sol_date;

typedef struct sol_alias {
	char *abbrev; /* "HCC" */
	char *full;   /* "Hampshire County Council" */
} sol_alias;

typedef struct sol_record {
	char *id;             /* content id: first 16 hex digits of text_sha256 */
	char *source;         /* path or final URL */
	char *original_url;   /* URL asked for, when redirected (else NULL) */
	char *content_type;   /* "text/html", "text/plain" */
	char *charset;        /* charset the bytes were decoded from */
	char *charset_from;   /* bom | http | meta | detected | utf-8 | fallback */
	char *title;
	char *author;         /* from document metadata (PDF, DOCX, ODT), or NULL */
	char *date;           /* document date, ISO 8601, may be NULL */
	char *date_from;      /* where the date came from (metadata, text, ...) */
	char *description;
	char *canonical;
	char *lang;
	char *text;           /* cleaned main text, UTF-8 */
	size_t text_len;
	char *sha256;         /* of the raw bytes */
	char *text_sha256;    /* of the cleaned text */
	uint64_t size;        /* raw bytes */
	char *fetched_at;     /* ISO 8601 UTC, when fetched over the network */
	char *ingested_at;    /* ISO 8601 UTC */
	char *error;          /* failure reason: this record reports a failure */

	sol_entity *entities;
	size_t n_entities, cap_entities;
	sol_date *dates;
	size_t n_dates, cap_dates;
	sol_alias *aliases;
	size_t n_aliases, cap_aliases;
	/* mentions of entities and dates found but not listed: past the
	 * first ING_MENTIONS_MAX of one entity or date (ingest/extract.h) */
	uint64_t mentions_omitted;
	/* where the strings of entities and dates live: chunks that
	 * sol_record_release frees whole (record.c) */
	struct sol_pool_chunk *pool;
} sol_record;

/* Zero a record. */
void sol_record_init(sol_record *r);
/* Free everything a record owns and zero it. */
void sol_record_release(sol_record *r);

/* Append copies of the strings (the record owns the copies). */
sol_status sol_record_add_entity(sol_record *r, const char *type, const char *text,
				 const char *norm, size_t start, size_t end);
sol_status sol_record_add_date(sol_record *r, const char *text, const char *iso,
			       size_t start, size_t end);
/* The same with lengths given: text and norm (iso) need not be
 * NUL-terminated, so an extractor can hand over spans of its own text. */
sol_status sol_record_add_entity_n(sol_record *r, const char *type, const char *text,
				   size_t text_len, const char *norm, size_t norm_len,
				   size_t start, size_t end);
sol_status sol_record_add_date_n(sol_record *r, const char *text, size_t text_len,
				 const char *iso, size_t iso_len, size_t start, size_t end);
sol_status sol_record_add_alias(sol_record *r, const char *abbrev, const char *full);

/* Fill id and text_sha256 from text. */
void sol_record_hash_text(sol_record *r);

/* The same from the text's SHA-256 (lower-case hex) computed elsewhere:
 * text_sha256 is hex, the id its first 16 characters. */
void sol_record_set_text_sha256(sol_record *r, const char hex[65]);

/* Serialise as one line of JSON (no trailing newline) into *out.
 * out->data is valid UTF-8 JSON. */
sol_status sol_record_to_json(const sol_record *r, sol_buf *out, sol_err *err);

/* The record as a jansson object (a new reference, caller decrefs; NULL
 * when out of memory), with or without its text: for a stage that adds
 * to the record before writing it (the index stores it without the text,
 * which it keeps apart). Text fields with invalid UTF-8 are left out. */
struct json_t;
struct json_t *sol_record_to_jansson(const sol_record *r, int with_text);

/* Parse one JSON line into *r (initialised by the call). On failure *r is
 * released and err says what was wrong. A record with a newer major version
 * is refused with SOL_ERR_VERSION. */
sol_status sol_record_from_json(const char *line, size_t len, sol_record *r, sol_err *err);

#ifdef __cplusplus
}
#endif

#endif
