/*
 * fetcher.c - the scheduler: per-host queues with a politeness delay,
 * robots.txt first on every host, libcurl's multi interface for the
 * transfers, and what each finished transfer means (a document, a retry, a
 * redirect hop, a 304, a failure).
 */
#include "sched_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void fch_options_init(fch_options *o)
{
	memset(o, 0, sizeof *o);
	o->delay_ms = 1000;
	o->timeout_ms = 30000;
	o->connect_timeout_ms = 10000;
	o->max_size = 64u * 1024 * 1024;
	o->max_redirects = 10;
	o->retries = 3;
	o->backoff_ms = 1000;
	o->max_backoff_ms = 120000;
	o->per_host = 1;
	o->max_parallel = 16;
	o->user_agent = FCH_DEFAULT_USER_AGENT;
	o->protocols = "http,https";
	o->depth = 1;
}

int fch_is_url(const char *s)
{
	return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8);
}

void fch_get_stats(const fch_fetcher *f, fch_stats *out)
{
	*out = f->stats;
}

fch_fetcher *fch_new(const fch_options *opts, sol_err *err)
{
	fch_options defaults;
	fch_fetcher *f;
	static int curl_ready;

	if (!opts) {
		fch_options_init(&defaults);
		opts = &defaults;
	}
	/* Not thread-safe, and need not be: the programs call this once,
	 * before any thread exists. */
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			sol_err_set(err, SOL_ERR_IO, "cannot initialise libcurl");
			return NULL;
		}
		curl_ready = 1;
	}
	f = calloc(1, sizeof *f);
	if (!f) {
		sol_err_set(err, SOL_ERR_NOMEM, "out of memory");
		return NULL;
	}
	f->opts = *opts;
	fch__set_init(&f->seen);
	if (f->opts.per_host < 1)
		f->opts.per_host = 1;
	if (f->opts.max_parallel < 1)
		f->opts.max_parallel = 1;
	if (f->opts.max_size == 0)
		f->opts.max_size = 64u * 1024 * 1024;
	f->user_agent = strdup(opts->user_agent ? opts->user_agent : FCH_DEFAULT_USER_AGENT);
	f->protocols = strdup(opts->protocols ? opts->protocols : "http,https");
	f->state_path = sol_strdup(opts->state_path);
	f->warc_path = sol_strdup(opts->warc_path);
	f->follow_src = sol_strdup(opts->follow_regex);
	if (!f->user_agent || !f->protocols || (opts->state_path && !f->state_path) ||
	    (opts->warc_path && !f->warc_path) || (opts->follow_regex && !f->follow_src)) {
		sol_err_set(err, SOL_ERR_NOMEM, "out of memory");
		goto fail;
	}
	f->opts.user_agent = f->user_agent;
	f->opts.protocols = f->protocols;
	f->opts.state_path = f->state_path;
	f->opts.warc_path = f->warc_path;
	f->opts.follow_regex = f->follow_src;
	if (f->follow_src) {
		int rc = regcomp(&f->follow, f->follow_src, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			char msg[256];
			regerror(rc, &f->follow, msg, sizeof msg);
			sol_err_set(err, SOL_ERR_USAGE, "--follow '%s': %s", f->follow_src, msg);
			goto fail;
		}
		f->has_follow = 1;
	}
	f->multi = curl_multi_init();
	if (!f->multi) {
		sol_err_set(err, SOL_ERR_NOMEM, "cannot create a libcurl multi handle");
		goto fail;
	}
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)f->opts.max_parallel);
	/* Check the protocol list once here, where a typo is a usage error,
	 * rather than failing every URL later. */
	{
		CURL *probe = curl_easy_init();
		CURLcode rc = probe ? curl_easy_setopt(probe, CURLOPT_PROTOCOLS_STR, f->protocols)
				    : CURLE_OUT_OF_MEMORY;
		curl_easy_cleanup(probe);
		if (rc != CURLE_OK) {
			sol_err_set(err, SOL_ERR_USAGE, "--allow-protocols '%s': %s", f->protocols,
				    curl_easy_strerror(rc));
			goto fail;
		}
	}
	if (f->state_path && !(f->state = fch__state_load(f->state_path, err)))
		goto fail;
	if (f->warc_path) {
		const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
		sol_buf software;
		sol_buf_init(&software, 0);
		sol_buf_addf(&software, "Solent/%s libcurl/%s", SOLENT_VERSION, cv->version);
		f->warc = fch__warc_open(f->warc_path, software.data ? software.data : "Solent", err);
		sol_buf_release(&software);
		if (!f->warc)
			goto fail;
	}
	return f;
