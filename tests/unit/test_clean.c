/*
 * test_clean.c - the cleaner: charset paths, removed element kinds, tables
 * and lists, metadata, plain-text normalisation, hostile input.
 */
#include "clean.h"
#include "check_main.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

typedef struct decoded {
	sol_buf text;
	char *charset, *from;
	sol_status st;
	sol_err err;
} decoded;

static void decode(decoded *d, const char *bytes, size_t n, const char *http, int is_html)
{
	sol_buf_init(&d->text, 0);
	d->st = ing_decode((const unsigned char *)bytes, n, http, is_html, &d->text, &d->charset,
			   &d->from, &d->err);
}

static void decoded_release(decoded *d)
{
	sol_buf_release(&d->text);
	free(d->charset);
	free(d->from);
}

/* Decodes bytes (n of them; http: the header's charset or NULL) and checks
 * the text, the charset it was read in and what said so. */
static void expect_decoded(const char *bytes, size_t n, const char *http, int is_html,
			   const char *text, const char *charset, const char *from)
{
	decoded d;
	decode(&d, bytes, n, http, is_html);
	ck_assert_int_eq(d.st, SOL_OK);
	ck_assert_str_eq(d.text.data, text);
	ck_assert_str_eq(d.charset, charset);
	ck_assert_str_eq(d.from, from);
	decoded_release(&d);
}

static sol_record clean_html(const char *html)
{
	sol_record r;
	sol_err err;
	sol_status st;
	sol_record_init(&r);
	st = ing_clean_html(html, strlen(html), &r, &err);
	ck_assert_msg(st == SOL_OK, "ing_clean_html: %s", err.msg);
	ck_assert_ptr_nonnull(r.text);
	return r;
}

static sol_record clean_text(const char *text)
{
	sol_record r;
	sol_err err;
	sol_status st;
	sol_record_init(&r);
	st = ing_clean_text(text, strlen(text), &r, &err);
	ck_assert_msg(st == SOL_OK, "ing_clean_text: %s", err.msg);
	return r;
}

#define PROSE "<p>The cabinet member approved the revised school transport policy for the county after a consultation with parents, schools and bus operators, which ran for twelve weeks over the summer.</p>"

/* ---- charset ---- */

START_TEST(charset_bom_wins)
{
	/* BOM says UTF-8 even though the HTTP header says latin-1 */
	expect_decoded("\xEF\xBB\xBFna\xC3\xAFve", 9, "iso-8859-1", 0, "na\xC3\xAFve", "UTF-8",
		       "bom");
}
END_TEST

START_TEST(charset_utf16_bom)
{
	expect_decoded("\xFF\xFEh\0i\0", 6, NULL, 0, "hi", "UTF-16LE", "bom");
}
END_TEST

START_TEST(charset_http)
{
	/* 0x80 in windows-1252 is the euro sign; latin-1 labels mean 1252 */
	expect_decoded("\x80" "5", 2, "ISO-8859-1", 0, "\xE2\x82\xAC" "5", "windows-1252", "http");
}
END_TEST

START_TEST(charset_meta)
{
	decoded d;
	const char *page = "<html><head><meta charset=\"iso-8859-15\"></head><body>\xA4</body></html>";
	decode(&d, page, strlen(page), NULL, 1);
	ck_assert_int_eq(d.st, SOL_OK);
	ck_assert_ptr_nonnull(strstr(d.text.data, "\xE2\x82\xAC")); /* 0xA4 is the euro in -15 */
	ck_assert_str_eq(d.from, "meta");
	decoded_release(&d);
}
END_TEST

START_TEST(charset_meta_http_equiv)
{
	decoded d;
	const char *page = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
			   "<p>caf\xE9</p>";
	decode(&d, page, strlen(page), NULL, 1);
	ck_assert_int_eq(d.st, SOL_OK);
	ck_assert_ptr_nonnull(strstr(d.text.data, "caf\xC3\xA9"));
	ck_assert_str_eq(d.charset, "windows-1252");
	ck_assert_str_eq(d.from, "meta");
	decoded_release(&d);
}
END_TEST

START_TEST(charset_declared_utf8_is_not)
{
	decoded d;
	/* says UTF-8, is windows-1252 (curly quotes 0x93 0x94) */
	const char *page = "<meta charset=utf-8><p>\x93Quoted\x94 caf\xE9 na\xEFve r\xE9sum\xE9</p>";
	decode(&d, page, strlen(page), NULL, 1);
	ck_assert_int_eq(d.st, SOL_OK);
	ck_assert(sol_utf8_valid(d.text.data, d.text.len));
	ck_assert_ptr_nonnull(strstr(d.text.data, "caf\xC3\xA9"));
	ck_assert(strcmp(d.from, "detected") == 0 || strcmp(d.from, "fallback") == 0);
	ck_assert_str_ne(d.charset, "UTF-8");
	decoded_release(&d);
}
END_TEST

START_TEST(charset_undeclared_utf8)
{
	expect_decoded("caf\xC3\xA9", 5, NULL, 1, "caf\xC3\xA9", "UTF-8", "utf-8");
}
END_TEST

START_TEST(charset_detected)
{
	decoded d;
	/* a longer windows-1252 French text with no declaration */
	const char *t = "Le conseil a d\xE9" "cid\xE9 que la r\xE9union aura lieu \xE0 la mairie. "
			"Les \xE9l\xE8ves et les parents ont \xE9t\xE9 consult\xE9s en d\xE9" "cembre. "
			"Le pr\xE9sident a remerci\xE9 les b\xE9n\xE9voles pour leur travail.";
	decode(&d, t, strlen(t), NULL, 0);
	ck_assert_int_eq(d.st, SOL_OK);
	ck_assert(sol_utf8_valid(d.text.data, d.text.len));
	ck_assert_ptr_nonnull(strstr(d.text.data, "d\xC3\xA9" "cid\xC3\xA9"));
	ck_assert(strcmp(d.from, "detected") == 0 || strcmp(d.from, "fallback") == 0);
	decoded_release(&d);
}
END_TEST

