/*
 * html_score.c - passes 2 and 3 of the HTML cleaner: text sums, forgiving
 * misjudged boilerplate, and choosing the main container.
 */
#include "html_int.h"

#include <string.h>


/* Is this boilerplate root misjudged? One that holds the main content, or
 * most of the page, or a large block of prose with few links, is not
 * furniture whatever its name. */
static int forgiven(const hinfo *e, uint32_t total)
{
	if (e->flags & F_NEVER)
		return 0;
	if ((e->flags & F_HASMAIN) && e->kind != K_BOILER && e->kind != K_SOFT)
		return 1;
	/* A cookie or consent dialog (named so) is a long block of prose
	 * with few links, often most of a forum page's text: only a wrapper
	 * of nearly the whole page ("cookie-banner-open" on a page div) is
	 * misjudged. WCXB dev +0.0021: forum +0.013, listing +0.017 (4
	 * pages, none worse; the same from 90% to never). */
	if (e->flags & F_CONSENT)
		return (uint64_t)e->all * 100 >= (uint64_t)total * 95;
	if (e->all > 200 && e->all * 10 >= total * 5)
		return 1;
	/* a big block of prose is not furniture whatever its name
	 * ("wsite-not-footer", a post's "comment-body") */
	return e->kind != K_BOILER && e->all > 500 && e->all * 10 >= total * 3 &&
	       e->alllink * 4 < e->all;
}

/* Pass 2: subtree sums, bottom-up (reverse pre-order visits children first).
 * A boilerplate root that holds most of the page, or the main content, was
 * misjudged (a wrapper with class "has-sidebar", an ASP.NET page-wide
 * <form>), so it is forgiven. */
