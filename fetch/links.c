/*
 * links.c - the links of an HTML page, for --follow: libxml2's HTML parser
 * (the same one the cleaner uses, so tag soup is read the same way) and
 * libcurl's URL parser to resolve relative references.
 */
#include "fetch_int.h"

#include <curl/curl.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <string.h>
#include <strings.h>

/* Resolve ref against base; NULL when either does not parse or the result
 * is not http(s). The fragment goes: #top and #minutes are one page. */
static char *resolve(const char *base, const char *ref)
{
	CURLU *u = curl_url();
	char *out = NULL, *scheme = NULL;

	if (!u)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_URL, ref, 0) != CURLUE_OK)
		goto out;
	curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcasecmp(scheme, "http") && strcasecmp(scheme, "https")))
		goto out;
	curl_url_get(u, CURLUPART_URL, &out, 0);
out:
	curl_free(scheme);
	curl_url_cleanup(u);
	return out;
}

struct walk {
	char *base;        /* <base href> resolved, or the page's URL */
	fch__link_fn fn;
	void *arg;
};

static void visit(xmlNode *node, struct walk *w)
{
	for (xmlNode *n = node; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)n->name;
		if (!strcasecmp(name, "a") || !strcasecmp(name, "area")) {
			xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
			if (href) {
				char *abs = resolve(w->base, (const char *)href);
				if (abs)
					w->fn(w->arg, abs);
				curl_free(abs);
				xmlFree(href);
			}
		}
		visit(n->children, w);
	}
}

/* <base href> changes what relative links mean; only the first counts
 * (HTML 4.3.5 "the first base element with an href attribute"). */
static xmlNode *find_base(xmlNode *node)
{
	for (xmlNode *n = node; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!strcasecmp((const char *)n->name, "base") && xmlHasProp(n, (const xmlChar *)"href"))
			return n;
		xmlNode *found = find_base(n->children);
		if (found)
			return found;
	}
	return NULL;
}

void fch__extract_links(const unsigned char *html, size_t len, const char *charset,
			const char *base_url, fch__link_fn fn, void *arg)
{
	struct walk w = { NULL, fn, arg };
	htmlDocPtr doc;
	xmlNode *root, *base;

	if (len > (size_t)INT32_MAX)
		return;
	/* NONET: the parser must never fetch a DTD or entity itself. */
	doc = htmlReadMemory((const char *)html, (int)len, base_url, charset,
			     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
			     HTML_PARSE_NONET | HTML_PARSE_COMPACT);
	if (!doc && charset)  /* an encoding libxml2 does not know: read as bytes */
		doc = htmlReadMemory((const char *)html, (int)len, base_url, NULL,
				     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
				     HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (!doc)
		return;
	root = xmlDocGetRootElement(doc);
	base = find_base(root);
	if (base) {
		xmlChar *href = xmlGetProp(base, (const xmlChar *)"href");
		w.base = href ? resolve(base_url, (const char *)href) : NULL;
		xmlFree(href);
	}
	if (!w.base) {
		char *copy = resolve(base_url, base_url);
		w.base = copy;
	}
	if (w.base)
		visit(root, &w);
	curl_free(w.base);
	xmlFreeDoc(doc);
}
