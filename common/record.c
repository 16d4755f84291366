/*
 * record.c - the record's JSON form, through jansson. The string fields are
 * listed once in a table so that writing and reading cannot drift apart.
 */
#include "record.h"

#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	size_t off;
} str_fields[] = {
	{ "id", offsetof(sol_record, id) },
	{ "source", offsetof(sol_record, source) },
	{ "original_url", offsetof(sol_record, original_url) },
	{ "content_type", offsetof(sol_record, content_type) },
	{ "charset", offsetof(sol_record, charset) },
	{ "charset_from", offsetof(sol_record, charset_from) },
	{ "title", offsetof(sol_record, title) },
	{ "author", offsetof(sol_record, author) },
	{ "date", offsetof(sol_record, date) },
	{ "date_from", offsetof(sol_record, date_from) },
	{ "description", offsetof(sol_record, description) },
	{ "canonical", offsetof(sol_record, canonical) },
	{ "lang", offsetof(sol_record, lang) },
	{ "sha256", offsetof(sol_record, sha256) },
	{ "text_sha256", offsetof(sol_record, text_sha256) },
	{ "fetched_at", offsetof(sol_record, fetched_at) },
	{ "ingested_at", offsetof(sol_record, ingested_at) },
	{ "error", offsetof(sol_record, error) },
};
#define N_STR_FIELDS (sizeof str_fields / sizeof str_fields[0])

static char **str_field(sol_record *r, size_t i)
{
	return (char **)((char *)r + str_fields[i].off);
}

static char *const *str_field_c(const sol_record *r, size_t i)
{
	return (char *const *)((const char *)r + str_fields[i].off);
}

/* A chunk of the record's string pool: entities and dates are added by
 * the thousand per document (one every 75 bytes of council text), so
 * their strings are carved from chunks, not each malloc'd and freed. */
struct sol_pool_chunk {
	struct sol_pool_chunk *next;
	size_t used, cap;
	char data[];
};

void sol_record_init(sol_record *r)
{
	memset(r, 0, sizeof *r);
}

void sol_record_release(sol_record *r)
{
	for (size_t i = 0; i < N_STR_FIELDS; i++)
		free(*str_field(r, i));
	free(r->text);
	/* the strings of entities and dates are in the pool */
	free(r->entities);
	free(r->dates);
	while (r->pool) {
		struct sol_pool_chunk *next = r->pool->next;
		free(r->pool);
		r->pool = next;
	}
	for (size_t i = 0; i < r->n_aliases; i++) {
		free(r->aliases[i].abbrev);
		free(r->aliases[i].full);
	}
	free(r->aliases);
	sol_record_init(r);
}

/* Grow an array of elements of size `elem` to hold one more. */
static int grow(void **arr, size_t n, size_t *cap, size_t elem)
{
	void *p;
	size_t ncap;

	if (n < *cap)
		return 1;
	ncap = *cap ? *cap * 2 : 8;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return 0;
	*arr = p;
	*cap = ncap;
	return 1;
}

#define POOL_CHUNK 16384

static char *pool_alloc(sol_record *r, size_t n)
{
	struct sol_pool_chunk *c = r->pool;

	if (!c || c->cap - c->used < n) {
		size_t cap = n > POOL_CHUNK ? n : POOL_CHUNK;
		struct sol_pool_chunk *nc = malloc(sizeof *nc + cap);
		if (!nc)
			return NULL;
		nc->used = 0;
		nc->cap = cap;
		/* a chunk with room left stays first: a large string gets its
		 * own chunk behind it */
		if (c && n > POOL_CHUNK) {
			nc->next = c->next;
			c->next = nc;
		} else {
			nc->next = c;
			r->pool = nc;
		}
		c = nc;
	}
	c->used += n;
	return c->data + c->used - n;
}

/* Copy n strings (of the lengths given) into the pool, end to end, each
 * NUL-terminated; out[i] points at the i-th. */