START_TEST(charset_nfc)
{
	decoded d;
	/* e + combining acute becomes the precomposed U+00E9 */
	decode(&d, "cafe\xCC\x81", 6, NULL, 0);
	ck_assert_int_eq(d.st, SOL_OK);
	ck_assert_str_eq(d.text.data, "caf\xC3\xA9");
	decoded_release(&d);
}
END_TEST

/* Text already NFC is copied as it is, checked a window at a time
 * (charset.c): what a window's edge must not hide. */
START_TEST(charset_nfc_windows)
{
	decoded d;
	sol_buf in;
	size_t i;

	/* a combining mark 40 KB in, past the first window */
	sol_buf_init(&in, 0);
	for (i = 0; i < 40000; i++)
		sol_buf_addc(&in, 'a');
	sol_buf_add(&in, "cafe\xCC\x81 ok", 9);
	decode(&d, in.data, in.len, NULL, 0);
	ck_assert_int_eq(d.st, SOL_OK);
	ck_assert_uint_eq(d.text.len, 40000 + 8);
	ck_assert_str_eq(d.text.data + 40000, "caf\xC3\xA9 ok");
	decoded_release(&d);

	/* 40 KB of NFC text without one ASCII byte: no window edge is safe,
	 * so it takes the whole conversion, and comes out unchanged */
	sol_buf_reset(&in);
	for (i = 0; i < 20000; i++)
		sol_buf_add(&in, "\xC3\xA9", 2);
	decode(&d, in.data, in.len, NULL, 0);
	ck_assert_int_eq(d.st, SOL_OK);
	ck_assert_uint_eq(d.text.len, in.len);
	ck_assert(memcmp(d.text.data, in.data, in.len) == 0);
	decoded_release(&d);

	/* marks out of canonical order (below 220 after above 230) where a
	 * window would end if windows were cut anywhere: NFC reorders them */
	sol_buf_reset(&in);
	for (i = 0; i < 32 * 1024 - 3; i++)
		sol_buf_addc(&in, 'a');
	sol_buf_add(&in, "x\xCC\x81\xCC\xA3 end", 9);
	decode(&d, in.data, in.len, NULL, 0);
	ck_assert_int_eq(d.st, SOL_OK);
	ck_assert_str_eq(d.text.data + 32 * 1024 - 3, "x\xCC\xA3\xCC\x81 end");
	decoded_release(&d);
	sol_buf_release(&in);
}
END_TEST

START_TEST(charset_binary_and_empty)
{
	decoded d;
	unsigned char bin[512];
	size_t i;
	for (i = 0; i < sizeof bin; i++)
		bin[i] = (unsigned char)(i * 37 + 11);
	decode(&d, (const char *)bin, sizeof bin, NULL, 1);
	ck_assert_int_eq(d.st, SOL_OK);
	ck_assert(sol_utf8_valid(d.text.data, d.text.len));
	ck_assert_ptr_null(memchr(d.text.data, '\0', d.text.len));
	decoded_release(&d);
	decode(&d, "", 0, NULL, 1);
	ck_assert_int_eq(d.st, SOL_OK);
	ck_assert_uint_eq(d.text.len, 0);
	decoded_release(&d);
	decode(&d, "x", 1, "no-such-charset", 0);
	ck_assert_int_eq(d.st, SOL_OK);   /* an unknown label is ignored */
	ck_assert_str_eq(d.from, "utf-8");
	decoded_release(&d);
}
END_TEST

/* ---- removed element kinds ---- */

START_TEST(html_removes_furniture)
{
	static const char *const junk[] = {
		"<script>var JUNKWORD = 1;</script>",
		"<style>.JUNKWORD{}</style>",
		"<noscript>JUNKWORD enable scripts</noscript>",
		"<template><p>JUNKWORD</p></template>",
		"<nav><a href=/>JUNKWORD home</a></nav>",
		"<header><a href=/>JUNKWORD logo</a></header>",
		"<footer>JUNKWORD copyright</footer>",
		"<aside>JUNKWORD see also</aside>",
		"<form><label>JUNKWORD search</label><input></form>",
		"<div class=\"cookie-banner\">JUNKWORD we use cookies</div>",
		"<div id=\"consent\">JUNKWORD accept all</div>",
		"<a class=\"skip-link\" href=\"#c\">JUNKWORD skip to content</a>",
		"<ol class=\"breadcrumb\"><li>JUNKWORD Home</li><li>Council</li></ol>",
		"<div class=\"share-bar\">JUNKWORD share on Twitter</div>",
		"<ul class=\"social-links\"><li>JUNKWORD Facebook</li></ul>",
		"<div hidden>JUNKWORD hidden</div>",
		"<div aria-hidden=\"true\">JUNKWORD aria hidden</div>",
		"<div style=\"display: none\">JUNKWORD display none</div>",
		"<span class=\"visually-hidden\">JUNKWORD screen reader</span>",
		"<div role=\"navigation\">JUNKWORD role nav</div>",
		"<div class=\"sidebar\">JUNKWORD sidebar</div>",
		"<div class=\"related-links\">JUNKWORD related</div>",
		"<div id=\"comments\">JUNKWORD comment</div>",
		NULL };
	size_t i;
	for (i = 0; junk[i]; i++) {
		sol_buf page;
		sol_record r;
		sol_buf_init(&page, 0);
		sol_buf_addf(&page, "<html><body>%s<div>%s%s</div></body></html>", junk[i], PROSE,
			     PROSE);
		r = clean_html(page.data);
		sol_buf_release(&page);
		ck_assert_msg(!strstr(r.text, "JUNKWORD"), "kept furniture %s: %s", junk[i], r.text);
		ck_assert_msg(strstr(r.text, "school transport policy") != NULL, "lost content with %s",
			      junk[i]);
		sol_record_release(&r);
	}
}
END_TEST

/* Furniture named only by its class or id, holding prose as long as the
 * page's own: nothing but the name can tell it from content (short
 * furniture goes for its shortness as well). Names inside compounds, in
 * capitals, after an underscore, a whole two-letter word. */
