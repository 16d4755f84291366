/*
 * html.c - an HTML page to the main text a reader sees, plus its metadata.
 *
 * One parse with libxml2 (recover mode, no network), then a few linear
 * passes over an array of the page's elements (never recursion: a hostile
 * page may nest 100k levels deep):
 *   1. classify every element: dropped outright (script, hidden, ...),
 *      boilerplate (nav, footer, cookie banner, share bar, ...) or content;
 *   2. sum visible and link text bottom-up, once with and once without the
 *      boilerplate, so that a "boilerplate" class on a wrapper of the whole
 *      page can be recognised and ignored;
 *   3. pick the main container (<main>, role=main, <article>, ModernGov/CMIS
 *      containers, else the element where the text is), in the way
 *      Readability and trafilatura do;
 *   4. render it: blocks to paragraphs, headings and list items to lines,
 *      table cells to tabs, skipping link-dense blocks (menus inside content).
 */
#include "html_int.h"

#include <libxml/parserInternals.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Visible text of the whole page, furniture included. */
static uint64_t page_all(const hdoc *h)
{
	uint64_t sum = 0;
	size_t i;
	for (i = 0; i < h->n; i++)
		if (h->el[i].parent < 0)
			sum += h->el[i].all;
	return sum;
}

/* SOLENT_CLEAN_FIND=words: show the elements around the first text node
 * holding these words, with their verdicts (why a passage was lost). */
static void debug_find(const hdoc *h, const char *needle)
{
	size_t i;
	for (i = 0; i < h->n; i++) {
		xmlNode *c;
		for (c = h->el[i].node->children; c; c = c->next) {
			int k;
			if (c->type != XML_TEXT_NODE || !c->content ||
			    !strstr((const char *)c->content, needle))
				continue;
			for (k = (int)i; k >= 0; k = h->el[k].parent)
				fprintf(stderr, "  find <%s class=%.40s id=%s> kind=%u text=%u link=%u all=%u flags=%x\n",
					(const char *)h->el[k].node->name, ing__attr(h->el[k].node, "class"),
					ing__attr(h->el[k].node, "id"), h->el[k].kind, h->el[k].text,
					h->el[k].link, h->el[k].all, h->el[k].flags);
			return;
		}
	}
	fprintf(stderr, "  find: '%s' not in any visited text node\n", needle);
}

/* libxml2's HTML parser (2.9) takes time quadratic in the number of
 * attributes of one element: 40,000 cost 23 s, a million never ends. No
 * real page comes near the limit below, so a document that passes it is
 * refused before parsing, with the byte offset of the element. One linear
 * pass. As in the HTML tokenizer, a quote opens a value only after '='
 * (a stray quote in a tag, `<div absolute z-50">`, is part of a name; read
 * as a value it turned the rest of a real page into one tag's attributes),
 * and the contents of <script> and <style> are not tags (`0<arguments` in
 * minified JavaScript is not an element). Returns the offset of the first
 * such tag, or (size_t)-1. */
#define ING_MAX_ATTRIBUTES 4096
static int tag_is(const char *s, size_t n, size_t i, const char *name)
{
	size_t k, len = strlen(name);
	if (i + len >= n)
		return 0;
	for (k = 0; k < len; k++)
		if ((s[i + k] | 0x20) != name[k])
			return 0;
	return !((s[i + len] >= 'a' && s[i + len] <= 'z') || (s[i + len] >= 'A' && s[i + len] <= 'Z'));
}

static size_t attribute_bomb(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] != '<' || !((s[i + 1] >= 'a' && s[i + 1] <= 'z') || (s[i + 1] >= 'A' && s[i + 1] <= 'Z')))
			continue;
		size_t tag = i, attrs = 0;
		const char *raw = tag_is(s, n, i + 1, "script") ? "script" :
				  tag_is(s, n, i + 1, "style") ? "style" : NULL;
		char quote = 0;
		int in_word = 0, after_eq = 0;
		for (i++; i < n; i++) {
			char c = s[i];
			if (quote) {
				if (c == quote)
					quote = 0;
				continue;
			}
			if (c == '>')
				break;
			int space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
			if ((c == '"' || c == '\'') && after_eq) {
				quote = c;
				after_eq = 0;
				continue;
			}
			if (c == '=') {
				after_eq = 1;
				in_word = 1;
				continue;
			}
			if (!space)
				after_eq = 0;
			if (!space && !in_word && ++attrs > ING_MAX_ATTRIBUTES)
				return tag;
			in_word = !space;
		}
		if (raw)
			while (i + 1 < n && !(s[i] == '<' && s[i + 1] == '/' && tag_is(s, n, i + 2, raw)))
				i++;
	}
	return (size_t)-1;
}

