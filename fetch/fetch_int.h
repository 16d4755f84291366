/*
 * fetch_int.h - what the fetch stage's files share and nobody else uses.
 * Internal names carry a double underscore (fch__) so the public contract
 * in fetch.h stays small. The pure parts (robots.txt, Retry-After,
 * backoff, Content-Type, WARC) are declared here so the unit tests can
 * reach them without the network.
 */
#ifndef FCH_FETCH_INT_H
#define FCH_FETCH_INT_H

#include "fetch.h"

#include <time.h>

/* ---- robots.txt (robots.c), RFC 9309 ---- */

typedef struct fch__robots_rule {
	char *pattern;   /* path pattern; '*' any run, trailing '$' anchors */
	int allow;
} fch__robots_rule;

typedef struct fch__robots {
	fch__robots_rule *rules;
	size_t n_rules, cap_rules;
	long crawl_delay_ms;    /* -1 when the group gives none */
	int disallow_all;       /* robots.txt unreachable (5xx, network): RFC 9309 2.3.1.4 */
} fch__robots;

/* Parse robots.txt text for the crawler whose product token is agent
 * ("solent"): the group naming it (case-insensitive) if any, else the '*'
 * group. Always leaves *out usable (release it); only NOMEM fails. */
sol_status fch__robots_parse(const char *text, size_t len, const char *agent,
			     fch__robots *out);
/* Everything allowed (robots.txt missing: any 4xx). */
void fch__robots_init(fch__robots *r);
void fch__robots_release(fch__robots *r);
/* May a URL with this path (and ?query) be fetched? The longest matching
 * rule wins; allow wins a tie; /robots.txt itself is always allowed. */
int fch__robots_allowed(const fch__robots *r, const char *path);

/* ---- retry policy (retry.c) ---- */

/* Wait before retry number `attempt` (1 = first retry): base * 2^(attempt-1)
 * capped at cap, then "equal jitter": a uniformly random point in its upper
 * half (unit in [0,1) supplies the randomness), so that many clients
 * retrying at once spread out but none retries sooner than half the
 * exponential wait. */
long fch__backoff_ms(int attempt, long base_ms, long cap_ms, double unit);
/* Retry-After value (delta-seconds or an HTTP-date) as milliseconds from
 * now; -1 when absent or unparsable; 0 for a date already past. */
long fch__retry_after_ms(const char *value, time_t now);
/* Is this HTTP status worth retrying (429, 5xx)? */
int fch__status_retryable(long status);

/* ---- HTTP helpers (http.c) ---- */

/* "text/html; charset=ISO-8859-1" -> media "text/html" (lower case) and
 * charset "ISO-8859-1" (quotes removed), each NULL when absent. The caller
 * frees both. */
sol_status fch__parse_content_type(const char *value, char **media, char **charset);
/* Value of the last header called name in a raw header block (lines ending
 * CRLF or LF, the status line first), whitespace trimmed, into out.
 * Returns 1 when found. */
int fch__header_value(const char *block, size_t len, const char *name, sol_buf *out);
/* Undo Content-Encoding (gzip, x-gzip, deflate, identity or none) of raw
 * into out (reset first), failing with SOL_ERR_TOOBIG past max bytes:
 * a small gzip body can inflate to gigabytes. */
sol_status fch__decode_body(const char *encoding, const unsigned char *raw, size_t n,
			    size_t max, sol_buf *out, sol_err *err);
/* Status code of "HTTP/1.1 404 Not Found" and the reason text after it. */
long fch__status_line(const char *block, size_t len, sol_buf *reason);

/* ---- digests and identifiers (digest.c) ---- */

/* "sha1:" + RFC 4648 base32 of SHA-1, as WARC-*-Digest wants; out[38]. */
void fch__sha1_base32(const void *data, size_t n, char out[38]);
/* The same over two parts, as if joined. */
void fch__sha1_base32_pair(const void *a, size_t na, const void *b, size_t nb, char out[38]);
/* "<urn:uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx>" from the OS's random
 * source; out[48]. */