static int pack(sol_record *r, const char **in, const size_t *len, char **out, size_t n)
{
	size_t total = 0, i;
	char *p;

	for (i = 0; i < n; i++)
		total += len[i] + 1;
	if (!(p = pool_alloc(r, total)))
		return 0;
	for (i = 0; i < n; i++) {
		memcpy(p, in[i], len[i]);
		p[len[i]] = '\0';
		out[i] = p;
		p += len[i] + 1;
	}
	return 1;
}

sol_status sol_record_add_entity_n(sol_record *r, const char *type, const char *text,
				   size_t text_len, const char *norm, size_t norm_len,
				   size_t start, size_t end)
{
	const char *in[3] = { type, text, norm };
	size_t len[3] = { strlen(type), text_len, norm_len };
	char *out[3];
	sol_entity *e;

	if (!grow((void **)&r->entities, r->n_entities, &r->cap_entities, sizeof *e))
		return SOL_ERR_NOMEM;
	if (!pack(r, in, len, out, 3))
		return SOL_ERR_NOMEM;
	e = &r->entities[r->n_entities++];
	e->type = out[0];
	e->text = out[1];
	e->norm = out[2];
	e->start = start;
	e->end = end;
	return SOL_OK;
}

sol_status sol_record_add_entity(sol_record *r, const char *type, const char *text,
				 const char *norm, size_t start, size_t end)
{
	if (!norm)
		norm = text;
	return sol_record_add_entity_n(r, type, text, strlen(text), norm, strlen(norm), start,
				       end);
}

sol_status sol_record_add_date_n(sol_record *r, const char *text, size_t text_len,
				 const char *iso, size_t iso_len, size_t start, size_t end)
{
	const char *in[2] = { text, iso };
	size_t len[2] = { text_len, iso_len };
	char *out[2];
	sol_date *d;

	if (!grow((void **)&r->dates, r->n_dates, &r->cap_dates, sizeof *d))
		return SOL_ERR_NOMEM;
	if (!pack(r, in, len, out, 2))
		return SOL_ERR_NOMEM;
	d = &r->dates[r->n_dates++];
	d->text = out[0];
	d->iso = out[1];
	d->start = start;
	d->end = end;
	return SOL_OK;
}

sol_status sol_record_add_date(sol_record *r, const char *text, const char *iso,
			       size_t start, size_t end)
{
	return sol_record_add_date_n(r, text, strlen(text), iso, strlen(iso), start, end);
}

sol_status sol_record_add_alias(sol_record *r, const char *abbrev, const char *full)
{
	sol_alias *a;

	if (!grow((void **)&r->aliases, r->n_aliases, &r->cap_aliases, sizeof *a))
		return SOL_ERR_NOMEM;
	a = &r->aliases[r->n_aliases];
	a->abbrev = strdup(abbrev);
	a->full = strdup(full);
	if (!a->abbrev || !a->full) {
		free(a->abbrev);
		free(a->full);
		return SOL_ERR_NOMEM;
	}
	r->n_aliases++;
	return SOL_OK;
}

void sol_record_set_text_sha256(sol_record *r, const char hex[65])
{
	free(r->text_sha256);
	free(r->id);
	r->text_sha256 = strdup(hex);
	r->id = strndup(hex, 16);
}

void sol_record_hash_text(sol_record *r)
{
	char hex[65];

	sol_sha256_hex(r->text ? r->text : "", r->text ? r->text_len : 0, hex);
	sol_record_set_text_sha256(r, hex);
}

/* Set o's key to a new string of s; false when out of memory (or s is
 * not UTF-8). Not json_pack: it parses its format again for every one
 * of a document's thousands of mentions. */
static int put_str(json_t *o, const char *key, const char *s)
{
	return json_object_set_new(o, key, json_string(s)) == 0;
}

static int put_int(json_t *o, const char *key, size_t v)
{
	return json_object_set_new(o, key, json_integer((json_int_t)v)) == 0;
}

/* Append o to arr when it was made whole (ok), else drop it, as a failed
 * json_pack's NULL was dropped; arr, or NULL when out of memory. */
