/*
 * office.c - DOCX (Office Open XML) and ODT (OpenDocument) documents: a zip
 * read with libzip from memory, the body XML and the core properties parsed
 * with libxml2, and the body laid out as the record's text (docs/record.md):
 * headings and paragraphs separated by a blank line, list items one a line,
 * table cells by tabs and rows by lines.
 *
 * Both are untrusted input: members are read through a capped buffer
 * (ING_OFFICE_MAX_MEMBER) whatever sizes the zip headers claim, and XML is
 * parsed with no network, no DTD loading, no entity substitution and no
 * XInclude (libxml2 also bounds entity amplification unless XML_PARSE_HUGE).
 */
#define _GNU_SOURCE /* memmem */
#include "docs_int.h"
#include "clean.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define NS_W    "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_MC   "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TAB  "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_OFF  "urn:oasis:names:tc:opendocument:xmlns:office:1.0"

/* Deeper nesting than this is not a document anyone wrote by hand. */
#define MAX_DEPTH 200

const char *ing__sniff_zip(const unsigned char *b, size_t len)
{
	size_t n_odt = strlen(ING_TYPE_ODT);

	/* ODF stores an uncompressed "mimetype" member first so that the type
	 * can be read at a fixed place (ODF 1.2 part 3, 3.3); its compressed
	 * size must be the type's exact length ("...text-template" is not
	 * a text). */
	if (len >= 30 + 8) {
		size_t name_len = b[26] | (size_t)b[27] << 8, extra = b[28] | (size_t)b[29] << 8;
		size_t csize = b[18] | (size_t)b[19] << 8 | (size_t)b[20] << 16 | (size_t)b[21] << 24;
		size_t at = 30 + name_len + extra;
		if (name_len == 8 && !memcmp(b + 30, "mimetype", 8) && csize == n_odt &&
		    at + n_odt <= len && !memcmp(b + at, ING_TYPE_ODT, n_odt))
			return ING_TYPE_ODT;
	}
	/* A DOCX's member names sit uncompressed in the local headers and the
	 * central directory. */
	if (memmem(b, len, "[Content_Types].xml", 19) && memmem(b, len, "word/document.xml", 17))
		return ING_TYPE_DOCX;
	return NULL;
}

/* ---- zip members ---- */

/* Read member `name` into out (initialised here; caller releases), at
 * most ING_OFFICE_MAX_MEMBER bytes. SOL_ERR_NOTFOUND when absent. */
static sol_status read_member(zip_t *za, const char *name, const char *source, sol_buf *out,
			      sol_err *err)
{
	zip_file_t *zf;
	char chunk[16384];
	zip_int64_t n;
	sol_status st = SOL_OK;

	sol_buf_init(out, ING_OFFICE_MAX_MEMBER);
	if (zip_name_locate(za, name, 0) < 0)
		return sol_err_set(err, SOL_ERR_NOTFOUND, "%s: no %s in the archive", source, name);
	if (!(zf = zip_fopen(za, name, 0)))
		return sol_err_set(err, SOL_ERR_INPUT, "%s: %s: %s", source, name,
				   zip_error_strerror(zip_get_error(za)));
	while ((n = zip_fread(zf, chunk, sizeof chunk)) > 0) {
		if (sol_buf_add(out, chunk, (size_t)n) != SOL_OK) {
			st = sol_err_set(err, SOL_ERR_TOOBIG,
					 "%s: %s unpacks to over %u bytes (zip bomb?)", source, name,
					 ING_OFFICE_MAX_MEMBER);
			goto out;
		}
	}
	if (n < 0)
		st = sol_err_set(err, SOL_ERR_INPUT, "%s: %s: %s", source, name,
				 zip_error_strerror(zip_file_get_error(zf)));
	else if ((st = sol_buf_addc(out, '\0')) == SOL_OK)
		out->len--;  /* a terminator for the mimetype compare; not content */
out:
	zip_fclose(zf);
	if (st != SOL_OK)
		sol_buf_release(out);
	return st;
}

