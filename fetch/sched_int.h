/*
 * sched_int.h - the fetcher's insides, shared by the scheduler
 * (fetcher.c) and the transfers it runs (transfer.c). Only these two files
 * see libcurl's handles.
 */
#ifndef FCH_SCHED_INT_H
#define FCH_SCHED_INT_H

#include "fetch_int.h"

#include <curl/curl.h>
#include <regex.h>
#include <stdint.h>

typedef struct fch__host fch__host;

/* One URL on its way: queued on its host, then in flight, then done (or
 * queued again for a retry or the next redirect hop). */
typedef struct fch__job {
	char *url;            /* what the next request asks for */
	char *orig_url;       /* what was queued (the document's original_url) */
	int depth;            /* link hops from a URL given */
	int hops;             /* redirects followed so far */
	int attempt;          /* retries used so far */
	int is_robots;        /* the host's robots.txt, not a document */
	fch__host *host;
	struct fch__job *next;

	/* the transfer in flight */
	CURL *easy;
	struct curl_slist *headers;
	sol_buf head;         /* status line and headers of the response */
	sol_buf body;         /* entity body as received (content-encoded) */
	sol_buf request;      /* the request as sent, for WARC */
	int toobig;           /* the body passed the size cap */
	char errbuf[CURL_ERROR_SIZE];
} fch__job;

/* What robots.txt covers and politeness counts by: scheme, host and port
 * (RFC 9309 2.3: robots.txt applies to its own authority and protocol). */
struct fch__host {
	char *origin;         /* "https://www.example.gov.uk:443" */
	uint64_t next_ok_ms;  /* no request starts here before this time */
	int active;           /* transfers in flight */
	enum { ROBOTS_UNKNOWN, ROBOTS_FETCHING, ROBOTS_READY } robots_state;
	fch__robots robots;
	fch__job *q_head, *q_tail;
	fch__host *next;
};

struct fch_fetcher {
	fch_options opts;     /* string members point at the copies below */
	char *user_agent, *protocols, *state_path, *warc_path, *follow_src;
	regex_t follow;
	int has_follow;
	CURLM *multi;
	fch__host *hosts;
	fch__set seen;        /* every URL queued this run */
	fch__state *state;
	fch__warc *warc;
	size_t queued;        /* jobs waiting on hosts */
	size_t running;       /* transfers in flight */
	fch_stats stats;
};

uint64_t fch__now_ms(void);

/* transfer.c */
fch__job *fch__job_new(const char *url, const char *orig_url, int depth);
void fch__job_free(fch__job *j);
/* Build j's easy handle (conditional headers from the state store, the
 * protocol allow-list, limits) and add it to the multi handle. */
sol_status fch__job_start(fch_fetcher *f, fch__job *j, sol_err *err);
/* Remove and clean up j's easy handle, keeping the buffers. */
void fch__job_end_transfer(fch_fetcher *f, fch__job *j);
/* Split a URL: origin ("scheme://host:port") and path with query, each
 * NULL on failure (caller frees both with free()). */
sol_status fch__url_parts(const char *url, char **origin, char **host, char **path);
/* Is url's scheme in the comma-separated list? */
int fch__scheme_allowed(const char *url, const char *protocols);
/* "Not Found" for 404 when the status line carried no reason (HTTP/2). */
const char *fch__reason(long status);

#endif