void fch__record_id(char out[48]);
/* Seconds since the epoch as ISO 8601 UTC, out[21]. */
void fch__iso_time(time_t t, char out[21]);
/* A uniform double in [0,1). */
double fch__random_unit(void);

/* ---- WARC writer (warc_write.c) ---- */

typedef struct fch__warc fch__warc;
/* Append to path (created if missing; a warcinfo record starts a new file).
 * NULL with err naming the file on failure. */
fch__warc *fch__warc_open(const char *path, const char *software, sol_err *err);
/* Write a request record and its response record (WARC-Concurrent-To
 * links them). request: the HTTP request as sent; head: the response's
 * status line and headers as received, ending with the blank line; body:
 * the entity body as received (still content-encoded). ip may be NULL.
 * Each record is one gzip member, flushed before return. */
sol_status fch__warc_write_exchange(fch__warc *w, const char *target_uri, const char *date,
				    const char *ip, const char *request, size_t request_len,
				    const char *head, size_t head_len,
				    const unsigned char *body, size_t body_len, sol_err *err);
/* Flush and close; reports a failed final write. NULL is fine. */
sol_status fch__warc_close(fch__warc *w, sol_err *err);

/* ---- WARC reader (warc_read.c) ---- */

typedef struct fch__warc_record {
	sol_buf headers;       /* the WARC header block, "WARC/1.1\r\n..." */
	sol_buf block;         /* the content block */
	char type[32];         /* WARC-Type */
	char *target_uri;      /* WARC-Target-URI or NULL */
	char *date;            /* WARC-Date or NULL */
	unsigned long long offset; /* of the record in the uncompressed stream */
} fch__warc_record;

typedef struct fch__warc_reader fch__warc_reader;
fch__warc_reader *fch__warc_reader_open(const char *path, size_t max_block, sol_err *err);
void fch__warc_record_init(fch__warc_record *rec);
void fch__warc_record_release(fch__warc_record *rec);
/* Next record into rec (its previous contents released). Returns SOL_OK and
 * *eof = 0 with a record, SOL_OK and *eof = 1 at the clean end, or an error
 * naming the file and offset. A block over max_block is SOL_ERR_TOOBIG,
 * after which reading can go on with the next record. */
sol_status fch__warc_reader_next(fch__warc_reader *r, fch__warc_record *rec, int *eof,
				 sol_err *err);
void fch__warc_reader_close(fch__warc_reader *r);
/* Value of a WARC header (case-insensitive name) of rec into out: 1 if found. */
int fch__warc_header(const fch__warc_record *rec, const char *name, sol_buf *out);

/* ---- conditional-GET store (state.c) ---- */

typedef struct fch__state fch__state;
/* Load path (a missing file is an empty store). */
fch__state *fch__state_load(const char *path, sol_err *err);
/* Validators recorded for url, each NULL when none; borrowed. */
void fch__state_get(const fch__state *s, const char *url, const char **etag,
		    const char **last_modified);
/* Record (or, with both NULL, forget) url's validators. */
sol_status fch__state_set(fch__state *s, const char *url, const char *etag,
			  const char *last_modified, const char *fetched_at);
/* Rewrite the file (a temporary file renamed over it, so a crash leaves
 * the old store or the new, never half of one). */
sol_status fch__state_save(fch__state *s, sol_err *err);
void fch__state_free(fch__state *s);

/* ---- string set (urlset.c): URLs seen in a run ---- */

typedef struct fch__set {
	char **slots;
	size_t n, cap;
} fch__set;
void fch__set_init(fch__set *s);
void fch__set_release(fch__set *s);
/* 1 if added, 0 if already there, -1 on NOMEM. */
int fch__set_add(fch__set *s, const char *key);
int fch__set_has(const fch__set *s, const char *key);

/* ---- links (links.c) ---- */

/* Call fn with every absolute http(s) URL an <a href> or <area href> of an
 * HTML page points to (resolved against <base href> or base_url, fragment
 * removed). charset may be NULL. */
typedef void (*fch__link_fn)(void *arg, const char *url);
void fch__extract_links(const unsigned char *html, size_t len, const char *charset,
			const char *base_url, fch__link_fn fn, void *arg);

#endif
