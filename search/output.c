/*
 * output.c - how hits look: text for people (highlighted on a terminal),
 * JSON Lines and CSV for programs.
 */
#include "search.h"

#include <jansson.h>
#include <string.h>

void srch_print_snippet(FILE *out, const char *snip, int color)
{
	for (const char *p = snip ? snip : ""; *p; p++) {
		if (*p == '\x01')
			fputs(color ? "\033[1m" : "", out);
		else if (*p == '\x02')
			fputs(color ? "\033[0m" : "", out);
		else if (*p == '\f')
			fputc(' ', out);  /* a PDF's page break: no form feed on a terminal */
		else
			fputc(*p, out);
	}
}

/* The snippet without highlight markers, as a heap string. */
static char *plain_snippet(const char *snip)
{
	char *s = strdup(snip ? snip : ""), *w = s;
	for (const char *p = s; p && *p; p++)
		if (*p != '\x01' && *p != '\x02')
			*w++ = *p;
	if (w)
		*w = '\0';
	return s;
}

unsigned srch_hit_page(const idx_hit *h)
{
	unsigned page = 1;

	/* Only a PDF's form feeds are page breaks (docs/record.md). The
	 * page is the snippet's first marked word's. */
	if (!h->content_type || strcmp(h->content_type, "application/pdf") || !h->text ||
	    h->snippet_mark < 0)
		return 0;
	for (long long i = 0; i < h->snippet_mark; i++)
		page += h->text[i] == '\f';
	return page;
}

void srch_join_args(int argc, char **argv, sol_buf *q)
{
	sol_buf_init(q, 0);
	for (int i = 0; i < argc; i++) {
		if (i)
			sol_buf_addc(q, ' ');
		sol_buf_adds(q, argv[i]);
	}
}

void srch_csv_field(FILE *out, const char *s)
{
	s = s ? s : "";
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void print_json(FILE *out, const idx_hit *h)
{
	json_t *rec = h->record_json ? json_loads(h->record_json, 0, NULL) : NULL;
	char *snip = plain_snippet(h->snippet);
	unsigned page = srch_hit_page(h);
	json_t *o = json_pack("{s:i, s:s?, s:f, s:i, s:s?, s:s?, s:s?, s:s?}",
		"rank", (int)h->rank, "id", h->id, "score", h->weight, "percent", h->percent,
		"title", h->title, "source", h->source, "date", h->date, "snippet", snip);
	if (o && page)
		json_object_set_new(o, "page", json_integer(page));
	if (o && rec) {
		json_object_set(o, "sources", json_object_get(rec, "sources"));
		json_object_set(o, "entities", json_object_get(rec, "entities"));
	}
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	if (s) {
		fputs(s, out);
		fputc('\n', out);
	}
	free(s);
	free(snip);
	json_decref(o);
	json_decref(rec);
}

static void print_csv(FILE *out, const idx_hit *h)
{
	char rank[32], score[32];
	char *snip = plain_snippet(h->snippet);
	snprintf(rank, sizeof rank, "%u", h->rank);
	snprintf(score, sizeof score, "%.4f", h->weight);
	const char *cols[] = { rank, score, h->id, h->date, h->title, h->source, snip };
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		if (i)
			fputc(',', out);
		srch_csv_field(out, cols[i]);
	}
	fputs("\r\n", out);
	free(snip);
}

void srch_print_hit(FILE *out, const idx_hit *h, const srch_opts *o)
{
	if (o->format == SRCH_JSON) {
		print_json(out, h);
		return;
	}
	if (o->format == SRCH_CSV) {
		print_csv(out, h);
		return;
	}
	fprintf(out, "%s%u.%s %s%s%s  (%d%%)\n", o->color ? "\033[1m" : "", h->rank,
		o->color ? "\033[0m" : "", o->color ? "\033[1m" : "",
		h->title && *h->title ? h->title : "(untitled)", o->color ? "\033[0m" : "",
		h->percent);
	unsigned page = srch_hit_page(h);
	fprintf(out, "   %s%s%s", h->date ? h->date : "undated", "  ", h->source ? h->source : "");
	if (page)
		fprintf(out, "  page %u", page);
	fputc('\n', out);
	fprintf(out, "   ");
	srch_print_snippet(out, h->snippet, o->color);
	fprintf(out, "\n\n");
}
