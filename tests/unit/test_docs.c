/*
 * test_docs.c - PDF, DOCX and ODT readers (ingest/pdf.c, ingest/office.c)
 * and the sniffing that sends bytes to them: page breaks, metadata, body
 * layout, and the hostile cases (scanned, truncated, zero pages, damaged,
 * external entities). Documents are made here, in memory or in a temporary
 * file, by hand and with libzip: nothing binary is committed.
 */
#include "docs_int.h"
#include "ingest.h"
#include "check_main.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

/* ---- making documents ---- */

/* A PDF written by hand, one page per string of pages (NULL ends), in
 * Helvetica (not embedded: text extraction needs no font file); a NULL
 * first string gives one page with a grey rectangle and no text. date is
 * a PDF date ("D:20160504100000") or NULL. Cairo would do, but its font
 * caches (fontconfig) leak under LeakSanitizer. */
static void make_pdf(sol_buf *out, const char *const *pages, const char *title, const char *date)
{
	size_t n = 0, offs[64], n_obj, xref;
	int blank = !pages[0];

	while (pages[n])
		n++;
	if (blank)
		n = 1;
	n_obj = 4 + 2 * n;
	ck_assert_uint_lt(n_obj, sizeof offs / sizeof offs[0]);
	sol_buf_init(out, 0);
	sol_buf_adds(out, "%PDF-1.4\n");
	offs[1] = out->len;
	sol_buf_adds(out, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	offs[2] = out->len;
	sol_buf_addf(out, "2 0 obj\n<< /Type /Pages /Count %zu /Kids [", n);
	for (size_t i = 0; i < n; i++)
		sol_buf_addf(out, " %zu 0 R", 5 + 2 * i);
	sol_buf_adds(out, " ] >>\nendobj\n");
	offs[3] = out->len;
	sol_buf_adds(out, "3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
	offs[4] = out->len;
	sol_buf_addf(out, "4 0 obj\n<< %s%s%s %s%s%s >>\nendobj\n", title ? "/Title (" : "",
		     title ? title : "", title ? ")" : "", date ? "/CreationDate (" : "",
		     date ? date : "", date ? ")" : "");
	for (size_t i = 0; i < n; i++) {
		sol_buf content;
		sol_buf_init(&content, 0);
		if (blank)
			sol_buf_adds(&content, "0.5 g 72 72 400 300 re f");
		else
			sol_buf_addf(&content, "BT /F1 12 Tf 72 700 Td (%s) Tj ET", pages[i]);
		offs[5 + 2 * i] = out->len;
		sol_buf_addf(out, "%zu 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
			     "/Resources << /Font << /F1 3 0 R >> >> /Contents %zu 0 R >>\nendobj\n",
			     5 + 2 * i, 6 + 2 * i);
		offs[6 + 2 * i] = out->len;
		sol_buf_addf(out, "%zu 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
			     6 + 2 * i, content.len, content.data);
		sol_buf_release(&content);
	}
	xref = out->len;
	sol_buf_addf(out, "xref\n0 %zu\n0000000000 65535 f \n", n_obj + 1);
	for (size_t i = 1; i <= n_obj; i++)
		sol_buf_addf(out, "%010zu 00000 n \n", offs[i]);
	sol_buf_addf(out, "trailer\n<< /Size %zu /Root 1 0 R /Info 4 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
		     n_obj + 1, xref);
}

/* A zip of name/content pairs (NULL ends), the first one stored. */
static void make_zip(sol_buf *out, const char *const *members)
{
	char path[] = "/tmp/test_docs.XXXXXX";
	int fd = mkstemp(path);
	zip_t *za;
	int zerr;
	sol_err err;

	ck_assert_int_ge(fd, 0);
	close(fd);
	za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	ck_assert_ptr_nonnull(za);
	for (size_t i = 0; members[i]; i += 2) {
		zip_source_t *src = zip_source_buffer(za, members[i + 1], strlen(members[i + 1]), 0);
		zip_int64_t idx = zip_file_add(za, members[i], src, ZIP_FL_OVERWRITE);
		ck_assert_int_ge(idx, 0);
		if (i == 0)
			zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	}
	ck_assert_int_eq(zip_close(za), 0);
	sol_buf_init(out, 0);
	ck_assert_int_eq(sol_read_file(path, 0, out, &err), SOL_OK);
	unlink(path);
}

static sol_status read_pdf(const sol_buf *pdf, sol_record *r, sol_err *err)
{
	sol_record_init(r);
	return ing__read_pdf((const unsigned char *)pdf->data, pdf->len, "t.pdf", r, err);
}

/* ---- sniffing ---- */

START_TEST(sniff_by_bytes_not_name)
{
	static const char pdf[] = "%PDF-1.7\n\0\0\0\x93\x8c binary";
	ck_assert_str_eq(ing_sniff_type((const unsigned char *)pdf, sizeof pdf, "x.txt"), ING_TYPE_PDF);
	ck_assert_str_eq(ing_sniff_type((const unsigned char *)"<html><p>hi", 11, "x.pdf"), "text/html");
	ck_assert_str_eq(ing_sniff_type((const unsigned char *)"plain words", 11, "x.docx"), "text/plain");
}
END_TEST

START_TEST(sniff_zips)
{
	static const char *const odt[] = { "mimetype", ING_TYPE_ODT, "content.xml", "<x/>", NULL };
	static const char *const tmpl[] = { "mimetype", ING_TYPE_ODT "-template", "content.xml", "<x/>", NULL };
	static const char *const docx[] = { "[Content_Types].xml", "<Types/>", "word/document.xml", "<x/>", NULL };
	static const char *const other[] = { "readme.txt", "hello", NULL };
	sol_buf z;

	make_zip(&z, odt);
	ck_assert_str_eq(ing_sniff_type((const unsigned char *)z.data, z.len, "x.zip"), ING_TYPE_ODT);
	sol_buf_release(&z);
	make_zip(&z, tmpl);
	ck_assert_ptr_null(ing__sniff_zip((const unsigned char *)z.data, z.len));
	sol_buf_release(&z);
	make_zip(&z, docx);
	ck_assert_str_eq(ing_sniff_type((const unsigned char *)z.data, z.len, "x.odt"), ING_TYPE_DOCX);
	sol_buf_release(&z);
	make_zip(&z, other);
	ck_assert_ptr_null(ing_sniff_type((const unsigned char *)z.data, z.len, "x.docx"));
	sol_buf_release(&z);
}
END_TEST

/* ---- PDF ---- */

START_TEST(pdf_pages_and_metadata)
{
	static const char *const pages[] = { "Alpha harbour dredging", "Bravo sea wall repairs",
					     "Charlie beach huts", NULL };
	sol_buf pdf;
	sol_record r;
	sol_err err;
	const char *ff1, *ff2;

	make_pdf(&pdf, pages, "Bembridge Harbour report", "D:20160504100000");
	ck_assert_msg(read_pdf(&pdf, &r, &err) == SOL_OK, "%s", err.msg);
	ck_assert_ptr_nonnull(strstr(r.text, "Alpha harbour dredging"));
	ff1 = strchr(r.text, '\f');
	ck_assert_ptr_nonnull(ff1);
	ff2 = strchr(ff1 + 1, '\f');
	ck_assert_ptr_nonnull(ff2);
	ck_assert_ptr_null(strchr(ff2 + 1, '\f'));
	ck_assert_ptr_nonnull(strstr(ff1, "Bravo sea wall repairs"));
	ck_assert(strstr(ff1, "Bravo") < ff2);
	ck_assert_ptr_nonnull(strstr(ff2, "Charlie beach huts"));
	ck_assert_uint_eq(r.text_len, strlen(r.text));
	ck_assert_str_eq(r.title, "Bembridge Harbour report");
	ck_assert_str_eq(r.date, "2016-05-04");
	ck_assert_str_eq(r.date_from, "pdf:CreationDate");
	ck_assert_str_eq(r.charset, "UTF-8");
	sol_record_release(&r);
	sol_buf_release(&pdf);
}
END_TEST

START_TEST(pdf_title_from_text_without_metadata)
{
	static const char *const pages[] = { "Ventnor sea wall", NULL };
	sol_buf pdf;
	sol_record r;
	sol_err err;

	make_pdf(&pdf, pages, NULL, NULL);
	ck_assert_msg(read_pdf(&pdf, &r, &err) == SOL_OK, "%s", err.msg);
	ck_assert_str_eq(r.title, "Ventnor sea wall");
	ck_assert_ptr_null(strchr(r.text, '\f'));
	sol_record_release(&r);
	sol_buf_release(&pdf);
}
END_TEST

START_TEST(pdf_scanned_is_an_error)
{
	static const char *const none[] = { NULL };
	sol_buf pdf;
	sol_record r;
	sol_err err;

	make_pdf(&pdf, none, "Scanned minutes", NULL);
	ck_assert_int_eq(read_pdf(&pdf, &r, &err), SOL_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "t.pdf: no text layer: scanned PDF?"));
	sol_record_release(&r);
	sol_buf_release(&pdf);
}
END_TEST

START_TEST(pdf_hostile)
{
	static const char *const pages[] = { "Some text", NULL };
	static const char zero[] =
		"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
		"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
		"trailer\n<< /Root 1 0 R >>\n%%EOF\n";
	static const char junk[] = "%PDF-1.4\nthis is not a PDF at all\n%%EOF\n";
	sol_buf pdf;
	sol_record r;
	sol_err err;

	make_pdf(&pdf, pages, NULL, NULL);
	pdf.len /= 2;  /* a cut-off download */
	ck_assert_int_eq(read_pdf(&pdf, &r, &err), SOL_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "t.pdf: truncated PDF"));
	sol_buf_release(&pdf);

	ck_assert_int_eq(ing__read_pdf((const unsigned char *)zero, sizeof zero - 1, "z.pdf", &r, &err),
			 SOL_ERR_INPUT);
	ck_assert_msg(strstr(err.msg, "z.pdf: ") == err.msg, "%s", err.msg);
	ck_assert_msg(strstr(err.msg, "no pages") || strstr(err.msg, "PDF"), "%s", err.msg);

	ck_assert_int_eq(ing__read_pdf((const unsigned char *)junk, sizeof junk - 1, "j.pdf", &r, &err),
			 SOL_ERR_INPUT);
	ck_assert_msg(strstr(err.msg, "j.pdf: ") == err.msg, "%s", err.msg);
	sol_record_release(&r);
}
END_TEST

