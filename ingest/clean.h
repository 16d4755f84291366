/*
 * clean.h - ingest-internal: bytes to UTF-8, and UTF-8 markup or plain text
 * to the cleaned main text a reader sees. Not part of the stage contract.
 */
#ifndef ING_CLEAN_H
#define ING_CLEAN_H

#include "record.h"

/*
 * Decode bytes to UTF-8 (NFC). Order of evidence: BOM, then http_charset,
 * then (for HTML) <meta charset>/http-equiv, then detection; bytes that are
 * not valid UTF-8 under a declared UTF-8 are re-detected (windows-1252 when
 * nothing better is known). On SOL_OK, *out holds valid UTF-8 and
 * *charset / *charset_from are heap strings the caller frees
 * (charset_from is one of "bom", "http", "meta", "detected", "utf-8",
 * "fallback").
 */
sol_status ing_decode(const unsigned char *bytes, size_t n, const char *http_charset,
		      int is_html, sol_buf *out, char **charset, char **charset_from,
		      sol_err *err);

/*
 * Clean an HTML document (UTF-8) into r->text (main content only, headings
 * on their own lines, paragraphs separated by a blank line, list items one a
 * line, table cells by tabs) and fill r->title, r->date (when the page's
 * metadata gives one), r->description, r->canonical, r->lang.
 */
sol_status ing_clean_html(const char *utf8, size_t n, sol_record *r, sol_err *err);

/*
 * Normalise plain text (UTF-8) into r->text: line endings, form feeds and
 * page furniture removed, hyphenated and hard-wrapped lines joined,
 * Markdown markers removed. Fills r->title from the first heading or line.
 */
sol_status ing_clean_text(const char *utf8, size_t n, sol_record *r, sol_err *err);

/* ---- internal to the cleaner (ingest/html*.c, text.c, charset.c) ---- */

/* Parse a date as written on UK pages ("2024-03-12T10:00", "12 March 2024",
 * "March 12, 2024", "12/03/2024" as day/month) into iso[11] "YYYY-MM-DD".
 * Returns 1 when a plausible date was found at the start of s. */
int ing__parse_date(const char *s, size_t n, char iso[11]);

/* Find a labelled date in cleaned text ("Last updated: 3 May 2024", ModernGov
 * "Date of decision:", "Publication date:", "Meeting date:"); writes iso and
 * returns the label matched (static string) or NULL. */
const char *ing__find_labelled_date(const char *text, size_t n, char iso[11]);

/* Set *field to a heap copy of s (n bytes), whitespace collapsed and
 * trimmed; an empty result leaves *field unchanged. */
sol_status ing__set_field(char **field, const char *s, size_t n);

#endif