static sol_status parse_member(zip_t *za, const char *name, const char *source, xmlDoc **doc,
			       sol_err *err)
{
	sol_buf raw;
	sol_status st;

	*doc = NULL;
	if ((st = read_member(za, name, source, &raw, err)) != SOL_OK)
		return st;
	*doc = xmlReadMemory(raw.data ? raw.data : "", (int)raw.len, name, NULL,
			     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	sol_buf_release(&raw);
	if (!*doc || !xmlDocGetRootElement(*doc)) {
		xmlFreeDoc(*doc);
		*doc = NULL;
		return sol_err_set(err, SOL_ERR_INPUT, "%s: %s is not well-formed XML", source, name);
	}
	return SOL_OK;
}

/* ---- laying the body out ---- */

typedef enum block_kind { BLOCK_PARA, BLOCK_LINE } block_kind;

typedef struct layout {
	sol_buf out;        /* the record's text */
	sol_buf line;       /* the block being gathered */
	block_kind last;    /* kind of the last block written */
	unsigned group;     /* list or table the next BLOCK_LINE belongs to */
	unsigned last_group;
	char *heading;      /* first heading: the title when metadata has none */
	char *first;        /* first block: the title of last resort */
	sol_status st;      /* first failure: later appends are skipped */
} layout;

static int is_el(const xmlNode *n, const char *ns, const char *local)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       !strcmp((const char *)n->ns->href, ns) && !strcmp((const char *)n->name, local);
}

/* Append text to the line being gathered, every run of whitespace one space. */
static void line_add(layout *lo, const char *s)
{
	for (; lo->st == SOL_OK && s && *s; s++) {
		int space = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
		if (space && (!lo->line.len || lo->line.data[lo->line.len - 1] == ' '))
			continue;
		lo->st = sol_buf_addc(&lo->line, space ? ' ' : *s);
	}
}

/* A copy of s cut to at most 300 bytes on a character boundary. */
static char *title_copy(const char *s, size_t n)
{
	if (n > 300) {
		n = 300;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return sol_strndup(s, n);
}

/* Write the gathered line as a block: paragraphs and headings after a blank
 * line, lines of one list or table after a newline. An empty line is no
 * block. */
static void block_end(layout *lo, block_kind kind, int heading)
{
	size_t n = lo->line.len;

	while (n && lo->line.data[n - 1] == ' ')
		n--;
	if (lo->st != SOL_OK || !n)
		goto out;
	if (lo->out.len)
		lo->st = sol_buf_adds(&lo->out, kind == BLOCK_LINE && lo->last == BLOCK_LINE &&
					      lo->last_group == lo->group ? "\n" : "\n\n");
	if (lo->st == SOL_OK)
		lo->st = sol_buf_add(&lo->out, lo->line.data, n);
	if (lo->st == SOL_OK && heading && !lo->heading && !(lo->heading = title_copy(lo->line.data, n)))
		lo->st = SOL_ERR_NOMEM;
	if (lo->st == SOL_OK && !lo->first && !(lo->first = title_copy(lo->line.data, n)))
		lo->st = SOL_ERR_NOMEM;
	lo->last = kind;
	lo->last_group = lo->group;
out:
	sol_buf_reset(&lo->line);
}

/* -- DOCX (word/document.xml) -- */

static void docx_inline(layout *lo, const xmlNode *n, int depth)
{
	for (const xmlNode *c = n->children; c && lo->st == SOL_OK && depth < MAX_DEPTH; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_el(c, NS_W, "t")) {
			xmlChar *s = xmlNodeGetContent(c);
			line_add(lo, (const char *)s);
			xmlFree(s);
		} else if (is_el(c, NS_W, "tab") || is_el(c, NS_W, "br") || is_el(c, NS_W, "cr")) {
			line_add(lo, " ");
		} else if (is_el(c, NS_W, "noBreakHyphen")) {
			line_add(lo, "-");
		} else if (is_el(c, NS_W, "del") || is_el(c, NS_W, "delText") ||
			   is_el(c, NS_W, "instrText") || is_el(c, NS_W, "rPr") ||
			   is_el(c, NS_W, "pPr") || is_el(c, NS_MC, "Fallback")) {
			/* deleted revisions, field codes, properties, and the
			 * fallback copy of content already given in mc:Choice */
			continue;
		} else {
			docx_inline(lo, c, depth + 1);  /* w:r, w:hyperlink, w:ins, w:sdt, ... */
		}
	}
}