/* ---- DOCX and ODT ---- */

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

static sol_status read_office(const char *const *members, const char *type, sol_record *r,
			      sol_err *err)
{
	sol_buf z;
	sol_status st;

	make_zip(&z, members);
	sol_record_init(r);
	st = ing__read_office((const unsigned char *)z.data, z.len, type, "t.doc", r, err);
	sol_buf_release(&z);
	return st;
}

START_TEST(docx_layout)
{
	static const char *const m[] = {
		"[Content_Types].xml", "<Types/>",
		"word/document.xml",
		"<w:document " W_NS "><w:body>"
		"<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Road </w:t></w:r>"
		"<w:r><w:t>repairs</w:t></w:r></w:p>"
		"<w:p><w:r><w:t>First  paragraph,</w:t><w:tab/><w:t>spaced.</w:t></w:r></w:p>"
		"<w:p/>"
		"<w:p><w:pPr><w:numPr/></w:pPr><w:r><w:t>one</w:t></w:r></w:p>"
		"<w:p><w:pPr><w:numPr/></w:pPr><w:hyperlink><w:r><w:t>two</w:t></w:r></w:hyperlink></w:p>"
		"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc>"
		"<w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc></w:tr>"
		"<w:tr><w:tc><w:p><w:r><w:t>d</w:t></w:r></w:p></w:tc><w:tc/></w:tr></w:tbl>"
		"<w:p><w:ins><w:r><w:t>kept</w:t></w:r></w:ins><w:del><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>"
		"</w:body></w:document>",
		"docProps/core.xml",
		"<cp:coreProperties xmlns:cp=\"x\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		"xmlns:dcterms=\"http://purl.org/dc/terms/\"><dc:title> Potholes  notice </dc:title>"
		"<dcterms:created>2018-11-05T09:00:00Z</dcterms:created></cp:coreProperties>",
		NULL };
	sol_record r;
	sol_err err;

	ck_assert_msg(read_office(m, ING_TYPE_DOCX, &r, &err) == SOL_OK, "%s", err.msg);
	ck_assert_str_eq(r.text, "Road repairs\n\nFirst paragraph, spaced.\n\none\ntwo\n\na\tb c\nd\t\n\nkept");
	/* the empty last cell keeps its tab: columns stay in step */
	ck_assert_str_eq(r.title, "Potholes notice");
	ck_assert_str_eq(r.date, "2018-11-05");
	sol_record_release(&r);
}
END_TEST

