/*
 * transfer.c - one HTTP request on libcurl: the easy handle's options, the
 * callbacks that collect the request, the response head and the body, and
 * URL helpers. The scheduler (fetcher.c) decides when and what.
 */
#include "sched_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

uint64_t fch__now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

fch__job *fch__job_new(const char *url, const char *orig_url, int depth)
{
	fch__job *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->url = strdup(url);
	j->orig_url = strdup(orig_url ? orig_url : url);
	j->depth = depth;
	sol_buf_init(&j->head, 256 * 1024);  /* a server may not send endless headers */
	sol_buf_init(&j->body, 0);
	sol_buf_init(&j->request, 0);
	if (!j->url || !j->orig_url) {
		fch__job_free(j);
		return NULL;
	}
	return j;
}

void fch__job_free(fch__job *j)
{
	if (!j)
		return;
	if (j->easy)
		curl_easy_cleanup(j->easy);
	curl_slist_free_all(j->headers);
	sol_buf_release(&j->head);
	sol_buf_release(&j->body);
	sol_buf_release(&j->request);
	free(j->url);
	free(j->orig_url);
	free(j);
}

void fch__job_end_transfer(fch_fetcher *f, fch__job *j)
{
	if (j->easy) {
		curl_multi_remove_handle(f->multi, j->easy);
		curl_easy_cleanup(j->easy);
		j->easy = NULL;
	}
	curl_slist_free_all(j->headers);
	j->headers = NULL;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	fch__job *j = arg;
	size_t len = size * n;

	/* Returning short aborts the transfer (CURLE_WRITE_ERROR); toobig
	 * tells the scheduler why. */
	if (sol_buf_add(&j->body, data, len) != SOL_OK) {
		j->toobig = 1;
		return 0;
	}
	return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	fch__job *j = arg;
	size_t len = size * n;

	/* A new status line starts a new response (after 100 Continue, or a
	 * hop of robots.txt's redirects): only the last one is kept. */
	if (len >= 5 && !memcmp(data, "HTTP/", 5)) {
		sol_buf_reset(&j->head);
		sol_buf_reset(&j->body);
	}
	/* libcurl removes chunked framing; a WARC reader must not try to
	 * de-chunk the stored body again, so the header is renamed (the
	 * practice of other crawlers; docs/fetch.md). */
	if (len > 18 && !strncasecmp(data, "Transfer-Encoding:", 18)) {
		if (sol_buf_adds(&j->head, "X-Crawler-") != SOL_OK)
			return 0;
	}
	if (sol_buf_add(&j->head, data, len) != SOL_OK)
		return 0;
	return len;
}

static int on_debug(CURL *easy, curl_infotype type, char *data, size_t size, void *arg)
{
	fch__job *j = arg;

	if (type == CURLINFO_HEADER_OUT) {
		/* robots.txt may follow redirects: keep the last request. */
		if (j->request.len >= 4 && !memcmp(j->request.data + j->request.len - 4, "\r\n\r\n", 4))
			sol_buf_reset(&j->request);
		sol_buf_add(&j->request, data, size);
	}
	return 0;
}

static sol_status add_header(fch__job *j, const char *name, const char *value)
{
	sol_buf line;
	struct curl_slist *l;

	sol_buf_init(&line, 0);
	if (sol_buf_addf(&line, "%s: %s", name, value) != SOL_OK) {
		sol_buf_release(&line);
		return SOL_ERR_NOMEM;
	}
	l = curl_slist_append(j->headers, line.data);
	sol_buf_release(&line);
	if (!l)
		return SOL_ERR_NOMEM;
	j->headers = l;
	return SOL_OK;
}