/* The paragraph's style: 'h' heading, 'l' list item, 'p' anything else. */
static char docx_para_kind(const xmlNode *p)
{
	for (const xmlNode *pr = p->children; pr; pr = pr->next) {
		if (!is_el(pr, NS_W, "pPr"))
			continue;
		for (const xmlNode *c = pr->children; c; c = c->next) {
			if (is_el(c, NS_W, "outlineLvl"))
				return 'h';
			if (is_el(c, NS_W, "numPr"))
				return 'l';
			if (is_el(c, NS_W, "pStyle")) {
				xmlChar *v = xmlGetNsProp(c, (const xmlChar *)"val", (const xmlChar *)NS_W);
				/* Word's built-in style ids; "ListParagraph" is a
				 * list item even without numbering */
				char kind = !v ? 'p' : !strncasecmp((const char *)v, "heading", 7) ||
					!strcasecmp((const char *)v, "title") ? 'h'
					: !strncasecmp((const char *)v, "list", 4) ? 'l' : 'p';
				xmlFree(v);
				if (kind != 'p')
					return kind;
			}
		}
	}
	return 'p';
}

static void docx_blocks(layout *lo, const xmlNode *n, int depth);

/* A table cell's paragraphs (and any nested table) as one run of text. */
static void docx_cell(layout *lo, const xmlNode *tc, int depth)
{
	for (const xmlNode *c = tc->children; c && depth < MAX_DEPTH; c = c->next) {
		if (is_el(c, NS_W, "p")) {
			docx_inline(lo, c, depth + 1);
			line_add(lo, " ");
		} else if (c->type == XML_ELEMENT_NODE && !is_el(c, NS_W, "tcPr")) {
			docx_cell(lo, c, depth + 1);  /* w:tbl, w:tr, w:tc, w:sdt nested */
		}
	}
}

static void docx_table(layout *lo, const xmlNode *tbl, int depth)
{
	lo->group++;
	for (const xmlNode *tr = tbl->children; tr && lo->st == SOL_OK; tr = tr->next) {
		int cells = 0;
		if (!is_el(tr, NS_W, "tr"))
			continue;
		for (const xmlNode *tc = tr->children; tc && lo->st == SOL_OK; tc = tc->next) {
			if (!is_el(tc, NS_W, "tc"))
				continue;
			if (cells++) {
				while (lo->line.len && lo->line.data[lo->line.len - 1] == ' ')
					lo->line.len--;
				lo->st = sol_buf_addc(&lo->line, '\t');
			}
			docx_cell(lo, tc, depth + 1);
		}
		block_end(lo, BLOCK_LINE, 0);
	}
	lo->group++;
}

static void docx_blocks(layout *lo, const xmlNode *n, int depth)
{
	for (const xmlNode *c = n->children; c && lo->st == SOL_OK && depth < MAX_DEPTH; c = c->next) {
		if (is_el(c, NS_W, "p")) {
			char kind = docx_para_kind(c);
			docx_inline(lo, c, depth + 1);
			if (kind != 'l')
				lo->group++;  /* a list ends at the first other paragraph */
			block_end(lo, kind == 'l' ? BLOCK_LINE : BLOCK_PARA, kind == 'h');
		} else if (is_el(c, NS_W, "tbl")) {
			docx_table(lo, c, depth + 1);
		} else if (is_el(c, NS_W, "sdt") || is_el(c, NS_W, "sdtContent") ||
			   is_el(c, NS_W, "customXml") || is_el(c, NS_W, "ins")) {
			docx_blocks(lo, c, depth + 1);
		}
	}
}

/* -- ODT (content.xml) -- */

static void odt_inline(layout *lo, const xmlNode *n, int depth)
{
	for (const xmlNode *c = n->children; c && lo->st == SOL_OK && depth < MAX_DEPTH; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			line_add(lo, (const char *)c->content);
		} else if (c->type != XML_ELEMENT_NODE) {
			continue;
		} else if (is_el(c, NS_TEXT, "s") || is_el(c, NS_TEXT, "tab") ||
			   is_el(c, NS_TEXT, "line-break")) {
			line_add(lo, " ");
		} else if (is_el(c, NS_TEXT, "note") || is_el(c, NS_OFF, "annotation")) {
			continue;  /* footnotes and comments are not the running text */
		} else {
			odt_inline(lo, c, depth + 1);  /* text:span, text:a, ... */
		}
	}
}