START_TEST(html_judges_by_name_alone)
{
	static const char *const named[] = {
		"<div class=\"mgBreadcrumbs\">", "<div class=\"panel SR-ONLY\">",
		"<div id=\"site_newsletter\">", "<div class=\"col-4 ad\">",
		"<div class=\"Related-Stories\">", "<div class=\"box\" id=\"Sponsor\">", NULL };
	for (size_t i = 0; named[i]; i++) {
		sol_buf page;
		sol_record r;
		sol_buf_init(&page, 0);
		sol_buf_addf(&page, "<html><body>%s<p>JUNKWORD The library van calls at the "
			     "village hall on Tuesdays and at the school on Thursdays, with "
			     "large-print books and audio books for loan.</p></div>"
			     "<div>%s%s</div></body></html>", named[i], PROSE, PROSE);
		r = clean_html(page.data);
		sol_buf_release(&page);
		ck_assert_msg(!strstr(r.text, "JUNKWORD"), "kept %s: %s", named[i], r.text);
		ck_assert_msg(strstr(r.text, "school transport policy") != NULL, "lost content with %s",
			      named[i]);
		sol_record_release(&r);
	}
}
END_TEST

/* Furniture that only its tag, its ARIA role or a hiding marker tells
 * from content, holding prose as long as the page's own: html_removes_furniture's
 * examples are short and go for their shortness (or their links) as well,
 * so it passed with <nav> and <aside> read as plain blocks, with every
 * landmark role ignored, and with hidden, aria-hidden and display:none
 * ignored. */
START_TEST(html_judges_by_tag_role_and_hiding_alone)
{
	static const char *const furniture[][2] = {
		{ "<nav>", "</nav>" },
		{ "<aside>", "</aside>" },
		{ "<div role=\"navigation\">", "</div>" },
		{ "<div role=\"banner\">", "</div>" },
		{ "<div role=\"contentinfo\">", "</div>" },
		{ "<div role=\"complementary\">", "</div>" },
		{ "<div role=\"search\">", "</div>" },
		{ "<div hidden>", "</div>" },
		{ "<div aria-hidden=\"true\">", "</div>" },
		{ "<div style=\"display: none\">", "</div>" },
		{ "<div style=\"visibility:hidden\">", "</div>" },
		{ NULL, NULL } };
	for (size_t i = 0; furniture[i][0]; i++) {
		sol_buf page;
		sol_record r;
		sol_buf_init(&page, 0);
		sol_buf_addf(&page, "<html><body>%s<p>JUNKWORD The library van calls at the "
			     "village hall on Tuesdays and at the school on Thursdays, with "
			     "large-print books and audio books for loan.</p>%s"
			     "<div>%s%s</div></body></html>", furniture[i][0], furniture[i][1],
			     PROSE, PROSE);
		r = clean_html(page.data);
		sol_buf_release(&page);
		ck_assert_msg(!strstr(r.text, "JUNKWORD"), "kept %s: %s", furniture[i][0], r.text);
		ck_assert_msg(strstr(r.text, "school transport policy") != NULL, "lost content with %s",
			      furniture[i][0]);
		sol_record_release(&r);
	}
}
END_TEST

START_TEST(html_prefers_main)
{
	sol_record r = clean_html("<body><div class=x><p>Outside words here.</p></div>"
				  "<main><p>Inside the main element there is the decision text "
				  "which matters, long enough to count for the main block.</p>"
				  PROSE "</main></body>");
	ck_assert_ptr_nonnull(strstr(r.text, "Inside the main element"));
	ck_assert_ptr_null(strstr(r.text, "Outside words"));
	sol_record_release(&r);
}
END_TEST

START_TEST(html_modgov_container)
{
	sol_record r = clean_html("<body><div id=\"menu-side\"><a href=1>Councillors</a> "
				  "<a href=2>Meetings</a> <a href=3>Committees</a></div>"
				  "<div id=\"modgov\"><div class=\"mgContent\"><h2>Decision details</h2>"
				  "<p>Date of decision: 12/03/2024</p>" PROSE "</div></div></body>");
	ck_assert_ptr_nonnull(strstr(r.text, "Decision details"));
	ck_assert_ptr_null(strstr(r.text, "Councillors"));
	ck_assert_str_eq(r.date, "2024-03-12");
	sol_record_release(&r);
}
END_TEST

/* ---- structure ---- */

START_TEST(html_table_and_list)
{
	sol_record r = clean_html("<body><article>" PROSE
				  "<table><tr><th>Item</th><th>Decision</th></tr>"
				  "<tr><td>1</td><td>Approved</td></tr></table>"
				  "<ul><li>First point</li><li>Second point</li></ul>"
				  "<h2>Background</h2><p>1. Paragraph one.</p><p>2. Paragraph two.</p>"
				  "</article></body>");
	ck_assert_msg(strstr(r.text, "\nItem\tDecision\n1\tApproved\n") != NULL, "table: %s", r.text);
	ck_assert_msg(strstr(r.text, "\nFirst point\nSecond point\n") != NULL, "list: %s", r.text);
	ck_assert_msg(strstr(r.text, "\n\nBackground\n\n1. Paragraph one.\n\n2. Paragraph two.") != NULL,
		      "headings/paragraphs: %s", r.text);
	sol_record_release(&r);
}
END_TEST

START_TEST(html_whitespace_and_br)
{
	sol_record r = clean_html("<body><p>one\n   two&nbsp;three<br>four <b>bold</b>five</p></body>");
	ck_assert_str_eq(r.text, "one two three\nfour boldfive");
	sol_record_release(&r);
}
END_TEST

/* A block that is mostly links (quick links, a row of service buttons)
 * and a short paragraph that is all links are a menu that escaped the
 * name filters; a paragraph with a link in its prose is text. The prose
 * is split around them so that no one block holds enough of it for the
 * container to be narrowed past the menus. */
