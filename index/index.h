/*
 * index.h - Solent's index: a small C API over xapian-core.
 *
 * The handle is opaque; no Xapian type or C++ exception crosses this
 * header. Every call returns a sol_status and, on failure, fills *err with
 * a message that names the database and the problem. The schema (term
 * prefixes, value slots, metadata keys) is documented in
 * docs/index-schema.md and in one table at the top of index/schema.h.
 *
 * Identity: a document is its cleaned text (content id = the first 16 hex
 * digits of its SHA-256). One document may have several sources (the same
 * minutes saved under two URLs); each source names exactly one document.
 */
#ifndef IDX_INDEX_H
#define IDX_INDEX_H

#include "record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct idx_db idx_db;

typedef enum idx_mode {
	IDX_READ = 0,
	IDX_WRITE = 1    /* creates the database when it does not exist */
} idx_mode;

/* Open the database at path (a directory, or a Xapian stub file for
 * reading). *out is NULL on failure. A second writer gets SOL_ERR_LOCKED
 * with a message naming the lock; an index of a newer schema version
 * SOL_ERR_VERSION. */
sol_status idx_open(const char *path, idx_mode mode, idx_db **out, sol_err *err);

/* Close the handle. Changes not yet committed are discarded (a crash
 * never leaves half a chunk). Accepts NULL. */
void idx_free(idx_db *db);

/* What adding a record did. */
typedef enum idx_outcome {
	IDX_ADDED,      /* a new document */
	IDX_UPDATED,    /* the source had other content before; replaced */
	IDX_UNCHANGED,  /* the source already had exactly this content */
	IDX_DUPLICATE   /* this content was indexed under another source; the
	                   source was added to that document */
} idx_outcome;
const char *idx_outcome_to_string(idx_outcome o);

/* Add (or update, or deduplicate) one record. batch_id may be NULL.
 * Nothing is durable until idx_commit. */
sol_status idx_add(idx_db *db, const sol_record *rec, const char *batch_id,
		   idx_outcome *outcome, sol_err *err);

/* Adding in two steps, so that a second thread can do the costly part.
 *
 * idx_prepare turns a record into the document idx_add would add (term
 * generation, stored data): no database is touched. idx_add_prepared then
 * adds the record using that document when the record turns out to be
 * new content (an unchanged or duplicate record does not need it). Two
 * threads may work at once, one preparing with its own builder and one
 * adding to the database; a builder is used by one thread at a time, and
 * a prepared document passes from one thread to the other whole (through
 * a lock, which orders the memory). idx_add is the same two steps in one
 * thread. */
typedef struct idx_builder idx_builder;
typedef struct idx_prepared idx_prepared;

sol_status idx_builder_new(idx_builder **out, sol_err *err);
void idx_builder_free(idx_builder *b);                       /* accepts NULL */

/* *out is the prepared document of rec (a document record, not a
 * failure); free it with idx_prepared_free. */
sol_status idx_prepare(idx_builder *b, const sol_record *rec, const char *batch_id,
		       idx_prepared **out, sol_err *err);
void idx_prepared_free(idx_prepared *p);                     /* accepts NULL */

/* idx_add with p prepared from this same rec and batch_id (or NULL: built
 * here when needed). p stays the caller's to free. */
sol_status idx_add_prepared(idx_db *db, const sol_record *rec, idx_prepared *p,
			    const char *batch_id, idx_outcome *outcome, sol_err *err);

/* Make everything added since the last commit durable, atomically. */
sol_status idx_commit(idx_db *db, sol_err *err);

/* After the last commit: save, beside the index (the file solent-idorder),
 * each document's place in content-id order, so that a process running
 * one search breaks rank ties without reading ids. A cache, trusted only
 * for the revision it was saved at: without it (or with a stale one)
 * searches rank alike, only reading more. Does nothing when the file is
 * of this revision already, or for shards and read handles. SOL_ERR_IO
 * when it cannot be written; the index is untouched either way. */
sol_status idx_save_id_order(idx_db *db, sol_err *err);

/* Remove a source (or, given a content id, the whole document). */
sol_status idx_remove(idx_db *db, const char *source_or_id, sol_err *err);

/* The schema version the index was written in; *current, unless NULL,
 * gets the one this Solent writes (older ones it reads: see idx_upgrade). */
int idx_schema_version(idx_db *db, int *current);

/* Rewrite, in place, every document an older schema version wrote (one
 * this version still reads, schema.h) as this version writes it, from what
 * the document keeps: its record, text, sources and batches. Ids, docids
 * and what searches find stay as they were; only the reading gets faster.
 * Commits every `chunk` documents (0: 500), so a crash loses at most a
 * chunk's work, and a second run finishes the job (documents already
 * rewritten are skipped); the index is marked as this version only once
 * none is left. *rewritten counts the documents rewritten (0 when the
 * index is current). progress, unless NULL, is called after each commit
 * with the documents gone through and their total. A document whose kept
 * record cannot be read back is left as it was and the rest rewritten;
 * then the index stays at its version and the result is SOL_ERR_INPUT,
 * naming the first. Needs one local index opened with IDX_WRITE
 * (SOL_ERR_USAGE otherwise). */
sol_status idx_upgrade(idx_db *db, unsigned chunk,
		       void (*progress)(unsigned long done, unsigned long total, void *arg),
		       void *arg, unsigned long *rewritten, sol_err *err);

/* Is this source already indexed with this raw sha256? (lets a re-run
 * skip work it has done). */
int idx_has_source_sha(idx_db *db, const char *source, const char *sha256);

