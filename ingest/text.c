/*
 * text.c - plain text (often pdftotext output or Markdown) to clean
 * paragraphs.
 *
 * Text extracted from PDFs comes as pages separated by form feeds, each
 * with the same running header and footer, lines hard-wrapped at the page
 * width and words hyphenated across lines. A reader sees paragraphs; the
 * index should too, so this undoes all of that:
 *   1. split into lines (CRLF/CR to LF) and pages (form feeds);
 *   2. drop page furniture: "Page 3 of 12", bare page numbers, and lines
 *      that recur at the top or bottom of most pages;
 *   3. strip Markdown markers (# headings kept as heading lines, **bold**);
 *   4. join hard-wrapped lines into paragraphs, hyphenated ends joined,
 *      keeping headings, list items and numbered paragraphs on their own
 *      lines.
 */
#include "clean.h"

#include <stdlib.h>
#include <string.h>

/* How many lines at each end of a page can be running header/footer. */
#define EDGE_LINES 3

typedef struct line {
	char *s;          /* NUL-terminated, trimmed, owned by the line array */
	size_t len;
	int page;
	int blank;
	int heading;      /* a Markdown heading */
	int drop;         /* page furniture */
	int edge;         /* within EDGE_LINES of its page's top or bottom */
} line;

typedef struct lines {
	line *v;
	size_t n, cap;
	int pages;
} lines;

static void lines_release(lines *ls)
{
	size_t i;
	for (i = 0; i < ls->n; i++)
		free(ls->v[i].s);
	free(ls->v);
	memset(ls, 0, sizeof *ls);
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\v';
}