START_TEST(html_skips_link_dense_blocks)
{
	sol_record r = clean_html(
		"<body>" PROSE
		"<div class=\"quick\"><a href=\"/ct\">JUNKWORD Pay council tax</a> <a href=\"/pot\">"
		"Report a pothole</a> <a href=\"/bins\">Bin collection days</a> <a href=\"/jobs\">"
		"Jobs and careers</a></div>"
		"<p><a href=\"/badge\">JUNKWORD Apply for a blue badge</a> | <a href=\"/bus\">Renew "
		"a bus pass</a></p>"
		"<p>Parents may appeal within twenty working days, using the <a href=\"/appeal\">"
		"appeal form</a> or by writing to the school transport team.</p></body>");
	ck_assert_msg(strstr(r.text, "school transport policy") != NULL, "lost content: '%s'", r.text);
	ck_assert_msg(strstr(r.text, "using the appeal form or by writing") != NULL,
		      "lost a paragraph with a link: '%s'", r.text);
	ck_assert_msg(!strstr(r.text, "JUNKWORD"), "kept links: '%s'", r.text);
	sol_record_release(&r);
}
END_TEST

/* A <pre> block keeps its spaces and line breaks (a table of charges laid
 * out in a fixed-width font is unreadable with them collapsed), stands as
 * a paragraph of its own even among bare text, and the text after it is
 * collapsed again (the source's line breaks there are not the page's). */
START_TEST(html_pre_keeps_layout)
{
	sol_record r = clean_html("<body><article>" PROSE "<div class=\"charges\">Charges from 1 "
				  "April 2024:<pre>Bin size    Charge\n240 litre   \xC2\xA3" "45.00\n"
				  "360 litre   \xC2\xA3" "60.00</pre>Payment is due\n    before "
				  "delivery.</div>" PROSE "</article></body>");
	ck_assert_msg(strstr(r.text, "April 2024:\n\nBin size    Charge\n240 litre   \xC2\xA3" "45.00\n"
			     "360 litre   \xC2\xA3" "60.00\n\nPayment is due before delivery.") != NULL,
		      "pre: '%s'", r.text);
	sol_record_release(&r);
}
END_TEST

/* ---- metadata ---- */

START_TEST(html_metadata)
{
	sol_record r = clean_html(
		"<html lang=\"en-GB\"><head><title>School transport | Hampshire County Council</title>"
		"<meta name=\"description\" content=\"How we decide  transport.\">"
		"<meta property=\"article:published_time\" content=\"2024-05-03T09:00:00Z\">"
		"<link rel=\"canonical\" href=\"https://www.hants.gov.uk/transport\"></head>"
		"<body><h1>School transport</h1>" PROSE "</body></html>");
	ck_assert_str_eq(r.title, "School transport");
	ck_assert_str_eq(r.description, "How we decide transport.");
	ck_assert_str_eq(r.canonical, "https://www.hants.gov.uk/transport");
	ck_assert_str_eq(r.lang, "en-GB");
	ck_assert_str_eq(r.date, "2024-05-03");
	ck_assert_str_eq(r.date_from, "metadata");
	sol_record_release(&r);

	r = clean_html("<head><meta property=\"og:title\" content=\"OG Title\"><title>T - Site</title>"
		       "</head><body><time datetime=\"2023-11-30\">30 Nov</time>" PROSE "</body>");
	ck_assert_str_eq(r.title, "OG Title");
	ck_assert_str_eq(r.date, "2023-11-30");
	ck_assert_str_eq(r.date_from, "time");
	sol_record_release(&r);

	r = clean_html("<body><h1>Only a heading</h1>" PROSE "<p>Last updated: 4 June 2022</p></body>");
	ck_assert_str_eq(r.title, "Only a heading");
	ck_assert_str_eq(r.date, "2022-06-04");
	ck_assert_str_eq(r.date_from, "text");
	sol_record_release(&r);
}
END_TEST

/* Of several <meta> dates the publication date wins wherever it stands
 * (WordPress writes the modified time after it), and one that holds no
 * date ("Spring 2024") gives way to the next best that does. */
START_TEST(html_meta_date_choice)
{
	sol_record r = clean_html(
		"<html><head><title>Household support fund</title>"
		"<meta property=\"article:published_time\" content=\"2024-03-01T08:00:00+00:00\">"
		"<meta property=\"article:modified_time\" content=\"2024-05-20T16:42:10+00:00\">"
		"</head><body>" PROSE PROSE "</body></html>");
	ck_assert_str_eq(r.date, "2024-03-01");
	ck_assert_str_eq(r.date_from, "metadata");
	sol_record_release(&r);

	r = clean_html("<html><head><title>Household support fund</title>"
		       "<meta name=\"dcterms.modified\" content=\"2024-04-02\">"
		       "<meta name=\"DC.date\" content=\"Spring 2024\">"
		       "</head><body>" PROSE PROSE "</body></html>");
	ck_assert_msg(r.date && !strcmp(r.date, "2024-04-02"), "date '%s'", r.date ? r.date : "(null)");
	ck_assert_str_eq(r.date_from, "metadata");
	sol_record_release(&r);
}
END_TEST

/* A <title> loses the site's name after its last separator, which ever
 * separator that is, and keeps a tail longer than what precedes it unless
 * the tail names a council: "Cabinet 12/03/2020 - Alton Flood Scheme" is
 * the meeting and its subject, not a page of a site called "Alton Flood
 * Scheme". The pages have no <h1>, which would stand in for a <title>
 * that gave nothing. */
START_TEST(html_title_from_title_tag)
{
	static const char *const cases[][2] = {
		{ "Cabinet 12/03/2020 - Alton Flood Scheme", "Cabinet 12/03/2020 - Alton Flood Scheme" },
		{ "Missed bins - Bins and recycling | Hampshire County Council",
		  "Missed bins - Bins and recycling" },
		{ "Council tax \xE2\x80\x93 Test Valley Borough Council", "Council tax" },
		{ NULL, NULL } };
	for (size_t i = 0; cases[i][0]; i++) {
		sol_buf page;
		sol_record r;
		sol_buf_init(&page, 0);
		sol_buf_addf(&page, "<html><head><title>%s</title></head><body>%s%s</body></html>",
			     cases[i][0], PROSE, PROSE);
		r = clean_html(page.data);
		sol_buf_release(&page);
		ck_assert_msg(r.title && !strcmp(r.title, cases[i][1]), "<title>%s</title> gave '%s'",
			      cases[i][0], r.title ? r.title : "(null)");
		sol_record_release(&r);
	}
}
END_TEST