/* Number of documents. */
unsigned long idx_doc_count(idx_db *db);

/* Metadata (batches log, etc.): value is a heap string the caller frees,
 * NULL when unset. */
sol_status idx_set_metadata(idx_db *db, const char *key, const char *value, sol_err *err);
char *idx_get_metadata(idx_db *db, const char *key);
/* Every metadata key starting with prefix, in key order, as a
 * NULL-terminated heap array of heap strings (free with idx_strv_free). */
char **idx_metadata_keys(idx_db *db, const char *prefix);
void idx_strv_free(char **v);

/* ---- searching ---- */

typedef enum idx_sort {
	IDX_SORT_RELEVANCE = 0,
	IDX_SORT_DATE_ASC,
	IDX_SORT_DATE_DESC
} idx_sort;

typedef struct idx_query {
	const char *text;        /* the query, in Solent's query language */
	unsigned offset;         /* first hit to return (0-based) */
	unsigned limit;          /* hits to return (0: none, e.g. for a count) */
	int exact_count;         /* count every match exactly, not estimate */
	int want_record;         /* fill each hit's record_json (a copy of its stored data) */
	idx_sort sort;
	const char *const *facets; /* "org", "person", "place", "act", "year"; may be NULL */
	size_t n_facets;
	unsigned facet_limit;    /* values per facet */
	unsigned snippet_len;    /* characters of snippet; 0 = default */
	const char *hl_start;    /* highlight markers; NULL = "\x01" / "\x02" */
	const char *hl_end;
} idx_query;

typedef struct idx_hit {
	unsigned rank;           /* 1-based over the whole result list */
	int percent;             /* Xapian's relevance percentage */
	double weight;
	char *id, *title, *source, *date, *snippet;
	long long snippet_mark;  /* where in text the first word the snippet
	                            marks starts, in bytes; -1 when it marks
	                            none (a PDF hit's page is counted to it) */
	char *content_type;
	char *text;              /* the cleaned text */
	char *record_json;       /* the stored record with its sources and
	                            entities, but without its text (that is in
	                            text): only when the query asks (want_record) */
} idx_hit;

typedef struct idx_facet_value {
	char *value;
	unsigned long count;
} idx_facet_value;

typedef struct idx_facet {
	char *name;
	idx_facet_value *values;
	size_t n_values;
} idx_facet;

typedef struct idx_results {
	unsigned long long matches_estimated;
	unsigned long long matches_lower, matches_upper;
	idx_hit *hits;
	size_t n_hits;
	idx_facet *facets;
	size_t n_facets;
	char *corrected;         /* "did you mean" query, or NULL */
} idx_results;

/* Run a query. A malformed query is SOL_ERR_PARSE with a message that
 * names the problem. *out (free with idx_results_free) is NULL on failure. */
sol_status idx_search(idx_db *db, const idx_query *q, idx_results **out, sol_err *err);
void idx_results_free(idx_results *res);

/* The stored record of a document given its content id or a source; heap
 * JSON string, caller frees; NULL + SOL_ERR_NOTFOUND if none. */
sol_status idx_get_record(idx_db *db, const char *id_or_source, char **json_out, sol_err *err);

/* Documents most like the given one (Xapian relevance-set expansion). */
sol_status idx_similar(idx_db *db, const char *id_or_source, unsigned limit,
		       idx_results **out, sol_err *err);

/* ---- exploring ---- */

/* One keyword-in-context line. */
typedef struct idx_kwic_line {
	char *source;
	char *left;    /* context before the match, at most `width` bytes */
	char *match;   /* the word as written */
	char *right;   /* context after */
} idx_kwic_line;

typedef struct idx_kwic {
	idx_kwic_line *lines;
	size_t n_lines;
} idx_kwic;

/* Every occurrence of the query's words (stemmed as the query was) in the
 * best max_docs matching documents, with width bytes of context each side
 * (cut on character boundaries, newlines as spaces). At most max_lines. */
sol_status idx_kwic_run(idx_db *db, const char *query, unsigned max_docs, unsigned max_lines,
			unsigned width, idx_kwic **out, sol_err *err);
void idx_kwic_free(idx_kwic *k);

/* The most frequent entities of one field ("org", "person", "place",
 * "act", "role") by the number of documents naming them, as a facet. */
sol_status idx_top_entities(idx_db *db, const char *field, unsigned limit,
			    idx_facet **out, sol_err *err);
void idx_facet_free(idx_facet *f);

/* ---- shards (shard.cc; docs/scale.md) ---- */

/* The shard (0..n-1) a document belongs to, from its content id: the
 * same on every machine, so batches can run on several at once. */
unsigned idx_shard_of(const char *id, unsigned n);

/* Open a Xapian stub file listing shards ("auto PATH", "remote HOST:PORT")
 * for reading, skipping shards that cannot be opened: each one skipped
 * adds a line to *warnings (heap string, caller frees; NULL when none).
 * Fails only when no shard can be opened. */
sol_status idx_open_partial(const char *stub, idx_db **out, char **warnings, sol_err *err);

/* Write a stub file naming the shards: a path (made absolute) or
 * "remote HOST:PORT" / "HOST:PORT" for an xapian-tcpsrv server. */
sol_status idx_write_stub(const char *stub, const char *const *shards, size_t n, sol_err *err);

/* Merge the databases named (paths or stub files) into a new database
 * at dest with Xapian's compaction; dest must not exist. */
sol_status idx_compact(const char *const *sources, size_t n, const char *dest, sol_err *err);

#ifdef __cplusplus
}
#endif

#endif