static sol_status add_line(lines *ls, const char *s, size_t n, int page)
{
	line *l;
	while (n && is_space((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && is_space((unsigned char)s[n - 1]))
		n--;
	if (ls->n == ls->cap) {
		size_t ncap = ls->cap ? ls->cap * 2 : 256;
		line *v = realloc(ls->v, ncap * sizeof *v);
		if (!v)
			return SOL_ERR_NOMEM;
		ls->v = v;
		ls->cap = ncap;
	}
	l = &ls->v[ls->n];
	memset(l, 0, sizeof *l);
	if (!(l->s = sol_strndup(s, n)))
		return SOL_ERR_NOMEM;
	l->len = n;
	l->page = page;
	l->blank = n == 0;
	ls->n++;
	return SOL_OK;
}

static sol_status split_lines(const char *s, size_t n, lines *ls)
{
	size_t i, start = 0;
	int page = 0;
	sol_status st;

	for (i = 0; i <= n; i++) {
		char c = i < n ? s[i] : '\n';
		if (c != '\n' && c != '\r' && c != '\f')
			continue;
		if ((st = add_line(ls, s + start, i - start, page)) != SOL_OK)
			return st;
		if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
			i++;
		if (c == '\f') {
			page++;
			/* a page break is a paragraph break */
			if ((st = add_line(ls, "", 0, page)) != SOL_OK)
				return st;
		}
		start = i + 1;
	}
	ls->pages = page + 1;
	return SOL_OK;
}

/* What kind of page number a line is: PN_MARKED for "Page 3", "Page 3 of
 * 12", "- 3 -", "3 | Page" (the words or marks say so, wherever the line
 * stands); PN_BARE for a line that is only a number of up to four digits
 * (*value set), which may as well be a year or a figure of a table set
 * one cell a line; PN_NONE for anything else, "-5" (a negative figure)
 * among them. */
enum { PN_NONE, PN_MARKED, PN_BARE };

static const char *skip_marks(const char *p, int *dash, int *pipe)
{
	for (; *p == '-' || *p == ' ' || *p == '|'; p++) {
		*dash |= *p == '-';
		*pipe |= *p == '|';
	}
	return p;
}

static int page_number_kind(const char *s, long *value)
{
	const char *p = s;
	int digits = 0, word = 0, pipe = 0, dash_l = 0, dash_r = 0;
	long v = 0;
	if (!strncmp(p, "Page ", 5) || !strncmp(p, "page ", 5) || !strncmp(p, "PAGE ", 5)) {
		p += 5;
		word = 1;
	}
	p = skip_marks(p, &dash_l, &pipe);
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		if (digits < 4)
			v = v * 10 + (*p - '0');
	if (!digits || digits > 4)
		return PN_NONE;
	p = skip_marks(p, &dash_r, &pipe);
	if (!strncmp(p, "of ", 3)) {
		p += 3;
		word = 1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	p = skip_marks(p, &dash_r, &pipe);
	if (!strncmp(p, "Page", 4) || !strncmp(p, "page", 4)) {
		p += 4;
		word = 1;
	}
	if (*p != '\0')
		return PN_NONE;
	*value = v;
	if (word || pipe || (dash_l && dash_r))
		return PN_MARKED;
	return dash_l || dash_r ? PN_NONE : PN_BARE;
}

/* A line's key for recurrence: digits folded, so "Page 3" and "Page 4" or
 * "Report date 3/4" match across pages. */
static void edge_key(const char *s, char *key, size_t cap)
{
	size_t j = 0;
	/* only short lines (page numbers, dates, references) are folded: body
	 * sentences that differ only in their numbers are still body text */
	int fold = strlen(s) <= 40;
	for (; *s && j + 1 < cap; s++)
		key[j++] = (fold && *s >= '0' && *s <= '9') ? '#' : *s;
	key[j] = '\0';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A bare number at a page's edge: its value less its page's index, the
 * page, and its line. */
typedef struct page_cand {
	long off;
	int page;
	size_t line;
} page_cand;

/* By offset, then page. */
static int cmp_pn(const void *a, const void *b)
{
	const page_cand *x = a, *y = b;
	if (x->off != y->off)
		return (x->off > y->off) - (x->off < y->off);
	return (x->page > y->page) - (x->page < y->page);
}

/*
 * Page numbers. A marked one ("Page 3 of 12") goes wherever it stands. A
 * bare number goes only where page numbers are: at the edge of its page,
 * and counting up with the pages (its value less its page's index the
 * same on at least two pages, and on half of them). Bare numbers alone
 * on a line were all dropped once, anywhere: the years and sums of a
 * budget table set one cell a line went with them.
 */
static sol_status mark_page_numbers(lines *ls)
{
	page_cand *c = NULL;
	size_t i, k, n = 0, best_pages = 0;
	long best = 0, v;

	for (i = 0; i < ls->n; i++)
		n += !ls->v[i].blank && ls->v[i].edge;
	if (n && !(c = malloc(n * sizeof *c)))
		return SOL_ERR_NOMEM;
	n = 0;
	for (i = 0; i < ls->n; i++) {
		line *l = &ls->v[i];
		int kind = l->blank ? PN_NONE : page_number_kind(l->s, &v);
		if (kind == PN_MARKED)
			l->drop = 1;
		else if (kind == PN_BARE && l->edge)
			c[n++] = (page_cand){ v - l->page, l->page, i };
	}
	/* the offset most pages agree on (a page whose top and bottom both
	 * carry the number counts once) */
	if (n)
		qsort(c, n, sizeof *c, cmp_pn);
	for (i = 0; i < n; i = k) {
		size_t pages = 1;
		for (k = i + 1; k < n && c[k].off == c[i].off; k++)
			pages += c[k].page != c[k - 1].page;
		if (pages > best_pages) {
			best_pages = pages;
			best = c[i].off;
		}
	}
	if (best_pages >= 2 && 2 * best_pages >= (size_t)ls->pages)
		for (i = 0; i < n; i++)
			if (c[i].off == best)
				ls->v[c[i].line].drop = 1;
	free(c);
	return SOL_OK;
}

/*
 * Running headers and footers: a non-blank line near a page edge whose key
 * occurs near the edges of at least half the pages (and at least 3).
 */
static sol_status mark_furniture(lines *ls)
{
	size_t i, j, nedge = 0;
	char **keys = NULL;
	sol_status st = SOL_OK;
	int need = ls->pages / 2 > 3 ? ls->pages / 2 : 3;

	/* edge lines: first/last EDGE_LINES non-blank lines of each page */
	for (i = 0; i < ls->n; i = j) {
		size_t k, seen;
		for (j = i; j < ls->n && ls->v[j].page == ls->v[i].page; j++)
			;
		for (k = i, seen = 0; k < j && seen < EDGE_LINES; k++)
			if (!ls->v[k].blank) {
				ls->v[k].edge = 1;
				seen++;
			}
		for (k = j, seen = 0; k > i && seen < EDGE_LINES; k--)
			if (!ls->v[k - 1].blank) {
				ls->v[k - 1].edge = 1;
				seen++;
			}
	}
	if ((st = mark_page_numbers(ls)) != SOL_OK)
		return st;
	if (ls->pages < 3)
		return SOL_OK;
	for (i = 0; i < ls->n; i++)
		nedge += ls->v[i].edge;
	if (!nedge)
		return SOL_OK;
	if (!(keys = calloc(nedge, sizeof *keys)))
		return SOL_ERR_NOMEM;
	for (i = 0, j = 0; i < ls->n; i++) {
		char key[256];
		if (!ls->v[i].edge)
			continue;
		edge_key(ls->v[i].s, key, sizeof key);
		if (!(keys[j++] = sol_strdup(key))) {
			st = SOL_ERR_NOMEM;
			nedge = j;
			goto out;
		}
	}
	qsort(keys, nedge, sizeof *keys, cmp_str);
	for (i = 0; i < ls->n; i++) {
		char key[256], *kp = key;
		char **hit;
		size_t lo, hi;
		if (!ls->v[i].edge)
			continue;
		edge_key(ls->v[i].s, key, sizeof key);
		hit = bsearch(&kp, keys, nedge, sizeof *keys, cmp_str);
		if (!hit)
			continue;
		lo = hi = (size_t)(hit - keys);
		while (lo > 0 && !strcmp(keys[lo - 1], key))
			lo--;
		while (hi + 1 < nedge && !strcmp(keys[hi + 1], key))
			hi++;
		if ((int)(hi - lo + 1) >= need)
			ls->v[i].drop = 1;
	}
out:
	for (i = 0; i < nedge; i++)
		free(keys[i]);
	free(keys);
	return st;
}

/* Strip Markdown: "## Heading" -> heading line; **bold**, __bold__ and
 * `code` markers removed (single * and _ are too often real text). */
static void strip_markdown(line *l)
{
	char *r = l->s, *w = l->s;
	size_t hashes = 0;
	while (r[hashes] == '#')
		hashes++;
	if (hashes >= 1 && hashes <= 6 && (r[hashes] == ' ' || r[hashes] == '\0')) {
		l->heading = 1;
		r += hashes;
		while (*r == ' ')
			r++;
	}
	for (; *r; r++) {
		if ((r[0] == '*' && r[1] == '*') || (r[0] == '_' && r[1] == '_')) {
			r++;
			continue;
		}
		if (r[0] == '`')
			continue;
		*w++ = *r;
	}
	/* closing hashes of "## Heading ##" */
	while (l->heading && w > l->s && (w[-1] == '#' || w[-1] == ' '))
		w--;
	*w = '\0';
	l->len = (size_t)(w - l->s);
	if (!l->len)
		l->blank = 1;
}

/* Does the line start a list item or numbered paragraph ("1.", "2.3",
 * "(a)", "a)", "-", "*", "•")? Those keep their own line. */
static int starts_item(const char *s)
{
	const char *p = s;
	if ((s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ')
		return 1;
	if (!strncmp(s, "\xE2\x80\xA2", 3) || !strncmp(s, "\xC2\xB7", 2) ||
	    !strncmp(s, "\xEF\x82\xB7", 3))
		return 1;
	if (*p == '(') {
		p++;
		while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			p++;
		return *p == ')' && p - s <= 5;
	}
	if (*p >= '0' && *p <= '9') {
		while ((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' && p[1] <= '9'))
			p++;
		return (*p == '.' || *p == ')') && (p[1] == ' ' || p[1] == '\t' || p[1] == '\0') &&
		       p - s <= 8;
	}
	if (*p >= 'a' && *p <= 'z' && p[1] == ')' && p[2] == ' ')
		return 1;
	return 0;
}

static int ends_sentence(const line *l)
{
	char c = l->len ? l->s[l->len - 1] : '\0';
	return c == '.' || c == ':' || c == '?' || c == '!' || c == ';';
}

static int is_lower_start(const char *s)
{
	return *s >= 'a' && *s <= 'z';
}

/* Typical line width: lines this much shorter ended on purpose (a heading,
 * an address line, the end of a paragraph). */
static size_t wrap_width(const lines *ls)
{
	size_t i, maxlen = 0, count = 0, hist[41] = { 0 };
	for (i = 0; i < ls->n; i++) {
		size_t b;
		if (ls->v[i].blank || ls->v[i].drop)
			continue;
		b = ls->v[i].len / 5 > 40 ? 40 : ls->v[i].len / 5;
		hist[b]++;
		count++;
	}
	if (!count)
		return 0;
	/* the 80th-percentile length bucket */
	for (i = 0; i <= 40; i++) {
		maxlen += hist[i];
		if (maxlen * 10 >= count * 8)
			return i * 5;
	}
	return 200;
}

static sol_status join_lines(lines *ls, sol_buf *out)
{
	size_t i, width = wrap_width(ls);
	const line *prev = NULL;   /* last line written in this paragraph */
	int para_break = 0;
	sol_status st;

	for (i = 0; i < ls->n; i++) {
		line *l = &ls->v[i];
		if (l->drop)
			continue;
		if (l->blank) {
			if (prev)
				para_break = 1;
			continue;
		}
		if (!prev) {
			/* first line of the text */
		} else if (para_break || l->heading || prev->heading) {
			if ((st = sol_buf_adds(out, "\n\n")) != SOL_OK)
				return st;
		} else if (starts_item(l->s) || (width >= 30 && prev->len + 15 < width) ||
			   (ends_sentence(prev) && prev->len + 5 < width && !is_lower_start(l->s))) {
			if ((st = sol_buf_addc(out, '\n')) != SOL_OK)
				return st;
		} else if (prev->len >= 2 && prev->s[prev->len - 1] == '-' &&
			   prev->s[prev->len - 2] != ' ' && prev->s[prev->len - 2] != '-' &&
			   is_lower_start(l->s)) {
			/* "recom-" + "mended": drop the hyphen written last */
			out->data[--out->len] = '\0';
		} else if ((st = sol_buf_addc(out, ' ')) != SOL_OK) {
			return st;
		}
		if ((st = sol_buf_add(out, l->s, l->len)) != SOL_OK)
			return st;
		prev = l;
		para_break = 0;
	}
	return SOL_OK;
}

static int has_lower(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			return 1;
	return 0;
}

/* Minutes and reports open with the authority's name in capitals
 * ("HAMPSHIRE COUNTY COUNCIL") and say what they are on the next line
 * ("Minutes of a meeting of the Cabinet held at ..."). The name alone
 * would title every document of a council the same, so the first words of
 * that line are added: "HAMPSHIRE COUNTY COUNCIL - Minutes of a meeting of
 * the Cabinet held at The Castle". */
static sol_status name_the_document(const lines *ls, sol_record *r)
{
	size_t i, tlen, keep;
	const line *next = NULL;
	sol_buf t;
	sol_status st;

	if (!r->title || (tlen = strlen(r->title)) > 80 || has_lower(r->title, tlen))
		return SOL_OK;
	/* the next paragraph: lines in the title's own paragraph are its
	 * letterhead (an address, a telephone number), not what it is */
	int seen_title = 0, seen_blank = 0;
	for (i = 0; i < ls->n && !next; i++) {
		const line *l = &ls->v[i];
		if (!seen_title) {
			seen_title = !l->blank && !l->drop && l->len == tlen && !memcmp(l->s, r->title, tlen);
			continue;
		}
		if (l->blank) {
			seen_blank = 1;
			continue;
		}
		if (l->drop || strspn(l->s, "-=_* \t") >= l->len)
			continue; /* furniture, or an underline */
		if (!seen_blank)
			continue;
		next = l;
	}
	if (!next || !has_lower(next->s, next->len))
		return SOL_OK;
	/* up to 80 bytes of it, cut at a space */
	keep = next->len;
	if (keep > 80) {
		keep = 80;
		while (keep > 20 && next->s[keep] != ' ')
			keep--;
	}
	while (keep > 0 && (next->s[keep - 1] == ' ' || next->s[keep - 1] == ','))
		keep--;
	sol_buf_init(&t, 0);
	if ((st = sol_buf_add(&t, r->title, tlen)) != SOL_OK || (st = sol_buf_adds(&t, " - ")) != SOL_OK ||
	    (st = sol_buf_add(&t, next->s, keep)) != SOL_OK) {
		sol_buf_release(&t);
		return st;
	}
	free(r->title);
	r->title = sol_buf_detach(&t, NULL);
	return r->title ? SOL_OK : SOL_ERR_NOMEM;
}

sol_status ing_clean_text(const char *utf8, size_t n, sol_record *r, sol_err *err)
{
	lines ls;
	sol_buf out;
	size_t i, len;
	sol_status st;

	memset(&ls, 0, sizeof ls);
	sol_buf_init(&out, 0);
	if (!utf8 && n)
		return sol_err_set(err, SOL_ERR_INPUT, "text: no bytes given for %zu-byte input", n);
	if ((st = split_lines(utf8 ? utf8 : "", n, &ls)) != SOL_OK)
		goto fail;
	if ((st = mark_furniture(&ls)) != SOL_OK)
		goto fail;
	for (i = 0; i < ls.n; i++) {
		if (ls.v[i].blank || ls.v[i].drop)
			continue;
		strip_markdown(&ls.v[i]);
		if (!r->title && !ls.v[i].blank && ls.v[i].heading &&
		    (st = ing__set_field(&r->title, ls.v[i].s, ls.v[i].len > 300 ? 300 : ls.v[i].len)) != SOL_OK)
			goto fail;
	}
	for (i = 0; !r->title && i < ls.n; i++)
		if (!ls.v[i].blank && !ls.v[i].drop &&
		    (st = ing__set_field(&r->title, ls.v[i].s, ls.v[i].len > 300 ? 300 : ls.v[i].len)) != SOL_OK)
			goto fail;
	if ((st = name_the_document(&ls, r)) != SOL_OK)
		goto fail;
	if ((st = join_lines(&ls, &out)) != SOL_OK)
		goto fail;
	if (!r->date) {
		char iso[11];
		if (out.len && ing__find_labelled_date(out.data, out.len, iso) &&
		    ((st = ing__set_field(&r->date, iso, 10)) != SOL_OK ||
		     (st = ing__set_field(&r->date_from, "text", 4)) != SOL_OK))
			goto fail;
	}
	free(r->text);
	if (!(r->text = sol_buf_detach(&out, &len))) {
		st = SOL_ERR_NOMEM;
		goto fail;
	}
	r->text_len = len;
	lines_release(&ls);
	return SOL_OK;
fail:
	lines_release(&ls);
	sol_buf_release(&out);
	return sol_err_set(err, st, "text: %s while cleaning %zu bytes", sol_status_to_string(st), n);
}