/* The page's own heading repeats the title the record already carries:
 * it is taken off the front of the text, but only as a whole line (a
 * first line that merely starts with the title's words is content).
 * Two paragraphs follow the heading: after one alone, the container is
 * narrowed to that paragraph and the heading goes for that reason. */
START_TEST(html_title_line_dropped)
{
	sol_record r = clean_html("<html><head><title>School transport | Hampshire County Council"
				  "</title></head><body><h1>School transport</h1>" PROSE PROSE "</body></html>");
	ck_assert_str_eq(r.title, "School transport");
	ck_assert_msg(!strncmp(r.text, "The cabinet member approved", 27), "kept the heading: '%s'",
		      r.text);
	sol_record_release(&r);

	r = clean_html("<html><head><meta property=\"og:title\" content=\"Bus passes\"></head><body>"
		       "<h1>Bus passes for older and disabled people</h1>" PROSE PROSE "</body></html>");
	ck_assert_str_eq(r.title, "Bus passes");
	ck_assert_msg(!strncmp(r.text, "Bus passes for older and disabled people\n", 41),
		      "cut a heading that only starts with the title: '%s'", r.text);
	sol_record_release(&r);
}
END_TEST

START_TEST(date_forms)
{
	char iso[11];
	ck_assert(ing__parse_date("2024-03-12T10:00:00", 19, iso));
	ck_assert_str_eq(iso, "2024-03-12");
	ck_assert(ing__parse_date("12/03/2024", 10, iso));
	ck_assert_str_eq(iso, "2024-03-12");
	ck_assert(ing__parse_date("Tuesday, 12th March, 2024", 25, iso));
	ck_assert_str_eq(iso, "2024-03-12");
	ck_assert(ing__parse_date("March 12, 2024", 14, iso));
	ck_assert_str_eq(iso, "2024-03-12");
	ck_assert(ing__parse_date("1 Sept 2023", 11, iso));
	ck_assert_str_eq(iso, "2023-09-01");
	ck_assert(!ing__parse_date("31/02/2024", 10, iso));
	ck_assert(!ing__parse_date("hello", 5, iso));
	ck_assert(!ing__parse_date("12345", 5, iso));
	ck_assert_str_eq(ing__find_labelled_date("Publication date: 01/07/2013 blah", 33, iso),
			 "publication date");
	ck_assert_str_eq(iso, "2013-07-01");
	/* the better label wins wherever it stands; a label whose first
	 * occurrence holds no date is looked for again further on */
	const char *t = "Date: 1 May 2013. Posted on a Tuesday. Last updated: soon. "
			"DATE OF DECISION: 12 June 2013. Last updated 3 July 2013";
	ck_assert_str_eq(ing__find_labelled_date(t, strlen(t), iso), "date of decision");
	ck_assert_str_eq(iso, "2013-06-12");
	t = "Posted on a Tuesday. Last Updated: soon, Last updated 3 July 2013. Date: 1 May 2013";
	ck_assert_str_eq(ing__find_labelled_date(t, strlen(t), iso), "last updated");
	ck_assert_str_eq(iso, "2013-07-03");
	/* a label cut by the end of the text is no label */
	t = "Date of decisio";
	ck_assert_ptr_null(ing__find_labelled_date(t, strlen(t), iso));
	ck_assert_ptr_null(ing__find_labelled_date("", 0, iso));
}
END_TEST

/* Short forms council pages write: a two-digit year is this century, a
 * month's three-letter abbreviation is the month (with a weekday's in
 * front), and "on" between a label and its date is skipped ("Last
 * modified on ..." is the SharePoint and Drupal footer; no other label
 * matches there, so the date is found only past the "on"). */
START_TEST(date_short_forms)
{
	char iso[11];
	ck_assert(ing__parse_date("12/03/24", 8, iso));
	ck_assert_str_eq(iso, "2024-03-12");
	ck_assert(ing__parse_date("12 Mar 2024", 11, iso));
	ck_assert_str_eq(iso, "2024-03-12");
	ck_assert(ing__parse_date("Tue 5 Nov 2024", 14, iso));
	ck_assert_str_eq(iso, "2024-11-05");
	ck_assert(ing__parse_date("Dec 9, 2023", 11, iso));
	ck_assert_str_eq(iso, "2023-12-09");

	sol_record r = clean_html("<body><h1>Household support fund</h1>" PROSE
				  "<p>Last modified on 4 June 2022</p></body>");
	ck_assert_msg(r.date && !strcmp(r.date, "2022-06-04"), "date '%s'", r.date ? r.date : "(null)");
	ck_assert_str_eq(r.date_from, "text");
	sol_record_release(&r);
}
END_TEST

/* ---- choosing the main text when names mislead ---- */

START_TEST(html_second_root)
{
	/* A page that closes </html> and goes on: libxml2 makes a second
	 * root, and the article lives there. */
	sol_record r = clean_html("<!DOCTYPE html>\n<html>\n<head><title>T</title></head><body>"
				  "<header><a href=/>Home</a></header></body></html>\n"
				  "<div class=\"post\">" PROSE PROSE "</div><footer>JUNKWORD</footer>");
	ck_assert_msg(strstr(r.text, "school transport policy") != NULL, "lost second root: '%s'",
		      r.text);
	ck_assert_ptr_null(strstr(r.text, "JUNKWORD"));
	sol_record_release(&r);
}
END_TEST

