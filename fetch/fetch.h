/*
 * fetch.h - the fetch stage's contract: URLs in, HTTP(S) responses out,
 * fetched the way a good citizen fetches (docs/fetch.md).
 *
 *   fch_options opts;
 *   fch_options_init(&opts);                 // the polite defaults
 *   fch_fetcher *f = fch_new(&opts, &err);   // NULL on bad options
 *   fch_add(f, "https://www.example.gov.uk/x", &err);
 *   fch_run(f, on_result, arg, &err);        // calls on_result once a URL
 *   fch_free(f);
 *
 * What a fetcher promises:
 *   - libcurl's multi interface: transfers to different hosts run at the
 *     same time; to one host at most `per_host` at once (default 1), each
 *     starting no sooner than `delay_ms` after the previous one there
 *     finished (or robots.txt's Crawl-delay, when that is longer).
 *   - Only the protocols in `protocols` (default "http,https") are ever
 *     spoken, for the first request and for every redirect: a page can
 *     never make the fetcher read file:// or anything else.
 *   - Redirects are followed by the fetcher itself (not by libcurl), one
 *     request each, so each hop is polite, robots-checked and archived;
 *     more than `max_redirects` hops fail the URL.
 *   - Timeouts, connection failures, 429 and 5xx are retried up to
 *     `retries` times with exponential backoff and jitter, waiting at least
 *     what Retry-After asks; other 4xx fail at once.
 *   - robots.txt is fetched once a host and obeyed (RFC 9309) unless
 *     `ignore_robots`; a URL it disallows fails with that reason.
 *   - With `state_path`, ETag and Last-Modified are kept per URL and sent
 *     back as If-None-Match / If-Modified-Since; a 304 is reported as
 *     unchanged (FCH_UNCHANGED). The file is rewritten when fch_run ends.
 *   - With `follow_regex`, same-host links in HTML pages whose absolute URL
 *     matches (POSIX extended regex) are queued, to `depth` hops from the
 *     URLs given; no URL is fetched twice in one run.
 *   - With `warc_path`, every request and response (robots.txt, redirects
 *     and errors included) is appended as WARC/1.1 records, one gzip member
 *     each.
 *   - Bodies arrive decoded (gzip/deflate undone) and no larger than
 *     `max_size` bytes; a larger body fails the URL.
 */
#ifndef FCH_FETCH_H
#define FCH_FETCH_H

#include "sol.h"

#include <stdio.h>

#define FCH_DEFAULT_USER_AGENT "Solent/" SOLENT_VERSION " (+https://example.invalid/solent)"

typedef struct fch_options {
	long delay_ms;            /* per host, between requests; default 1000 */
	long timeout_ms;          /* whole transfer; default 30000 */
	long connect_timeout_ms;  /* default 10000 */
	size_t max_size;          /* decoded body bytes; default 64 MiB */
	int max_redirects;        /* default 10 */
	int retries;              /* extra attempts after the first; default 3 */
	long backoff_ms;          /* first retry wait; doubles each time; default 1000 */
	long max_backoff_ms;      /* no wait (Retry-After included) longer; default 120000 */
	int per_host;             /* transfers at once to one host; default 1 */
	int max_parallel;         /* transfers at once in all; default 16 */
	const char *user_agent;   /* default FCH_DEFAULT_USER_AGENT */
	const char *protocols;    /* libcurl list, default "http,https" */
	int ignore_robots;        /* the archivist's own site: skip robots.txt */
	const char *state_path;   /* conditional-GET store, or NULL */
	const char *follow_regex; /* links to follow, or NULL */
	int depth;                /* link hops from the URLs given; default 1 */
	const char *warc_path;    /* WARC file to append to, or NULL */
	int verbose;              /* one stderr line per request */
} fch_options;

/* Fill in the defaults above (borrowed strings are static). */
void fch_options_init(fch_options *opts);

typedef enum fch_outcome {
	FCH_FETCHED = 0,  /* a 2xx with a body */
	FCH_UNCHANGED,    /* 304 Not Modified to a conditional request */
	FCH_FAILED        /* see fch_result.error */
} fch_outcome;

