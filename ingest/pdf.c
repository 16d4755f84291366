/*
 * pdf.c - PDF documents through poppler-glib: the text layer page by page
 * (reading order as poppler_page_get_text gives it), pages kept apart by a
 * form feed so that search can say on which page a hit is, and the
 * document information's title and creation date.
 *
 * Only memory is read (poppler_document_new_from_bytes): no file names, no
 * network. Hostile PDFs fail with the source named and the reason.
 */
#include "docs_int.h"
#include "clean.h"

#include <poppler.h>
#include <string.h>

/* A PDF ends with "%%EOF" (then at most a little whitespace or junk). poppler
 * rebuilds a cut-off file's cross-reference table and reads what is left,
 * so a truncated download would be indexed as a shorter document without a
 * word: look for the marker ourselves. 1 KB is what readers such as
 * Acrobat allow after it. */
static int has_eof_marker(const unsigned char *b, size_t len)
{
	size_t from = len > 1024 ? len - 1024 : 0;
	for (size_t i = from; i + 5 <= len; i++)
		if (b[i] == '%' && !memcmp(b + i, "%%EOF", 5))
			return 1;
	return 0;
}

static sol_status open_error(const GError *gerr, const char *source, sol_err *err)
{
	const char *why = "cannot be read";

	if (gerr && gerr->domain == POPPLER_ERROR) {
		switch (gerr->code) {
		case POPPLER_ERROR_ENCRYPTED:
			why = "encrypted (password-protected) PDF";
			break;
		case POPPLER_ERROR_DAMAGED:
		case POPPLER_ERROR_BAD_CATALOG:
			why = "damaged PDF";
			break;
		default:
			why = "invalid PDF";
			break;
		}
	}
	return sol_err_set(err, SOL_ERR_INPUT, "%s: %s%s%s", source, why,
			   gerr && gerr->message ? ": " : "", gerr && gerr->message ? gerr->message : "");
}

/* Set *field from a GLib string (NULL or blank leaves it unset). */
static sol_status set_from_gstr(char **field, gchar *s)
{
	sol_status st = SOL_OK;
	if (s)
		st = ing__set_field(field, s, strlen(s));
	g_free(s);
	return st;
}

/* Title and date from the document information dictionary (or XMP, which
 * poppler reads for us). */
static sol_status read_info(PopplerDocument *doc, sol_record *r)
{
	sol_status st;
	GDateTime *created;

	if ((st = set_from_gstr(&r->title, poppler_document_get_title(doc))) != SOL_OK)
		return st;
	if ((st = set_from_gstr(&r->author, poppler_document_get_author(doc))) != SOL_OK)
		return st;
	created = poppler_document_get_creation_date_time(doc);
	if (created) {
		gchar *iso = g_date_time_format(created, "%Y-%m-%d");
		g_date_time_unref(created);
		/* A PDF written without a date reads as the epoch on some
		 * producers: no council published before 1990. */
		if (iso && strncmp(iso, "1990", 4) >= 0) {
			if ((st = set_from_gstr(&r->date, iso)) != SOL_OK)
				return st;
			iso = NULL;
			if ((st = ing__set_field(&r->date_from, "pdf:CreationDate", 16)) != SOL_OK)
				return st;
		}
		g_free(iso);
	}
	return SOL_OK;
}

/* Clean one page as plain text (hard-wrapped lines joined, hyphens undone,
 * "Page 2 of 9" furniture dropped) and append it to text. The first page
 * that gives a title or a labelled date lends it to the record when the
 * document information has none. */
static sol_status add_page(PopplerPage *page, sol_buf *text, size_t *n_chars, sol_record *r,
			   sol_err *err)
{
	sol_record scratch;
	gchar *raw = poppler_page_get_text(page);
	sol_status st = SOL_OK;

	sol_record_init(&scratch);
	if (!raw || !*raw)
		goto out;
	/* poppler uses form feeds of its own inside a page now and then; only
	 * ours may separate pages. */
	for (gchar *p = raw; *p; p++)
		if (*p == ING_PAGE_BREAK)
			*p = '\n';
	if ((st = ing_clean_text(raw, strlen(raw), &scratch, err)) != SOL_OK)
		goto out;
	for (size_t i = 0; i < scratch.text_len; i++)
		*n_chars += !g_ascii_isspace(scratch.text[i]);
	if ((st = sol_buf_add(text, scratch.text, scratch.text_len)) != SOL_OK)
		goto out;
	if (!r->title && scratch.title) {
		r->title = scratch.title;
		scratch.title = NULL;
	}
	if (!r->date && scratch.date) {
		r->date = scratch.date;
		r->date_from = scratch.date_from;
		scratch.date = scratch.date_from = NULL;
	}
out:
	g_free(raw);
	sol_record_release(&scratch);
	return st;
}

sol_status ing__read_pdf(const unsigned char *bytes, size_t len, const char *source,
			 sol_record *r, sol_err *err)
{
	GBytes *gbytes = NULL;
	GError *gerr = NULL;
	PopplerDocument *doc = NULL;
	sol_buf text;
	size_t n_chars = 0;
	int n_pages;
	sol_status st;

	sol_buf_init(&text, 0);
	if (!has_eof_marker(bytes, len)) {
		st = sol_err_set(err, SOL_ERR_INPUT, "%s: truncated PDF (no %%%%EOF at the end)", source);
		goto out;
	}
	/* Static bytes: poppler reads the caller's buffer in place; doc and
	 * gbytes are both gone before we return. */
	gbytes = g_bytes_new_static(bytes, len);
	doc = poppler_document_new_from_bytes(gbytes, NULL, &gerr);
	if (!doc) {
		st = open_error(gerr, source, err);
		goto out;
	}
	n_pages = poppler_document_get_n_pages(doc);
	if (n_pages <= 0) {
		st = sol_err_set(err, SOL_ERR_INPUT, "%s: PDF has no pages", source);
		goto out;
	}
	if ((st = read_info(doc, r)) != SOL_OK)
		goto fail_nomem;
	for (int i = 0; i < n_pages; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		if (i && (st = sol_buf_addc(&text, ING_PAGE_BREAK)) != SOL_OK) {
			if (page)
				g_object_unref(page);
			goto fail_nomem;
		}
		if (!page)
			continue;  /* a broken page stays an empty page: numbering holds */
		st = add_page(page, &text, &n_chars, r, err);
		g_object_unref(page);
		if (st != SOL_OK) {
			sol_err_set(err, st, "%s: page %d: %s", source, i + 1, sol_status_to_string(st));
			goto out;
		}
	}
	if (n_chars == 0) {
		/* Indexed empty, a scan would be found by nothing and look fine
		 * in the batch report: say what it most likely is. */
		st = sol_err_set(err, SOL_ERR_INPUT, "%s: no text layer: scanned PDF? (%d page%s, no text)",
				 source, n_pages, n_pages == 1 ? "" : "s");
		goto out;
	}
	free(r->text);
	if (!(r->text = sol_buf_detach(&text, &r->text_len)))
		goto fail_nomem;
	free(r->charset);
	free(r->charset_from);
	r->charset = strdup("UTF-8");
	r->charset_from = strdup("format");
	if (!r->charset || !r->charset_from)
		goto fail_nomem;
	st = SOL_OK;
	goto out;
fail_nomem:
	st = sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory reading the PDF", source);
out:
	if (doc)
		g_object_unref(doc);
	if (gbytes)
		g_bytes_unref(gbytes);
	if (gerr)
		g_error_free(gerr);
	sol_buf_release(&text);
	return st;
}