START_TEST(html_forgives_layout_names)
{
	/* Every wrapper carries a layout name ("header", "menu"): judged by
	 * name alone nothing is left, so the names are undone; the <nav> and
	 * the cookie banner (a name that means one thing) stay out. */
	sol_record r = clean_html("<body><nav><a href=/>JUNKWORD home</a> <a href=/a>Apply</a></nav>"
				  "<div class=\"header-layout\">" PROSE "</div>"
				  "<div class=\"menu-open\"><p>Second part of the decision, in a block "
				  "that the designer also named after the layout.</p></div>"
				  "<div class=\"navbar-offset\">" PROSE "</div>"
				  "<div class=\"header-more\">" PROSE "</div>"
				  "<div class=\"menu-more\">" PROSE "</div>"
				  "<div class=\"navbar-more\">" PROSE "</div>"
				  "<div class=\"header-last\">" PROSE "</div>"
				  "<div class=\"menu-last\">" PROSE "</div>"
				  "<div class=\"cookie-notice\">JUNKWORD we use cookies on this site, "
				  "please accept them to continue using the site as intended</div>"
				  "</body>");
	ck_assert_msg(strstr(r.text, "Second part of the decision") != NULL, "lost part: '%s'", r.text);
	ck_assert_msg(strstr(r.text, "school transport policy") != NULL, "lost content: '%s'", r.text);
	ck_assert_msg(strstr(r.text, "JUNKWORD") == NULL, "kept furniture: '%s'", r.text);
	sol_record_release(&r);

	/* With real content beside it, a "menu" block is still furniture. */
	r = clean_html("<body><div class=\"menu-panel\"><p>JUNKWORD opening hours and a long "
		       "list of places</p></div><div>" PROSE PROSE "</div></body>");
	ck_assert_msg(strstr(r.text, "JUNKWORD") == NULL, "kept menu: '%s'", r.text);
	sol_record_release(&r);
}
END_TEST

START_TEST(html_thread_of_comments)
{
	/* A forum thread: the posts are the page, even when named "comment". */
	sol_record r = clean_html("<body><div class=\"topbar\"><a href=/>Forum</a></div>"
				  "<div class=\"comment\">" PROSE "</div>"
				  "<div class=\"comment\"><p>Replying to the post above, the bus "
				  "operators were consulted twice over the summer months.</p></div>"
				  "<div class=\"comment\">" PROSE "</div>"
				  "<div class=\"comment\">" PROSE "</div>"
				  "<div class=\"comment\">" PROSE "</div>"
				  "<div class=\"comment\">" PROSE "</div>"
				  "<div class=\"comment\">" PROSE "</div>"
				  "<div class=\"comment\">" PROSE "</div></body>");
	ck_assert_msg(strstr(r.text, "Replying to the post above") != NULL, "lost thread: '%s'",
		      r.text);
	sol_record_release(&r);
}
END_TEST

START_TEST(html_drops_figcaption)
{
	/* Captions and photo credits are not the text a reader takes away. */
	sol_record r = clean_html("<body><article><h1>Bus policy</h1>" PROSE
				  "<figure><img src=x.jpg><figcaption>JUNKWORD The leader at the "
				  "depot. Photo: council press office</figcaption></figure>" PROSE
				  "</article></body>");
	ck_assert_msg(strstr(r.text, "school transport policy") != NULL, "lost content: '%s'", r.text);
	ck_assert_msg(strstr(r.text, "JUNKWORD") == NULL, "kept caption: '%s'", r.text);
	sol_record_release(&r);
}
END_TEST

#define TEASER(t) "<li><a href=/n>" t "</a> Published on Tuesday with a short summary of the story.</li>"

START_TEST(html_prunes_teasers_after_article)
{
	/* After an article's paragraphs, a block of linked teasers (too few
	 * links to be skipped as a menu) is "more stories", not the article. */
	sol_record r = clean_html("<body><div class=\"wrap\"><div>" PROSE PROSE PROSE PROSE "</div>"
				  "<div><ul>" TEASER("JUNKWORD fares frozen for a year")
				  TEASER("JUNKWORD new library opens its doors")
				  TEASER("JUNKWORD roadworks on the high street") "</ul></div>"
				  "</div></body>");
	ck_assert_msg(strstr(r.text, "school transport policy") != NULL, "lost content: '%s'", r.text);
	ck_assert_msg(strstr(r.text, "JUNKWORD") == NULL, "kept teasers: '%s'", r.text);
	sol_record_release(&r);

	/* A list page: the same teasers with no article body are the page. */
	r = clean_html("<body><div class=\"wrap\"><div><p>News from the council.</p></div>"
		       "<div><ul>" TEASER("Fares frozen for a year")
		       TEASER("New library opens its doors")
		       TEASER("Roadworks on the high street") "</ul></div></div></body>");
	ck_assert_msg(strstr(r.text, "New library opens") != NULL, "lost cards: '%s'", r.text);
	sol_record_release(&r);
}
END_TEST

/* ---- plain text ---- */

START_TEST(text_line_endings_and_markdown)
{
	sol_record r = clean_text("# Annual Report\r\n\r\nThis is **bold** text.\r\n\r\n## Section two\rMore.\r");
	ck_assert_str_eq(r.title, "Annual Report");
	ck_assert_str_eq(r.text, "Annual Report\n\nThis is bold text.\n\nSection two\n\nMore.");
	sol_record_release(&r);
}
END_TEST

START_TEST(text_title_names_the_document)
{
	/* an authority's name in capitals is followed by what the document is */
	sol_record r = clean_text("HAMPSHIRE COUNTY COUNCIL\n\nMinutes of a meeting of the Cabinet held at\n"
				  "The Castle on Monday 1 July 2013.\n\n1. Apologies\n");
	ck_assert_str_eq(r.title, "HAMPSHIRE COUNTY COUNCIL - Minutes of a meeting of the Cabinet held at");
	sol_record_release(&r);
	/* the letterhead of the title's own paragraph is not what it is */
	r = clean_text("WINCHESTER CITY COUNCIL\nCity Offices, Colebrook Street, Winchester\n\n"
		       "TOWN AND COUNTRY PLANNING ACT 1990\n");
	ck_assert_str_eq(r.title, "WINCHESTER CITY COUNCIL");
	sol_record_release(&r);
	/* a title in ordinary case is left as it is */
	r = clean_text("Budget setting 2024/25\n\nThe council agreed its budget.\n");
	ck_assert_str_eq(r.title, "Budget setting 2024/25");
	sol_record_release(&r);
}
END_TEST

