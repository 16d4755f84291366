/*
 * html_classify.c - pass 1 of the HTML cleaner: every element into the
 * array with its kind (from the tag) and its verdict (dropped, boilerplate,
 * content hint) from tag, ARIA role, hidden markers and class/id names.
 */
#include "html_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

const char *ing__attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;
	for (a = n->properties; a; a = a->next)
		if (a->name && !strcmp((const char *)a->name, name) && a->children &&
		    a->children->type == XML_TEXT_NODE)
			return (const char *)a->children->content;
	return NULL;
}

/* Lower-case copy of an attribute value, cut at cap bytes. */
void ing__lower_copy(const char *s, char *dst, size_t cap)
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

/* Which two-character sequences a lower-case name holds, a bit each
 * (letters, '-', '_' and space have a symbol each, all else shares one):
 * a list's name can occur in it only if the name's first two characters
 * do. Most class names hold few of the lists' starts, so most of the 90
 * searches below end at one test (they were 6% of cleaning). */
typedef struct pairset {
	uint64_t w[16]; /* 32 x 32 symbol pairs */
} pairset;

static inline unsigned pair_sym(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	return c == '-' ? 26 : c == '_' ? 27 : c == ' ' ? 28 : 29;
}

static void pairs_of(const char *s, pairset *p)
{
	memset(p, 0, sizeof *p);
	for (; s[0] && s[1]; s++) {
		unsigned k = pair_sym((unsigned char)s[0]) << 5 | pair_sym((unsigned char)s[1]);
		p->w[k >> 6] |= 1ull << (k & 63);
	}
}

/* Can name (two characters or more) occur in the string of p? */
static inline int may_hold(const pairset *p, const char *name)
{
	unsigned k = pair_sym((unsigned char)name[0]) << 5 | pair_sym((unsigned char)name[1]);
	return (int)((p->w[k >> 6] >> (k & 63)) & 1);
}

/*
 * Judge an element by its class and id: the names designers give to page
 * furniture are few and stable across sites (the lists follow trafilatura's
 * and Readability's). Returns F_DROP, F_BOILER (with F_NAMED for layout
 * names), F_MAINHINT or 0.
 */
