/*
 * html_meta.c - the page's metadata: title (og:title, <title> without the
 * site suffix, first h1), description, canonical URL, language, and a date
 * from <meta> or <time>.
 */
#include "html_int.h"

#include <string.h>

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
	ing__lower_copy(key, low, sizeof low);
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
		if (i == 0 && (m->lang = ing__attr(n, "lang")) == NULL)
			m->lang = ing__attr(n, "xml:lang");
		if (!strcmp(name, "meta")) {
			const char *key = ing__attr(n, "property");
			const char *content = ing__attr(n, "content");
			int rank;
			if (!key)
				key = ing__attr(n, "name");
			if (!key)
				key = ing__attr(n, "itemprop");
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
			const char *rel = ing__attr(n, "rel");
			if (rel && !xmlStrcasecmp((const xmlChar *)rel, (const xmlChar *)"canonical"))
				m->canonical = ing__attr(n, "href");
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

sol_status ing__html_meta(hdoc *h, sol_record *r)
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
		const char *dt = ing__attr(h->time, "datetime");
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
void ing__drop_title_line(sol_buf *text, const char *title)
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

