/*
 * test_safety.c - hostile markup and text may not make Solent read the
 * disk or the network, expand without bound or run without end (issue 9):
 *   libxml2: an external entity naming /etc/passwd, a DTD on the network
 *   (a local socket that would see the connection), a billion-laughs
 *   entity bomb and an XInclude, each through the cleaner and through the
 *   whole ingest stage;
 *   PCRE2: input shaped to make the rules backtrack, and invalid UTF-8,
 *   finish fast with sane offsets;
 *   bounds: a document over the size limit is refused by name;
 *   batches: outcomes in input order, and a document over the time limit
 *   named while the rest of its batch is done with a fresh context.
 *
 * Time bounds here are generous (seconds for work that takes milliseconds)
 * so that the suite passes under ASan and valgrind on a loaded machine, yet
 * still catches exponential blow-up, which takes hours.
 */
#include "clean.h"
#include "extract.h"
#include "ingest.h"
#include "check_main.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Seconds of CPU an input that should take milliseconds may take before
 * we call it a blow-up. CPU, not wall time: the machines that run this are
 * shared, and a wall clock measures the neighbours. A hang that burns no
 * CPU (a blocked read, a connect) is caught by Check's timeout instead. */
#define FAST_SECONDS 20.0

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The first line of /etc/passwd ("root:x:0:0:..."): the bytes a leaked
 * external entity would put in the text. */
static char passwd_line[256];

static void read_passwd_line(void)
{
	FILE *f = fopen("/etc/passwd", "r");
	passwd_line[0] = '\0';
	if (f) {
		if (!fgets(passwd_line, sizeof passwd_line, f))
			passwd_line[0] = '\0';
		fclose(f);
	}
	passwd_line[strcspn(passwd_line, "\n")] = '\0';
	if (!passwd_line[0])
		snprintf(passwd_line, sizeof passwd_line, "root:x:0:0");
}

/* The cleaned text must not hold /etc/passwd: neither its first line nor
 * the "root:" it starts with. */
static void assert_no_passwd(const sol_record *r, const char *what)
{
	const char *text = r->text ? r->text : "";
	ck_assert_msg(strstr(text, passwd_line) == NULL, "%s: /etc/passwd in the text: %.200s",
		      what, text);
	ck_assert_msg(strstr(text, "root:") == NULL, "%s: 'root:' in the text: %.200s", what,
		      text);
	ck_assert_msg(!r->title || strstr(r->title, "root:") == NULL, "%s: /etc/passwd in the title",
		      what);
}

/* Clean doc through ing_clean_html and through ing_process (decoding
 * first, as for a real file); returns the record of the former. Each must
 * finish within FAST_SECONDS. */
static ing_ctx *ctx;

static void setup(void)
{
	sol_err err;
	read_passwd_line();
	ctx = ing_ctx_new(NULL, &err);
	ck_assert_msg(ctx != NULL, "ing_ctx_new: %s", err.msg);
}

static void teardown(void)
{
	ing_ctx_free(ctx);
	ctx = NULL;
}

static void clean_both(const char *what, const char *doc, size_t n)
{
	sol_record r;
	sol_err err;
	ing_input in;
	double t0 = now_seconds();

	sol_record_init(&r);
	if (ing_clean_html(doc, n, &r, &err) == SOL_OK)
		assert_no_passwd(&r, what);
	sol_record_release(&r);
	ck_assert_msg(now_seconds() - t0 < FAST_SECONDS, "%s: the cleaner took %.1f s", what,
		      now_seconds() - t0);

	memset(&in, 0, sizeof in);
	in.source = "hostile.html";
	in.bytes = (const unsigned char *)doc;
	in.len = n;
	t0 = now_seconds();
	if (ing_process(ctx, &in, &r, &err) == SOL_OK) {
		assert_no_passwd(&r, what);
		sol_record_release(&r);
	} else {
		/* a refusal is fine, but it must say which document */
		ck_assert_msg(strstr(err.msg, "hostile.html") != NULL, "%s: error without the name: %s",
			      what, err.msg);
	}
	ck_assert_msg(now_seconds() - t0 < FAST_SECONDS, "%s: ing_process took %.1f s", what,
		      now_seconds() - t0);
}