static unsigned judge_names(const char *cls_raw, const char *id_raw, int product)
{
	static const char *const hidden_classes[] = {
		"hidden", "d-none", "sr-only", "visually-hidden", "visuallyhidden",
		"screen-reader-text", "screen-reader-only", "is-hidden", "u-hidden", "hide",
		"element-invisible", "offscreen", NULL };
	/* Distinctive enough to match inside compound names ("mgBreadcrumbs").
	 * The layout names (weak_*) are also what utility-class frameworks and
	 * page-wide wrappers use ("header-layout", "menu-open"), so they are
	 * marked F_NAMED and may be undone; the others name one thing. */
	static const char *const boiler_sub[] = {
		"breadcrumb", "skiplink", "skip-link", "skip-to",
		"share", "social", "newsletter", "subscribe", "pagination", "advert", "signup",
		"feedback", "related", "sharing", NULL };
	static const char *const weak_sub[] = {
		"navbar", "sidebar", "footer", "masthead", "banner", "popup", "modal", "toolbar",
		"menu", NULL };
	/* Only as whole words ("nav" but not "canvas"). */
	/* "signature" (forum posters' signatures), "footnotes" (reference
	 * lists) and "disclaimer" (legal small print): not in what readers
	 * take as the text; WCXB dev +0.0017, forum +0.005, article +0.0009. */
	static const char *const boiler_word[] = {
		"ad", "ads", "sponsor", "promo", "tags", "byline",
		"author", "skip", "pager", "disqus", "recommended", "outbrain", "taboola",
		"signature", "footnotes", "disclaimer",
		/* the poster's title and profile beside each forum post (phpBB,
		 * vBulletin, XenForo): +0.0007, forum +0.009 */
		"usertitle", "postprofile", "userextras", NULL };
	/* Not "header": a wrapper so named ("entry-header", "section-header")
	 * holds a section's title and standfirst; the site's header is a
	 * <header> or role=banner, furniture by tag. WCXB dev +0.0009,
	 * documentation +0.0035, service +0.003, article +0.0006, forum
	 * -0.002. */
	static const char *const weak_word[] = {
		"nav", "navigation", "meta", "print", "rating",
		/* on a forum the "comments" are the page */
		"comment", "comments", NULL };
	static const char *const main_word[] = {
		"content", "main", "maincontent", "main-content", "article-body", "articlebody",
		"post-content", "entry-content", "article-content", "story-body", "post-body",
		"mgcontent", "modgov", "page-content", "body-content", "field-body", "rich-text",
		"story", "entry", NULL };
	char cls[256], id[128], both[400];
	pairset pc, pb;
	size_t i;

	/* most elements have neither: nothing below can match an empty name */
	if ((!cls_raw || !*cls_raw) && (!id_raw || !*id_raw))
		return 0;
	ing__lower_copy(cls_raw, cls, sizeof cls);
	ing__lower_copy(id_raw, id, sizeof id);
	pairs_of(cls, &pc);
	for (i = 0; hidden_classes[i]; i++)
		if (may_hold(&pc, hidden_classes[i]) && has_class(cls, hidden_classes[i]))
			return F_DROP;
	/* Content-container names win over furniture names on the same
	 * element ("main-content has-sidebar"). */
	for (i = 0; main_word[i]; i++)
		if ((may_hold(&pc, main_word[i]) && has_class(cls, main_word[i])) ||
		    (*id && !strcmp(id, main_word[i])))
			return F_MAINHINT;
	if (strstr(id, "maincontent") || strstr(id, "main-content") || strstr(id, "main_content") ||
	    !strcmp(id, "modgov") || strstr(cls, "mgcontent"))
		return F_MAINHINT;
	both[0] = '\0';
	ing__lower_copy(cls_raw, both, sizeof both - sizeof id - 2);
	i = strlen(both);
	both[i++] = ' ';
	ing__lower_copy(id_raw, both + i, sizeof both - i);
	pairs_of(both, &pb);
	/* A consent notice is long prose with few links, which would pass
	 * for content (see ing__html_sum): marked so that only a wrapper of
	 * the whole page is forgiven. */
	if (strstr(both, "cookie") || strstr(both, "consent") || strstr(both, "gdpr"))
		return F_BOILER | F_CONSENT;
	for (i = 0; boiler_sub[i]; i++)
		if (may_hold(&pb, boiler_sub[i]) && strstr(both, boiler_sub[i]))
			return F_BOILER;
	for (i = 0; boiler_word[i]; i++)
		if (may_hold(&pb, boiler_word[i]) && has_word(both, boiler_word[i]))
			return F_BOILER;
	/* On a product page the customer reviews and the "people also viewed"
	 * carousels surround the description that readers (and WCXB's
	 * annotators) take as the page; on an article a "reviews" block may be
	 * the article itself, and a carousel the list a collection page is
	 * about. WCXB dev: reviews +0.0011 (product +0.013), carousel +0.0004
	 * (product +0.0026); article 0.000. */
	if (product && (has_word(both, "reviews") || has_word(both, "carousel")))
		return F_BOILER;
	for (i = 0; weak_sub[i]; i++)
		if (may_hold(&pb, weak_sub[i]) && strstr(both, weak_sub[i]))
			return F_BOILER | F_NAMED;
	for (i = 0; weak_word[i]; i++)
		if (may_hold(&pb, weak_word[i]) && has_word(both, weak_word[i]))
			return F_BOILER | F_NAMED;
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

static unsigned judge_element(const xmlNode *n, int kind, int product)
{
	const char *role, *v;
	unsigned f;
	int disclosure;

	if (kind == K_DROP)
		return F_DROP;
	if (kind == K_SOFT)
		return F_BOILER;
	/* A tab panel or an accordion's region (the ARIA disclosure patterns)
	 * is hidden until the reader clicks its tab or question: the specs,
	 * the FAQ answers, the second tab of the docs are content that a
	 * script reveals, not furniture, so hiding is no verdict for them
	 * (their class names still are). WCXB dev +0.0018: documentation
	 * +0.010, service +0.005, product +0.004, article +0.0008. */
	role = ing__attr(n, "role");
	disclosure = role && (!strcmp(role, "tabpanel") || !strcmp(role, "region"));
	/* Hidden inline bits are icons and screen-reader text; a hidden block
	 * may be a page that a script reveals, so it is only boilerplate. */
	if (!disclosure && (xmlHasProp((xmlNode *)n, (const xmlChar *)"hidden") ||
	    ((v = ing__attr(n, "aria-hidden")) && !strcmp(v, "true")) ||
	    style_hidden(ing__attr(n, "style"))))
		return (kind == K_INLINE || kind == K_A) ? F_DROP : F_BOILER;
	if (role) {
		if (!strcmp(role, "main"))
			return F_MAINHINT;
		if (!strcmp(role, "navigation") || !strcmp(role, "banner") ||
		    !strcmp(role, "contentinfo") || !strcmp(role, "complementary") ||
		    !strcmp(role, "search") || !strcmp(role, "menu") || !strcmp(role, "menubar") ||
		    !strcmp(role, "toolbar"))
			return F_BOILER;
	}
	/* A dialog (a modal holding the privacy policy, the size guide)
	 * opens over the page: however long its prose, it is not the page's
	 * text, so like a consent notice it is forgiven only as a wrapper of
	 * the whole page. WCXB dev +0.0013: product +0.008, collection
	 * +0.007, service +0.0007 (4 pages, none worse). */
	if ((role && (!strcmp(role, "dialog") || !strcmp(role, "alertdialog"))) ||
	    ((v = ing__attr(n, "aria-modal")) && !strcmp(v, "true")) ||
	    !strcmp((const char *)n->name, "dialog"))
		return F_BOILER | F_CONSENT;
	/* Captions and photo credits are not in what readers (and WCXB's
	 * annotators) take as the text: +0.001 on dev, article +0.0015. */
	if (!strcmp((const char *)n->name, "figcaption"))
		return F_BOILER;
	if (kind == K_BODY || kind == K_MAIN || kind == K_ARTICLE)
		return kind == K_BODY ? 0 : F_MAINHINT;
	f = judge_names(ing__attr(n, "class"), ing__attr(n, "id"), product);
	if (f == F_DROP && disclosure)
		f = 0;
	if (f == F_DROP && kind != K_INLINE && kind != K_A)
		f = F_BOILER | F_NAMED; /* a hidden block is more often a tab panel than junk */
	/* The page's <footer> holds the legal small print, the store links,
	 * the newsletter form: however long, it is the foot of the page, not
	 * its text, and on a page that is a script's empty shell it is all
	 * the text there is (where a reader sees nothing to read). Never
	 * forgiven. WCXB dev +0.0033: product +0.025, service +0.006,
	 * collection +0.005, listing +0.003 (8 pages change, 1 worse: its
	 * content libxml2 nests in an unclosed footer); forgiven still as a
	 * wrapper of 95% of the page it was +0.0013 (the 3 script shells, one
	 * site, make the difference). */
	if (kind == K_BOILER && !strcmp((const char *)n->name, "footer") && f != F_MAINHINT)
		return F_BOILER | F_NEVER;
	if (kind == K_BOILER || kind == K_FORM)
		return f == F_MAINHINT ? F_MAINHINT : F_BOILER;
	return f;
}

/* Do the m bytes at s spell pat (lower case), ignoring ASCII case? */
static int ci_at(const char *s, const char *pat, size_t m)
{
	size_t k;
	for (k = 0; k < m; k++) {
		char c = s[k];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != pat[k])
			return 0;
	}
	return 1;
}