START_TEST(docx_no_external_entities)
{
	static const char *const m[] = {
		"[Content_Types].xml", "<Types/>",
		"word/document.xml",
		"<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
		"<w:document " W_NS "><w:body><w:p><w:r><w:t>x&e;y</w:t></w:r></w:p>"
		"<w:p><w:r><w:t>after</w:t></w:r></w:p></w:body></w:document>",
		NULL };
	sol_record r;
	sol_err err;

	if (read_office(m, ING_TYPE_DOCX, &r, &err) == SOL_OK) {
		ck_assert_ptr_null(strstr(r.text, "root:"));
		sol_record_release(&r);
	}
}
END_TEST

START_TEST(docx_broken)
{
	static const char *const no_body[] = { "[Content_Types].xml", "<Types/>", NULL };
	static const char *const bad_xml[] = { "[Content_Types].xml", "<Types/>",
					      "word/document.xml", "<w:document", NULL };
	static const char *const empty[] = { "[Content_Types].xml", "<Types/>", "word/document.xml",
					    "<w:document " W_NS "><w:body><w:p/></w:body></w:document>", NULL };
	static const unsigned char not_zip[] = "PK\x03\x04 and then nothing of a zip";
	sol_record r;
	sol_err err;

	ck_assert_int_eq(read_office(no_body, ING_TYPE_DOCX, &r, &err), SOL_ERR_NOTFOUND);
	ck_assert_str_eq(err.msg, "t.doc: no word/document.xml in the archive");
	ck_assert_int_eq(read_office(bad_xml, ING_TYPE_DOCX, &r, &err), SOL_ERR_INPUT);
	ck_assert_str_eq(err.msg, "t.doc: word/document.xml is not well-formed XML");
	ck_assert_int_eq(read_office(empty, ING_TYPE_DOCX, &r, &err), SOL_ERR_INPUT);
	ck_assert_str_eq(err.msg, "t.doc: DOCX has no text");
	sol_record_init(&r);
	ck_assert_int_eq(ing__read_office(not_zip, sizeof not_zip - 1, ING_TYPE_DOCX, "n.docx", &r, &err),
			 SOL_ERR_INPUT);
	ck_assert_msg(strstr(err.msg, "n.docx: damaged DOCX") == err.msg, "%s", err.msg);
}
END_TEST

