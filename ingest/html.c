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
#include "clean.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#ifndef NARROW_PCT
#define NARROW_PCT 90
#endif

/* Element kinds, from the tag name. */
enum {
	K_INLINE = 0,
	K_BLOCK,   /* div, section, ... : a line break */
	K_PARA,    /* p, blockquote, ... : a blank line */
	K_HEAD,    /* h1-h6 */
	K_LI,
	K_TABLE,
	K_TR,
	K_CELL,
	K_BR,
	K_PRE,
	K_A,
	K_DROP,    /* never text: script, style, svg, form controls ... */
	K_BOILER,  /* page furniture by tag: nav, aside, footer, header */
	K_FORM,
	K_MAIN,
	K_ARTICLE,
	K_BODY,
	K_SOFT     /* svg, math, noscript: usually nothing, but libxml2 may nest
		    * the page inside an unclosed one (or a no-JS page lives in
		    * <noscript>), so they are boilerplate that can be forgiven */
};

/* Element flags. */
#define F_DROP      0x01u /* not rendered, not counted: hidden or non-text */
#define F_BOILER    0x02u /* boilerplate root (may be forgiven, see below) */
#define F_INLINK    0x04u /* inside an <a> */
#define F_MAINHINT  0x08u /* role=main or a content-container id/class */
#define F_HASMAIN   0x10u /* contains a <main>/<article>/main hint */
#define F_SKIP      0x20u /* skipped while rendering (link-dense, title) */

typedef struct hinfo {
	xmlNode *node;
	int parent;         /* index into the element array, -1 for roots */
	unsigned kind : 8;
	unsigned flags : 8;
	unsigned hlevel : 8;
	uint32_t own;       /* visible text bytes directly inside */
	uint32_t ownlink;
	uint32_t all;       /* subtree, boilerplate included */
	uint32_t alllink;
	uint32_t text;      /* subtree, boilerplate excluded */
	uint32_t link;      /* of text, inside links */
	uint32_t paras;     /* p/br-separated blocks with real text */
} hinfo;

typedef struct hdoc {
	htmlDocPtr doc;
	hinfo *el;
	size_t n, cap;
	int body;           /* index of <body> or -1 */
	int head;
	/* metadata seen while classifying */
	xmlNode *title, *h1, *time;
} hdoc;

/* Text nodes store their parent's index through the element's _private. */
static int index_of(const xmlNode *n)
{
	return n && n->_private ? (int)((intptr_t)n->_private - 1) : -1;
}

