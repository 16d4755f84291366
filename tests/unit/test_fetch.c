/* Unit tests for fetch/'s pure parts: robots.txt, Retry-After, backoff,
 * Content-Type, Content-Encoding, digests, the conditional-GET store and
 * the WARC writer/reader round trip. No network. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "fetch_int.h"
#include "check_main.h"

/* ---- robots.txt ---- */

static const char robots_txt[] =
	"# comment\n"
	"User-agent: *\n"
	"Disallow: /private/\n"
	"Crawl-delay: 2\n"
	"\n"
	"User-agent: otherbot\n"
	"User-agent: Solent\n"
	"Disallow: /minutes/\n"
	"Allow: /minutes/public\n"
	"Disallow: /*.pdf$\n"
	"Disallow: /search*q=\n"
	"Crawl-delay: 0.5  # seconds\n"
	"\n"
	"User-agent: badbot\n"
	"Disallow: /\n";

START_TEST(robots_named_group_wins)
{
	fch__robots r;
	ck_assert_int_eq(fch__robots_parse(robots_txt, strlen(robots_txt), "solent", &r), SOL_OK);
	/* our group, not '*': /private/ is allowed for us */
	ck_assert(fch__robots_allowed(&r, "/private/x.html"));
	ck_assert(!fch__robots_allowed(&r, "/minutes/2013/07.html"));
	ck_assert(fch__robots_allowed(&r, "/minutes/public/07.html"));  /* longer Allow wins */
	ck_assert(!fch__robots_allowed(&r, "/docs/report.pdf"));
	ck_assert(fch__robots_allowed(&r, "/docs/report.pdf?x=1"));     /* $ anchors */
	ck_assert(!fch__robots_allowed(&r, "/search?x=1&q=roads"));    /* * in the middle */
	ck_assert(fch__robots_allowed(&r, "/search?x=1"));
	ck_assert(fch__robots_allowed(&r, "/robots.txt"));
	ck_assert_int_eq(r.crawl_delay_ms, 500);
	fch__robots_release(&r);
}
END_TEST

START_TEST(robots_star_group_when_unnamed)
{
	fch__robots r;
	ck_assert_int_eq(fch__robots_parse(robots_txt, strlen(robots_txt), "nobody", &r), SOL_OK);
	ck_assert(!fch__robots_allowed(&r, "/private/x.html"));
	ck_assert(fch__robots_allowed(&r, "/minutes/2013/07.html"));
	ck_assert_int_eq(r.crawl_delay_ms, 2000);
	fch__robots_release(&r);

	ck_assert_int_eq(fch__robots_parse(robots_txt, strlen(robots_txt), "badbot", &r), SOL_OK);
	ck_assert(!fch__robots_allowed(&r, "/"));
	ck_assert(!fch__robots_allowed(&r, "/anything"));
	ck_assert(fch__robots_allowed(&r, "/robots.txt"));
	fch__robots_release(&r);
}
END_TEST

START_TEST(robots_edge_cases)
{
	fch__robots r;
	/* empty Disallow allows all; case-insensitive keys; CRLF lines */
	const char *t = "USER-AGENT: *\r\ndisallow:\r\n";
	ck_assert_int_eq(fch__robots_parse(t, strlen(t), "solent", &r), SOL_OK);
	ck_assert(fch__robots_allowed(&r, "/x"));
	fch__robots_release(&r);
	/* an equal-length tie goes to Allow */
	t = "User-agent: *\nDisallow: /a\nAllow: /a\n";
	ck_assert_int_eq(fch__robots_parse(t, strlen(t), "solent", &r), SOL_OK);
	ck_assert(fch__robots_allowed(&r, "/a/b"));
	fch__robots_release(&r);
	/* rules before any user-agent line belong to no group */
	t = "Disallow: /\n";
	ck_assert_int_eq(fch__robots_parse(t, strlen(t), "solent", &r), SOL_OK);
	ck_assert(fch__robots_allowed(&r, "/x"));
	fch__robots_release(&r);
	/* no robots.txt (init) allows all; unreachable disallows all */
	fch__robots_init(&r);
	ck_assert(fch__robots_allowed(&r, "/x"));
	r.disallow_all = 1;
	ck_assert(!fch__robots_allowed(&r, "/x"));
	ck_assert(fch__robots_allowed(&r, "/robots.txt"));
	fch__robots_release(&r);
	/* binary junk parses to something usable */
	char junk[64];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)(i * 37);
	ck_assert_int_eq(fch__robots_parse(junk, sizeof junk, "solent", &r), SOL_OK);
	ck_assert(fch__robots_allowed(&r, "/x"));
	fch__robots_release(&r);
}
END_TEST