sol_status fch__job_start(fch_fetcher *f, fch__job *j, sol_err *err)
{
	const fch_options *o = &f->opts;
	CURL *e;
	CURLcode rc = CURLE_OK;

	sol_buf_reset(&j->head);
	sol_buf_reset(&j->body);
	sol_buf_reset(&j->request);
	/* robots.txt is capped at 500 KiB (RFC 9309 2.5 asks parsers to read
	 * at least that much; more is a mistake or an attack). */
	j->body.max = j->is_robots ? 500 * 1024 : o->max_size;
	j->toobig = 0;
	j->errbuf[0] = '\0';
	e = j->easy = curl_easy_init();
	if (!e)
		return sol_err_set(err, SOL_ERR_NOMEM, "%s: cannot create a transfer", j->url);

#define SET(opt, val) do { if (rc == CURLE_OK) rc = curl_easy_setopt(e, opt, val); } while (0)
	SET(CURLOPT_URL, j->url);
	/* The allow-list for the request and for any redirect libcurl itself
	 * follows (only robots.txt's): a page can never point us at file://. */
	SET(CURLOPT_PROTOCOLS_STR, o->protocols);
	SET(CURLOPT_REDIR_PROTOCOLS_STR, o->protocols);
	SET(CURLOPT_FOLLOWLOCATION, j->is_robots ? 1L : 0L);
	SET(CURLOPT_MAXREDIRS, 5L);
	SET(CURLOPT_USERAGENT, o->user_agent);
	SET(CURLOPT_TIMEOUT_MS, o->timeout_ms);
	SET(CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)j->body.max);
	/* Ask for gzip/deflate but keep the bytes as sent: the WARC record
	 * must hold the entity body as received, and its payload digest is
	 * over those bytes. http.c inflates them, with the size cap applied
	 * to the inflated size too. */
	SET(CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
	SET(CURLOPT_HTTP_CONTENT_DECODING, 0L);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, j);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, j);
	SET(CURLOPT_PRIVATE, j);
	SET(CURLOPT_ERRORBUFFER, j->errbuf);
	SET(CURLOPT_NOSIGNAL, 1L);
	if (f->warc) {
		/* The only way libcurl hands over the request as sent. */
		SET(CURLOPT_DEBUGFUNCTION, on_debug);
		SET(CURLOPT_DEBUGDATA, j);
		SET(CURLOPT_VERBOSE, 1L);
	}
	if (f->state && !j->is_robots) {
		const char *etag, *lm;
		fch__state_get(f->state, j->url, &etag, &lm);
		if ((etag && add_header(j, "If-None-Match", etag) != SOL_OK) ||
		    (lm && add_header(j, "If-Modified-Since", lm) != SOL_OK))
			return sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", j->url);
		if (j->headers)
			SET(CURLOPT_HTTPHEADER, j->headers);
	}
#undef SET
	if (rc != CURLE_OK)
		return sol_err_set(err, SOL_ERR_USAGE, "%s: %s", j->url, curl_easy_strerror(rc));
	if (curl_multi_add_handle(f->multi, e) != CURLM_OK)
		return sol_err_set(err, SOL_ERR_NOMEM, "%s: cannot start the transfer", j->url);
	return SOL_OK;
}

sol_status fch__url_parts(const char *url, char **origin, char **host, char **path)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *h = NULL, *port = NULL, *p = NULL, *q = NULL;
	sol_status st = SOL_ERR_INPUT;
	sol_buf b;

	*origin = *host = *path = NULL;
	sol_buf_init(&b, 0);
	if (!u)
		return SOL_ERR_NOMEM;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &p, 0) != CURLUE_OK)
		goto out;
	curl_url_get(u, CURLUPART_QUERY, &q, 0);
	for (char *c = h; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	st = SOL_ERR_NOMEM;
	if (sol_buf_addf(&b, "%s://%s:%s", scheme, h, port) != SOL_OK ||
	    !(*origin = sol_buf_detach(&b, NULL)) || !(*host = strdup(h)) ||
	    sol_buf_addf(&b, "%s%s%s", p, q ? "?" : "", q ? q : "") != SOL_OK ||
	    !(*path = sol_buf_detach(&b, NULL)))
		goto out;
	st = SOL_OK;
out:
	if (st != SOL_OK) {
		free(*origin);
		free(*host);
		free(*path);
		*origin = *host = *path = NULL;
	}
	sol_buf_release(&b);
	curl_free(scheme);
	curl_free(h);
	curl_free(port);
	curl_free(p);
	curl_free(q);
	curl_url_cleanup(u);
	return st;
}

int fch__scheme_allowed(const char *url, const char *protocols)
{
	const char *colon = strchr(url, ':');
	size_t n;

	if (!colon)
		return 0;
	n = (size_t)(colon - url);
	for (const char *p = protocols; *p;) {
		const char *comma = strchr(p, ',');
		size_t k = comma ? (size_t)(comma - p) : strlen(p);
		const char *b = p;
		while (k && isspace((unsigned char)*b)) {
			b++;
			k--;
		}
		while (k && isspace((unsigned char)b[k - 1]))
			k--;
		if ((k == 3 && !strncasecmp(b, "all", 3)) || (k == n && !strncasecmp(b, url, n)))
			return 1;
		if (!comma)
			break;
		p = comma + 1;
	}
	return 0;
}

const char *fch__reason(long status)
{
	static const struct { long code; const char *text; } reasons[] = {
		{ 200, "OK" }, { 301, "Moved Permanently" }, { 302, "Found" },
		{ 303, "See Other" }, { 304, "Not Modified" }, { 307, "Temporary Redirect" },
		{ 308, "Permanent Redirect" }, { 400, "Bad Request" }, { 401, "Unauthorized" },
		{ 403, "Forbidden" }, { 404, "Not Found" }, { 410, "Gone" },
		{ 429, "Too Many Requests" }, { 500, "Internal Server Error" },
		{ 501, "Not Implemented" }, { 502, "Bad Gateway" },
		{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
	};
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if (reasons[i].code == status)
			return reasons[i].text;
	return "";
}