static int tag_kind(const char *t, unsigned *hlevel)
{
	*hlevel = 0;
	switch (t[0]) {
	case 'a':
		if (!t[1]) return K_A;
		if (!strcmp(t, "article")) return K_ARTICLE;
		if (!strcmp(t, "aside")) return K_BOILER;
		if (!strcmp(t, "address")) return K_PARA;
		if (!strcmp(t, "audio") || !strcmp(t, "applet")) return K_DROP;
		break;
	case 'b':
		if (!strcmp(t, "br")) return K_BR;
		if (!strcmp(t, "blockquote")) return K_PARA;
		if (!strcmp(t, "body")) return K_BODY;
		if (!strcmp(t, "button")) return K_SOFT; /* libxml2 leaves some open */
		break;
	case 'c':
		if (!strcmp(t, "caption")) return K_PARA;
		if (!strcmp(t, "canvas")) return K_DROP;
		break;
	case 'd':
		if (!strcmp(t, "div") || !strcmp(t, "dl") || !strcmp(t, "dt") || !strcmp(t, "dd") ||
		    !strcmp(t, "details"))
			return K_BLOCK;
		if (!strcmp(t, "dialog")) return K_BOILER;
		break;
	case 'f':
		if (!strcmp(t, "footer")) return K_BOILER;
		if (!strcmp(t, "form")) return K_FORM;
		if (!strcmp(t, "figure") || !strcmp(t, "figcaption") || !strcmp(t, "fieldset"))
			return K_BLOCK;
		if (!strcmp(t, "frameset") || !strcmp(t, "frame")) return K_DROP;
		break;
	case 'h':
		if (t[1] >= '1' && t[1] <= '6' && !t[2]) {
			*hlevel = (unsigned)(t[1] - '0');
			return K_HEAD;
		}
		if (!strcmp(t, "header")) return K_BOILER;
		if (!strcmp(t, "hr")) return K_BLOCK;
		if (!strcmp(t, "head")) return K_DROP;
		break;
	case 'i':
		if (!strcmp(t, "iframe") || !strcmp(t, "input")) return K_DROP;
		break;
	case 'l':
		if (!strcmp(t, "li")) return K_LI;
		if (!strcmp(t, "legend")) return K_BLOCK;
		break;
	case 'm':
		if (!strcmp(t, "main")) return K_MAIN;
		if (!strcmp(t, "menu")) return K_BOILER;
		if (!strcmp(t, "map")) return K_DROP;
		if (!strcmp(t, "math")) return K_SOFT;
		break;
	case 'n':
		if (!strcmp(t, "nav")) return K_BOILER;
		if (!strcmp(t, "noscript")) return K_SOFT;
		if (!strcmp(t, "noembed") || !strcmp(t, "noframes"))
			return K_DROP;
		break;
	case 'o':
		if (!strcmp(t, "ol")) return K_BLOCK;
		if (!strcmp(t, "object") || !strcmp(t, "option") || !strcmp(t, "optgroup"))
			return K_DROP;
		break;
	case 'p':
		if (!t[1]) return K_PARA;
		if (!strcmp(t, "pre")) return K_PRE;
		break;
	case 's':
		if (!strcmp(t, "section") || !strcmp(t, "summary")) return K_BLOCK;
		if (!strcmp(t, "script") || !strcmp(t, "style") || !strcmp(t, "select") ||
		    !strcmp(t, "source"))
			return K_DROP;
		if (!strcmp(t, "svg")) return K_SOFT;
		break;
	case 't':
		if (!strcmp(t, "td") || !strcmp(t, "th")) return K_CELL;
		if (!strcmp(t, "tr")) return K_TR;
		if (!strcmp(t, "table")) return K_TABLE;
		if (!strcmp(t, "template") || !strcmp(t, "textarea") || !strcmp(t, "title"))
			return K_DROP;
		if (!strcmp(t, "tbody") || !strcmp(t, "thead") || !strcmp(t, "tfoot"))
			return K_INLINE;
		break;
	case 'u':
		if (!strcmp(t, "ul")) return K_BLOCK;
		break;
	case 'v':
		if (!strcmp(t, "video")) return K_DROP;
		break;
	}
	return K_INLINE;
}

static const char *attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;
	for (a = n->properties; a; a = a->next)
		if (a->name && !strcmp((const char *)a->name, name) && a->children &&
		    a->children->type == XML_TEXT_NODE)
			return (const char *)a->children->content;
	return NULL;
}