/* ---- libxml2 ---- */

START_TEST(xml_external_entity_not_read)
{
	/* XXE in the three places it is usually tried: an HTML doctype with
	 * an internal subset, an XHTML page with an XML prolog, and a
	 * parameter entity. */
	static const char *const docs[] = {
		("<!DOCTYPE html [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
		 "<html><head><title>&xxe;</title></head><body><main><h1>Report</h1>"
		 "<p>The committee noted &xxe; and agreed the report.</p></main></body></html>"),

		("<?xml version=\"1.0\"?>\n<!DOCTYPE html [<!ENTITY xxe SYSTEM \"/etc/passwd\">]>"
		 "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>&xxe;</p>"
		 "<p>The committee agreed the report on 3 May 2021.</p></body></html>"),

		("<!DOCTYPE html [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>"
		 "<html><body><p>The committee agreed the report.</p></body></html>"),
	};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
		clean_both("external entity", docs[i], strlen(docs[i]));
}
END_TEST

START_TEST(xml_no_network_dtd)
{
	/* A listening socket on the loopback stands in for the attacker's
	 * server: if the parser fetched the DTD (or anything else) it would
	 * connect here, and accept() would see it. */
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int s = socket(AF_INET, SOCK_STREAM, 0), c;
	char doc[1024];

	ck_assert_int_ge(s, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(s, 8), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	fcntl(s, F_SETFL, O_NONBLOCK);

	snprintf(doc, sizeof doc,
		 "<!DOCTYPE html PUBLIC \"-//EVIL//DTD\" \"http://127.0.0.1:%u/evil.dtd\">"
		 "<html><head><link rel=\"stylesheet\" href=\"http://127.0.0.1:%u/x.css\">"
		 "<title>Minutes</title></head><body>"
		 "<img src=\"http://127.0.0.1:%u/x.png\"><p>The council agreed the budget.</p>"
		 "<iframe src=\"http://127.0.0.1:%u/frame.html\"></iframe></body></html>",
		 ntohs(sa.sin_port), ntohs(sa.sin_port), ntohs(sa.sin_port), ntohs(sa.sin_port));
	clean_both("network DTD", doc, strlen(doc));
	snprintf(doc, sizeof doc,
		 "<?xml version=\"1.0\"?><!DOCTYPE html SYSTEM \"http://127.0.0.1:%u/evil.dtd\">"
		 "<html><body><p>The council agreed the budget.</p></body></html>",
		 ntohs(sa.sin_port));
	clean_both("network DTD (XML prolog)", doc, strlen(doc));

	c = accept(s, NULL, NULL);
	ck_assert_msg(c < 0 && (errno == EAGAIN || errno == EWOULDBLOCK),
		      "the parser connected to the network (accept: %d)", c);
	close(s);
}
END_TEST

START_TEST(xml_entity_bomb)
{
	/* Billion laughs: 10 levels of 10 references, 10^9 "lol"s if
	 * expanded. And the quadratic blow-up: one big entity used many
	 * times. Either must finish fast and leave a small text. */
	sol_buf doc;
	sol_record r;
	sol_err err;
	double t0;

	sol_buf_init(&doc, 0);
	sol_buf_adds(&doc, "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
	for (int i = 1; i <= 9; i++) {
		sol_buf_addf(&doc, "<!ENTITY lol%d \"", i);
		for (int k = 0; k < 10; k++)
			sol_buf_addf(&doc, i == 1 ? "&lol;" : "&lol%d;", i - 1);
		sol_buf_adds(&doc, "\">\n");
	}
	sol_buf_adds(&doc, "]>\n<html><body><p>&lol9;</p><p>The council agreed the budget.</p>"
			   "</body></html>");
	t0 = now_seconds();
	sol_record_init(&r);
	if (ing_clean_html(doc.data, doc.len, &r, &err) == SOL_OK)
		ck_assert_msg(r.text_len < 100000, "entities were expanded: %zu bytes of text",
			      r.text_len);
	sol_record_release(&r);
	ck_assert_msg(now_seconds() - t0 < FAST_SECONDS, "billion laughs took %.1f s",
		      now_seconds() - t0);
	clean_both("billion laughs", doc.data, doc.len);

	sol_buf_reset(&doc);
	sol_buf_adds(&doc, "<!DOCTYPE html [<!ENTITY big \"");
	for (int i = 0; i < 50000; i++)
		sol_buf_adds(&doc, "laugh ");
	sol_buf_adds(&doc, "\">]><html><body><p>");
	for (int i = 0; i < 50000; i++)
		sol_buf_adds(&doc, "&big;");
	sol_buf_adds(&doc, "</p></body></html>");
	t0 = now_seconds();
	sol_record_init(&r);
	if (ing_clean_html(doc.data, doc.len, &r, &err) == SOL_OK)
		ck_assert_msg(r.text_len < doc.len, "quadratic blow-up: %zu bytes of text",
			      r.text_len);
	sol_record_release(&r);
	ck_assert_msg(now_seconds() - t0 < FAST_SECONDS, "quadratic blow-up took %.1f s",
		      now_seconds() - t0);
	sol_buf_release(&doc);
}
END_TEST

START_TEST(xml_no_xinclude)
{
	static const char doc[] =
		"<html xmlns:xi=\"http://www.w3.org/2001/XInclude\"><body><main>"
		"<h1>Report</h1><xi:include href=\"file:///etc/passwd\" parse=\"text\"/>"
		"<xi:include href=\"/etc/passwd\" parse=\"text\"><xi:fallback>none</xi:fallback>"
		"</xi:include><p>The committee agreed the report.</p></main></body></html>";
	clean_both("XInclude", doc, sizeof doc - 1);
}
END_TEST

/* ---- PCRE2 ---- */

static ing_extractor *ex;

static void extract_setup(void)
{
	sol_err err;
	ex = ing_extractor_new(NULL, &err);
	ck_assert_msg(ex != NULL, "extractor: %s", err.msg);
}

static void extract_teardown(void)
{
	ing_extractor_free(ex);
	ex = NULL;
}

/* Extract from text (n bytes, may hold invalid UTF-8): must succeed within
 * FAST_SECONDS with every span inside the text. */
static void extract_fast(const char *what, const char *text, size_t n)
{
	sol_record r;
	sol_err err;
	double t0 = now_seconds();

	sol_record_init(&r);
	r.text = malloc(n + 1);
	ck_assert_ptr_nonnull(r.text);
	memcpy(r.text, text, n);
	r.text[n] = '\0';
	r.text_len = n;
	ck_assert_msg(ing_extract(ex, &r, &err) == SOL_OK, "%s: %s", what, err.msg);
	if (getenv("SOLENT_SAFETY_TIMES"))
		fprintf(stderr, "%s: %.2f s CPU\n", what, now_seconds() - t0);
	ck_assert_msg(now_seconds() - t0 < FAST_SECONDS, "%s: extraction took %.1f s", what,
		      now_seconds() - t0);
	for (size_t i = 0; i < r.n_entities; i++)
		ck_assert_msg(r.entities[i].start <= r.entities[i].end && r.entities[i].end <= n,
			      "%s: entity %zu out of the text", what, i);
	for (size_t i = 0; i < r.n_dates; i++)
		ck_assert_msg(r.dates[i].start <= r.dates[i].end && r.dates[i].end <= n,
			      "%s: date %zu out of the text", what, i);
	sol_record_release(&r);
}

/* A buffer of unit repeated to about n bytes, then tail. */
static void repeated(sol_buf *b, const char *unit, size_t n, const char *tail)
{
	sol_buf_reset(b);
	while (b->len < n)
		sol_buf_adds(b, unit);
	sol_buf_adds(b, tail);
}

START_TEST(pcre2_backtracking_bounded)
{
	/* Shapes that make the usual entity patterns backtrack: long runs of
	 * what could begin a name but never ends one; a money amount that
	 * never closes; nested brackets after "section"; an email local part
	 * without a domain; a URL host without end; one 1 MB "word". */
	static const struct {
		const char *unit, *tail;
	} shapes[] = {
		{ "Aaaa ", "Bbbb" },                       /* Capitalised words, no Council */
		{ "Hampshire County ", "of" },             /* org head never closed */
		{ "Councillor Mr Dr ", "x" },              /* honorifics, no name */
		{ "£1,111,", "x" },                        /* money that never ends */
		{ "section 1(1)(a)(", "" },                /* legislation reference */
		{ "a.a-a_a+", "@" },                       /* email without domain */
		{ "http://a.", "/" },                      /* URL host without end */
		{ "12 12 2013/ ", "13" },                  /* date fragments */
		{ "SO", "" },                              /* postcode fragments */
		{ "0", "" },                               /* one 1 MB number */
		{ "x", "" },                               /* one 1 MB word */
		{ "\xff\xfe\xc3", "\xe2\x82" },            /* invalid UTF-8 only */
		{ "Hampshire \xed\xa0\x80 County ", "Council" }, /* surrogates inside */
	};
	sol_buf b;

	sol_buf_init(&b, 0);
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		char what[64];
		snprintf(what, sizeof what, "shape %zu ('%.12s')", i, shapes[i].unit);
		repeated(&b, shapes[i].unit, 1u << 20, shapes[i].tail);
		extract_fast(what, b.data, b.len);
	}
	sol_buf_release(&b);
}
END_TEST

/* CPU seconds ing_extract takes over text. */
static double extract_cost(const char *text, size_t n)
{
	sol_record r;
	sol_err err;
	double t0 = now_seconds();

	sol_record_init(&r);
	r.text = malloc(n + 1);
	ck_assert_ptr_nonnull(r.text);
	memcpy(r.text, text, n);
	r.text[n] = '\0';
	r.text_len = n;
	ck_assert_int_eq(ing_extract(ex, &r, &err), SOL_OK);
	sol_record_release(&r);
	return now_seconds() - t0;
}

START_TEST(pcre2_honorific_runs_linear)
{
	/* Found by this suite (issue 9): lines made only of honorifics. The
	 * person rules start (?:{HON}\h+)+ at every honorific of the run and
	 * backtrack through the rest of it, so each line costs its length
	 * squared until the match limit stops it; 10 lines of 40 KB took 30 s
	 * of CPU, and a 64 MB document of them would take over an hour.
	 * Compared with ordinary text of the same size, so the bound holds on
	 * any machine: linear work is within a small factor of it. */
	sol_buf hostile, plain;
	double hostile_s, plain_s;

	sol_buf_init(&hostile, 0);
	sol_buf_init(&plain, 0);
	for (int line = 0; line < 2; line++) {
		for (int i = 0; i < 2400; i++)
			sol_buf_adds(&hostile, "Councillor Mr Dr ");
		sol_buf_addc(&hostile, '\n');
	}
	while (plain.len < hostile.len)
		sol_buf_adds(&plain, "The cabinet agreed the policy for Hampshire County Council. ");
	plain_s = extract_cost(plain.data, plain.len);
	hostile_s = extract_cost(hostile.data, hostile.len);
	ck_assert_msg(hostile_s < 1.0 || hostile_s < 50 * plain_s,
		      "%zu bytes of honorifics took %.2f s of CPU, ordinary text %.3f s: "
		      "backtracking in the person rules (ingest/rules/people.rules)",
		      hostile.len, hostile_s, plain_s);
	sol_buf_release(&hostile);
	sol_buf_release(&plain);
}
END_TEST

/* ---- resource bounds ---- */

START_TEST(size_limit_names_the_document)
{
	sol_record r;
	sol_err err;
	ing_input in;
	static const unsigned char byte = 'a';

	/* The bound is checked before any byte is read, so a length alone
	 * (with one real byte behind it) is enough to test it. */
	memset(&in, 0, sizeof in);
	in.source = "huge.txt";
	in.bytes = &byte;
	in.len = (size_t)ING_DEFAULT_MAX_BYTES + 1;
	ck_assert_int_eq(ing_process(ctx, &in, &r, &err), SOL_ERR_TOOBIG);
	ck_assert_msg(strstr(err.msg, "huge.txt") && strstr(err.msg, "limit"), "message: %s",
		      err.msg);
}
END_TEST

/* ---- batches (bounded.c): cleaned all, then extracted all, in order ---- */

static void batch_doc(ing_batch_doc *d, const char *source, const char *bytes, size_t n)
{
	memset(d, 0, sizeof *d);
	d->in.source = source;
	d->in.len = n;
	d->in.bytes = malloc(n ? n : 1); /* handed over, as from a file read */
	ck_assert_ptr_nonnull(d->in.bytes);
	memcpy((void *)d->in.bytes, bytes, n);
}

static void batch_release(ing_batch_doc *docs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sol_record_release(&docs[i].rec);
}

/* About 30 MB of council words: far more than a fifth of a second of work. */
static char *huge_text(size_t *n)
{
	static const char *const words[] = { "council ", "report ", "budget ", "Hampshire ",
					     "County ", "Council ", "June ", "2013 " };
	size_t cap = 30u * 1024 * 1024, len = 0;
	char *t = malloc(cap + 16);
	unsigned seed = 7;
	ck_assert_ptr_nonnull(t);
	while (len < cap) {
		const char *w = words[(seed = seed * 1103515245u + 12345u) >> 16 & 7];
		size_t k = strlen(w);
		memcpy(t + len, w, k);
		len += k;
	}
	*n = len;
	return t;
}

START_TEST(batch_keeps_order_and_outcomes)
{
	static const char html[] = "<html><head><title>Minutes</title></head><body><p>Hampshire "
				   "County Council met on 12 June 2013.</p></body></html>";
	static const char text[] = "Cllr Jane Smith spoke about the Children Act 2004.\n";
	static const unsigned char bin[] = { 0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x13, 0x37 };
	ing_batch_doc d[5];

	batch_doc(&d[0], "a.html", html, sizeof html - 1);
	batch_doc(&d[1], "b.txt", "", 0);
	batch_doc(&d[2], "c.txt", text, sizeof text - 1);
	batch_doc(&d[3], "d.bin", (const char *)bin, sizeof bin);
	batch_doc(&d[4], "e.html", html, sizeof html - 1);
	ck_assert_int_eq(ing_process_batch(&ctx, NULL, d, 5, 60), SOL_OK);
	ck_assert_int_eq(d[0].st, SOL_OK);
	ck_assert_str_eq(d[0].rec.source, "a.html");
	ck_assert_msg(d[0].rec.n_dates > 0, "a.html: its date was not extracted");
	ck_assert_int_eq(d[1].st, SOL_ERR_INPUT);
	ck_assert_msg(strstr(d[1].err.msg, "b.txt") && strstr(d[1].err.msg, "empty"), "%s",
		      d[1].err.msg);
	ck_assert_int_eq(d[2].st, SOL_OK);
	ck_assert_str_eq(d[2].rec.source, "c.txt");
	ck_assert_msg(d[2].rec.n_entities > 0, "c.txt: no entities extracted");
	ck_assert_int_ne(d[3].st, SOL_OK);
	ck_assert_msg(strstr(d[3].err.msg, "d.bin") != NULL, "%s", d[3].err.msg);
	ck_assert_int_eq(d[4].st, SOL_OK);
	ck_assert_str_eq(d[4].rec.id, d[0].rec.id); /* same text, same id */
	batch_release(d, 5);
}
END_TEST

/* A document over the limit fails by name; those before and after it in
 * the batch, cleaned or not yet, are done with a fresh context. */
static void overrun_at(size_t slow)
{
	static const char text[] = "Notice of a meeting about zorvex repairs in Ryde.\n";
	ing_batch_doc d[3];
	ing_ctx *before = ctx;
	size_t n;
	char *huge = huge_text(&n);

	for (size_t i = 0; i < 3; i++) {
		if (i == slow)
			batch_doc(&d[i], "slow.txt", huge, n);
		else
			batch_doc(&d[i], i ? "after.txt" : "before.txt", text, sizeof text - 1);
	}
	free(huge);
	ck_assert_int_eq(ing_process_batch(&ctx, NULL, d, 3, 0.2), SOL_OK);
	ck_assert_ptr_nonnull(ctx);
	ck_assert_ptr_ne(ctx, before); /* the old one stays with the abandoned work */
	for (size_t i = 0; i < 3; i++) {
		if (i == slow) {
			ck_assert_int_eq(d[i].st, SOL_ERR_TOOBIG);
			ck_assert_msg(strstr(d[i].err.msg, "slow.txt: took longer than the limit of 0.2 s"),
				      "%s", d[i].err.msg);
		} else {
			ck_assert_msg(d[i].st == SOL_OK, "%s: %s", d[i].in.source, d[i].err.msg);
			ck_assert_ptr_nonnull(strstr(d[i].rec.text, "zorvex"));
			ck_assert_msg(d[i].rec.n_entities > 0, "%s: not extracted", d[i].in.source);
		}
	}
	batch_release(d, 3);
}

START_TEST(batch_overrun_first)
{
	overrun_at(0);
}
END_TEST

START_TEST(batch_overrun_middle)
{
	overrun_at(1);
}
END_TEST

/* Cleaned in two batches, then extracted in one (as solent-ingest runs
 * them, ING_EXTRACT_DOCS): the same records as ing_process_batch, the
 * failures of cleaning left as they were. */
START_TEST(batch_clean_then_extract)
{
	static const char html[] = "<html><head><title>Minutes</title></head><body><p>Hampshire "
				   "County Council met on 12 June 2013.</p></body></html>";
	static const char text[] = "Cllr Jane Smith spoke about the Children Act 2004.\n";
	ing_batch_doc d[4], ref[4];
	sol_buf a, b;
	sol_err err;

	for (int k = 0; k < 2; k++) {
		ing_batch_doc *x = k ? ref : d;
		batch_doc(&x[0], "a.html", html, sizeof html - 1);
		batch_doc(&x[1], "b.txt", "", 0);
		batch_doc(&x[2], "c.txt", text, sizeof text - 1);
		batch_doc(&x[3], "e.html", html, sizeof html - 1);
	}
	ck_assert_int_eq(ing_process_batch(&ctx, NULL, ref, 4, 60), SOL_OK);
	ck_assert_int_eq(ing_clean_batch(&ctx, NULL, d, 2, 60), SOL_OK);
	ck_assert_int_eq(ing_clean_batch(&ctx, NULL, d + 2, 2, 60), SOL_OK);
	for (size_t i = 0; i < 4; i++) {
		ck_assert_int_eq(d[i].st, ref[i].st);
		/* cleaned, not yet extracted */
		ck_assert_uint_eq(d[i].rec.n_entities + d[i].rec.n_dates, 0);
	}
	ck_assert_ptr_nonnull(d[2].rec.text);
	ck_assert_int_eq(ing_extract_batch(&ctx, NULL, d, 4, 60), SOL_OK);
	ck_assert_int_eq(d[1].st, SOL_ERR_INPUT);
	ck_assert_msg(strstr(d[1].err.msg, "b.txt") && strstr(d[1].err.msg, "empty"), "%s",
		      d[1].err.msg);
	sol_buf_init(&a, 0);
	sol_buf_init(&b, 0);
	for (size_t i = 0; i < 4; i++) {
		if (i == 1)
			continue;
		ck_assert_int_eq(d[i].st, SOL_OK);
		ck_assert_uint_gt(d[i].rec.n_entities + d[i].rec.n_dates, 0);
		/* the same record, but for when it was ingested */
		free(d[i].rec.ingested_at);
		d[i].rec.ingested_at = strdup(ref[i].rec.ingested_at);
		sol_buf_reset(&a);
		sol_buf_reset(&b);
		ck_assert_int_eq(sol_record_to_json(&d[i].rec, &a, &err), SOL_OK);
		ck_assert_int_eq(sol_record_to_json(&ref[i].rec, &b, &err), SOL_OK);
		ck_assert_str_eq(a.data, b.data);
	}
	sol_buf_release(&a);
	sol_buf_release(&b);
	batch_release(d, 4);
	batch_release(ref, 4);
}
END_TEST

/* An extraction over the limit in a batch of its own fails by name; the
 * documents around it are extracted with a fresh context. */
START_TEST(batch_extract_overrun)
{
	static const char text[] = "Notice of a meeting about zorvex repairs in Ryde.\n";
	ing_batch_doc d[3];
	ing_ctx *before;
	size_t n;
	char *huge = huge_text(&n);

	batch_doc(&d[0], "before.txt", text, sizeof text - 1);
	batch_doc(&d[1], "slow.txt", huge, n);
	batch_doc(&d[2], "after.txt", text, sizeof text - 1);
	free(huge);
	ck_assert_int_eq(ing_clean_batch(&ctx, NULL, d, 3, 0), SOL_OK); /* no limit */
	for (size_t i = 0; i < 3; i++)
		ck_assert_msg(d[i].st == SOL_OK, "%s: %s", d[i].in.source, d[i].err.msg);
	before = ctx;
	ck_assert_int_eq(ing_extract_batch(&ctx, NULL, d, 3, 0.2), SOL_OK);
	ck_assert_ptr_nonnull(ctx);
	ck_assert_ptr_ne(ctx, before);
	ck_assert_int_eq(d[1].st, SOL_ERR_TOOBIG);
	ck_assert_msg(strstr(d[1].err.msg, "slow.txt: took longer than the limit of 0.2 s"), "%s",
		      d[1].err.msg);
	for (size_t i = 0; i < 3; i += 2) {
		ck_assert_msg(d[i].st == SOL_OK, "%s: %s", d[i].in.source, d[i].err.msg);
		ck_assert_msg(d[i].rec.n_entities > 0, "%s: not extracted", d[i].in.source);
	}
	batch_release(d, 3);
}
END_TEST

/* The limit is a step's, not the batch's: steps that each take well
 * under it finish a batch that takes several times it (the caller learns
 * of each step's end when its deadline comes, not by a wake-up). */
START_TEST(batch_limit_is_per_step)
{
	enum { N = 8 };
	ing_batch_doc d[N];
	struct timespec t0, t1;
	double one;
	size_t n;
	char *huge = huge_text(&n);

	n /= 16; /* about 2 MB: a step of a few hundredths of a second */
	batch_doc(&d[0], "one.txt", huge, n);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(ing_process_batch(&ctx, NULL, d, 1, 0), SOL_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	batch_release(d, 1);
	one = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (size_t i = 0; i < N; i++)
		batch_doc(&d[i], "step.txt", huge, n);
	free(huge);
	/* each document's two steps take about `one` together: a limit of
	 * three times that is far from any step, and under the batch's */
	ck_assert_int_eq(ing_process_batch(&ctx, NULL, d, N, 3 * one + 0.05), SOL_OK);
	for (size_t i = 0; i < N; i++)
		ck_assert_msg(d[i].st == SOL_OK, "document %zu: %s", i, d[i].err.msg);
	batch_release(d, N);
}
END_TEST

static Suite *safety_suite(void)
{
	Suite *s = suite_create("safety");
	TCase *tc = tcase_create("libxml2");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, xml_external_entity_not_read);
	tcase_add_test(tc, xml_no_network_dtd);
	tcase_add_test(tc, xml_entity_bomb);
	tcase_add_test(tc, xml_no_xinclude);
	tcase_add_test(tc, size_limit_names_the_document);
	suite_add_tcase(s, tc);
	tc = tcase_create("batch");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, batch_keeps_order_and_outcomes);
	tcase_add_test(tc, batch_overrun_first);
	tcase_add_test(tc, batch_overrun_middle);
	tcase_add_test(tc, batch_clean_then_extract);
	tcase_add_test(tc, batch_extract_overrun);
	tcase_add_test(tc, batch_limit_is_per_step);
	suite_add_tcase(s, tc);
	tc = tcase_create("pcre2");
	tcase_add_checked_fixture(tc, extract_setup, extract_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, pcre2_backtracking_bounded);
	tcase_add_test(tc, pcre2_honorific_runs_linear);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(safety_suite(), CK_FORK_GETENV);
}