fail:
	fch_free(f);
	return NULL;
}

static void free_host(fch__host *h)
{
	fch__job *j, *next;
	for (j = h->q_head; j; j = next) {
		next = j->next;
		fch__job_free(j);
	}
	fch__robots_release(&h->robots);
	free(h->origin);
	free(h);
}

void fch_free(fch_fetcher *f)
{
	fch__host *h, *next;

	if (!f)
		return;
	for (h = f->hosts; h; h = next) {
		next = h->next;
		free_host(h);
	}
	if (f->multi)
		curl_multi_cleanup(f->multi);
	if (f->has_follow)
		regfree(&f->follow);
	fch__set_release(&f->seen);
	fch__state_free(f->state);
	fch__warc_close(f->warc, NULL);
	free(f->user_agent);
	free(f->protocols);
	free(f->state_path);
	free(f->warc_path);
	free(f->follow_src);
	free(f);
}

static fch__host *get_host(fch_fetcher *f, const char *origin)
{
	fch__host *h;

	for (h = f->hosts; h; h = h->next)
		if (!strcmp(h->origin, origin))
			return h;
	h = calloc(1, sizeof *h);
	if (!h || !(h->origin = strdup(origin))) {
		free(h);
		return NULL;
	}
	fch__robots_init(&h->robots);
	h->robots_state = f->opts.ignore_robots ? ROBOTS_READY : ROBOTS_UNKNOWN;
	h->next = f->hosts;
	f->hosts = h;
	return h;
}

/* Put j on the queue of the host its URL names; front = ahead of the rest
 * (a retry or a redirect hop finishes what was started). */
static sol_status enqueue(fch_fetcher *f, fch__job *j, int front, sol_err *err)
{
	char *origin, *host, *path;
	sol_status st = fch__url_parts(j->url, &origin, &host, &path);

	if (st != SOL_OK)
		return sol_err_set(err, st, "%s: %s", j->url,
				   st == SOL_ERR_NOMEM ? "out of memory" : "not a valid URL");
	j->host = get_host(f, origin);
	free(origin);
	free(host);
	free(path);
	if (!j->host)
		return sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", j->url);
	j->next = NULL;
	if (front) {
		j->next = j->host->q_head;
		j->host->q_head = j;
		if (!j->host->q_tail)
			j->host->q_tail = j;
	} else {
		if (j->host->q_tail)
			j->host->q_tail->next = j;
		else
			j->host->q_head = j;
		j->host->q_tail = j;
	}
	f->queued++;
	return SOL_OK;
}

static sol_status add_job(fch_fetcher *f, const char *url, int depth, sol_err *err)
{
	fch__job *j;
	sol_status st;
	int added;

	if (!fch__scheme_allowed(url, f->protocols))
		return sol_err_set(err, SOL_ERR_INPUT, "%s: protocol not allowed (allowed: %s)", url,
				   f->protocols);
	added = fch__set_add(&f->seen, url);
	if (added < 0)
		return sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", url);
	if (added == 0)
		return SOL_OK;
	j = fch__job_new(url, url, depth);
	if (!j)
		return sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", url);
	if ((st = enqueue(f, j, 0, err)) != SOL_OK)
		fch__job_free(j);
	return st;
}

sol_status fch_add(fch_fetcher *f, const char *url, sol_err *err)
{
	return add_job(f, url, 0, err);
}

/* ---- what a finished transfer means ---- */

struct run_ctx {
	fch_fetcher *f;
	fch_result_fn fn;
	void *arg;
	fch__job *job;      /* the page whose links are being followed */
};