static json_t *append(json_t *arr, json_t *o, int ok)
{
	if (!o || !ok) {
		json_decref(o);
		return arr;
	}
	if (json_array_append_new(arr, o) != 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static json_t *entities_to_json(const sol_record *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < r->n_entities; i++) {
		const sol_entity *e = &r->entities[i];
		json_t *o = json_object();
		int ok = o && put_str(o, "type", e->type) && put_str(o, "text", e->text) &&
			 put_str(o, "norm", e->norm) && put_int(o, "start", e->start) &&
			 put_int(o, "end", e->end);
		arr = append(arr, o, ok);
	}
	return arr;
}

static json_t *dates_to_json(const sol_record *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < r->n_dates; i++) {
		const sol_date *d = &r->dates[i];
		json_t *o = json_object();
		int ok = o && put_str(o, "text", d->text) && put_str(o, "iso", d->iso) &&
			 put_int(o, "start", d->start) && put_int(o, "end", d->end);
		arr = append(arr, o, ok);
	}
	return arr;
}

static json_t *aliases_to_json(const sol_record *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < r->n_aliases; i++) {
		json_t *o = json_object();
		int ok = o && put_str(o, "abbrev", r->aliases[i].abbrev) &&
			 put_str(o, "full", r->aliases[i].full);
		arr = append(arr, o, ok);
	}
	return arr;
}

json_t *sol_record_to_jansson(const sol_record *r, int with_text)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	json_object_set_new(o, "version", json_integer(SOL_RECORD_VERSION));
	for (size_t i = 0; i < N_STR_FIELDS; i++) {
		const char *v = *str_field_c(r, i);
		/* The fields the evaluation contract names are always present. */
		if (v)
			json_object_set_new(o, str_fields[i].name, json_string(v));
		else if (!strcmp(str_fields[i].name, "title") || !strcmp(str_fields[i].name, "date"))
			json_object_set_new(o, str_fields[i].name, json_null());
	}
	if (!r->error) {
		json_object_set_new(o, "size", json_integer((json_int_t)r->size));
		if (with_text)
			json_object_set_new(o, "text", json_stringn(r->text ? r->text : "",
								    r->text ? r->text_len : 0));
		json_object_set_new(o, "entities", entities_to_json(r));
		json_object_set_new(o, "dates", dates_to_json(r));
		json_object_set_new(o, "aliases", aliases_to_json(r));
		if (r->mentions_omitted)
			json_object_set_new(o, "mentions_omitted",
					    json_integer((json_int_t)r->mentions_omitted));
	}
	return o;
}

/* json_dump_callback's writer: straight onto the caller's buffer (with
 * json_dumps a record was built in jansson's buffer, copied out, then
 * copied again onto out). */
struct dump_to {
	sol_buf *out;
	sol_status st;
};

static int dump_to_buf(const char *s, size_t n, void *data)
{
	struct dump_to *d = data;
	d->st = sol_buf_add(d->out, s, n);
	return d->st == SOL_OK ? 0 : -1;
}

sol_status sol_record_to_json(const sol_record *r, sol_buf *out, sol_err *err)
{
	json_t *o = sol_record_to_jansson(r, 1);
	struct dump_to d = { out, SOL_OK };
	size_t from = out->len;

	if (!o)
		return sol_err_set(err, SOL_ERR_NOMEM, "out of memory");
	if (json_dump_callback(o, dump_to_buf, &d, JSON_COMPACT) != 0) {
		/* What was written of the record is taken back. The strings
		 * are UTF-8 (json_string refuses others), so a failure is the
		 * buffer's: out of memory, or its size limit. */
		out->len = from;
		if (out->data)
			out->data[from] = '\0';
		if (d.st == SOL_OK)
			d.st = SOL_ERR_NOMEM;
		sol_err_set(err, d.st, "%s: record could not be encoded: %s",
			    r->source ? r->source : "?",
			    d.st == SOL_ERR_TOOBIG ? "too large" : "out of memory");
	}
	json_decref(o);
	return d.st;
}