static void odt_blocks(layout *lo, const xmlNode *n, int in_list, int depth);

static void odt_table(layout *lo, const xmlNode *n, int depth)
{
	for (const xmlNode *c = n->children; c && lo->st == SOL_OK && depth < MAX_DEPTH; c = c->next) {
		if (is_el(c, NS_TAB, "table-row")) {
			int cells = 0;
			for (const xmlNode *tc = c->children; tc && lo->st == SOL_OK; tc = tc->next) {
				if (!is_el(tc, NS_TAB, "table-cell") &&
				    !is_el(tc, NS_TAB, "covered-table-cell"))
					continue;
				if (cells++) {
					while (lo->line.len && lo->line.data[lo->line.len - 1] == ' ')
						lo->line.len--;
					lo->st = sol_buf_addc(&lo->line, '\t');
				}
				for (const xmlNode *p = tc->children; p; p = p->next) {
					odt_inline(lo, p, depth + 2);
					line_add(lo, " ");
				}
			}
			block_end(lo, BLOCK_LINE, 0);
		} else if (is_el(c, NS_TAB, "table-header-rows") || is_el(c, NS_TAB, "table-rows") ||
			   is_el(c, NS_TAB, "table-row-group")) {
			odt_table(lo, c, depth + 1);
		}
	}
}

static void odt_blocks(layout *lo, const xmlNode *n, int in_list, int depth)
{
	for (const xmlNode *c = n->children; c && lo->st == SOL_OK && depth < MAX_DEPTH; c = c->next) {
		if (is_el(c, NS_TEXT, "p") || is_el(c, NS_TEXT, "h")) {
			odt_inline(lo, c, depth + 1);
			block_end(lo, in_list ? BLOCK_LINE : BLOCK_PARA, is_el(c, NS_TEXT, "h"));
		} else if (is_el(c, NS_TEXT, "list")) {
			if (!in_list)
				lo->group++;
			odt_blocks(lo, c, 1, depth + 1);
			if (!in_list)
				lo->group++;
		} else if (is_el(c, NS_TAB, "table")) {
			lo->group++;
			odt_table(lo, c, depth + 1);
			lo->group++;
		} else if (is_el(c, NS_TEXT, "list-item") || is_el(c, NS_TEXT, "list-header") ||
			   is_el(c, NS_TEXT, "section") || is_el(c, NS_OFF, "body") ||
			   is_el(c, NS_OFF, "text")) {
			odt_blocks(lo, c, in_list, depth + 1);
		}
		/* text:tracked-changes (deleted text), text:sequence-decls,
		 * office:forms, table:table-columns: nothing a reader sees */
	}
}

/* ---- metadata ---- */

/* The first element anywhere under n named `local` with a non-blank text. */
static xmlChar *find_text(const xmlNode *n, const char *local, int depth)
{
	for (const xmlNode *c = n->children; c && depth < MAX_DEPTH; c = c->next) {
		xmlChar *s;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)c->name, local)) {
			s = xmlNodeGetContent(c);
			if (s && s[strspn((const char *)s, " \t\r\n")])
				return s;
			xmlFree(s);
		}
		if ((s = find_text(c, local, depth + 1)))
			return s;
	}
	return NULL;
}

/* Title and date from docProps/core.xml (DOCX) or meta.xml (ODT). A missing
 * or broken properties part is no error: the body is what matters. */
static sol_status read_props(zip_t *za, int odt, const char *source, sol_record *r)
{
	xmlDoc *doc = NULL;
	xmlChar *title = NULL, *created = NULL, *author = NULL;
	const char *date_from = odt ? "odt:meta:creation-date" : "docx:dcterms:created";
	sol_status st = SOL_OK;
	sol_err ignored;
	char iso[11];

	if (parse_member(za, odt ? "meta.xml" : "docProps/core.xml", source, &doc, &ignored) != SOL_OK)
		return SOL_OK;
	title = find_text(xmlDocGetRootElement(doc), "title", 0);
	author = find_text(xmlDocGetRootElement(doc), odt ? "initial-creator" : "creator", 0);
	created = find_text(xmlDocGetRootElement(doc), odt ? "creation-date" : "created", 0);
	if (!created) {
		created = find_text(xmlDocGetRootElement(doc), odt ? "date" : "modified", 0);
		date_from = odt ? "odt:dc:date" : "docx:dcterms:modified";
	}
	if (title && (st = ing__set_field(&r->title, (const char *)title, strlen((const char *)title))) != SOL_OK)
		goto out;
	if (author && (st = ing__set_field(&r->author, (const char *)author, strlen((const char *)author))) != SOL_OK)
		goto out;
	if (created && ing__parse_date((const char *)created, strlen((const char *)created), iso) &&
	    strncmp(iso, "1990", 4) >= 0 &&
	    ((st = ing__set_field(&r->date, iso, 10)) != SOL_OK ||
	     (st = ing__set_field(&r->date_from, date_from, strlen(date_from))) != SOL_OK))
		goto out;
out:
	xmlFree(title);
	xmlFree(author);
	xmlFree(created);
	xmlFreeDoc(doc);
	return st;
}