static void deliver(struct run_ctx *rc, fch__job *j, fch_outcome outcome, long status,
		    const char *media, const char *charset, const sol_buf *body,
		    const char *error)
{
	char now[21];
	fch_result res;

	fch__iso_time(time(NULL), now);
	memset(&res, 0, sizeof res);
	res.outcome = outcome;
	res.url = j->orig_url;
	res.final_url = j->url;
	res.status = status;
	res.content_type = media;
	res.charset = charset;
	res.body = (const unsigned char *)(body && body->data ? body->data : "");
	res.len = body ? body->len : 0;
	res.fetched_at = now;
	res.depth = j->depth;
	res.error = error;
	if (outcome == FCH_FETCHED)
		rc->f->stats.fetched++;
	else if (outcome == FCH_UNCHANGED)
		rc->f->stats.unchanged++;
	else
		rc->f->stats.failed++;
	rc->fn(rc->arg, &res);
}

/* Fail j with "ORIGINAL-URL: reason[ (at FINAL-URL)]". */
static void fail_job(struct run_ctx *rc, fch__job *j, long status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void fail_job(struct run_ctx *rc, fch__job *j, long status, const char *fmt, ...)
{
	sol_buf msg;
	char reason[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	sol_buf_init(&msg, 0);
	sol_buf_addf(&msg, "%s: %s", j->orig_url, reason);
	if (j->hops && strcmp(j->url, j->orig_url))
		sol_buf_addf(&msg, " (redirected to %s)", j->url);
	deliver(rc, j, FCH_FAILED, status, NULL, NULL, NULL, msg.data ? msg.data : reason);
	sol_buf_release(&msg);
}

static void on_link(void *arg, const char *url)
{
	struct run_ctx *rc = arg;
	fch_fetcher *f = rc->f;
	char *origin, *host, *path, *page_origin, *page_host, *page_path;
	sol_err err;

	if (!fch__scheme_allowed(url, f->protocols) || regexec(&f->follow, url, 0, NULL, 0) != 0)
		return;
	if (fch__url_parts(url, &origin, &host, &path) != SOL_OK)
		return;
	if (fch__url_parts(rc->job->url, &page_origin, &page_host, &page_path) == SOL_OK) {
		/* Same host name: http and https of one site are one site. */
		if (!strcmp(host, page_host) && add_job(f, url, rc->job->depth + 1, &err) != SOL_OK)
			fprintf(stderr, "solent-fetch: %s\n", err.msg);
		free(page_origin);
		free(page_host);
		free(page_path);
	}
	free(origin);
	free(host);
	free(path);
}

static void archive(struct run_ctx *rc, fch__job *j)
{
	fch_fetcher *f = rc->f;
	char date[21];
	char *ip = NULL;
	sol_err err;

	if (!f->warc || !j->head.len)
		return;
	curl_easy_getinfo(j->easy, CURLINFO_PRIMARY_IP, &ip);
	fch__iso_time(time(NULL), date);
	if (fch__warc_write_exchange(f->warc, j->url, date, ip && *ip ? ip : NULL,
				     j->request.data ? j->request.data : "", j->request.len,
				     j->head.data, j->head.len,
				     (const unsigned char *)(j->body.data ? j->body.data : ""), j->body.len,
				     &err) != SOL_OK)
		fprintf(stderr, "solent-fetch: %s\n", err.msg);
}

static void robots_done(fch_fetcher *f, fch__job *j, CURLcode cc, long status)
{
	fch__host *h = j->host;

	fch__robots_release(&h->robots);
	if ((cc == CURLE_OK || j->toobig) && status >= 200 && status < 300) {
		/* A robots.txt over the cap is read as far as it went. */
		if (fch__robots_parse(j->body.data ? j->body.data : "", j->body.len, "solent",
				      &h->robots) != SOL_OK)
			h->robots.disallow_all = 1;
	} else if ((cc == CURLE_OK || j->toobig) && status >= 400 && status < 500) {
		/* "Unavailable": no robots.txt, everything allowed. */
	} else {
		/* "Unreachable" (5xx, no answer): RFC 9309 2.3.1.4 says assume
		 * complete disallow. */
		h->robots.disallow_all = 1;
		if (f->opts.verbose)
			fprintf(stderr, "solent-fetch: %s/robots.txt unreachable (%s): not fetching from %s\n",
				h->origin, cc != CURLE_OK ? curl_easy_strerror(cc) : "server error",
				h->origin);
	}
	h->robots_state = ROBOTS_READY;
}

static int curl_retryable(CURLcode cc)
{
	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

/* Queue j again after a wait; 0 when out of retries (or the server asks
 * for longer than we wait), so the caller fails it. */
static int retry_later(struct run_ctx *rc, fch__job *j, long retry_after_ms)
{
	fch_fetcher *f = rc->f;
	long wait;
	sol_err err;

	if (j->attempt >= f->opts.retries)
		return 0;
	if (retry_after_ms > f->opts.max_backoff_ms)
		return 0;
	j->attempt++;
	wait = fch__backoff_ms(j->attempt, f->opts.backoff_ms, f->opts.max_backoff_ms,
			       fch__random_unit());
	if (retry_after_ms > wait)
		wait = retry_after_ms;
	/* The wait holds the whole host back, not just this URL: a 429 or
	 * 503 speaks for the server. */
	uint64_t until = fch__now_ms() + (uint64_t)wait;
	if (until > j->host->next_ok_ms)
		j->host->next_ok_ms = until;
	if (f->opts.verbose)
		fprintf(stderr, "solent-fetch: retrying %s in %ld ms (attempt %d of %d)\n", j->url,
			wait, j->attempt + 1, f->opts.retries + 1);
	f->stats.retries++;
	if (enqueue(f, j, 1, &err) != SOL_OK) {
		fprintf(stderr, "solent-fetch: %s\n", err.msg);
		return 0;
	}
	return 1;
}

/* Decide what the finished transfer j means. Returns 1 when j was queued
 * again (retry, redirect), 0 when it is finished and may be freed. */
static int finish(struct run_ctx *rc, fch__job *j, CURLcode cc)
{
	fch_fetcher *f = rc->f;
	long status = 0;
	char *redirect = NULL;
	sol_buf value, reason, decoded;
	sol_err err;
	int requeued = 0;

	sol_buf_init(&value, 0);
	sol_buf_init(&reason, 0);
	sol_buf_init(&decoded, 0);
	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	if (j->head.len)
		fch__status_line(j->head.data, j->head.len, &reason);
	if (!reason.len)
		sol_buf_adds(&reason, fch__reason(status));
	if (f->opts.verbose)
		fprintf(stderr, "solent-fetch: GET %s -> %ld %s%s%s\n", j->url, status,
			reason.data ? reason.data : "", cc != CURLE_OK ? " / " : "",
			cc != CURLE_OK ? curl_easy_strerror(cc) : "");
	archive(rc, j);

	if (j->is_robots) {
		robots_done(f, j, cc, status);
		goto out;
	}
	if (j->toobig || cc == CURLE_FILESIZE_EXCEEDED) {
		fail_job(rc, j, status, "body over the %zu-byte limit (--max-size)", f->opts.max_size);
		goto out;
	}
	if (cc != CURLE_OK) {
		if (curl_retryable(cc) && (requeued = retry_later(rc, j, -1)))
			goto out;
		fail_job(rc, j, status, "%s%s", j->errbuf[0] ? j->errbuf : curl_easy_strerror(cc),
			 j->attempt ? " (after retries)" : "");
		goto out;
	}
	if (status >= 300 && status < 400 && status != 304 &&
	    curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK && redirect) {
		if (j->hops >= f->opts.max_redirects) {
			fail_job(rc, j, status, "too many redirects (more than %d)", f->opts.max_redirects);
			goto out;
		}
		if (!fch__scheme_allowed(redirect, f->protocols)) {
			fail_job(rc, j, status, "redirect to %s refused: protocol not allowed", redirect);
			goto out;
		}
		char *next = strdup(redirect);
		if (!next) {
			fail_job(rc, j, status, "out of memory");
			goto out;
		}
		free(j->url);
		j->url = next;
		j->hops++;
		j->attempt = 0;
		fch__set_add(&f->seen, next);  /* a link to it later is not fetched again */
		if (enqueue(f, j, 1, &err) != SOL_OK) {
			fail_job(rc, j, status, "%s", err.msg);
			goto out;
		}
		requeued = 1;
		goto out;
	}
	if (status == 304) {
		deliver(rc, j, FCH_UNCHANGED, status, NULL, NULL, NULL, NULL);
		goto out;
	}
	if (fch__status_retryable(status)) {
		long after = -1;
		if (fch__header_value(j->head.data, j->head.len, "Retry-After", &value))
			after = fch__retry_after_ms(value.data, time(NULL));
		if ((requeued = retry_later(rc, j, after)))
			goto out;
		if (after > f->opts.max_backoff_ms)
			fail_job(rc, j, status, "HTTP %ld %s (Retry-After %ld s is longer than the %ld s we wait)",
				 status, reason.data ? reason.data : "", after / 1000,
				 f->opts.max_backoff_ms / 1000);
		else
			fail_job(rc, j, status, "HTTP %ld %s%s", status, reason.data ? reason.data : "",
				 j->attempt ? " (after retries)" : "");
		goto out;
	}
	if (status < 200 || status >= 300) {
		fail_job(rc, j, status, "HTTP %ld %s", status, reason.data ? reason.data : "");
		goto out;
	}

	/* A document. */
	char *media = NULL, *charset = NULL;
	const char *enc = NULL;
	sol_buf encoding;
	sol_buf_init(&encoding, 0);
	if (fch__header_value(j->head.data, j->head.len, "Content-Type", &value))
		fch__parse_content_type(value.data, &media, &charset);
	if (fch__header_value(j->head.data, j->head.len, "Content-Encoding", &encoding))
		enc = encoding.data;
	if (fch__decode_body(enc, (const unsigned char *)(j->body.data ? j->body.data : ""),
			     j->body.len, f->opts.max_size, &decoded, &err) != SOL_OK) {
		fail_job(rc, j, status, "%s", err.msg);
	} else {
		f->stats.bytes += decoded.len;
		if (f->state) {
			char now[21];
			sol_buf lm;
			sol_buf_init(&lm, 0);
			int has_etag = fch__header_value(j->head.data, j->head.len, "ETag", &value);
			int has_lm = fch__header_value(j->head.data, j->head.len, "Last-Modified", &lm);
			fch__iso_time(time(NULL), now);
			if (fch__state_set(f->state, j->url, has_etag ? value.data : NULL,
					   has_lm ? lm.data : NULL, now) != SOL_OK)
				fprintf(stderr, "solent-fetch: %s: out of memory recording its ETag\n", j->url);
			sol_buf_release(&lm);
		}
		if (f->has_follow && j->depth < f->opts.depth && media &&
		    (strstr(media, "html") != NULL)) {
			rc->job = j;
			fch__extract_links((const unsigned char *)(decoded.data ? decoded.data : ""),
					   decoded.len, charset, j->url, on_link, rc);
			rc->job = NULL;
		}
		deliver(rc, j, FCH_FETCHED, status, media, charset, &decoded, NULL);
	}
	free(media);
	free(charset);
	sol_buf_release(&encoding);
out:
	sol_buf_release(&value);
	sol_buf_release(&reason);
	sol_buf_release(&decoded);
	return requeued;
}

/* ---- the loop ---- */

/* Start every job whose host may be asked now. Returns the milliseconds
 * until the next waiting host may be asked (-1 when none waits). */
static long start_ready(struct run_ctx *rc)
{
	fch_fetcher *f = rc->f;
	uint64_t now = fch__now_ms();
	long next = -1;
	sol_err err;

	for (fch__host *h = f->hosts; h; h = h->next) {
		while (h->q_head && f->running < (size_t)f->opts.max_parallel) {
			if (h->robots_state == ROBOTS_FETCHING)
				break;
			if (h->active >= f->opts.per_host || (h->active && h->robots_state != ROBOTS_READY))
				break;
			if (now < h->next_ok_ms) {
				long wait = (long)(h->next_ok_ms - now);
				if (next < 0 || wait < next)
					next = wait;
				break;
			}
			fch__job *j;
			if (h->robots_state == ROBOTS_UNKNOWN) {
				sol_buf url;
				sol_buf_init(&url, 0);
				sol_buf_addf(&url, "%s/robots.txt", h->origin);
				j = url.data ? fch__job_new(url.data, NULL, 0) : NULL;
				sol_buf_release(&url);
				if (!j) {
					h->robots_state = ROBOTS_READY;  /* cannot ask: carry on allowed */
					continue;
				}
				j->is_robots = 1;
				j->host = h;
				h->robots_state = ROBOTS_FETCHING;
			} else {
				j = h->q_head;
				h->q_head = j->next;
				if (!h->q_head)
					h->q_tail = NULL;
				j->next = NULL;
				f->queued--;
				if (!f->opts.ignore_robots) {
					char *origin, *host, *path;
					if (fch__url_parts(j->url, &origin, &host, &path) == SOL_OK) {
						int ok = fch__robots_allowed(&h->robots, path);
						free(origin);
						free(host);
						free(path);
						if (!ok) {
							fail_job(rc, j, 0, "disallowed by robots.txt%s",
								 h->robots.disallow_all ? " (robots.txt unreachable)" : "");
							fch__job_free(j);
							continue;
						}
					}
				}
			}
			if (fch__job_start(f, j, &err) != SOL_OK) {
				fch__job_end_transfer(f, j);
				if (j->is_robots)
					h->robots_state = ROBOTS_READY;
				else
					fail_job(rc, j, 0, "%s", err.msg);
				fch__job_free(j);
				continue;
			}
			h->active++;
			f->running++;
			f->stats.requests++;
			/* A robots.txt Crawl-delay longer than ours is honoured. */
			long delay = f->opts.delay_ms;
			if (h->robots.crawl_delay_ms > delay)
				delay = h->robots.crawl_delay_ms > 60000 ? 60000 : h->robots.crawl_delay_ms;
			h->next_ok_ms = now + (uint64_t)delay;
		}
	}
	return next;
}

sol_status fch_run(fch_fetcher *f, fch_result_fn fn, void *arg, sol_err *err)
{
	struct run_ctx rc = { f, fn, arg, NULL };
	sol_status st = SOL_OK;
	int still;

	while (f->queued || f->running) {
		long wait = start_ready(&rc);
		CURLMcode mc = curl_multi_perform(f->multi, &still);
		if (mc != CURLM_OK) {
			st = sol_err_set(err, SOL_ERR_IO, "libcurl: %s", curl_multi_strerror(mc));
			break;
		}
		CURLMsg *msg;
		int left, finished = 0;
		while ((msg = curl_multi_info_read(f->multi, &left)) != NULL) {
			fch__job *j = NULL;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
			CURLcode cc = msg->data.result;
			fch__host *h = j->host;
			f->running--;
			h->active--;
			finished = 1;
			/* Politeness counts from when the last request ended, so a slow
			 * server gets its full pause too. */
			long delay = f->opts.delay_ms;
			if (h->robots.crawl_delay_ms > delay)
				delay = h->robots.crawl_delay_ms > 60000 ? 60000 : h->robots.crawl_delay_ms;
			uint64_t until = fch__now_ms() + (uint64_t)delay;
			if (!j->is_robots && until > h->next_ok_ms)
				h->next_ok_ms = until;
			int again = finish(&rc, j, cc);
			fch__job_end_transfer(f, j);
			if (!again)
				fch__job_free(j);
		}
		if (finished)
			continue;  /* new work may be startable at once */
		if (!f->running && !f->queued)
			break;
		/* Sleep until a socket is ready, a timer fires, or the next host
		 * may be asked; never longer than a second so a missed wake-up
		 * costs little. */
		long timeout = wait < 0 || wait > 1000 ? 1000 : wait;
		if (!f->running && wait < 0)
			timeout = 0;
		mc = curl_multi_poll(f->multi, NULL, 0, (int)timeout, NULL);
		if (mc != CURLM_OK) {
			st = sol_err_set(err, SOL_ERR_IO, "libcurl: %s", curl_multi_strerror(mc));
			break;
		}
	}
	if (f->state) {
		sol_err serr;
		if (fch__state_save(f->state, &serr) != SOL_OK && st == SOL_OK) {
			st = serr.status;
			if (err)
				*err = serr;
		}
	}
	if (f->warc)
		fflush(NULL);
	return st;
}
