/*
 * commands.c - the researcher's commands over an index: search, show,
 * similar, stats, batches, kwic, entities. One function a command, in the
 * table below (as git's builtins); srch_main runs a command line, for
 * solent-search (main.c) and in-process for the front (front/solent.c).
 */
#include "search.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
"usage: solent search --db DIR [options] QUERY\n"
"       solent show --db DIR [--page N] ID|SOURCE\n"
"       solent similar --db DIR [--limit N] ID|SOURCE\n"
"       solent stats --db DIR\n"
"       solent batches --db DIR\n"
"       solent kwic --db DIR [--limit DOCS] QUERY\n"
"       solent entities --db DIR --type org|person|place|act|role [--limit N]\n"
"\n"
"QUERY language (Xapian's QueryParser; English stemming; words are ANDed):\n"
"  council housing       both words (stemmed: 'councils' matches 'council')\n"
"  \"children's services\" a phrase\n"
"  school NEAR transport words within 10 of each other\n"
"  potho*                a wildcard (trailing; not inside a phrase or NEAR)\n"
"  a OR b, a AND NOT b, +must -mustnot, (grouping)\n"
"  title:WORD            in the title\n"
"  org:\"Isle of Wight Council\"  person:humby  place:ryde  act:\"Children Act\"  role:director\n"
"  site:HOST  type:html|text|pdf|docx|odt  id:ID  source:PATH\n"
"  date:2013  date:2013-06  date:2013-06-01..2013-07-31  date:2012..\n"
"                        the document's own date\n"
"  mentions:2013-07      documents that mention a date in that period\n"
"\n"
"Each hit shows its rank, title, date and source (for a PDF, the page) and a\n"
"snippet: the earliest passage that holds every word asked for (else the most\n"
"of them), the words highlighted; the text's opening when it holds none.\n"
"\n"
"Options:\n"
"  --db DIR              the index (default: $SOLENT_DB)\n"
"  -n, --limit N         hits to show (default 10)\n"
"  --offset N            skip the first N hits\n"
"  --sort relevance|date|-date\n"
"  --count               print only the number of matching documents\n"
"  --facet org|person|place|act|role|year   counts over all matches (repeatable)\n"
"  --json                JSON Lines, one hit a line\n"
"  --csv                 CSV with a header row (RFC 4180)\n"
"  --color=auto|always|never   highlight matches (auto: on a terminal; NO_COLOR is honoured)\n"
"  --allow-partial       with a stub of shards: search those that answer, warn of the rest\n"
"  --page N              (show) print only page N of a PDF's text\n"
"  -h, --help            this text\n"
"\n"
"Exit status: 0 hits found; 1 no hits; 2 usage error or malformed query;\n"
"3 the index could not be read.\n";

static int parse_color(const char *v)
{
	if (!v || !strcmp(v, "auto"))
		return isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	if (!strcmp(v, "always"))
		return 1;
	if (!strcmp(v, "never"))
		return 0;
	return -1;
}

static int parse_opts(int argc, char **argv, srch_opts *o)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "limit", required_argument, NULL, 'n' },
		{ "offset", required_argument, NULL, 'o' },
		{ "sort", required_argument, NULL, 's' },
		{ "count", no_argument, NULL, 'c' },
		{ "facet", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'C' },
		{ "color", optional_argument, NULL, 'k' },
		{ "colour", optional_argument, NULL, 'k' },
		{ "type", required_argument, NULL, 't' },
		{ "allow-partial", no_argument, NULL, 'P' },
		{ "page", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	o->db = getenv("SOLENT_DB");
	o->limit = 10;
	o->color = parse_color("auto");
	while ((c = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'n': o->limit = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'o': o->offset = (unsigned)strtoul(optarg, NULL, 10); break;
		case 's':
			if (!strcmp(optarg, "relevance"))
				o->sort = IDX_SORT_RELEVANCE;
			else if (!strcmp(optarg, "date"))
				o->sort = IDX_SORT_DATE_ASC;
			else if (!strcmp(optarg, "-date"))
				o->sort = IDX_SORT_DATE_DESC;
			else {
				fprintf(stderr, "solent search: --sort takes relevance, date or -date\n");
				return -1;
			}
			break;
		case 'c': o->count_only = 1; break;
		case 'f':
			if (o->n_facets == sizeof o->facets / sizeof o->facets[0])
				return -1;
			o->facets[o->n_facets++] = optarg;
			break;
		case 'j': o->format = SRCH_JSON; break;
		case 'C': o->format = SRCH_CSV; break;
		case 'k':
			o->color = parse_color(optarg);
			if (o->color < 0) {
				fprintf(stderr, "solent search: --color takes auto, always or never\n");
				return -1;
			}
			break;
		case 't': o->type = optarg; break;
		case 'P': o->allow_partial = 1; break;
		case 'p': {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);
			if (*end || n == 0 || n > 1000000) {
				fprintf(stderr, "solent show: --page takes a page number from 1\n");
				return -1;
			}
			o->page = (unsigned)n;
			break;
		}
		case 'h': fputs(usage_text, stdout); exit(0);
		default: return -1;
		}
	}
	if (!o->db) {
		fputs("solent search: no index given (--db DIR or $SOLENT_DB)\n", stderr);
		return -1;
	}
	return 0;
}

