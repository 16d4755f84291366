/*
 * html_render.c - pass 4 of the HTML cleaner: the chosen subtree to text.
 * Separators are asked for, not written, so that the strongest one between
 * two runs of text wins (a </p><div> is one blank line, not three breaks).
 */
#include "html_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SOLENT_CLEAN_TOKENS=1: each text run written, with the tag.class#id of
 * each ancestor up to the container, so that a script can count which
 * names hold the words a reader would not call the page's text. */
static void debug_tokens(const xmlNode *root, const xmlNode *n)
{
	const xmlNode *a;
	const xmlChar *c;
	fputs("T\t", stderr);
	for (a = n->parent; a && a != root->parent && index_of(a) >= 0; a = a->parent)
		fprintf(stderr, "%s.%s#%s ", (const char *)a->name,
			ing__attr(a, "class") ? ing__attr(a, "class") : "",
			ing__attr(a, "id") ? ing__attr(a, "id") : "");
	fputc('\t', stderr);
	for (c = n->content; *c; c++)
		fputc(*c == '\n' || *c == '\t' ? ' ' : *c, stderr);
	fputc('\n', stderr);
}

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

/* FNV-1a of n bytes, continuing from hv. */
static uint64_t fnv(uint64_t hv, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hv = (hv ^ (unsigned char)s[i]) * 1099511628211ull;
	return hv;
}

/* Open a span for a tab panel's text. A panel without an id gets a key of
 * its own. Without memory the panel's repeats are dropped like any other. */
static void open_tab(render *r, const hinfo *e)
{
	const char *id = ing__attr(e->node, "id");
	ing_span *t;
	if (r->ntabs == r->tabcap) {
		size_t cap = r->tabcap ? r->tabcap * 2 : 16;
		if (!(t = realloc(r->tabs, cap * sizeof *t)))
			return;
		r->tabs = t;
		r->tabcap = cap;
	}
	t = &r->tabs[r->ntabs++];
	t->start = r->out->len;
	t->end = (size_t)-1;
	t->key = id ? fnv(1469598103934665603ull, id, strlen(id)) | 1 : (uint64_t)(r->ntabs * 2);
}

static void enter(render *r, const hinfo *e)
{
	want(r, break_level(e->kind));
	if (e->kind == K_PRE)
		r->in_pre++;
	if ((e->flags & F_TABPANEL) && r->in_tab++ == 0)
		open_tab(r, e);
}

static void leave(render *r, const hinfo *e)
{
	if (e->kind == K_CELL)
		want(r, BRK_TAB);
	else if (e->kind != K_BR)
		want(r, break_level(e->kind));
	if (e->kind == K_PRE && r->in_pre)
		r->in_pre--;
	if ((e->flags & F_TABPANEL) && r->in_tab && --r->in_tab == 0 && r->ntabs &&
	    r->tabs[r->ntabs - 1].end == (size_t)-1)
		r->tabs[r->ntabs - 1].end = r->out->len;
}

/* Walk the subtree of h->el[top] without recursion, writing its text. */
sol_status ing__html_render(hdoc *h, int top, render *r)
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
			if (r->tokens)
				debug_tokens(root, n);
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



void ing__drop_repeated_lines(sol_buf *text, size_t min_len, const ing_span *tabs, size_t n)
{
	size_t lines = 1, cap = 16, r, w;
	size_t *slot; /* start of a kept line + 1, 0 for empty; lines end at '\n' */
	uint64_t *skey; /* the tab panel of that line, 0 outside panels */
	if (!text->len)
		return;
	for (r = 0; r < text->len; r++)
		lines += text->data[r] == '\n';
	while (cap < lines * 2)
		cap *= 2;
	/* Without memory the text stays as it is: repeats cost precision,
	 * not correctness. */
	slot = calloc(cap, sizeof *slot);
	skey = calloc(cap, sizeof *skey);
	if (!slot || !skey) {
		free(slot);
		free(skey);
		return;
	}
	for (r = w = 0; r < text->len;) {
		const char *line = text->data + r;
		const char *nl = memchr(line, '\n', text->len - r);
		size_t len = nl ? (size_t)(nl - line) : text->len - r, k;
		int repeat = 0;
		uint64_t key;
		while (n && tabs->end <= r) {
			tabs++;
			n--;
		}
		key = n && tabs->start <= r ? tabs->key : 0;
		if (len >= min_len && len > 0) {
			for (k = fnv(1469598103934665603ull, line, len) & (cap - 1); slot[k]; k = (k + 1) & (cap - 1)) {
				const char *seen = text->data + slot[k] - 1;
				size_t avail = (size_t)(text->data + w - seen);
				const char *end = memchr(seen, '\n', avail);
				size_t slen = end ? (size_t)(end - seen) : avail;
				if (slen == len && !memcmp(seen, line, len)) {
					/* in another tab panel: the same step, another language */
					repeat = !(key && skey[k] && skey[k] != key);
					break;
				}
			}
			if (!slot[k]) {
				slot[k] = w + 1;
				skey[k] = key;
			}
		}
		r += len + (nl ? 1 : 0);
		if (repeat)
			continue;
		/* an empty line only separates paragraphs: never two in a row */
		if (len == 0 && w >= 2 && text->data[w - 1] == '\n' && text->data[w - 2] == '\n')
			continue;
		memmove(text->data + w, line, len);
		w += len;
		if (nl)
			text->data[w++] = '\n';
	}
	text->len = w;
	text->data[w] = '\0';
	free(slot);
	free(skey);
}