/* Lower-case copy of an attribute value, cut at cap bytes. */
static void lower_copy(const char *s, char *dst, size_t cap)
{
	size_t i = 0;
	if (s)
		for (; s[i] && i + 1 < cap; i++)
			dst[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	dst[i] = '\0';
}

/* Is `word` one of the [a-z0-9]+ words of s? */
static int has_word(const char *s, const char *word)
{
	size_t wl = strlen(word);
	const char *p = s;
	while ((p = strstr(p, word)) != NULL) {
		int before = p == s || !((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= '0' && p[-1] <= '9'));
		char c = p[wl];
		int after = !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
		if (before && after)
			return 1;
		p += wl;
	}
	return 0;
}

/* Is `cls` (space-separated) one of the classes in s? */
static int has_class(const char *s, const char *cls)
{
	size_t cl = strlen(cls);
	const char *p = s;
	while ((p = strstr(p, cls)) != NULL) {
		if ((p == s || p[-1] == ' ') && (p[cl] == '\0' || p[cl] == ' '))
			return 1;
		p += cl;
	}
	return 0;
}

/*
 * Judge an element by its class and id: the names designers give to page
 * furniture are few and stable across sites (the lists follow trafilatura's
 * and Readability's). Returns F_DROP, F_BOILER, F_MAINHINT or 0.
 */
static unsigned judge_names(const char *cls_raw, const char *id_raw)
{
	static const char *const hidden_classes[] = {
		"hidden", "d-none", "sr-only", "visually-hidden", "visuallyhidden",
		"screen-reader-text", "screen-reader-only", "is-hidden", "u-hidden", "hide",
		"element-invisible", "offscreen", NULL };
	/* Distinctive enough to match inside compound names ("mgBreadcrumbs"). */
	static const char *const boiler_sub[] = {
		"breadcrumb", "cookie", "consent", "gdpr", "navbar", "sidebar", "footer",
		"skiplink", "skip-link", "skip-to", "share", "social", "newsletter", "subscribe",
		"masthead", "pagination", "advert", "banner", "popup", "modal", "signup",
		"feedback", "related", "toolbar", "menu", "sharing", NULL };
	/* Only as whole words ("nav" but not "canvas"). */
	static const char *const boiler_word[] = {
		"nav", "navigation", "header", "comment", "comments", "ad", "ads", "sponsor",
		"promo", "tags", "byline", "author", "meta", "print", "rating", "skip",
		"pager", "disqus", "recommended", "outbrain", "taboola", NULL };
	static const char *const main_word[] = {
		"content", "main", "maincontent", "main-content", "article-body", "articlebody",
		"post-content", "entry-content", "article-content", "story-body", "post-body",
		"mgcontent", "modgov", "page-content", "body-content", "field-body", "rich-text",
		"story", "entry", NULL };
	char cls[256], id[128], both[400];
	size_t i;

	lower_copy(cls_raw, cls, sizeof cls);
	lower_copy(id_raw, id, sizeof id);
	for (i = 0; hidden_classes[i]; i++)
		if (has_class(cls, hidden_classes[i]))
			return F_DROP;
	/* Content-container names win over furniture names on the same
	 * element ("main-content has-sidebar"). */
	for (i = 0; main_word[i]; i++)
		if (has_class(cls, main_word[i]) || !strcmp(id, main_word[i]))
			return F_MAINHINT;
	if (strstr(id, "maincontent") || strstr(id, "main-content") || strstr(id, "main_content") ||
	    !strcmp(id, "modgov") || strstr(cls, "mgcontent"))
		return F_MAINHINT;
	both[0] = '\0';
	lower_copy(cls_raw, both, sizeof both - sizeof id - 2);
	i = strlen(both);
	both[i++] = ' ';
	lower_copy(id_raw, both + i, sizeof both - i);
	for (i = 0; boiler_sub[i]; i++)
		if (strstr(both, boiler_sub[i]))
			return F_BOILER;
	for (i = 0; boiler_word[i]; i++)
		if (has_word(both, boiler_word[i]))
			return F_BOILER;
	return 0;
}

/* style="display:none" and kin. */
static int style_hidden(const char *style)
{
	char s[256];
	size_t i, j = 0;
	if (!style)
		return 0;
	for (i = 0; style[i] && j + 1 < sizeof s; i++)
		if (style[i] != ' ' && style[i] != '\t')
			s[j++] = (style[i] >= 'A' && style[i] <= 'Z') ? (char)(style[i] + 32) : style[i];
	s[j] = '\0';
	return strstr(s, "display:none") || strstr(s, "visibility:hidden");
}

static unsigned judge_element(const xmlNode *n, int kind)
{
	const char *role, *v;
	unsigned f;

	if (kind == K_DROP)
		return F_DROP;
	if (kind == K_SOFT)
		return F_BOILER;
	/* Hidden inline bits are icons and screen-reader text; a hidden block
	 * may be a page that a script reveals, so it is only boilerplate. */
	if (xmlHasProp((xmlNode *)n, (const xmlChar *)"hidden") ||
	    ((v = attr(n, "aria-hidden")) && !strcmp(v, "true")) ||
	    style_hidden(attr(n, "style")))
		return (kind == K_INLINE || kind == K_A) ? F_DROP : F_BOILER;
	if ((role = attr(n, "role")) != NULL) {
		if (!strcmp(role, "main"))
			return F_MAINHINT;
		if (!strcmp(role, "navigation") || !strcmp(role, "banner") ||
		    !strcmp(role, "contentinfo") || !strcmp(role, "complementary") ||
		    !strcmp(role, "search") || !strcmp(role, "menu") || !strcmp(role, "menubar") ||
		    !strcmp(role, "dialog") || !strcmp(role, "alertdialog") || !strcmp(role, "toolbar"))
			return F_BOILER;
	}
	if (kind == K_BODY || kind == K_MAIN || kind == K_ARTICLE)
		return kind == K_BODY ? 0 : F_MAINHINT;
	f = judge_names(attr(n, "class"), attr(n, "id"));
	if (f == F_DROP && kind != K_INLINE && kind != K_A)
		f = F_BOILER;   /* a hidden block is more often a tab panel than junk */
	if (kind == K_BOILER || kind == K_FORM)
		return f == F_MAINHINT ? F_MAINHINT : F_BOILER;
	return f;
}

/* Count visible (non-space) bytes of a text node. */
static uint32_t visible_len(const xmlChar *s)
{
	uint32_t c = 0;
	for (; *s; s++)
		if (*s > ' ')
			c++;
	return c;
}

static sol_status push(hdoc *h, xmlNode *n, int parent, sol_err *err)
{
	if (h->n == h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 1024;
		hinfo *p = realloc(h->el, ncap * sizeof *p);
		if (!p)
			return sol_err_set(err, SOL_ERR_NOMEM, "html: out of memory (%zu elements)", h->n);
		h->el = p;
		h->cap = ncap;
	}
	memset(&h->el[h->n], 0, sizeof h->el[0]);
	h->el[h->n].node = n;
	h->el[h->n].parent = parent;
	n->_private = (void *)(intptr_t)(h->n + 1);
	h->n++;
	return SOL_OK;
}

/* Pass 1: pre-order array of elements with kinds, flags and own text. */
static sol_status classify(hdoc *h, sol_err *err)
{
	xmlNode *root = xmlDocGetRootElement(h->doc);
	xmlNode *n = root;
	sol_status st;

	h->body = h->head = -1;
	while (n) {
		int descend = 0;
		int pi = index_of(n->parent);
		if (n->type == XML_ELEMENT_NODE) {
			unsigned hl;
			int kind = tag_kind((const char *)n->name, &hl);
			unsigned f;
			hinfo *e;
			if ((st = push(h, n, pi, err)) != SOL_OK)
				return st;
			e = &h->el[h->n - 1];
			e->kind = (unsigned)kind;
			e->hlevel = hl;
			f = judge_element(n, kind);
			if (!strcmp((const char *)n->name, "head")) {
				h->head = (int)h->n - 1;
				f = F_DROP;
			}
			if (kind == K_BODY && h->body < 0)
				h->body = (int)h->n - 1;
			if (!strcmp((const char *)n->name, "title") && !h->title)
				h->title = n;
			if (kind == K_HEAD && hl == 1 && !h->h1)
				h->h1 = n;
			if (!strcmp((const char *)n->name, "time") && !h->time)
				h->time = n;
			e->flags = f;
			if (pi >= 0 && ((h->el[pi].flags & F_INLINK) || h->el[pi].kind == K_A))
				e->flags |= F_INLINK;
			/* Dropped subtrees are never visited: the metadata in <head>
			 * is read from the element array, so <head> is walked. */
			descend = !(f & F_DROP) || h->head == (int)h->n - 1;
		} else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
			   pi >= 0 && n->content) {
			uint32_t len = visible_len(n->content);
			hinfo *p = &h->el[pi];
			p->own += len;
			if ((p->flags & F_INLINK) || p->kind == K_A)
				p->ownlink += len;
		}
		if (descend && n->children) {
			n = n->children;
			continue;
		}
		while (n && !n->next)
			n = n->parent == (xmlNode *)h->doc ? NULL : n->parent;
		if (n)
			n = n->next;
	}
	return SOL_OK;
}

