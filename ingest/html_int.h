/*
 * html_int.h - private to the HTML cleaner (ingest/html*.c): the element
 * array every pass shares, and the passes themselves.
 *
 *   html_classify.c  pass 1: tag kinds, furniture by tag/role/class/id
 *   html_score.c     pass 2-3: text sums, forgiving, choosing the container
 *   html_render.c    pass 4: the chosen subtree to paragraphs and lines
 *   html_meta.c      title, description, canonical, lang, metadata dates
 *   html.c           ing_clean_html: the passes in order
 */
#ifndef ING_HTML_INT_H
#define ING_HTML_INT_H

#include "clean.h"

#include <stdint.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#ifndef NARROW_PCT
#define NARROW_PCT 90
#endif
#ifndef NARROW_TEXT_PCT
#define NARROW_TEXT_PCT 10
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
#define F_NAMED     0x40u /* boilerplate by class/id name only */
#define F_CONSENT   0x80u /* cookie/consent notice by name, or a dialog: forgiven only page-wide */
#define F_TABPANEL 0x100u /* role=tabpanel: one of several versions shown in turn */
#define F_NEVER    0x200u /* furniture whatever its size (<footer>): never forgiven */

typedef struct hinfo {
	xmlNode *node;
	int parent;         /* index into the element array, -1 for roots */
	unsigned kind : 8;
	unsigned flags : 16;
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
	int product;        /* the page declares a product (schema.org, og:type) */
	int h1i, desci;     /* first <h1>, first itemprop=description block, or -1 */
} hdoc;

/* Text nodes store their parent's index through the element's _private. */
static inline int index_of(const xmlNode *n)
{
	return n && n->_private ? (int)((intptr_t)n->_private - 1) : -1;
}

/* The value of attribute `name` when it is plain text, else NULL (borrowed
 * from the tree). */
const char *ing__attr(const xmlNode *n, const char *name);

/* Lower-case copy of s (NULL reads as ""), cut to fit cap bytes. */
void ing__lower_copy(const char *s, char *dst, size_t cap);

/* Does the page declare itself a product page (schema.org Product in
 * microdata or JSON-LD, og:type product)? A case-insensitive search of the
 * raw bytes for a few fixed spellings, before parsing. */
int ing__product_page(const char *s, size_t n);

/* Pass 1: fill h->el in pre-order with kinds, flags and own text; sets
 * h->body, h->head, h->title, h->h1, h->time. Fails only on memory. */
sol_status ing__html_classify(hdoc *h, sol_err *err);

/* Pass 2: subtree sums, and boilerplate roots forgiven when they hold the
 * page or its main content. */
void ing__html_sum(hdoc *h);

/* Pass 3: the main container's index (-1 for an empty array), then narrowed
 * to the child that holds nearly all its prose. */
int ing__html_choose(const hdoc *h);

/* On a product page, the smallest element holding both the <h1> (the
 * product's name) and the schema.org itemprop=description block, when it
 * lies inside h->el[top]; else top. */
int ing__html_product_block(const hdoc *h, int top);

/* Clear the boilerplate verdicts that rest on class/id names alone inside
 * h->el[top] (the whole page for top < 0) and sum again; for pages whose
 * designers named every wrapper "menu-..." or "header-..." so that nothing
 * was left, and forum threads whose posts are "comments". */
void ing__html_forgive_names(hdoc *h, int top);
int ing__html_narrow(const hdoc *h, int top);
/* Mark (F_SKIP) the link-heavy siblings around an article's body inside
 * h->el[top]: teaser lists after it, tag rows before it. */
void ing__html_prune(hdoc *h, int top);
#ifndef PRUNE_AFTER_PCT
#define PRUNE_AFTER_PCT 20
#endif
#ifndef PRUNE_BEFORE_PCT
#define PRUNE_BEFORE_PCT 50
#endif

enum { BRK_NONE, BRK_SPACE, BRK_TAB, BRK_LINE, BRK_PARA };

/* Bytes start..end of the text came from one tab panel; key names the
 * panel (its id, so that a second copy of the same panel has the same key). */
typedef struct ing_span {
	size_t start, end;
	uint64_t key;
} ing_span;

typedef struct render {
	sol_buf *out;
	int pending;      /* strongest separator asked for since the last text */
	int in_pre;
	int dense_ok;     /* link-dense blocks are kept (a page of links) */
	int everything;   /* boilerplate too (looking for a date) */
	int tokens;       /* debug: each text run to stderr with its ancestors' names */
	int in_tab;       /* depth of role=tabpanel elements entered */
	/* Where out holds the text of each outermost tab panel, in order
	 * (owned by the caller, released with free). */
	struct ing_span *tabs;
	size_t ntabs, tabcap;
} render;

/* Pass 4: append the text of h->el[top]'s subtree to r->out. */
sol_status ing__html_render(hdoc *h, int top, render *r);

/* Title, description, canonical, lang and a metadata/<time> date into r. */
sol_status ing__html_meta(hdoc *h, sol_record *r);

/* Drop each line of at least min_len bytes that repeats an earlier line
 * exactly (responsive sites render the same block once per screen size),
 * and the blank line that a dropped paragraph leaves doubled. A line in
 * one of the n tab panels tabs (ascending) that repeats a line of another
 * panel stays: tabs show one version each of the same steps. */
void ing__drop_repeated_lines(sol_buf *text, size_t min_len, const ing_span *tabs, size_t n);
#ifndef ING_REPEAT_MIN
#define ING_REPEAT_MIN 50
#endif

/* Drop a first line of text equal to title. */
void ing__drop_title_line(sol_buf *text, const char *title);

#endif