int srch_open_db(const srch_opts *o, idx_db **db)
{
	sol_err err;
	if (o->allow_partial) {
		char *warnings = NULL;
		sol_status st = idx_open_partial(o->db, db, &warnings, &err);
		if (warnings)
			fprintf(stderr, "solent: warning: %s", warnings);
		free(warnings);
		if (st == SOL_OK)
			return 0;
		fprintf(stderr, "solent: %s\n", err.msg);
		return SRCH_EXIT_DB;
	}
	if (idx_open(o->db, IDX_READ, db, &err) != SOL_OK) {
		fprintf(stderr, "solent: %s\n", err.msg);
		return SRCH_EXIT_DB;
	}
	return 0;
}

static void print_facets(const idx_results *res, const srch_opts *o)
{
	for (size_t i = 0; i < res->n_facets; i++) {
		const idx_facet *f = &res->facets[i];
		if (o->format == SRCH_JSON) {
			json_t *vals = json_array();
			for (size_t k = 0; k < f->n_values; k++)
				json_array_append_new(vals, json_pack("{s:s, s:I}", "value",
					f->values[k].value, "count", (json_int_t)f->values[k].count));
			json_t *j = json_pack("{s:s, s:o}", "facet", f->name, "values", vals);
			char *s = json_dumps(j, JSON_COMPACT);
			printf("%s\n", s);
			free(s);
			json_decref(j);
			continue;
		}
		printf("%s:\n", f->name);
		for (size_t k = 0; k < f->n_values; k++)
			printf("  %6lu  %s\n", f->values[k].count, f->values[k].value);
	}
	if (res->n_facets && o->format == SRCH_TEXT)
		printf("\n");
}

static int cmd_search(int argc, char **argv, const srch_opts *o)
{
	idx_db *db = NULL;
	idx_results *res = NULL;
	sol_buf qtext;
	sol_err err;
	idx_query q;
	int rc;

	if (argc < 1) {
		fputs("solent search: no query given\n", stderr);
		return SRCH_EXIT_USAGE;
	}
	srch_join_args(argc, argv, &qtext);
	if ((rc = srch_open_db(o, &db)) != 0)
		goto out;
	memset(&q, 0, sizeof q);
	q.text = qtext.data;
	q.offset = o->offset;
	q.limit = o->count_only ? 0 : o->limit;
	q.exact_count = o->count_only;
	q.want_record = o->format == SRCH_JSON; /* sources and entities */
	q.sort = o->sort;
	q.facets = o->facets;
	q.n_facets = o->n_facets;
	if (idx_search(db, &q, &res, &err) != SOL_OK) {
		fprintf(stderr, "solent search: %s: %s\n", err.status == SOL_ERR_PARSE ?
			"malformed query" : "error", err.msg);
		rc = err.status == SOL_ERR_PARSE || err.status == SOL_ERR_USAGE
			? SRCH_EXIT_USAGE : SRCH_EXIT_DB;
		goto out;
	}
	if (o->count_only) {
		printf("%llu\n", res->matches_estimated);
		rc = res->matches_estimated ? SRCH_EXIT_OK : SRCH_EXIT_NOHITS;
		goto out;
	}
	if (res->corrected && *res->corrected && o->format == SRCH_TEXT)
		printf("Did you mean: %s\n\n", res->corrected);
	else if (res->corrected && *res->corrected)
		fprintf(stderr, "solent search: did you mean: %s\n", res->corrected);
	print_facets(res, o);
	if (o->format == SRCH_CSV)
		fputs("rank,score,id,date,title,source,snippet\r\n", stdout);
	if (res->n_hits == 0) {
		if (o->format == SRCH_TEXT)
			printf("No documents match '%s'.\n", qtext.data);
		rc = SRCH_EXIT_NOHITS;
		goto out;
	}
	if (o->format == SRCH_TEXT)
		printf("%llu matching document%s; showing %u-%u\n\n", res->matches_estimated,
		       res->matches_estimated == 1 ? "" : "s", o->offset + 1,
		       o->offset + (unsigned)res->n_hits);
	for (size_t i = 0; i < res->n_hits; i++)
		srch_print_hit(stdout, &res->hits[i], o);
	rc = SRCH_EXIT_OK;
out:
	idx_results_free(res);
	idx_free(db);
	sol_buf_release(&qtext);
	return rc;
}