/* Pass 2: subtree sums, bottom-up (reverse pre-order visits children first).
 * A boilerplate root that holds most of the page, or the main content, was
 * misjudged (a wrapper with class "has-sidebar", an ASP.NET page-wide
 * <form>), so it is forgiven. */
static void sum_up(hdoc *h)
{
	size_t i;
	uint32_t total;

	for (i = h->n; i-- > 0;) {
		hinfo *e = &h->el[i];
		if (e->flags & F_DROP) {
			e->all = 0;
			continue;
		}
		e->all += e->own;
		e->alllink += e->ownlink;
		if (e->parent >= 0) {
			h->el[e->parent].all += e->all;
			h->el[e->parent].alllink += e->alllink;
			if ((e->flags & (F_MAINHINT | F_HASMAIN)) || e->kind == K_MAIN ||
			    e->kind == K_ARTICLE)
				h->el[e->parent].flags |= F_HASMAIN;
		}
	}
	total = h->n ? h->el[0].all : 0;
	for (i = h->n; i-- > 0;) {
		hinfo *e = &h->el[i];
		if (e->flags & F_DROP)
			continue;
		if ((e->flags & F_BOILER) &&
		    (((e->flags & F_HASMAIN) && e->kind != K_BOILER && e->kind != K_SOFT) ||
		     (e->all > 200 && e->all * 10 >= total * 5) ||
		     /* a big block of prose is not furniture whatever its name
		      * ("wsite-not-footer", a post's "comment-body") */
		     (e->kind != K_BOILER && e->all > 500 && e->all * 10 >= total * 3 &&
		      e->alllink * 4 < e->all)))
			e->flags &= ~F_BOILER;
		e->text += e->own;
		e->link += e->ownlink;
		if (e->kind == K_PARA && e->own > 0)
			e->paras++;
		if (e->parent >= 0 && !(e->flags & F_BOILER)) {
			h->el[e->parent].text += e->text;
			h->el[e->parent].link += e->link;
			h->el[e->parent].paras += e->paras;
		}
	}
}