START_TEST(text_hyphen_and_wrap)
{
	sol_record r = clean_text(
		"The committee considered the report and recom-\n"
		"mended that the cabinet approve the proposals set out\n"
		"in the appendix to this report, subject to consultation.\n"
		"1. The first numbered paragraph follows here and it is\n"
		"wrapped onto a second line by the pdf converter as well.\n");
	ck_assert_msg(strstr(r.text, "recommended that") != NULL, "%s", r.text);
	ck_assert_msg(strstr(r.text, "proposals set out in the appendix") != NULL, "%s", r.text);
	ck_assert_msg(strstr(r.text, "consultation.\n1. The first") != NULL, "%s", r.text);
	ck_assert_msg(strstr(r.text, "it is wrapped") != NULL, "%s", r.text);
	sol_record_release(&r);
}
END_TEST

START_TEST(text_page_furniture)
{
	sol_buf b;
	sol_record r;
	int page;
	sol_buf_init(&b, 0);
	for (page = 1; page <= 5; page++) {
		sol_buf_addf(&b, "Hampshire County Council - Cabinet Report\n\n");
		sol_buf_addf(&b, "Body text of page %d which says something useful.\n\n", page);
		sol_buf_addf(&b, "Page %d of 5\n\f", page);
	}
	r = clean_text(b.data);
	ck_assert_msg(strstr(r.text, "Cabinet Report") == NULL, "%s", r.text);
	ck_assert_msg(strstr(r.text, "Page 3 of 5") == NULL, "%s", r.text);
	ck_assert_msg(strstr(r.text, "\f") == NULL, "%s", r.text);
	ck_assert_msg(strstr(r.text, "Body text of page 3 which") != NULL, "%s", r.text);
	sol_record_release(&r);
	sol_buf_release(&b);
}
END_TEST

/* A page number is dropped in each of its forms even in a document too
 * short to have running furniture (under three pages); a line that is
 * only a larger figure (a budget table, one cell a line) is not one. */
START_TEST(text_page_numbers_two_pages)
{
	sol_record r = clean_text("Household support fund\n\nThe fund will be spent by the end of March.\n\n"
				  "Total allocation\n\n125000\n\nPage 1 of 2\n\f"
				  "Eligibility is set out in the appendix.\n\n2 | Page\n");
	ck_assert_msg(!strstr(r.text, "Page"), "kept a page number: '%s'", r.text);
	ck_assert_msg(strstr(r.text, "\n\n125000\n\n") != NULL, "lost a figure: '%s'", r.text);
	ck_assert_msg(strstr(r.text, "Eligibility is set out in the appendix.") != NULL, "%s", r.text);
	sol_record_release(&r);
}
END_TEST

/* A bare number is a page number only where page numbers stand: at the
 * foot (or head) of its page, counting up with the pages, here from 201
 * (an extract of a longer report). Years and sums set one cell a line,
 * as pdftotext gives a budget table, and a negative figure, are text:
 * every line that was only a number of up to four digits was dropped. */
START_TEST(text_bare_numbers_kept_unless_paging)
{
	sol_buf b;
	sol_record r;
	int page;
	sol_buf_init(&b, 0);
	for (page = 0; page < 4; page++) {
		sol_buf_addf(&b, "Capital programme, part %d of the schemes agreed by cabinet.\n\n"
			     "Scheme %c was reviewed by the board in the spring.\n\n", page + 1, 'A' + page);
		sol_buf_addf(&b, "Year\n\n%d\n\nSpend\n\n%d\n\nVariance\n\n-%d\n\n", 2024 + page,
			     4500 + 7 * page, 5 + page);
		sol_buf_addf(&b, "Scheme %c will report again to the committee in the autumn.\n\n"
			     "The figures for part %d are in thousands of pounds.\n\n%d\n\f",
			     'A' + page, page + 1, 201 + page);
	}
	r = clean_text(b.data);
	ck_assert_msg(strstr(r.text, "\n\n2025\n\n") != NULL, "lost a year: '%s'", r.text);
	ck_assert_msg(strstr(r.text, "\n\n4507\n\n") != NULL, "lost a sum: '%s'", r.text);
	ck_assert_msg(strstr(r.text, "\n\n-6\n\n") != NULL, "lost a negative figure: '%s'", r.text);
	for (page = 0; page < 4; page++) {
		char line[16];
		size_t n = (size_t)snprintf(line, sizeof line, "\n%d", 201 + page);
		const char *at = strstr(r.text, line);
		ck_assert_msg(!at || (at[n] != '\n' && at[n] != '\0'), "kept page number %d: '%s'",
			      201 + page, r.text);
	}
	sol_record_release(&r);
	sol_buf_release(&b);

	/* one page: a last line that is a number is not taken for paging */
	r = clean_text("Members present\n\nTotal votes for the motion\n\n12\n");
	ck_assert_msg(strstr(r.text, "12") != NULL, "lost the count: '%s'", r.text);
	sol_record_release(&r);
}
END_TEST

/* A running footer that carries the page number ("Cabinet, 12 March 2024
 * - page 3") differs on every page only in its digits: short lines are
 * compared with their digits folded, so it is still seen to recur. */
START_TEST(text_running_footer_with_number)
{
	sol_buf b;
	sol_record r;
	int page;
	sol_buf_init(&b, 0);
	for (page = 1; page <= 4; page++) {
		sol_buf_addf(&b, "Body text of page %d which says something useful.\n\n", page);
		sol_buf_addf(&b, "Cabinet, 12 March 2024 - page %d\n\f", page);
	}
	r = clean_text(b.data);
	ck_assert_msg(strstr(r.text, "Cabinet, 12 March") == NULL, "kept the footer: '%s'", r.text);
	ck_assert_msg(strstr(r.text, "Body text of page 3 which") != NULL, "%s", r.text);
	sol_record_release(&r);
	sol_buf_release(&b);
}
END_TEST

