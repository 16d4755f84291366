/*
 * state.c - the conditional-GET store: per URL, the ETag and Last-Modified
 * of its last 200, so that next month's run asks "has it changed?" and a
 * 304 costs the council's server nothing.
 *
 * File format (docs/fetch.md), one URL a line, tab-separated, UTF-8:
 *   URL <TAB> ETag <TAB> Last-Modified <TAB> fetched_at
 * with empty fields for what the server did not send. Lines starting '#'
 * are comments. Values holding a tab or newline are not stored (no server
 * sends them legitimately; storing them would break the format).
 */
#include "fetch_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct entry {
	char *url, *etag, *last_modified, *fetched_at;
} entry;

struct fch__state {
	char *path;
	entry *slots;      /* open addressing on url; url == NULL is empty */
	size_t n, cap;
	int dirty;
};

static size_t hash(const char *k)
{
	size_t h = 1469598103934665603ULL;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return h;
}

static entry *slot(entry *slots, size_t cap, const char *url)
{
	size_t i = hash(url) & (cap - 1);
	while (slots[i].url && strcmp(slots[i].url, url))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void free_entry(entry *e)
{
	free(e->url);
	free(e->etag);
	free(e->last_modified);
	free(e->fetched_at);
	memset(e, 0, sizeof *e);
}

static int grow(fch__state *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 256;
	entry *ns = calloc(ncap, sizeof *ns);
	if (!ns)
		return -1;
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i].url)
			*slot(ns, ncap, s->slots[i].url) = s->slots[i];
	free(s->slots);
	s->slots = ns;
	s->cap = ncap;
	return 0;
}

static char *field(const char *b, const char *e)
{
	return e > b ? strndup(b, (size_t)(e - b)) : NULL;
}

fch__state *fch__state_load(const char *path, sol_err *err)
{
	fch__state *s = calloc(1, sizeof *s);
	FILE *f = NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;

	if (!s || !(s->path = strdup(path))) {
		sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", path);
		goto fail;
	}
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return s;  /* the first run: nothing known yet */
		sol_err_set(err, SOL_ERR_IO, "%s: %s", path, strerror(errno));
		goto fail;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		const char *t[4] = { NULL };
		const char *p = line, *end;
		int k = 0;
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		end = line + n;
		t[k++] = p;
		while (k < 4 && (p = memchr(p, '\t', (size_t)(end - p))) != NULL)
			t[k++] = ++p;
		if (k < 2) {
			sol_err_set(err, SOL_ERR_PARSE, "%s:%lu: not URL<TAB>ETag<TAB>Last-Modified<TAB>date",
				    path, lineno);
			goto fail;
		}
		const char *ends[4];
		for (int i = 0; i < 4; i++)
			ends[i] = i + 1 < k ? t[i + 1] - 1 : (i < k ? end : NULL);
		char *url = field(t[0], ends[0]);
		char *etag = k > 1 ? field(t[1], ends[1]) : NULL;
		char *lm = k > 2 ? field(t[2], ends[2]) : NULL;
		char *at = k > 3 ? field(t[3], ends[3]) : NULL;
		sol_status st = url ? fch__state_set(s, url, etag, lm, at) : SOL_OK;
		free(url);
		free(etag);
		free(lm);
		free(at);
		if (st != SOL_OK) {
			sol_err_set(err, st, "%s: out of memory", path);
			goto fail;
		}
	}
	free(line);
	fclose(f);
	s->dirty = 0;
	return s;
fail:
	free(line);
	if (f)
		fclose(f);
	fch__state_free(s);
	return NULL;
}

void fch__state_get(const fch__state *s, const char *url, const char **etag,
		    const char **last_modified)
{
	*etag = *last_modified = NULL;
	if (!s->cap)
		return;
	entry *e = slot(s->slots, s->cap, url);
	if (e->url) {
		*etag = e->etag;
		*last_modified = e->last_modified;
	}
}

static int clean(const char *v)
{
	return v && *v && !strpbrk(v, "\t\r\n");
}

sol_status fch__state_set(fch__state *s, const char *url, const char *etag,
			  const char *last_modified, const char *fetched_at)
{
	entry *e;

	if (!clean(url))
		return SOL_OK;
	if (!clean(etag))
		etag = NULL;
	if (!clean(last_modified))
		last_modified = NULL;
	if ((s->n + 1) * 2 > s->cap && grow(s) != 0)
		return SOL_ERR_NOMEM;
	e = slot(s->slots, s->cap, url);
	if (!etag && !last_modified) {
		/* Nothing to validate with: forget the URL. Removing from an
		 * open-addressed table would break probe chains, so keep the
		 * url with empty validators; save() skips such entries. */
		if (e->url) {
			free(e->etag);
			free(e->last_modified);
			e->etag = e->last_modified = NULL;
			s->dirty = 1;
		}
		return SOL_OK;
	}
	if (!e->url) {
		if (!(e->url = strdup(url)))
			return SOL_ERR_NOMEM;
		s->n++;
	}
	free(e->etag);
	free(e->last_modified);
	free(e->fetched_at);
	e->etag = sol_strdup(etag);
	e->last_modified = sol_strdup(last_modified);
	e->fetched_at = clean(fetched_at) ? strdup(fetched_at) : NULL;
	s->dirty = 1;
	if ((etag && !e->etag) || (last_modified && !e->last_modified))
		return SOL_ERR_NOMEM;
	return SOL_OK;
}

static int cmp_entries(const void *a, const void *b)
{
	const entry *const *x = a, *const *y = b;
	return strcmp((*x)->url, (*y)->url);
}

sol_status fch__state_save(fch__state *s, sol_err *err)
{
	sol_buf body;
	entry **sorted = NULL;
	size_t n = 0;
	sol_status st = SOL_OK;

	if (!s->dirty)
		return SOL_OK;
	sol_buf_init(&body, 0);
	if (!(sorted = calloc(s->n + 1, sizeof *sorted))) {
		st = sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", s->path);
		goto out;
	}
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i].url && (s->slots[i].etag || s->slots[i].last_modified))
			sorted[n++] = &s->slots[i];
	/* Sorted, so the file diffs cleanly from one run to the next. */
	qsort(sorted, n, sizeof *sorted, cmp_entries);
	st = sol_buf_adds(&body, "# solent fetch state 1: URL\tETag\tLast-Modified\tfetched_at\n");
	for (size_t i = 0; i < n && st == SOL_OK; i++)
		st = sol_buf_addf(&body, "%s\t%s\t%s\t%s\n", sorted[i]->url,
				  sorted[i]->etag ? sorted[i]->etag : "",
				  sorted[i]->last_modified ? sorted[i]->last_modified : "",
				  sorted[i]->fetched_at ? sorted[i]->fetched_at : "");
	if (st != SOL_OK) {
		st = sol_err_set(err, st, "%s: out of memory", s->path);
		goto out;
	}
	/* replaced whole: a crash leaves the old state or the new */
	if ((st = sol_write_file(s->path, body.data, body.len, err)) == SOL_OK)
		s->dirty = 0;
out:
	free(sorted);
	sol_buf_release(&body);
	return st;
}

void fch__state_free(fch__state *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free_entry(&s->slots[i]);
	free(s->slots);
	free(s->path);
	free(s);
}