/*
 * Pass 3: the main container. A semantic container (<main>, role=main, one
 * dominant <article>, a CMS content id) is trusted when it holds a fair share
 * of the page's text; otherwise the body is used and the boilerplate and
 * link-density filters do the work.
 */
static int choose_main(const hdoc *h)
{
	/* The root, not <body>: libxml2 puts content after a stray </body>
	 * beside it. */
	int root = 0;
	uint32_t total = h->n ? h->el[root].text : 0;
	int best = -1, best_article = -1;
	uint32_t article_sum = 0;
	size_t i;

	if (!h->n)
		return -1;
	for (i = (size_t)root; i < h->n; i++) {
		const hinfo *e = &h->el[i];
		if ((e->flags & F_DROP) || (e->flags & F_BOILER))
			continue;
		if (e->kind == K_ARTICLE) {
			article_sum += e->text;
			if (best_article < 0 || e->text > h->el[best_article].text)
				best_article = (int)i;
		} else if ((e->flags & F_MAINHINT) && e->text * 10 >= total * 4) {
			/* the innermost hint that still holds the text */
			if (best < 0 || e->text * 10 >= h->el[best].text * 8)
				best = (int)i;
		}
	}
	if (best_article >= 0 && h->el[best_article].text * 10 >= total * 4 &&
	    h->el[best_article].text * 10 >= article_sum * 7)
		return best_article;
	if (best >= 0)
		return best;
	return root;
}

/*
 * Narrow the container while one child holds nearly all of its prose:
 * wrappers around the article also hold the title bar, the byline and the
 * share row, which this leaves behind.
 */
static int narrow(const hdoc *h, int top)
{
	for (;;) {
		const hinfo *t = &h->el[top];
		uint32_t prose = t->text > t->link ? t->text - t->link : 0;
		uint32_t best_prose = 0;
		int best = -1;
		xmlNode *c;
		for (c = t->node->children; c; c = c->next) {
			int i = index_of(c);
			const hinfo *e;
			uint32_t p;
			if (c->type != XML_ELEMENT_NODE || i < 0)
				continue;
			e = &h->el[i];
			if (e->flags & (F_DROP | F_BOILER))
				continue;
			p = e->text > e->link ? e->text - e->link : 0;
			if (p > best_prose) {
				best_prose = p;
				best = i;
			}
		}
		if (best < 0 || prose == 0 || (uint64_t)best_prose * 100 < (uint64_t)prose * NARROW_PCT)
			return top;
		top = best;
	}
}

/* ---- rendering ---- */

enum { BRK_NONE, BRK_SPACE, BRK_TAB, BRK_LINE, BRK_PARA };

typedef struct render {
	sol_buf *out;
	int pending;      /* strongest separator asked for since the last text */
	int in_pre;
	int dense_ok;     /* link-dense blocks are kept (a page of links) */
	int everything;   /* boilerplate too (looking for a date) */
} render;

static void want(render *r, int level)
{
	if (level > r->pending)
		r->pending = level;
}

static sol_status flush_pending(render *r)
{
	static const char *const sep[] = { "", " ", "\t", "\n", "\n\n" };
	int p = r->pending;
	r->pending = BRK_NONE;
	if (r->out->len == 0 || p == BRK_NONE)
		return SOL_OK;
	/* A line break already written satisfies a space or tab. */
	if (p <= BRK_TAB && r->out->data[r->out->len - 1] == '\n')
		return SOL_OK;
	return sol_buf_adds(r->out, sep[p]);
}