#define ODT_NS "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
	"xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
	"xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""

START_TEST(odt_layout)
{
	static const char *const m[] = {
		"mimetype", ING_TYPE_ODT,
		"content.xml",
		"<office:document-content " ODT_NS "><office:body><office:text>"
		"<text:sequence-decls><text:sequence-decl text:name=\"Figure\"/></text:sequence-decls>"
		"<text:h text:outline-level=\"1\">Library <text:span>hours</text:span></text:h>"
		"<text:p>Open<text:s text:c=\"3\"/>daily<text:note><text:note-body><text:p>footnote</text:p>"
		"</text:note-body></text:note>.</text:p>"
		"<text:list><text:list-item><text:p>Mon</text:p></text:list-item>"
		"<text:list-item><text:p>Tue</text:p><text:list><text:list-item><text:p>Tue pm</text:p>"
		"</text:list-item></text:list></text:list-item></text:list>"
		"<table:table><table:table-column/><table:table-header-rows><table:table-row>"
		"<table:table-cell><text:p>Day</text:p></table:table-cell>"
		"<table:table-cell><text:p>Hours</text:p></table:table-cell></table:table-row>"
		"</table:table-header-rows><table:table-row><table:table-cell><text:p>Sat</text:p>"
		"</table:table-cell><table:table-cell><text:p>9-1</text:p></table:table-cell>"
		"</table:table-row></table:table>"
		"<text:section><text:p>The end.</text:p></text:section>"
		"</office:text></office:body></office:document-content>",
		"meta.xml",
		"<office:document-meta " ODT_NS " xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\">"
		"<office:meta><meta:creation-date>2019-06-30T12:00:00</meta:creation-date></office:meta>"
		"</office:document-meta>",
		NULL };
	sol_record r;
	sol_err err;

	ck_assert_msg(read_office(m, ING_TYPE_ODT, &r, &err) == SOL_OK, "%s", err.msg);
	ck_assert_str_eq(r.text, "Library hours\n\nOpen daily.\n\nMon\nTue\nTue pm\n\nDay\tHours\nSat\t9-1\n\nThe end.");
	ck_assert_str_eq(r.title, "Library hours");  /* no title in meta.xml: the first heading */
	ck_assert_str_eq(r.date, "2019-06-30");
	sol_record_release(&r);
}
END_TEST

