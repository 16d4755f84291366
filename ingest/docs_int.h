/*
 * docs_int.h - ingest-internal: documents that are not markup or plain text
 * (PDF through poppler-glib; DOCX and ODT through libzip + libxml2). Each
 * reader fills r->text, r->title, r->date / r->date_from, r->charset and
 * r->charset_from of a record whose provenance process.c has already set.
 * Not part of the stage contract (ingest.h).
 */
#ifndef ING_DOCS_INT_H
#define ING_DOCS_INT_H

#include "record.h"

#define ING_TYPE_PDF  "application/pdf"
#define ING_TYPE_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define ING_TYPE_ODT  "application/vnd.oasis.opendocument.text"

/* Page breaks in a PDF's text: one form feed between pages, so that page N
 * is the text after the (N-1)th '\f'. */
#define ING_PAGE_BREAK '\f'

/* Largest uncompressed member read out of a DOCX/ODT (zip bombs): bigger
 * is SOL_ERR_TOOBIG, whatever the zip's headers claim. */
#define ING_OFFICE_MAX_MEMBER (32u * 1024 * 1024)

/* Which zip-based document this is, from the bytes alone (an ODT's leading
 * "mimetype" member; a DOCX's word/document.xml and [Content_Types].xml
 * names): ING_TYPE_DOCX, ING_TYPE_ODT, or NULL for any other zip. */
const char *ing__sniff_zip(const unsigned char *bytes, size_t len);

/*
 * Read a PDF held in memory: text in reading order, one ING_PAGE_BREAK
 * between pages, each page cleaned as plain text; title and creation date
 * from the document's information. Fails, with a message naming source,
 * for encrypted, damaged, truncated or zero-page PDFs, and for a PDF with
 * no text layer at all (a scan). bytes must stay valid during the call.
 */
sol_status ing__read_pdf(const unsigned char *bytes, size_t len, const char *source,
			 sol_record *r, sol_err *err);

/*
 * Read a DOCX or ODT (type is ING_TYPE_DOCX or ING_TYPE_ODT) held in
 * memory: headings on their own lines, paragraphs separated by a blank
 * line, list items one a line, table cells by tabs and rows by lines;
 * title and date from docProps/core.xml or meta.xml. No network, no
 * external entities; members bounded by ING_OFFICE_MAX_MEMBER.
 */
sol_status ing__read_office(const unsigned char *bytes, size_t len, const char *type,
			    const char *source, sol_record *r, sol_err *err);

#endif