/* Append text with runs of white space (and no-break spaces) collapsed. */
static sol_status emit_text(render *r, const char *s)
{
	sol_status st;
	const unsigned char *p = (const unsigned char *)s;

	if (r->in_pre) {
		if (*p && (st = flush_pending(r)) != SOL_OK)
			return st;
		return sol_buf_adds(r->out, s);
	}
	while (*p) {
		const unsigned char *w;
		while (*p && (*p <= ' ' || (p[0] == 0xC2 && p[1] == 0xA0))) {
			p += (*p == 0xC2) ? 2 : 1;
			want(r, BRK_SPACE);
		}
		if (!*p)
			break;
		w = p;
		while (*p && *p > ' ' && !(p[0] == 0xC2 && p[1] == 0xA0))
			p++;
		if ((st = flush_pending(r)) != SOL_OK)
			return st;
		if ((st = sol_buf_add(r->out, w, (size_t)(p - w))) != SOL_OK)
			return st;
	}
	return SOL_OK;
}

static int break_level(int kind)
{
	switch (kind) {
	case K_PARA: case K_HEAD: case K_TABLE: case K_PRE:
		return BRK_PARA;
	case K_BLOCK: case K_LI: case K_TR: case K_MAIN: case K_ARTICLE: case K_BODY:
	case K_FORM: case K_BOILER: case K_BR:
		return BRK_LINE;
	}
	return BRK_NONE;
}

/* Is this block mostly links (a menu, a tag cloud, a "related" list that
 * escaped the name filters)? */
static int link_dense(const render *r, const hinfo *e)
{
	if (r->dense_ok || e->text == 0)
		return 0;
	switch (e->kind) {
	case K_BLOCK: case K_TABLE: case K_BOILER: case K_FORM:
		return e->link * 10 > e->text * 6;
	case K_PARA:
		return e->link * 10 > e->text * 9 && e->text < 200;
	}
	return 0;
}

static void enter(render *r, const hinfo *e)
{
	want(r, break_level(e->kind));
	if (e->kind == K_PRE)
		r->in_pre++;
}

static void leave(render *r, const hinfo *e)
{
	if (e->kind == K_CELL)
		want(r, BRK_TAB);
	else if (e->kind != K_BR)
		want(r, break_level(e->kind));
	if (e->kind == K_PRE && r->in_pre)
		r->in_pre--;
}

/* Walk the subtree of h->el[top] without recursion, writing its text. */
static sol_status render_tree(hdoc *h, int top, render *r)
{
	xmlNode *root = h->el[top].node;
	xmlNode *n = root->children;
	sol_status st;

	enter(r, &h->el[top]);
	while (n) {
		int entered = 0;
		if (n->type == XML_ELEMENT_NODE) {
			int i = index_of(n);
			hinfo *e = i >= 0 ? &h->el[i] : NULL;
			unsigned skip = r->everything ? F_DROP : (F_DROP | F_BOILER | F_SKIP);
			if (e && !(e->flags & skip) && (r->everything || !link_dense(r, e))) {
				enter(r, e);
				entered = 1;
			}
		} else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
			   n->content) {
			if ((st = emit_text(r, (const char *)n->content)) != SOL_OK)
				return st;
		}
		if (entered && n->children) {
			n = n->children;
			continue;
		}
		if (entered)
			leave(r, &h->el[index_of(n)]);
		while (n != root && !n->next) {
			n = n->parent;
			if (n != root)
				leave(r, &h->el[index_of(n)]);
		}
		n = n == root ? NULL : n->next;
	}
	leave(r, &h->el[top]);
	return SOL_OK;
}

/* ---- metadata ---- */

typedef struct hmeta {
	const char *og_title, *description, *og_description, *canonical, *og_url, *lang;
	const char *date, *date_key;
	int date_rank;
} hmeta;

/* Which <meta> names carry the publication date, best first. */
static int date_rank(const char *key)
{
	static const char *const keys[] = {
		"article:published_time", "og:article:published_time", "datepublished",
		"dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created",
		"dcterms.created", "publication_date", "publish_date", "pubdate", "date",
		"sailthru.date", "parsely-pub-date", "article:modified_time", "dcterms.modified",
		"dc.date.modified", "datemodified", "last-modified", NULL };
	char low[64];
	int i;
	lower_copy(key, low, sizeof low);
	for (i = 0; keys[i]; i++)
		if (!strcmp(low, keys[i]))
			return 100 - i;
	return 0;
}