/* Through the stage's front door: type from the bytes, provenance kept. */
START_TEST(process_pdf)
{
	static const char *const pages[] = { "Andover library opening hours", "Second page", NULL };
	sol_buf pdf;
	sol_record r;
	sol_err err;
	ing_ctx *ctx = ing_ctx_new(NULL, &err);
	ing_input in = { .source = "report.html" };

	ck_assert_msg(ctx != NULL, "%s", err.msg);
	make_pdf(&pdf, pages, "Library report", NULL);
	in.bytes = (const unsigned char *)pdf.data;
	in.len = pdf.len;
	ck_assert_msg(ing_process(ctx, &in, &r, &err) == SOL_OK, "%s", err.msg);
	ck_assert_str_eq(r.content_type, ING_TYPE_PDF);
	ck_assert_str_eq(r.source, "report.html");
	ck_assert_ptr_nonnull(r.id);
	ck_assert_ptr_nonnull(strchr(r.text, '\f'));
	sol_record_release(&r);
	in.len = 0;
	ck_assert_int_eq(ing_process(ctx, &in, &r, &err), SOL_ERR_INPUT);
	ck_assert_str_eq(err.msg, "report.html: empty file (0 bytes)");
	sol_buf_release(&pdf);
	ing_ctx_free(ctx);
}
END_TEST

static Suite *docs_suite(void)
{
	Suite *s = suite_create("docs");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, sniff_by_bytes_not_name);
	tcase_add_test(tc, sniff_zips);
	tcase_add_test(tc, pdf_pages_and_metadata);
	tcase_add_test(tc, pdf_title_from_text_without_metadata);
	tcase_add_test(tc, pdf_scanned_is_an_error);
	tcase_add_test(tc, pdf_hostile);
	tcase_add_test(tc, docx_layout);
	tcase_add_test(tc, docx_no_external_entities);
	tcase_add_test(tc, docx_broken);
	tcase_add_test(tc, odt_layout);
	tcase_add_test(tc, process_pdf);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(docs_suite(), CK_FORK_GETENV);
}