/* The bodies of <script> and <style>: libxml2 hands them to this callback
 * alone, and the classifier drops both elements unread, so they are not
 * kept in the tree. On pages with megabytes of inline script (a shop's
 * page state) the tree was otherwise the page's size again in memory. */
static void skip_raw_text(void *ctx, const xmlChar *text, int len)
{
	(void)ctx;
	(void)text;
	(void)len;
}

/*
 * The page as a tree. htmlReadMemory, told that the text is UTF-8, has
 * libxml2 convert its copy of the page UTF-8 to UTF-8 into a second buffer
 * (growing it by doubling): on a 5 MB page, 10 MB more at the batch's peak.
 * Told the charset directly (ctxt->charset, as a parser that detected
 * UTF-8 itself would be), it reads its one copy as it is. (Reading our
 * buffer in place, a static input buffer, made libxml2 2.9 read past its
 * end; reading it through a callback, a few KB at a time, parsed one
 * WCXB page differently.) HTML_PARSE_IGNORE_ENC keeps a <meta charset>
 * from switching it to what the page once was.
 */
static htmlDocPtr parse(const char *utf8, size_t n)
{
	htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
	xmlParserInputBufferPtr buf = NULL;
	xmlParserInputPtr in = NULL;
	htmlDocPtr doc = NULL;

	if (!ctxt)
		return NULL;
	ctxt->sax->cdataBlock = skip_raw_text;
	htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
				 HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC);
	buf = xmlParserInputBufferCreateMem(utf8, (int)n, XML_CHAR_ENCODING_NONE);
	if (!buf)
		goto out;
	in = xmlNewIOInputStream(ctxt, buf, XML_CHAR_ENCODING_NONE);
	if (!in) {
		xmlFreeParserInputBuffer(buf);
		goto out;
	}
	if (inputPush(ctxt, in) < 0) {
		xmlFreeInputStream(in);
		goto out;
	}
	ctxt->charset = XML_CHAR_ENCODING_UTF8;
	htmlParseDocument(ctxt);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
out:
	htmlFreeParserCtxt(ctxt);
	return doc;
}