static void read_meta(const hdoc *h, hmeta *m)
{
	size_t i;
	memset(m, 0, sizeof *m);
	for (i = 0; i < h->n; i++) {
		const xmlNode *n = h->el[i].node;
		const char *name = (const char *)n->name;
		if (i == 0 && (m->lang = attr(n, "lang")) == NULL)
			m->lang = attr(n, "xml:lang");
		if (!strcmp(name, "meta")) {
			const char *key = attr(n, "property");
			const char *content = attr(n, "content");
			int rank;
			if (!key)
				key = attr(n, "name");
			if (!key)
				key = attr(n, "itemprop");
			if (!key || !content || !*content)
				continue;
			if (!xmlStrcasecmp((const xmlChar *)key, (const xmlChar *)"og:title") && !m->og_title)
				m->og_title = content;
			else if (!xmlStrcasecmp((const xmlChar *)key, (const xmlChar *)"description") &&
				 !m->description)
				m->description = content;
			else if (!xmlStrcasecmp((const xmlChar *)key, (const xmlChar *)"og:description") &&
				 !m->og_description)
				m->og_description = content;
			else if (!xmlStrcasecmp((const xmlChar *)key, (const xmlChar *)"og:url") && !m->og_url)
				m->og_url = content;
			else if ((rank = date_rank(key)) > m->date_rank) {
				char iso[11];
				if (ing__parse_date(content, strlen(content), iso)) {
					m->date = content;
					m->date_key = key;
					m->date_rank = rank;
				}
			}
		} else if (!strcmp(name, "link") && !m->canonical) {
			const char *rel = attr(n, "rel");
			if (rel && !xmlStrcasecmp((const xmlChar *)rel, (const xmlChar *)"canonical"))
				m->canonical = attr(n, "href");
		}
	}
}

/*
 * "Planning decisions | Hampshire County Council" -> "Planning decisions":
 * the site name follows the last separator. It is cut when it names a
 * council or is shorter than what precedes it ("Cabinet 12/03/2020 - Alton
 * Flood Scheme" keeps its longer tail).
 */
static sol_status set_title_from_tag(char **field, const char *t)
{
	static const char *const seps[] = { " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ",
					     " :: ", " \xC2\xBB ", " \xC2\xB7 ", NULL };
	size_t len = strlen(t), cut = len, seplen = 0;
	const char *tail;
	int i;
	for (i = 0; seps[i]; i++) {
		const char *p = t, *last = NULL;
		while ((p = strstr(p, seps[i])) != NULL) {
			last = p;
			p += strlen(seps[i]);
		}
		if (last && (cut == len || (size_t)(last - t) > cut) && last - t >= 4) {
			cut = (size_t)(last - t);
			seplen = strlen(seps[i]);
		}
	}
	if (cut < len) {
		tail = t + cut + seplen;
		int names_council = (strstr(tail, "Council") || strstr(tail, "council")) &&
				    strlen(tail) <= 50;
		if (!names_council && strlen(tail) >= cut)
			cut = len;
	}
	return ing__set_field(field, t, cut);
}

static sol_status set_node_text(char **field, xmlNode *n)
{
	xmlChar *s = xmlNodeGetContent(n);
	sol_status st;
	if (!s)
		return SOL_OK;
	st = ing__set_field(field, (const char *)s, strlen((const char *)s));
	xmlFree(s);
	return st;
}

static sol_status fill_meta(hdoc *h, sol_record *r)
{
	hmeta m;
	sol_status st = SOL_OK;
	char iso[11];

	read_meta(h, &m);
	if (m.og_title)
		st = ing__set_field(&r->title, m.og_title, strlen(m.og_title));
	if (st == SOL_OK && !r->title && h->title) {
		xmlChar *s = xmlNodeGetContent(h->title);
		if (s) {
			st = set_title_from_tag(&r->title, (const char *)s);
			xmlFree(s);
		}
	}
	if (st == SOL_OK && !r->title && h->h1)
		st = set_node_text(&r->title, h->h1);
	if (st == SOL_OK && (m.description || m.og_description)) {
		const char *d = m.description ? m.description : m.og_description;
		st = ing__set_field(&r->description, d, strlen(d));
	}
	if (st == SOL_OK && (m.canonical || m.og_url)) {
		const char *c = m.canonical ? m.canonical : m.og_url;
		st = ing__set_field(&r->canonical, c, strlen(c));
	}
	if (st == SOL_OK && m.lang)
		st = ing__set_field(&r->lang, m.lang, strlen(m.lang));
	if (st == SOL_OK && m.date && ing__parse_date(m.date, strlen(m.date), iso)) {
		if ((st = ing__set_field(&r->date, iso, 10)) == SOL_OK)
			st = ing__set_field(&r->date_from, "metadata", 8);
	}
	if (st == SOL_OK && !r->date && h->time) {
		const char *dt = attr(h->time, "datetime");
		xmlChar *s = dt ? NULL : xmlNodeGetContent(h->time);
		const char *src = dt ? dt : (const char *)s;
		if (src && ing__parse_date(src, strlen(src), iso)) {
			if ((st = ing__set_field(&r->date, iso, 10)) == SOL_OK)
				st = ing__set_field(&r->date_from, "time", 4);
		}
		xmlFree(s);
	}
	return st;
}