/* One URL's outcome, handed to the callback; valid only during the call
 * (copy what you keep). */
typedef struct fch_result {
	fch_outcome outcome;
	const char *url;          /* as asked for (a given URL or a followed link) */
	const char *final_url;    /* after redirects (== url when none) */
	long status;              /* last HTTP status, 0 if none arrived */
	const char *content_type; /* media type, lower case, no parameters; or NULL */
	const char *charset;      /* charset parameter of Content-Type, or NULL */
	const unsigned char *body;/* decoded body (never NULL; may be empty) */
	size_t len;
	const char *fetched_at;   /* ISO 8601 UTC */
	int depth;                /* 0 for URLs given, n for links n hops away */
	const char *error;        /* FCH_FAILED: "URL: reason", else NULL */
} fch_result;

typedef void (*fch_result_fn)(void *arg, const fch_result *res);

typedef struct fch_fetcher fch_fetcher;

/* A fetcher with these options (copied; opts may be NULL for defaults).
 * NULL on failure, with err naming the bad option (a regex that does not
 * compile, a state file that cannot be read, a WARC file that cannot be
 * opened, libcurl refusing the protocol list). */
fch_fetcher *fch_new(const fch_options *opts, sol_err *err);
void fch_free(fch_fetcher *f);

/* Queue a URL. A URL already queued in this run is ignored (SOL_OK). An
 * unparsable URL or a protocol not allowed is SOL_ERR_INPUT; the caller
 * decides whether that fails the batch (the programs report it as a
 * failure record). */
sol_status fch_add(fch_fetcher *f, const char *url, sol_err *err);

/* Fetch everything queued (and everything followed) and call fn once for
 * each URL, in completion order. Returns SOL_OK when the run finished
 * (whatever the individual outcomes), an error only when the run could not
 * go on (libcurl failing, the WARC or state file unwritable). */
sol_status fch_run(fch_fetcher *f, fch_result_fn fn, void *arg, sol_err *err);

/* Counts of the last run, for the closing line. */
typedef struct fch_stats {
	unsigned long fetched, unchanged, failed;  /* outcomes */
	unsigned long requests, retries;           /* wire requests, retries among them */
	unsigned long long bytes;                  /* decoded body bytes */
} fch_stats;
void fch_get_stats(const fch_fetcher *f, fch_stats *out);

/* Is s an absolute URL the fetch stage handles by default (http/https)? */
int fch_is_url(const char *s);

/* ---- reading WARC back (the writer is internal to the fetcher) ---- */

/* One HTTP response recovered from a WARC file, as a document. */
typedef struct fch_warc_doc {
	const char *target_uri;   /* WARC-Target-URI */
	const char *date;         /* WARC-Date */
	long status;              /* HTTP status */
	const char *content_type; /* as in fch_result */
	const char *charset;
	const unsigned char *body;/* decoded (Content-Encoding undone) */
	size_t len;
} fch_warc_doc;

/* Call fn for every `response` record of FILE (.warc.gz with one gzip
 * member a record, or uncompressed .warc) that holds a 2xx HTTP response,
 * except responses to robots.txt, which are the fetcher's own. Bodies over
 * max_size (0: 64 MiB) are skipped with a note through on_skip (may be
 * NULL). Returns an error naming the file and the byte offset of the
 * record when the file is not WARC or is cut short; records delivered
 * before that stay delivered. *n_docs counts the calls to fn. */
typedef void (*fch_warc_doc_fn)(void *arg, const fch_warc_doc *doc);
typedef void (*fch_warc_skip_fn)(void *arg, const char *target_uri, const char *why);
sol_status fch_warc_read_docs(const char *path, size_t max_size, fch_warc_doc_fn fn,
			      fch_warc_skip_fn on_skip, void *arg, unsigned long *n_docs,
			      sol_err *err);

/* Does the file name say WARC (.warc or .warc.gz, any case)? */
int fch_is_warc_name(const char *path);

#endif