sol_status ing_clean_html(const char *utf8, size_t n, sol_record *r, sol_err *err)
{
	hdoc h;
	sol_buf text;
	render rd;
	int top;
	size_t len;
	sol_status st = SOL_OK;
	char iso[11];
	const char *label = NULL;

	memset(&h, 0, sizeof h);
	memset(&rd, 0, sizeof rd);
	sol_buf_init(&text, 0);
	if (!utf8 || n == 0)
		return sol_err_set(err, SOL_ERR_INPUT, "html: empty document");
	if (n > (size_t)INT32_MAX)
		return sol_err_set(err, SOL_ERR_TOOBIG, "html: document of %zu bytes too large to parse", n);
	len = attribute_bomb(utf8, n);
	if (len != (size_t)-1)
		return sol_err_set(err, SOL_ERR_INPUT,
				   "html: the element at byte %zu has more than %d attributes; refused "
				   "(the HTML parser's time grows with their square)", len, ING_MAX_ATTRIBUTES);
	h.product = ing__product_page(utf8, n);
	h.doc = parse(utf8, n);
	if (!h.doc || !xmlDocGetRootElement(h.doc)) {
		/* A tree-less parse is text without tags (or nothing at all). */
		st = SOL_OK;
		goto finish;
	}
	if ((st = ing__html_classify(&h, err)) != SOL_OK)
		goto out;
	ing__html_sum(&h);
	if ((st = ing__html_meta(&h, r)) != SOL_OK) {
		sol_err_set(err, st, "html: out of memory reading metadata");
		goto out;
	}
	top = ing__html_choose(&h);
	if (top >= 0 && (uint64_t)h.el[top].text * 20 < page_all(&h) && page_all(&h) >= 1000) {
		/* Nineteen twentieths of the page judged furniture: when that rests on
		 * class names, the names misled (utility-class sites, wrappers
		 * called "header-layout"); forgive them and choose again. */
		ing__html_forgive_names(&h, -1);
		top = ing__html_choose(&h);
	} else if (top >= 0 && (uint64_t)h.el[top].text * 2 < h.el[top].all) {
		/* The container chosen is more furniture by name than text: on a
		 * forum the posts are "comments", on shop and service pages the
		 * panels are "menu-..." and "header-..." wrappers. The names inside
		 * it misled; those outside (the site's own menus) stay. WCXB dev
		 * +0.0068: forum +0.027, service +0.017, collection +0.014,
		 * product +0.013, article +0.0015; flat from 45% to 60%. */
		ing__html_forgive_names(&h, top);
	}
	if (top >= 0)
		top = ing__html_product_block(&h, top);
	if (top >= 0)
		top = ing__html_narrow(&h, top);
	if (top >= 0)
		ing__html_prune(&h, top);
	/* SOLENT_CLEAN_DEBUG=1: show why a page came out as it did (the chosen
	 * container and its ancestors with their text and link counts). */
	if (getenv("SOLENT_CLEAN_DEBUG") && top >= 0) {
		int k;
		for (k = top; k >= 0; k = h.el[k].parent)
			fprintf(stderr, "  <%s class=%s id=%s> text=%u link=%u all=%u flags=%x\n",
				(const char *)h.el[k].node->name, ing__attr(h.el[k].node, "class"),
				ing__attr(h.el[k].node, "id"), h.el[k].text, h.el[k].link, h.el[k].all,
				h.el[k].flags);
	}
	if (getenv("SOLENT_CLEAN_FIND"))
		debug_find(&h, getenv("SOLENT_CLEAN_FIND"));
	if (top >= 0) {
		memset(&rd, 0, sizeof rd);
		rd.out = &text;
		rd.dense_ok = h.el[top].text > 0 && h.el[top].link * 10 > h.el[top].text * 5;
		rd.tokens = getenv("SOLENT_CLEAN_TOKENS") != NULL;
		if ((st = ing__html_render(&h, top, &rd)) != SOL_OK) {
			sol_err_set(err, st, "html: %s while writing the text",
				    sol_status_to_string(st));
			goto out;
		}
	}
	/* A line said twice is read once: responsive pages render one block
	 * per screen size, forums quote the post being answered, previews
	 * repeat a post's first line. Short lines ("Reply", a price) repeat
	 * legitimately. WCXB dev +0.0035: forum +0.025, listing +0.003,
	 * product +0.006, collection +0.003, service +0.001, article
	 * +0.0017, documentation -0.006 (tabbed code samples whose steps
	 * repeat per language, which the gold keeps); flat from 30 to 80
	 * bytes, no better when only lines repeated a few times or whole
	 * paragraphs are dropped. */
	ing__drop_repeated_lines(&text, ING_REPEAT_MIN, rd.tabs, rd.ntabs);
	free(rd.tabs);
	rd.tabs = NULL;
	/* Trim the trailing separator. */
	while (text.len && (text.data[text.len - 1] == '\n' || text.data[text.len - 1] == ' ' ||
			    text.data[text.len - 1] == '\t'))
		text.data[--text.len] = '\0';
	ing__drop_title_line(&text, r->title);
	if (!r->date && !(text.len && (label = ing__find_labelled_date(text.data, text.len, iso)))) {
		/* The date may sit in a meta block outside the main text (CMIS
		 * "Date:" lists, ModernGov headers): look at the whole page. */
		sol_buf whole;
		sol_buf_init(&whole, 0);
		free(rd.tabs);
		memset(&rd, 0, sizeof rd);
		rd.out = &whole;
		rd.everything = 1;
		label = NULL;
		if (ing__html_render(&h, 0, &rd) == SOL_OK && whole.len)
			label = ing__find_labelled_date(whole.data, whole.len, iso);
		sol_buf_release(&whole);
	}
	/* Last resort: a title such as "Minutes of the meeting, 17 May 2016". */
	if (!r->date && !label && r->title) {
		const char *p;
		for (p = r->title; *p && !label; p++)
			if ((p == r->title || p[-1] == ' ') &&
			    ing__parse_date(p, strlen(p), iso))
				label = "title";
	}
	if (!r->date && label) {
		const char *from = strcmp(label, "title") ? "text" : "title";
		if ((st = ing__set_field(&r->date, iso, 10)) == SOL_OK)
			st = ing__set_field(&r->date_from, from, strlen(from));
		if (st != SOL_OK) {
			sol_err_set(err, st, "html: out of memory");
			goto out;
		}
	}
finish:
	free(r->text);
	r->text = sol_buf_detach(&text, &len);
	if (!r->text) {
		st = sol_err_set(err, SOL_ERR_NOMEM, "html: out of memory");
		goto out;
	}
	r->text_len = len;
out:
	sol_buf_release(&text);
	free(rd.tabs);
	free(h.el);
	if (h.doc)
		xmlFreeDoc(h.doc);
	return st;
}