/* ---- the reader ---- */

sol_status ing__read_office(const unsigned char *bytes, size_t len, const char *type,
			    const char *source, sol_record *r, sol_err *err)
{
	int odt = !strcmp(type, ING_TYPE_ODT);
	zip_error_t zerr;
	zip_source_t *src = NULL;
	zip_t *za = NULL;
	xmlDoc *doc = NULL;
	layout lo;
	sol_status st;

	memset(&lo, 0, sizeof lo);
	sol_buf_init(&lo.out, ING_OFFICE_MAX_MEMBER);
	sol_buf_init(&lo.line, ING_OFFICE_MAX_MEMBER);
	zip_error_init(&zerr);
	if (!(src = zip_source_buffer_create(bytes, len, 0, &zerr))) {
		st = sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory opening the zip", source);
		goto out;
	}
	if (!(za = zip_open_from_source(src, ZIP_RDONLY, &zerr))) {
		st = sol_err_set(err, SOL_ERR_INPUT, "%s: damaged %s (zip: %s)", source,
				 odt ? "ODT" : "DOCX", zip_error_strerror(&zerr));
		zip_source_free(src);  /* still ours when the open failed */
		goto out;
	}
	if ((st = parse_member(za, odt ? "content.xml" : "word/document.xml", source, &doc, err)) != SOL_OK)
		goto out;
	if (odt) {
		odt_blocks(&lo, xmlDocGetRootElement(doc), 0, 0);
	} else {
		for (const xmlNode *c = xmlDocGetRootElement(doc)->children; c; c = c->next)
			if (is_el(c, NS_W, "body"))
				docx_blocks(&lo, c, 1);
	}
	if (lo.st != SOL_OK) {
		st = sol_err_set(err, lo.st, "%s: %s laying out the text", source,
				 lo.st == SOL_ERR_TOOBIG ? "text over the size limit" :
				 sol_status_to_string(lo.st));
		goto out;
	}
	if (!lo.out.len) {
		st = sol_err_set(err, SOL_ERR_INPUT, "%s: %s has no text", source, odt ? "ODT" : "DOCX");
		goto out;
	}
	if ((st = read_props(za, odt, source, r)) != SOL_OK)
		goto nomem;
	if (!r->title && (lo.heading || lo.first)) {
		const char *t = lo.heading ? lo.heading : lo.first;
		if ((st = ing__set_field(&r->title, t, strlen(t))) != SOL_OK)
			goto nomem;
	}
	if (!r->date) {
		char iso[11];
		if (ing__find_labelled_date(lo.out.data, lo.out.len, iso) &&
		    ((st = ing__set_field(&r->date, iso, 10)) != SOL_OK ||
		     (st = ing__set_field(&r->date_from, "text", 4)) != SOL_OK))
			goto nomem;
	}
	free(r->text);
	if (!(r->text = sol_buf_detach(&lo.out, &r->text_len)))
		goto nomem;
	free(r->charset);
	free(r->charset_from);
	r->charset = strdup("UTF-8");
	r->charset_from = strdup("format");
	if (!r->charset || !r->charset_from)
		goto nomem;
	st = SOL_OK;
	goto out;
nomem:
	st = sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", source);
out:
	xmlFreeDoc(doc);
	if (za)
		zip_discard(za);
	zip_error_fini(&zerr);
	sol_buf_release(&lo.out);
	sol_buf_release(&lo.line);
	free(lo.heading);
	free(lo.first);
	return st;
}