/*
 * The spellings looked for, case-insensitively: schema.org/product",
 * "@type":"product", "@type": "product", og:type" content="product. Every
 * one has a double quote right after or right before "product", so one
 * memchr-driven pass stops at each quote and looks at the bytes around it;
 * four byte-by-byte scans of the page were 8% of all ingest CPU.
 */
int ing__product_page(const char *s, size_t n)
{
	static const char before_lead[] = "og:type\" content=";
	const size_t lead = sizeof before_lead - 1;
	const char *end = s + n, *q = s;

	while (q < end && (q = memchr(q, '"', (size_t)(end - q))) != NULL) {
		size_t at = (size_t)(q - s);
		/* "product" ends at this quote */
		if (at >= 7 && ci_at(q - 7, "product", 7)) {
			if ((at >= 18 && ci_at(q - 18, "schema.org/", 11)) ||
			    (at >= 16 && ci_at(q - 16, "\"@type\":\"", 9)) ||
			    (at >= 17 && ci_at(q - 17, "\"@type\": \"", 10)))
				return 1;
		}
		/* "product" starts after this quote */
		if (n - at > 7 && at >= lead && ci_at(q + 1, "product", 7) &&
		    ci_at(q - lead, before_lead, lead))
			return 1;
		q++;
	}
	return 0;
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
sol_status ing__html_classify(hdoc *h, sol_err *err)
{
	xmlNode *root = xmlDocGetRootElement(h->doc);
	xmlNode *n = root;
	sol_status st;

	h->body = h->head = h->h1i = h->desci = -1;
	while (n) {
		int descend = 0;
		int pi = index_of(n->parent);
		if (n->type == XML_ELEMENT_NODE) {
			unsigned hl;
			int kind = tag_kind((const char *)n->name, &hl);
			unsigned f;
			const char *role;
			hinfo *e;
			if ((st = push(h, n, pi, err)) != SOL_OK)
				return st;
			e = &h->el[h->n - 1];
			e->kind = (unsigned)kind;
			e->hlevel = hl;
			f = judge_element(n, kind, h->product);
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
			if (kind == K_HEAD && hl == 1 && h->h1i < 0)
				h->h1i = (int)h->n - 1;
			if (h->desci < 0 && kind != K_INLINE && kind != K_DROP) {
				const char *ip = ing__attr(n, "itemprop");
				if (ip && !strcmp(ip, "description"))
					h->desci = (int)h->n - 1;
			}
			if (!strcmp((const char *)n->name, "time") && !h->time)
				h->time = n;
			e->flags = f;
			/* Tab panels hold one version each of the same steps (a code
			 * sample per language): their repeats are not copies. */
			if (kind != K_INLINE && kind != K_A && n->properties &&
			    (role = ing__attr(n, "role")) && !strcmp(role, "tabpanel"))
				e->flags |= F_TABPANEL;
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