/* List items keep their own line even where the line before runs to the
 * full width without a full stop (a condition wrapped onto a second line
 * and ending "and"): lettered "(a)" and "a)" items and bullets. */
START_TEST(text_list_items_own_line)
{
	sol_record r = clean_text(
		"The committee granted consent subject to the following conditions being met\n"
		"in full by the applicant before any development takes place on the land at\n"
		"(a) the applicant shall submit details of the surface water drainage scheme\n"
		"to the local planning authority before any works begin on the site and\n"
		"b) the hours of construction shall be limited to weekday working hours and\n"
		"to Saturday mornings with no working at all on Sundays or on bank holidays\n"
		"\xE2\x80\xA2 the access road shall be surfaced in a bound material before the\n"
		"first occupation of any of the dwellings on the site, as the plans show it\n");
	ck_assert_msg(strstr(r.text, "the land at\n(a) the applicant") != NULL, "(a): '%s'", r.text);
	ck_assert_msg(strstr(r.text, "on the site and\nb) the hours") != NULL, "b): '%s'", r.text);
	ck_assert_msg(strstr(r.text, "bank holidays\n\xE2\x80\xA2 the access road") != NULL,
		      "bullet: '%s'", r.text);
	ck_assert_msg(strstr(r.text, "drainage scheme to the local") != NULL, "wrap: '%s'", r.text);
	sol_record_release(&r);
}
END_TEST

/* ---- hostile input ---- */

START_TEST(html_deep_nesting)
{
	sol_buf b;
	sol_record r;
	sol_err err;
	sol_status st;
	int i;
	sol_buf_init(&b, 0);
	for (i = 0; i < 100000; i++)
		sol_buf_adds(&b, "<div>");
	sol_buf_adds(&b, "deep words");
	sol_record_init(&r);
	st = ing_clean_html(b.data, b.len, &r, &err);
	ck_assert_int_eq(st, SOL_OK);
	ck_assert(sol_utf8_valid(r.text, r.text_len));
	sol_record_release(&r);
	sol_buf_release(&b);
}
END_TEST

START_TEST(html_empty_binary_huge_attr)
{
	sol_record r;
	sol_err err;
	sol_buf b;
	size_t i;

	sol_record_init(&r);
	ck_assert_int_eq(ing_clean_html("", 0, &r, &err), SOL_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "empty"));
	sol_record_release(&r);

	sol_buf_init(&b, 0);
	for (i = 0; i < 4096; i++)
		sol_buf_addc(&b, (char)(1 + (i * 7) % 126));
	sol_record_init(&r);
	ck_assert_int_eq(ing_clean_html(b.data, b.len, &r, &err), SOL_OK);
	sol_record_release(&r);
	sol_buf_reset(&b);

	sol_buf_adds(&b, "<div class=\"");
	for (i = 0; i < 2000000; i++)
		sol_buf_addc(&b, 'a' + (char)(i % 26));
	sol_buf_adds(&b, "\" style=\"");
	for (i = 0; i < 100000; i++)
		sol_buf_adds(&b, "x:y;");
	sol_buf_adds(&b, "\">" PROSE "</div>");
	sol_record_init(&r);
	ck_assert_int_eq(ing_clean_html(b.data, b.len, &r, &err), SOL_OK);
	ck_assert_ptr_nonnull(strstr(r.text, "school transport"));
	sol_record_release(&r);
	sol_buf_release(&b);
}
END_TEST

static Suite *clean_suite(void)
{
	Suite *s = suite_create("clean");
	TCase *tc = tcase_create("charset");
	tcase_add_test(tc, charset_bom_wins);
	tcase_add_test(tc, charset_utf16_bom);
	tcase_add_test(tc, charset_http);
	tcase_add_test(tc, charset_meta);
	tcase_add_test(tc, charset_meta_http_equiv);
	tcase_add_test(tc, charset_declared_utf8_is_not);
	tcase_add_test(tc, charset_undeclared_utf8);
	tcase_add_test(tc, charset_detected);
	tcase_add_test(tc, charset_nfc);
	tcase_add_test(tc, charset_nfc_windows);
	tcase_add_test(tc, charset_binary_and_empty);
	suite_add_tcase(s, tc);
	tc = tcase_create("html");
	tcase_add_test(tc, html_removes_furniture);
	tcase_add_test(tc, html_judges_by_name_alone);
	tcase_add_test(tc, html_judges_by_tag_role_and_hiding_alone);
	tcase_add_test(tc, html_prefers_main);
	tcase_add_test(tc, html_modgov_container);
	tcase_add_test(tc, html_table_and_list);
	tcase_add_test(tc, html_whitespace_and_br);
	tcase_add_test(tc, html_pre_keeps_layout);
	tcase_add_test(tc, html_skips_link_dense_blocks);
	tcase_add_test(tc, html_metadata);
	tcase_add_test(tc, html_meta_date_choice);
	tcase_add_test(tc, html_title_line_dropped);
	tcase_add_test(tc, html_title_from_title_tag);
	tcase_add_test(tc, date_forms);
	tcase_add_test(tc, date_short_forms);
	tcase_add_test(tc, html_second_root);
	tcase_add_test(tc, html_forgives_layout_names);
	tcase_add_test(tc, html_thread_of_comments);
	tcase_add_test(tc, html_drops_figcaption);
	tcase_add_test(tc, html_prunes_teasers_after_article);
	suite_add_tcase(s, tc);
	tc = tcase_create("text");
	tcase_add_test(tc, text_line_endings_and_markdown);
	tcase_add_test(tc, text_hyphen_and_wrap);
	tcase_add_test(tc, text_title_names_the_document);
	tcase_add_test(tc, text_page_furniture);
	tcase_add_test(tc, text_page_numbers_two_pages);
	tcase_add_test(tc, text_bare_numbers_kept_unless_paging);
	tcase_add_test(tc, text_running_footer_with_number);
	tcase_add_test(tc, text_list_items_own_line);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, html_deep_nesting);
	tcase_add_test(tc, html_empty_binary_huge_attr);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(clean_suite(), CK_FORK_GETENV);
}