static void show_list(json_t *rec, const char *key, const char *a, const char *b)
{
	size_t i;
	json_t *e;
	if (json_array_size(json_object_get(rec, key)) == 0)
		return;
	printf("\n%s:\n", key);
	json_array_foreach(json_object_get(rec, key), i, e) {
		const char *type = json_string_value(json_object_get(e, "type"));
		printf("  %-12s %-40s %s\n", type ? type : "date",
		       json_string_value(json_object_get(e, a)),
		       json_string_value(json_object_get(e, b)));
	}
}

/* show --page N: the text after the (N-1)th form feed, up to the next
 * (ingest keeps a PDF's pages apart so; other documents are one page). */
static int show_page(const char *js, const char *what, unsigned page)
{
	json_t *rec = json_loads(js, 0, NULL);
	const char *text = json_string_value(json_object_get(rec, "text"));
	const char *p = text ? text : "";
	unsigned n = 1;
	int rc = SRCH_EXIT_OK;

	for (; n < page && (p = strchr(p, '\f')); n++)
		p++;
	if (!p) {
		unsigned pages = 1;
		for (const char *q = text ? text : ""; (q = strchr(q, '\f')); q++)
			pages++;
		fprintf(stderr, "solent show: %s has %u page%s, no page %u\n", what, pages,
			pages == 1 ? "" : "s", page);
		rc = SRCH_EXIT_USAGE;
	} else {
		printf("%.*s\n", (int)strcspn(p, "\f"), p);
	}
	json_decref(rec);
	return rc;
}

static int cmd_show(int argc, char **argv, const srch_opts *o)
{
	idx_db *db = NULL;
	char *js = NULL;
	sol_err err;
	int rc;

	if (argc != 1) {
		fputs("solent show: give one document id or source\n", stderr);
		return SRCH_EXIT_USAGE;
	}
	if ((rc = srch_open_db(o, &db)) != 0)
		return rc;
	if (idx_get_record(db, argv[0], &js, &err) != SOL_OK) {
		fprintf(stderr, "solent show: %s\n", err.msg);
		rc = err.status == SOL_ERR_NOTFOUND ? SRCH_EXIT_NOHITS : SRCH_EXIT_DB;
		goto out;
	}
	if (o->page) {
		rc = show_page(js, argv[0], o->page);
		goto out;
	}
	if (o->format == SRCH_JSON) {
		printf("%s\n", js);
		goto out;
	}
	json_t *rec = json_loads(js, 0, NULL);
	printf("id:      %s\ntitle:   %s\ndate:    %s\n",
	       json_string_value(json_object_get(rec, "id")),
	       json_string_value(json_object_get(rec, "title")) ?: "(untitled)",
	       json_string_value(json_object_get(rec, "date")) ?: "undated");
	if (json_string_value(json_object_get(rec, "author")))
		printf("author:  %s\n", json_string_value(json_object_get(rec, "author")));
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(rec, "sources"), i, s) {
		printf("source:  %s\n", json_string_value(json_object_get(s, "source")));
		printf("         sha256 %s, %lld bytes, %s, charset %s\n",
		       json_string_value(json_object_get(s, "sha256")) ?: "?",
		       (long long)json_integer_value(json_object_get(s, "size")),
		       json_string_value(json_object_get(s, "content_type")) ?: "?",
		       json_string_value(json_object_get(s, "charset")) ?: "?");
		printf("         ingested %s, batch %s%s%s\n",
		       json_string_value(json_object_get(s, "ingested_at")) ?: "?",
		       json_string_value(json_object_get(s, "batch")) ?: "-",
		       json_object_get(s, "fetched_at") ? ", fetched " : "",
		       json_string_value(json_object_get(s, "fetched_at")) ?: "");
	}
	printf("\n%s\n", json_string_value(json_object_get(rec, "text")) ?: "");
	show_list(rec, "entities", "text", "norm");
	show_list(rec, "dates", "text", "iso");
	if (json_integer_value(json_object_get(rec, "mentions_omitted")) > 0)
		printf("\n(and %lld more mentions of the entities and dates above, not listed: "
		       "see mentions_omitted in docs/record.md)\n",
		       (long long)json_integer_value(json_object_get(rec, "mentions_omitted")));
	json_decref(rec);