/* The page's own heading repeats the title, which the record carries
 * separately; readers (and WCXB's gold text) do not count it as content. */
static void drop_title_line(sol_buf *text, const char *title)
{
	size_t tl, skip;
	if (!title || !text->len)
		return;
	tl = strlen(title);
	if (text->len < tl || memcmp(text->data, title, tl) != 0)
		return;
	if (text->len != tl && text->data[tl] != '\n')
		return;
	skip = tl;
	while (skip < text->len && text->data[skip] == '\n')
		skip++;
	memmove(text->data, text->data + skip, text->len - skip + 1);
	text->len -= skip;
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
	sol_buf_init(&text, 0);
	if (!utf8 || n == 0)
		return sol_err_set(err, SOL_ERR_INPUT, "html: empty document");
	if (n > (size_t)INT32_MAX)
		return sol_err_set(err, SOL_ERR_TOOBIG, "html: document of %zu bytes too large to parse", n);
	h.doc = htmlReadMemory(utf8, (int)n, NULL, "UTF-8",
			       HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
			       HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC);
	if (!h.doc || !xmlDocGetRootElement(h.doc)) {
		/* A tree-less parse is text without tags (or nothing at all). */
		st = SOL_OK;
		goto finish;
	}
	if ((st = classify(&h, err)) != SOL_OK)
		goto out;
	sum_up(&h);
	if ((st = fill_meta(&h, r)) != SOL_OK) {
		sol_err_set(err, st, "html: out of memory reading metadata");
		goto out;
	}
	top = choose_main(&h);
	if (top >= 0)
		top = narrow(&h, top);
	/* SOLENT_CLEAN_DEBUG=1: show why a page came out as it did (the chosen
	 * container and its ancestors with their text and link counts). */
	if (getenv("SOLENT_CLEAN_DEBUG") && top >= 0) {
		int k;
		for (k = top; k >= 0; k = h.el[k].parent)
			fprintf(stderr, "  <%s class=%s id=%s> text=%u link=%u all=%u flags=%x\n",
				(const char *)h.el[k].node->name, attr(h.el[k].node, "class"),
				attr(h.el[k].node, "id"), h.el[k].text, h.el[k].link, h.el[k].all,
				h.el[k].flags);
	}
	if (top >= 0) {
		memset(&rd, 0, sizeof rd);
		rd.out = &text;
		rd.dense_ok = h.el[top].text > 0 && h.el[top].link * 10 > h.el[top].text * 5;
		if ((st = render_tree(&h, top, &rd)) != SOL_OK) {
			sol_err_set(err, st, "html: %s while writing the text",
				    sol_status_to_string(st));
			goto out;
		}
	}
	/* Trim the trailing separator. */
	while (text.len && (text.data[text.len - 1] == '\n' || text.data[text.len - 1] == ' ' ||
			    text.data[text.len - 1] == '\t'))
		text.data[--text.len] = '\0';
	drop_title_line(&text, r->title);
	if (!r->date && !(text.len && (label = ing__find_labelled_date(text.data, text.len, iso)))) {
		/* The date may sit in a meta block outside the main text (CMIS
		 * "Date:" lists, ModernGov headers): look at the whole page. */
		sol_buf whole;
		sol_buf_init(&whole, 0);
		memset(&rd, 0, sizeof rd);
		rd.out = &whole;
		rd.everything = 1;
		label = NULL;
		if (render_tree(&h, 0, &rd) == SOL_OK && whole.len)
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
	free(h.el);
	if (h.doc)
		xmlFreeDoc(h.doc);
	return st;
}