/* ---- retry policy ---- */

START_TEST(retry_after_values)
{
	time_t now = 1000000000;  /* Sun, 09 Sep 2001 01:46:40 GMT */
	ck_assert_int_eq(fch__retry_after_ms("120", now), 120000);
	ck_assert_int_eq(fch__retry_after_ms(" 5 ", now), 5000);
	ck_assert_int_eq(fch__retry_after_ms("0", now), 0);
	ck_assert_int_eq(fch__retry_after_ms("soon", now), -1);
	ck_assert_int_eq(fch__retry_after_ms("-5", now), -1);
	ck_assert_int_eq(fch__retry_after_ms("5s", now), -1);
	ck_assert_int_eq(fch__retry_after_ms(NULL, now), -1);
	ck_assert_int_eq(fch__retry_after_ms("Sun, 09 Sep 2001 01:48:10 GMT", now), 90000);
	ck_assert_int_eq(fch__retry_after_ms("Sun, 09 Sep 2001 01:00:00 GMT", now), 0);
	ck_assert_int_eq(fch__retry_after_ms("Sun, 09 Foo 2001 01:48:10 GMT", now), -1);
	ck_assert_int_eq(fch__retry_after_ms("99999999999", now), 86400L * 1000);
}
END_TEST

START_TEST(backoff_grows_with_jitter)
{
	ck_assert_int_eq(fch__backoff_ms(1, 1000, 60000, 0.0), 500);
	ck_assert_int_ge(fch__backoff_ms(1, 1000, 60000, 0.999), 999);
	ck_assert_int_le(fch__backoff_ms(1, 1000, 60000, 0.999), 1000);
	for (int a = 1; a <= 6; a++) {
		long full = 1000L << (a - 1);
		for (double u = 0; u < 1; u += 0.125) {
			long w = fch__backoff_ms(a, 1000, 60000, u);
			ck_assert_int_ge(w, full / 2);
			ck_assert_int_le(w, full);
		}
	}
	/* capped, also for absurd attempt numbers */
	ck_assert_int_le(fch__backoff_ms(40, 1000, 60000, 0.999), 60000);
	ck_assert_int_ge(fch__backoff_ms(40, 1000, 60000, 0.0), 30000);
	ck_assert_int_eq(fch__backoff_ms(3, 0, 60000, 0.5), 0);
}
END_TEST

START_TEST(retryable_statuses)
{
	ck_assert(fch__status_retryable(429));
	ck_assert(fch__status_retryable(500));
	ck_assert(fch__status_retryable(503));
	ck_assert(fch__status_retryable(504));
	ck_assert(!fch__status_retryable(501));
	ck_assert(!fch__status_retryable(404));
	ck_assert(!fch__status_retryable(403));
	ck_assert(!fch__status_retryable(200));
}
END_TEST

/* ---- HTTP helpers ---- */

START_TEST(content_type_parsing)
{
	char *media, *charset;
	ck_assert_int_eq(fch__parse_content_type("Text/HTML; Charset=\"ISO-8859-1\"", &media, &charset), SOL_OK);
	ck_assert_str_eq(media, "text/html");
	ck_assert_str_eq(charset, "ISO-8859-1");
	free(media);
	free(charset);
	ck_assert_int_eq(fch__parse_content_type("text/plain", &media, &charset), SOL_OK);
	ck_assert_str_eq(media, "text/plain");
	ck_assert_ptr_null(charset);
	free(media);
	ck_assert_int_eq(fch__parse_content_type("text/html; boundary=x; charset=utf-8 ", &media, &charset), SOL_OK);
	ck_assert_str_eq(charset, "utf-8");
	free(media);
	free(charset);
	ck_assert_int_eq(fch__parse_content_type(NULL, &media, &charset), SOL_OK);
	ck_assert_ptr_null(media);
	ck_assert_ptr_null(charset);
}
END_TEST