out:
	free(js);
	idx_free(db);
	return rc;
}

static int cmd_similar(int argc, char **argv, const srch_opts *o)
{
	idx_db *db = NULL;
	idx_results *res = NULL;
	sol_err err;
	int rc;

	if (argc != 1) {
		fputs("solent similar: give one document id or source\n", stderr);
		return SRCH_EXIT_USAGE;
	}
	if ((rc = srch_open_db(o, &db)) != 0)
		return rc;
	if (idx_similar(db, argv[0], o->limit, &res, &err) != SOL_OK) {
		fprintf(stderr, "solent similar: %s\n", err.msg);
		rc = err.status == SOL_ERR_NOTFOUND ? SRCH_EXIT_NOHITS : SRCH_EXIT_DB;
		goto out;
	}
	for (size_t i = 0; i < res->n_hits; i++)
		srch_print_hit(stdout, &res->hits[i], o);
	rc = res->n_hits ? SRCH_EXIT_OK : SRCH_EXIT_NOHITS;
out:
	idx_results_free(res);
	idx_free(db);
	return rc;
}

static int cmd_stats(int argc, char **argv, const srch_opts *o)
{
	idx_db *db = NULL;
	int rc;
	char **batches;
	size_t nb = 0;

	if ((rc = srch_open_db(o, &db)) != 0)
		return rc;
	batches = idx_metadata_keys(db, "batch:");
	for (char **p = batches; p && *p; p++)
		nb++;
	int current, schema = idx_schema_version(db, &current);
	printf("index:     %s\ndocuments: %lu\nbatches:   %zu\nschema:    %d%s\n", o->db,
	       idx_doc_count(db), nb, schema,
	       schema < current ? " (written by an older Solent: 'solent upgrade' makes its "
				  "searches faster)" : "");
	idx_strv_free(batches);
	idx_free(db);
	return 0;
}

static int cmd_batches(int argc, char **argv, const srch_opts *o)
{
	idx_db *db = NULL;
	int rc;
	char **keys;

	if ((rc = srch_open_db(o, &db)) != 0)
		return rc;
	keys = idx_metadata_keys(db, "batch:");
	for (char **p = keys; p && *p; p++) {
		char *v = idx_get_metadata(db, *p);
		json_t *b = v ? json_loads(v, 0, NULL) : NULL;
		if (o->format == SRCH_JSON) {
			printf("%s\n", v ? v : "{}");
		} else if (b) {
			json_t *c = json_object_get(b, "counts");
			printf("%s  %s  %-8s added %lld, updated %lld, unchanged %lld, duplicates %lld, failed %lld\n",
			       json_string_value(json_object_get(b, "batch")),
			       json_string_value(json_object_get(b, "started")),
			       json_string_value(json_object_get(b, "status")),
			       (long long)json_integer_value(json_object_get(c, "added")),
			       (long long)json_integer_value(json_object_get(c, "updated")),
			       (long long)json_integer_value(json_object_get(c, "unchanged")),
			       (long long)json_integer_value(json_object_get(c, "duplicates")),
			       (long long)json_integer_value(json_object_get(c, "failed")));
			size_t i;
			json_t *in;
			json_array_foreach(json_object_get(b, "inputs"), i, in)
				printf("    input: %s\n", json_string_value(in));
		}
		json_decref(b);
		free(v);
	}
	idx_strv_free(keys);
	idx_free(db);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv, const srch_opts *o);
} commands[] = {
	{ "search", cmd_search },
	{ "show", cmd_show },
	{ "similar", cmd_similar },
	{ "stats", cmd_stats },
	{ "batches", cmd_batches },
	{ "kwic", srch_cmd_kwic },
	{ "entities", srch_cmd_entities },
};

int srch_main(int argc, char **argv)
{
	const char *cmd = "search";
	srch_opts o;

	/* solent-search [COMMAND] [options] ARGS; the command defaults to search */
	for (size_t i = 0; argc > 1 && i < sizeof commands / sizeof commands[0]; i++) {
		if (!strcmp(argv[1], commands[i].name)) {
			cmd = argv[1];
			argv++;
			argc--;
			break;
		}
	}
	if (parse_opts(argc, argv, &o) != 0) {
		fputs("Try 'solent search --help'.\n", stderr);
		return SRCH_EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].fn(argc - optind, argv + optind, &o);
	return SRCH_EXIT_USAGE;
}