void ing__html_sum(hdoc *h)
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
	/* A page may parse into several roots (a second <html> after the
	 * first): the page is all of them. */
	total = 0;
	for (i = 0; i < h->n; i++)
		if (h->el[i].parent < 0)
			total += h->el[i].all;
	for (i = h->n; i-- > 0;) {
		hinfo *e = &h->el[i];
		if (e->flags & F_DROP)
			continue;
		if ((e->flags & F_BOILER) && forgiven(e, total))
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
int ing__html_choose(const hdoc *h)
{
	/* The root, not <body>: libxml2 puts content after a stray </body>
	 * beside it. */
	int root = 0;
	uint32_t total = 0;
	int best = -1, best_article = -1;
	uint32_t article_sum = 0;
	size_t i;

	if (!h->n)
		return -1;
	/* Of several roots, the one with the text. */
	for (i = 0; i < h->n; i++)
		if (h->el[i].parent < 0) {
			total += h->el[i].text;
			if (h->el[i].text > h->el[root].text)
				root = (int)i;
		}
	for (i = 0; i < h->n; i++) {
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

/* The child element of t holding the most prose (text not in links),
 * skipping dropped and boilerplate ones; -1 when none has any. Its prose
 * goes to *best_prose. */
static int prose_child(const hdoc *h, const hinfo *t, uint32_t *best_prose)
{
	int best = -1;
	*best_prose = 0;
	for (xmlNode *c = t->node->children; c; c = c->next) {
		int i = index_of(c);
		const hinfo *e;
		uint32_t p;
		if (c->type != XML_ELEMENT_NODE || i < 0)
			continue;
		e = &h->el[i];
		if (e->flags & (F_DROP | F_BOILER))
			continue;
		p = e->text > e->link ? e->text - e->link : 0;
		if (p > *best_prose) {
			*best_prose = p;
			best = i;
		}
	}
	return best;
}

/*
 * Narrow the container while one child holds nearly all of its prose:
 * wrappers around the article also hold the title bar, the byline and the
 * share row, which this leaves behind.
 */
int ing__html_narrow(const hdoc *h, int top)
{
	for (;;) {
		const hinfo *t = &h->el[top];
		uint32_t prose = t->text > t->link ? t->text - t->link : 0;
		uint32_t best_prose = 0;
		int best;
		best = prose_child(h, t, &best_prose);
		if (best < 0 || prose == 0 || (uint64_t)best_prose * 100 < (uint64_t)prose * NARROW_PCT)
			return top;
		/* On a page of links (job boards, course lists) the little prose
		 * there is, a tagline or a date, is no guide: a child that holds
		 * all of it but under a tenth of the text is not the content.
		 * WCXB dev +0.0019, listing +0.028 (3 pages, none worse; flat
		 * from 5% to 10%, 20% loses collection pages). */
		if ((uint64_t)h->el[best].text * 100 < (uint64_t)t->text * NARROW_TEXT_PCT)
			return top;
		top = best;
	}
}


void ing__html_forgive_names(hdoc *h, int top)
{
	size_t i, from = 0, end = h->n;
	/* Pre-order: top's subtree is the run after it of elements whose
	 * parent is top or later; the first with an earlier parent is out. */
	if (top >= 0) {
		from = (size_t)top + 1;
		for (end = from; end < h->n && h->el[end].parent >= top; end++)
			;
	}
	for (i = 0; i < h->n; i++) {
		hinfo *e = &h->el[i];
		if ((e->flags & F_NAMED) && i >= from && i < end)
			e->flags &= ~(F_BOILER | F_NAMED);
		e->all = e->alllink = e->text = e->link = e->paras = 0;
		e->flags &= ~F_HASMAIN;
	}
	ing__html_sum(h);
}

/*
 * Prune the siblings of an article's body. Walk down the chain of children
 * that hold most (70%) of the prose in paragraphs; at each level a sibling
 * after the body that is 20% links is the "related stories" / "more from"
 * teaser block that follows articles, and one before it that is half links
 * is a tag row or a table of contents (20% rather than 30%: +0.0003,
 * article +0.0005). Measured on WCXB dev: +0.001 mean,
 * article +0.001, documentation +0.003, product +0.006.
 */
void ing__html_prune(hdoc *h, int top)
{
	int depth;
	for (depth = 0; depth < 64; depth++) {
		const hinfo *t = &h->el[top];
		uint32_t best_prose = 0, prose = t->text > t->link ? t->text - t->link : 0;
		int best, after;
		xmlNode *c;
		best = prose_child(h, t, &best_prose);
		/* Only under an article-shaped body: on list pages the link-heavy
		 * siblings are the cards the reader came for. */
		if (best < 0 || prose == 0 || best_prose * 10 < prose * 7 ||
		    h->el[best].paras < 3)
			return;
		after = 0;
		for (c = t->node->children; c; c = c->next) {
			int i = index_of(c);
			hinfo *e;
			if (c->type != XML_ELEMENT_NODE || i < 0)
				continue;
			if (i == best) {
				after = 1;
				continue;
			}
			e = &h->el[i];
			if (e->flags & (F_DROP | F_BOILER) || e->text == 0)
				continue;
			if (after ? e->link * 100 >= e->text * PRUNE_AFTER_PCT
				  : e->link * 100 >= e->text * PRUNE_BEFORE_PCT)
				e->flags |= F_SKIP;
		}
		top = best;
	}
}

/*
 * A product page's text is the product's name and description (what WCXB's
 * annotators keep), not the "people also viewed" carousels, delivery
 * widgets and spec tabs around them; schema.org microdata says which block
 * is the description. Element indices are pre-order, so an ancestor always
 * has the smaller index: walking the larger of the two up meets the common
 * ancestor. WCXB dev: +0.0004, product +0.005 (4 pages change).
 */
int ing__html_product_block(const hdoc *h, int top)
{
	int a = h->h1i, b = h->desci, k;

	if (!h->product || a < 0 || b < 0)
		return top;
	while (a != b && a >= 0 && b >= 0) {
		if (a > b)
			a = h->el[a].parent;
		else
			b = h->el[b].parent;
	}
	if (a < 0 || a != b || h->el[a].text < 100)
		return top;
	for (k = a; k >= 0 && k != top; k = h->el[k].parent)
		;
	return k == top ? a : top;
}
