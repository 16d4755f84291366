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

/* Does text at t match pattern p, any run of whitespace in p matching any
 * run in t (the snippet need not keep the text's newlines or form feeds)?
 * Returns the end of the match in t, or NULL. */
static const char *match_loose(const char *t, const char *p)
{
	while (*p) {
		if (strchr(" \t\n\r\f\v", *p)) {
			if (!*t || !strchr(" \t\n\r\f\v", *t))
				return NULL;
			while (*p && strchr(" \t\n\r\f\v", *p))
				p++;
			while (*t && strchr(" \t\n\r\f\v", *t))
				t++;
		} else if (*t++ != *p++) {
			return NULL;
		}
	}
	return t;
}

/* Where the first match of the snippet is in text: the plain snippet up to
 * the end of its first highlighted word is looked for, then shorter tails of
 * it (the snippet may begin mid-sentence or elide), down to the word alone.
 * Returns the end of the match in text, or NULL. */
static const char *find_first_match(const char *text, const char *snip)
{
	static const char ws[] = " \t\n\r\f\v";
	const char *hl = strchr(snip, '\x01'), *hl_end, *start;
	const char *found = NULL;
	size_t word_len;
	sol_buf frag;

	if (!hl || !(hl_end = strchr(hl, '\x02')))
		return NULL;
	word_len = (size_t)(hl_end - hl) - 1;
	sol_buf_init(&frag, 0);
	for (const char *p = snip; p < hl_end; p++)
		if (*p != '\x01' && *p != '\x02' && sol_buf_addc(&frag, *p) != SOL_OK)
			goto out;
	if (!frag.data)
		goto out;
	start = frag.data + strspn(frag.data, ws);
	while (*start) {
		for (const char *t = strchr(text, *start); t && !found; t = strchr(t + 1, *start))
			found = match_loose(t, start);
		if (found)
			break;
		/* the fragment from its next word on ("…" or a cut word first) */
		start += strcspn(start, ws);
		start += strspn(start, ws);
		if (strlen(start) <= word_len)
			break;  /* the word alone is tried below, markers and all cut */
	}
	if (!found) {
		/* "…word": the snippet's elision mark glued to the word */
		sol_buf_reset(&frag);
		if (sol_buf_add(&frag, hl + 1, word_len) == SOL_OK)
			for (const char *t = strstr(text, frag.data); t && !found; t = strstr(t + 1, frag.data))
				found = t + word_len;
	}
out:
	sol_buf_release(&frag);
	return found;
}

unsigned srch_hit_page(const idx_hit *h)
{
	const char *text = h->text, *end;
	unsigned page = 0;

	/* Only a PDF's form feeds are page breaks (docs/record.md). */
	if (!h->content_type || strcmp(h->content_type, "application/pdf") || !text || !h->snippet)
		return 0;
	if ((end = find_first_match(text, h->snippet))) {
		page = 1;
		for (const char *p = text; p < end; p++)
			page += *p == '\f';
	}
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