START_TEST(header_lookup_and_status)
{
	const char *h = "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nETag:  \"v1\" \r\n"
			"content-type: text/plain\r\n\r\n";
	sol_buf v, reason;
	sol_buf_init(&v, 0);
	sol_buf_init(&reason, 0);
	ck_assert(fch__header_value(h, strlen(h), "ETag", &v));
	ck_assert_str_eq(v.data, "\"v1\"");
	ck_assert(fch__header_value(h, strlen(h), "Content-Type", &v));
	ck_assert_str_eq(v.data, "text/plain");  /* the last one */
	ck_assert(!fch__header_value(h, strlen(h), "Location", &v));
	ck_assert_int_eq(fch__status_line(h, strlen(h), &reason), 404);
	ck_assert_str_eq(reason.data, "Not Found");
	ck_assert_int_eq(fch__status_line("HTTP/2 200\r\n", 12, &reason), 200);
	ck_assert_int_eq(fch__status_line("garbage here", 12, NULL), 0);
	sol_buf_release(&v);
	sol_buf_release(&reason);
}
END_TEST

static size_t gzip_bytes(const char *in, size_t n, unsigned char *out, size_t cap)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	ck_assert_int_eq(deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	size_t len = zs.total_out;
	deflateEnd(&zs);
	return len;
}

START_TEST(decode_gzip_and_cap)
{
	static char text[100000];
	static unsigned char gz[200000];
	sol_buf out;
	sol_err err;
	memset(text, 'a', sizeof text);
	size_t n = gzip_bytes(text, sizeof text, gz, sizeof gz);
	sol_buf_init(&out, 0);
	ck_assert_int_eq(fch__decode_body("gzip", gz, n, 1 << 20, &out, &err), SOL_OK);
	ck_assert_uint_eq(out.len, sizeof text);
	ck_assert(!memcmp(out.data, text, sizeof text));
	/* small on the wire, too big once inflated */
	ck_assert_int_eq(fch__decode_body("gzip", gz, n, 5000, &out, &err), SOL_ERR_TOOBIG);
	ck_assert(strstr(err.msg, "5000-byte limit") != NULL);
	/* corrupt data */
	gz[n / 2] ^= 0xff;
	gz[n / 2 + 1] ^= 0xff;
	ck_assert_int_ne(fch__decode_body("gzip", gz, n, 1 << 20, &out, &err), SOL_OK);
	/* identity and unknown encodings */
	ck_assert_int_eq(fch__decode_body(NULL, (const unsigned char *)"abc", 3, 10, &out, &err), SOL_OK);
	ck_assert_str_eq(out.data, "abc");
	ck_assert_int_eq(fch__decode_body("br", (const unsigned char *)"abc", 3, 10, &out, &err), SOL_ERR_INPUT);
	sol_buf_release(&out);
}
END_TEST

