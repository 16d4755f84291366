/*
 * explore.c - reading across the index: keyword-in-context lines for
 * seeing a word in use, and the most frequent entities.
 */
#include "search.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Display width of a UTF-8 string, counting characters (not bytes), so
 * that the keyword column lines up for names like Zoë. */
static int utf8_width(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int srch_cmd_kwic(int argc, char **argv, const srch_opts *o)
{
	idx_db *db = NULL;
	idx_kwic *k = NULL;
	sol_buf q;
	sol_err err;
	const unsigned width = 40;
	int rc;

	if (argc < 1) {
		fputs("solent kwic: no query given\n", stderr);
		return SRCH_EXIT_USAGE;
	}
	srch_join_args(argc, argv, &q);
	if ((rc = srch_open_db(o, &db)) != 0)
		goto out;
	if (idx_kwic_run(db, q.data, o->limit ? o->limit : 20, 1000, width, &k, &err) != SOL_OK) {
		fprintf(stderr, "solent kwic: %s\n", err.msg);
		rc = err.status == SOL_ERR_PARSE ? SRCH_EXIT_USAGE : SRCH_EXIT_DB;
		goto out;
	}
	for (size_t i = 0; i < k->n_lines; i++) {
		const idx_kwic_line *l = &k->lines[i];
		if (o->format == SRCH_JSON) {
			json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "source", l->source,
					      "left", l->left, "match", l->match, "right", l->right);
			char *s = json_dumps(j, JSON_COMPACT);
			printf("%s\n", s);
			free(s);
			json_decref(j);
			continue;
		}
		int pad = (int)width - utf8_width(l->left);
		printf("%*s%s %s%s%s %s  [%s]\n", pad > 0 ? pad : 0, "", l->left,
		       o->color ? "\033[1m" : "", l->match, o->color ? "\033[0m" : "", l->right,
		       l->source);
	}
	rc = k->n_lines ? SRCH_EXIT_OK : SRCH_EXIT_NOHITS;
	if (!k->n_lines && o->format == SRCH_TEXT)
		printf("No documents match '%s'.\n", q.data);
out:
	idx_kwic_free(k);
	idx_free(db);
	sol_buf_release(&q);
	return rc;
}

int srch_cmd_entities(int argc, char **argv, const srch_opts *o)
{
	idx_db *db = NULL;
	idx_facet *f = NULL;
	sol_err err;
	int rc;

	if (!o->type) {
		fputs("solent entities: give --type org|person|place|act|role\n", stderr);
		return SRCH_EXIT_USAGE;
	}
	if ((rc = srch_open_db(o, &db)) != 0)
		return rc;
	if (idx_top_entities(db, o->type, o->limit, &f, &err) != SOL_OK) {
		fprintf(stderr, "solent entities: %s\n", err.msg);
		rc = err.status == SOL_ERR_USAGE ? SRCH_EXIT_USAGE : SRCH_EXIT_DB;
		goto out;
	}
	for (size_t i = 0; i < f->n_values; i++) {
		if (o->format == SRCH_JSON) {
			json_t *j = json_pack("{s:s, s:I}", "value", f->values[i].value,
					      "documents", (json_int_t)f->values[i].count);
			char *s = json_dumps(j, JSON_COMPACT);
			printf("%s\n", s);
			free(s);
			json_decref(j);
		} else if (o->format == SRCH_CSV) {
			printf("%lu,", f->values[i].count);
			srch_csv_field(stdout, f->values[i].value);
			fputs("\r\n", stdout);
		} else
			printf("%6lu  %s\n", f->values[i].count, f->values[i].value);
	}
	rc = f->n_values ? SRCH_EXIT_OK : SRCH_EXIT_NOHITS;
out:
	idx_facet_free(f);
	idx_free(db);
	return rc;
}