static sol_status take_str(json_t *o, const char *key, char **dst)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return SOL_OK;
	if (!json_is_string(v))
		return SOL_ERR_PARSE;
	*dst = strndup(json_string_value(v), json_string_length(v));
	return *dst ? SOL_OK : SOL_ERR_NOMEM;
}

static size_t get_size(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	json_int_t n = json_is_integer(v) ? json_integer_value(v) : 0;
	return n > 0 ? (size_t)n : 0;
}

static const char *get_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static sol_status read_arrays(json_t *o, sol_record *r)
{
	size_t i;
	json_t *v;
	sol_status st = SOL_OK;

	json_array_foreach(json_object_get(o, "entities"), i, v) {
		const char *type = get_str(v, "type"), *text = get_str(v, "text");
		if (!type || !text)
			return SOL_ERR_PARSE;
		st = sol_record_add_entity(r, type, text, get_str(v, "norm"),
					   get_size(v, "start"), get_size(v, "end"));
		if (st != SOL_OK)
			return st;
	}
	json_array_foreach(json_object_get(o, "dates"), i, v) {
		const char *text = get_str(v, "text"), *iso = get_str(v, "iso");
		if (!text || !iso)
			return SOL_ERR_PARSE;
		st = sol_record_add_date(r, text, iso, get_size(v, "start"), get_size(v, "end"));
		if (st != SOL_OK)
			return st;
	}
	json_array_foreach(json_object_get(o, "aliases"), i, v) {
		const char *a = get_str(v, "abbrev"), *f = get_str(v, "full");
		if (!a || !f)
			return SOL_ERR_PARSE;
		st = sol_record_add_alias(r, a, f);
		if (st != SOL_OK)
			return st;
	}
	return st;
}

sol_status sol_record_from_json(const char *line, size_t len, sol_record *r, sol_err *err)
{
	json_error_t jerr;
	json_t *o, *v;
	sol_status st = SOL_OK;

	sol_record_init(r);
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		return sol_err_set(err, SOL_ERR_PARSE, "invalid JSON at column %d: %s",
				   jerr.column, jerr.text);
	if (!json_is_object(o)) {
		st = sol_err_set(err, SOL_ERR_PARSE, "record is not a JSON object");
		goto out;
	}
	v = json_object_get(o, "version");
	if (!json_is_integer(v)) {
		st = sol_err_set(err, SOL_ERR_PARSE, "record has no integer \"version\"");
		goto out;
	}
	if (json_integer_value(v) > SOL_RECORD_VERSION) {
		st = sol_err_set(err, SOL_ERR_VERSION, "record version %lld is newer than this Solent reads (%d)",
				 (long long)json_integer_value(v), SOL_RECORD_VERSION);
		goto out;
	}
	for (size_t i = 0; i < N_STR_FIELDS; i++) {
		st = take_str(o, str_fields[i].name, str_field(r, i));
		if (st != SOL_OK) {
			sol_err_set(err, st, "field \"%s\" is not a string", str_fields[i].name);
			goto out;
		}
	}
	if (!r->source) {
		st = sol_err_set(err, SOL_ERR_PARSE, "record has no \"source\"");
		goto out;
	}
	v = json_object_get(o, "text");
	if (json_is_string(v)) {
		r->text_len = json_string_length(v);
		r->text = malloc(r->text_len + 1);
		if (!r->text) {
			st = sol_err_set(err, SOL_ERR_NOMEM, "out of memory");
			goto out;
		}
		memcpy(r->text, json_string_value(v), r->text_len + 1);
	} else if (!r->error) {
		st = sol_err_set(err, SOL_ERR_PARSE, "%s: record has no \"text\"", r->source);
		goto out;
	}
	r->size = get_size(o, "size");
	r->mentions_omitted = get_size(o, "mentions_omitted");
	st = read_arrays(o, r);
	if (st != SOL_OK) {
		sol_err_set(err, st, "%s: malformed entities, dates or aliases", r->source);
		goto out;
	}
	if (r->text && (!r->id || !r->text_sha256))
		sol_record_hash_text(r);
out:
	json_decref(o);
	if (st != SOL_OK)
		sol_record_release(r);
	return st;
}