START_TEST(sha1_base32_vectors)
{
	char d[38];
	fch__sha1_base32("", 0, d);
	ck_assert_str_eq(d, "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
	fch__sha1_base32("abc", 3, d);
	ck_assert_str_eq(d, "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
	fch__sha1_base32_pair("a", 1, "bc", 2, d);
	ck_assert_str_eq(d, "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
	char id1[48], id2[48];
	fch__record_id(id1);
	fch__record_id(id2);
	ck_assert_uint_eq(strlen(id1), 47);
	ck_assert(!strncmp(id1, "<urn:uuid:", 10));
	ck_assert_str_ne(id1, id2);
}
END_TEST

/* ---- the conditional-GET store and the URL set ---- */

START_TEST(state_round_trip)
{
	char path[] = "/tmp/solent-test-state-XXXXXX";
	int fd = mkstemp(path);
	sol_err err;
	const char *etag, *lm;
	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(path);  /* a missing file is an empty store */

	fch__state *s = fch__state_load(path, &err);
	ck_assert_ptr_nonnull(s);
	fch__state_get(s, "http://a/x", &etag, &lm);
	ck_assert_ptr_null(etag);
	for (int i = 0; i < 500; i++) {  /* past the table's first growth */
		char url[64];
		snprintf(url, sizeof url, "http://a/%d", i);
		ck_assert_int_eq(fch__state_set(s, url, "\"e\"", NULL, "2013-07-01T00:00:00Z"), SOL_OK);
	}
	ck_assert_int_eq(fch__state_set(s, "http://a/x", "\"v1\"", "Mon, 01 Jul 2013 10:00:00 GMT", NULL), SOL_OK);
	ck_assert_int_eq(fch__state_set(s, "http://a/tab", "bad\tetag", NULL, NULL), SOL_OK);
	ck_assert_int_eq(fch__state_save(s, &err), SOL_OK);
	fch__state_free(s);

	s = fch__state_load(path, &err);
	ck_assert_ptr_nonnull(s);
	fch__state_get(s, "http://a/x", &etag, &lm);
	ck_assert_str_eq(etag, "\"v1\"");
	ck_assert_str_eq(lm, "Mon, 01 Jul 2013 10:00:00 GMT");
	fch__state_get(s, "http://a/499", &etag, &lm);
	ck_assert_str_eq(etag, "\"e\"");
	ck_assert_ptr_null(lm);
	fch__state_get(s, "http://a/tab", &etag, &lm);
	ck_assert_ptr_null(etag);  /* not storable, not stored */
	fch__state_free(s);
	unlink(path);
}
END_TEST

START_TEST(url_set)
{
	fch__set s;
	fch__set_init(&s);
	for (int i = 0; i < 1000; i++) {
		char k[32];
		snprintf(k, sizeof k, "u%d", i);
		ck_assert_int_eq(fch__set_add(&s, k), 1);
	}
	ck_assert_int_eq(fch__set_add(&s, "u7"), 0);
	ck_assert(fch__set_has(&s, "u999"));
	ck_assert(!fch__set_has(&s, "u1000"));
	fch__set_release(&s);
}
END_TEST

/* ---- WARC ---- */

struct docs {
	int n;
	char uri[4][128];
	char body[4][256];
	char charset[4][32];
};

static void collect(void *arg, const fch_warc_doc *d)
{
	struct docs *c = arg;
	ck_assert_int_lt(c->n, 4);
	snprintf(c->uri[c->n], sizeof c->uri[0], "%s", d->target_uri);
	snprintf(c->body[c->n], sizeof c->body[0], "%.*s", (int)d->len, (const char *)d->body);
	snprintf(c->charset[c->n], sizeof c->charset[0], "%s", d->charset ? d->charset : "");
	c->n++;
}

START_TEST(warc_round_trip)
{
	char path[] = "/tmp/solent-test-XXXXXX.warc.gz";
	int fd = mkstemps(path, 8);
	sol_err err;
	static unsigned char gz[4096];
	const char *page = "<html><body><p>Cabinet minutes</p></body></html>";
	const char *req = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
	const char *head_ok = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n";
	const char *head_gz = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n";
	const char *head_404 = "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n";
	const char *robots = "User-agent: *\nDisallow:\n";
	size_t gzn = gzip_bytes(page, strlen(page), gz, sizeof gz);

	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(path);
	fch__warc *w = fch__warc_open(path, "Solent/test", &err);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(fch__warc_write_exchange(w, "http://x/robots.txt", "2013-07-01T00:00:00Z", NULL,
						  req, strlen(req), head_ok, strlen(head_ok),
						  (const unsigned char *)robots, strlen(robots), &err), SOL_OK);
	ck_assert_int_eq(fch__warc_write_exchange(w, "http://x/a", "2013-07-01T00:00:01Z", "127.0.0.1",
						  req, strlen(req), head_ok, strlen(head_ok),
						  (const unsigned char *)page, strlen(page), &err), SOL_OK);
	ck_assert_int_eq(fch__warc_write_exchange(w, "http://x/gz", "2013-07-01T00:00:02Z", NULL,
						  req, strlen(req), head_gz, strlen(head_gz), gz, gzn, &err), SOL_OK);
	ck_assert_int_eq(fch__warc_write_exchange(w, "http://x/missing", "2013-07-01T00:00:03Z", NULL,
						  req, strlen(req), head_404, strlen(head_404),
						  (const unsigned char *)"no", 2, &err), SOL_OK);
	ck_assert_int_eq(fch__warc_close(w, &err), SOL_OK);

	/* Record by record: the types in order, the blocks as written, the
	 * digests as stated. */
	fch__warc_reader *r = fch__warc_reader_open(path, 1 << 20, &err);
	ck_assert_ptr_nonnull(r);
	fch__warc_record rec;
	fch__warc_record_init(&rec);
	const char *types[] = { "warcinfo", "request", "response", "request", "response",
				"request", "response", "request", "response" };
	int eof = 0, n = 0;
	sol_buf v;
	sol_buf_init(&v, 0);
	while (fch__warc_reader_next(r, &rec, &eof, &err) == SOL_OK && !eof) {
		ck_assert_int_lt(n, 9);
		ck_assert_str_eq(rec.type, types[n]);
		char digest[38];
		fch__sha1_base32(rec.block.data ? rec.block.data : "", rec.block.len, digest);
		ck_assert(fch__warc_header(&rec, "WARC-Block-Digest", &v));
		ck_assert_str_eq(v.data, digest);
		if (n == 4) {
			ck_assert_str_eq(rec.target_uri, "http://x/a");
			ck_assert_str_eq(rec.date, "2013-07-01T00:00:01Z");
			ck_assert(fch__warc_header(&rec, "WARC-IP-Address", &v));
			ck_assert_str_eq(v.data, "127.0.0.1");
			ck_assert_uint_eq(rec.block.len, strlen(head_ok) + strlen(page));
			fch__sha1_base32(page, strlen(page), digest);
			ck_assert(fch__warc_header(&rec, "WARC-Payload-Digest", &v));
			ck_assert_str_eq(v.data, digest);
		}
		n++;
	}
	ck_assert_int_eq(eof, 1);
	ck_assert_int_eq(n, 9);
	sol_buf_release(&v);
	fch__warc_record_release(&rec);
	fch__warc_reader_close(r);

	/* As documents: the 2xx responses other than robots.txt, gzip undone. */
	struct docs docs;
	unsigned long ndocs;
	memset(&docs, 0, sizeof docs);
	ck_assert_int_eq(fch_warc_read_docs(path, 0, collect, NULL, &docs, &ndocs, &err), SOL_OK);
	ck_assert_int_eq(ndocs, 2);
	ck_assert_str_eq(docs.uri[0], "http://x/a");
	ck_assert_str_eq(docs.body[0], page);
	ck_assert_str_eq(docs.charset[0], "windows-1252");
	ck_assert_str_eq(docs.uri[1], "http://x/gz");
	ck_assert_str_eq(docs.body[1], page);

	/* Appending keeps one warcinfo at the start. */
	w = fch__warc_open(path, "Solent/test", &err);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(fch__warc_write_exchange(w, "http://x/b", "2013-07-01T00:00:04Z", NULL,
						  req, strlen(req), head_ok, strlen(head_ok),
						  (const unsigned char *)page, strlen(page), &err), SOL_OK);
	ck_assert_int_eq(fch__warc_close(w, &err), SOL_OK);
	memset(&docs, 0, sizeof docs);
	ck_assert_int_eq(fch_warc_read_docs(path, 0, collect, NULL, &docs, &ndocs, &err), SOL_OK);
	ck_assert_int_eq(ndocs, 3);
	unlink(path);

	ck_assert(fch_is_warc_name("a/B.WARC.GZ"));
	ck_assert(fch_is_warc_name("x.warc"));
	ck_assert(!fch_is_warc_name("x.warc.html"));
}
END_TEST

START_TEST(warc_refuses_non_warc)
{
	char path[] = "/tmp/solent-test-XXXXXX.warc";
	int fd = mkstemps(path, 5);
	sol_err err;
	unsigned long n;
	struct docs docs;
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "hello\n", 6), 6);
	close(fd);
	memset(&docs, 0, sizeof docs);
	ck_assert_int_eq(fch_warc_read_docs(path, 0, collect, NULL, &docs, &n, &err), SOL_ERR_INPUT);
	ck_assert(strstr(err.msg, "not a WARC record at byte 0") != NULL);
	ck_assert(strstr(err.msg, path) != NULL);
	unlink(path);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fetch");
	TCase *tc = tcase_create("pure");
	tcase_add_test(tc, robots_named_group_wins);
	tcase_add_test(tc, robots_star_group_when_unnamed);
	tcase_add_test(tc, robots_edge_cases);
	tcase_add_test(tc, retry_after_values);
	tcase_add_test(tc, backoff_grows_with_jitter);
	tcase_add_test(tc, retryable_statuses);
	tcase_add_test(tc, content_type_parsing);
	tcase_add_test(tc, header_lookup_and_status);
	tcase_add_test(tc, decode_gzip_and_cap);
	tcase_add_test(tc, sha1_base32_vectors);
	tcase_add_test(tc, state_round_trip);
	tcase_add_test(tc, url_set);
	tcase_add_test(tc, warc_round_trip);
	tcase_add_test(tc, warc_refuses_non_warc);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(suite(), CK_FORK_GETENV);
}
