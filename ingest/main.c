/*
 * solent-ingest - turn local files and folders, URLs and WARC files into
 * JSON Lines records.
 *
 * URLs (http:// and https://) are queued as they are met and fetched
 * together after the local inputs, by the fetch stage (fetch/fetch.h), so
 * that politeness and concurrency work across the whole batch. A .warc or
 * .warc.gz file yields one record per HTTP 2xx response in it, its source
 * the response's WARC-Target-URI: an index can be rebuilt from the
 * evidence without the network.
 *
 * Each document becomes one line on stdout. An input that cannot be read
 * or cleaned is reported on stderr (naming it and the reason) AND written
 * as a failure record ({"version":1,"source":...,"error":...}) so that the
 * index stage can put it in the batch report; the run carries on and exits
 * 1 at the end.
 */
#include "ingest.h"
#ifdef SOLENT_HAVE_FETCH
#include "emit.h"
#include "fetch.h"
#endif

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
"usage: solent-ingest [options] PATH...\n"
"       solent ingest [options] PATH...\n"
"\n"
"Read HTML and plain-text documents from files and folders (recursively),\n"
"http(s):// URLs and WARC files (.warc.gz), and write one JSON record per\n"
"document to standard output (JSON Lines; the format is described in\n"
"docs/record.md). URLs are fetched after the local inputs, politely\n"
"(docs/fetch.md).\n"
"\n"
"Options:\n"
"  --from FILE        read further paths from FILE, one a line ('-' = stdin)\n"
"  --rules DIR        extraction rules from DIR instead of the built-in set\n"
"  --max-size BYTES   refuse documents larger than this (default 64 MiB)\n"
"  --doc-timeout SECONDS  give up on a document whose cleaning or whose\n"
"                     extraction takes longer, name it as failed and carry\n"
"                     on (default 120; 0 = no limit)\n"
"  --no-error-records report failures on stderr only, not as records\n"
"\n"
"For URLs (see solent fetch --help for the full set):\n"
"  --delay SECONDS    pause between requests to one host (default 1)\n"
"  --timeout SECONDS  give up on a request after this long (default 30)\n"
"  --retries N        retry timeouts, 429 and 5xx up to N times (default 3)\n"
"  --user-agent TEXT  the User-Agent to send\n"
"  --ignore-robots    do not read robots.txt (only for a site you run)\n"
"  --state FILE       ETag/Last-Modified store for conditional re-fetch\n"
"  --warc FILE        append every request and response as WARC records\n"
"  -q, --quiet        no per-file messages for failures (still counted)\n"
"  -h, --help         this text\n"
"  --version          print the version\n"
"\n"
"Exit status: 0 all inputs ingested; 1 some inputs failed (each named on\n"
"stderr); 2 usage error; 3 the rules could not be loaded.\n";

struct run {
	ing_ctx *ctx;
	ing_options opts;       /* to build a fresh context after a timeout */
	double doc_timeout;     /* seconds a document may take; 0 = no limit */
	size_t max_size;
	int error_records;
	int quiet;
	unsigned long ok, failed;
	sol_buf line;
	/* read, not yet written out: [0, n_cleaned) cleaned (ING_BATCH_DOCS
	 * at a time), waiting to be extracted together */
	ing_batch_doc batch[ING_EXTRACT_DOCS];
	size_t n_batch, n_cleaned;
	size_t batch_bytes;     /* raw bytes read since n_cleaned */
	size_t text_bytes;      /* cleaned text waiting for extraction */
#ifdef SOLENT_HAVE_FETCH
	fch_options fopts;
	fch_fetcher *fetcher;   /* created at the first URL */
	fch_emitter em;         /* records for fetched pages and WARC responses */
#endif
};

/* Directories on the current walk, to refuse symlink loops. */
struct dirstack {
	dev_t dev;
	ino_t ino;
	struct dirstack *up;
};

static void flush_batch(struct run *run);

static void report_failure(struct run *run, const char *source, const char *reason)
{
	sol_record r;
	sol_err err;

	run->failed++;
	if (!run->quiet)
		fprintf(stderr, "solent-ingest: %s\n", reason);
	if (!run->error_records)
		return;
	sol_record_init(&r);
	r.source = (char *)source;
	r.error = (char *)reason;
	sol_buf_reset(&run->line);
	if (sol_record_to_json(&r, &run->line, &err) == SOL_OK) {
		fwrite(run->line.data, 1, run->line.len, stdout);
		fputc('\n', stdout);
	}
}

/* A failure, after the documents before it: output keeps input order. */
static void emit_failure(struct run *run, const char *source, const char *reason)
{
	flush_batch(run);
	report_failure(run, source, reason);
}

/* Prefix a message with the source unless it already starts with it. */
static const char *with_source(const char *source, const char *msg, char *buf, size_t n)
{
	if (!strncmp(msg, source, strlen(source)))
		return msg;
	snprintf(buf, n, "%s: %s", source, msg);
	return buf;
}

#ifdef SOLENT_HAVE_FETCH
static void warc_skip(void *arg, const char *target, const char *why)
{
	struct run *run = arg;
	if (!run->quiet)
		fprintf(stderr, "solent-ingest: %s: skipped: %s\n", target, why);
}

static void ingest_warc(struct run *run, const char *path)
{
	sol_err err;
	unsigned long n = 0;

	sol_err_clear(&err);
	run->em.ctx = run->ctx; /* a timeout may have replaced it */
	run->em.quiet = run->quiet;
	run->em.error_records = run->error_records;
	/* A damaged WARC still yields the records before the damage; the
	 * damage itself is one failure of the batch, naming file and offset. */
	if (fch_warc_read_docs(path, run->max_size, fch_emit_warc_doc, warc_skip, &run->em, &n,
			       &err) != SOL_OK)
		fch_emit_failure(&run->em, path, err.msg);
}

static void queue_url(struct run *run, const char *url)
{
	sol_err err;

	flush_batch(run); /* a URL that cannot be queued fails in its place */
	run->em.quiet = run->quiet;
	run->em.error_records = run->error_records;
	if (!run->fetcher) {
		run->fopts.max_size = run->max_size;
		run->fetcher = fch_new(&run->fopts, &err);
		if (!run->fetcher) {
			fch_emit_failure(&run->em, url, err.msg);
			return;
		}
	}
	if (fch_add(run->fetcher, url, &err) != SOL_OK)
		fch_emit_failure(&run->em, url, err.msg);
}
#endif

static void emit_record(struct run *run, const char *path, sol_record *rec)
{
	sol_err err;
	char msg[1200];

	sol_buf_reset(&run->line);
	if (sol_record_to_json(rec, &run->line, &err) != SOL_OK) {
		report_failure(run, path, with_source(path, err.msg, msg, sizeof msg));
	} else {
		fwrite(run->line.data, 1, run->line.len, stdout);
		fputc('\n', stdout);
		run->ok++;
	}
}

/* Clean the documents read since the last call (each one's raw bytes go
 * as it is cleaned). */
static sol_status clean_read(struct run *run)
{
	size_t from = run->n_cleaned;
	sol_status st;

	if (from == run->n_batch)
		return SOL_OK;
	st = ing_clean_batch(&run->ctx, &run->opts, run->batch + from, run->n_batch - from,
			     run->doc_timeout);
	for (size_t i = from; i < run->n_batch; i++)
		if (run->batch[i].st == SOL_OK)
			run->text_bytes += run->batch[i].rec.text_len;
	run->n_cleaned = run->n_batch;
	run->batch_bytes = 0;
	return st;
}

/* Process the documents read so far and write them out, in input order. */
static void flush_batch(struct run *run)
{
	char msg[1200];
	sol_status st, st2;

	if (!run->n_batch)
		return;
	st = clean_read(run);
	/* without a context (st) the cleaned records fail here too */
	st2 = ing_extract_batch(&run->ctx, &run->opts, run->batch, run->n_batch, run->doc_timeout);
	if (st == SOL_OK)
		st = st2;
	for (size_t i = 0; i < run->n_batch; i++) {
		ing_batch_doc *d = &run->batch[i];
		const char *path = d->in.source;
		if (d->st == SOL_OK)
			emit_record(run, path, &d->rec);
		else
			report_failure(run, path, with_source(path, d->err.msg, msg, sizeof msg));
		sol_record_release(&d->rec);
		free((void *)d->in.source);
	}
	run->n_batch = run->n_cleaned = 0;
	run->batch_bytes = run->text_bytes = 0;
	/* Flush per batch so a downstream indexer sees progress; a crash
	 * loses at most the batch in hand, which a re-run finishes. */
	fflush(stdout);
	if (st != SOL_OK) {
		fprintf(stderr, "solent-ingest: cannot continue: out of memory for a fresh context\n");
		exit(3);
	}
}

static void ingest_file(struct run *run, const char *path)
{
	sol_buf raw;
	sol_err err;
	char msg[1200];
	ing_batch_doc *d;

	sol_err_clear(&err);
#ifdef SOLENT_HAVE_FETCH
	if (fch_is_warc_name(path)) {
		flush_batch(run);
		ingest_warc(run, path);
		return;
	}
#endif
	if (sol_read_file(path, run->max_size, &raw, &err) != SOL_OK) {
		emit_failure(run, path, with_source(path, err.msg, msg, sizeof msg));
		return;
	}
	d = &run->batch[run->n_batch];
	memset(d, 0, sizeof *d);
	d->in.source = strdup(path);
	if (!d->in.source) {
		sol_buf_release(&raw);
		emit_failure(run, path, "out of memory");
		return;
	}
	d->in.len = raw.len;
	d->in.bytes = (const unsigned char *)sol_buf_detach(&raw, NULL); /* handed over */
	run->n_batch++;
	run->batch_bytes += d->in.len;
	if (run->n_batch - run->n_cleaned < ING_BATCH_DOCS && run->batch_bytes < ING_BATCH_BYTES)
		return;
	/* a batch read: clean it; extract once there is no room for another */
	if (clean_read(run) != SOL_OK || run->n_batch + ING_BATCH_DOCS > ING_EXTRACT_DOCS ||
	    run->text_bytes >= ING_EXTRACT_BYTES)
		flush_batch(run);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void ingest_path(struct run *run, const char *path, struct dirstack *up);

static void ingest_dir(struct run *run, const char *path, const struct stat *sb,
		       struct dirstack *up)
{
	char msg[1200];
	struct dirstack here = { sb->st_dev, sb->st_ino, up };
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	for (struct dirstack *s = up; s; s = s->up) {
		if (s->dev == sb->st_dev && s->ino == sb->st_ino) {
			snprintf(msg, sizeof msg, "%s: directory loop (symbolic link back to an ancestor); skipped", path);
			emit_failure(run, path, msg);
			return;
		}
	}
	d = opendir(path);
	if (!d) {
		snprintf(msg, sizeof msg, "%s: %s", path, strerror(errno));
		emit_failure(run, path, msg);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue; /* hidden files and . / .. */
		if (n == cap) {
			char **p = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
			if (!p)
				break;
			names = p;
		}
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	/* Sorted, so a batch is processed in the same order every run. */
	if (n > 1) /* an empty folder leaves names NULL: qsort(NULL, 0) is undefined */
		qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		sol_buf child;
		sol_buf_init(&child, 0);
		if (names[i] && sol_buf_addf(&child, "%s%s%s", path,
					     path[strlen(path) - 1] == '/' ? "" : "/", names[i]) == SOL_OK)
			ingest_path(run, child.data, &here);
		sol_buf_release(&child);
		free(names[i]);
	}
	free(names);
}

static void ingest_path(struct run *run, const char *path, struct dirstack *up)
{
	struct stat sb;
	char msg[1200];

#ifdef SOLENT_HAVE_FETCH
	if (fch_is_url(path)) {
		queue_url(run, path);
		return;
	}
#endif
	if (stat(path, &sb) != 0) {
		snprintf(msg, sizeof msg, "%s: %s", path, strerror(errno));
		emit_failure(run, path, msg);
		return;
	}
	if (S_ISDIR(sb.st_mode))
		ingest_dir(run, path, &sb, up);
	else if (S_ISREG(sb.st_mode))
		ingest_file(run, path);
	else {
		snprintf(msg, sizeof msg, "%s: not a regular file or directory", path);
		emit_failure(run, path, msg);
	}
}

static int ingest_list(struct run *run, const char *list)
{
	FILE *f = strcmp(list, "-") ? fopen(list, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f) {
		fprintf(stderr, "solent-ingest: %s: %s\n", list, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		ingest_path(run, line, NULL);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "rules", required_argument, NULL, 'r' },
		{ "max-size", required_argument, NULL, 'm' },
		{ "doc-timeout", required_argument, NULL, 'O' },
		{ "no-error-records", no_argument, NULL, 'E' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "delay", required_argument, NULL, 'D' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "retries", required_argument, NULL, 'R' },
		{ "user-agent", required_argument, NULL, 'U' },
		{ "ignore-robots", no_argument, NULL, 'I' },
		{ "state", required_argument, NULL, 'S' },
		{ "warc", required_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct run run;
	ing_options opts = { NULL };
	const char *from = NULL;
	sol_err err;
	int c;

	/* A fixed threshold: every large buffer (a page, its text, its tree's
	 * biggest pieces) gets its own mapping and goes back to the system
	 * when freed. glibc's default raises the threshold to the largest
	 * buffer freed so far, after which a batch's big pages are carved
	 * from the heap, fragment it, and the process keeps their memory:
	 * peak memory then grew with the batch instead of with its largest
	 * page (a 1000-page folder: 45 MB against 42). */
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	memset(&run, 0, sizeof run);
	run.max_size = ING_DEFAULT_MAX_BYTES;
	run.doc_timeout = 120; /* seconds: hours of work on one file is a hang */
	run.error_records = 1;
	sol_buf_init(&run.line, 0);
#ifdef SOLENT_HAVE_FETCH
	fch_options_init(&run.fopts);
#endif
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 'r': opts.rules_dir = optarg; break;
		case 'm': run.max_size = strtoull(optarg, NULL, 10); break;
		case 'O': run.doc_timeout = strtod(optarg, NULL); break;
		case 'E': run.error_records = 0; break;
		case 'q': run.quiet = 1; break;
#ifdef SOLENT_HAVE_FETCH
		case 'D': case 'T': {
			char *end;
			double secs = strtod(optarg, &end);
			if (end == optarg || *end || !(secs >= 0 && secs < 86400 * 7) || (c == 'T' && secs == 0)) {
				fprintf(stderr, "solent-ingest: --%s: invalid value '%s'\n",
					c == 'D' ? "delay" : "timeout", optarg);
				return 2;
			}
			if (c == 'D')
				run.fopts.delay_ms = (long)(secs * 1000 + 0.5);
			else
				run.fopts.timeout_ms = (long)(secs * 1000 + 0.5);
			break;
		}
		case 'R': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (end == optarg || *end || n < 0 || n > 100) {
				fprintf(stderr, "solent-ingest: --retries: invalid value '%s'\n", optarg);
				return 2;
			}
			run.fopts.retries = (int)n;
			break;
		}
		case 'U': run.fopts.user_agent = optarg; break;
		case 'I': run.fopts.ignore_robots = 1; break;
		case 'S': run.fopts.state_path = optarg; break;
		case 'W': run.fopts.warc_path = optarg; break;
#endif
		case 'h': fputs(usage_text, stdout); return 0;
		case 'V': printf("solent-ingest %s\n", SOLENT_VERSION); return 0;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if (optind >= argc && !from) {
		fputs("solent-ingest: no input given\n\n", stderr);
		fputs(usage_text, stderr);
		return 2;
	}
	run.opts = opts;
	run.ctx = ing_ctx_new(&run.opts, &err);
	if (!run.ctx) {
		fprintf(stderr, "solent-ingest: %s\n", err.msg);
		return 3;
	}
#ifdef SOLENT_HAVE_FETCH
	fch_emitter_init(&run.em, run.ctx, "solent-ingest");
#endif
	if (from && ingest_list(&run, from) != 0)
		run.failed++;
	for (int i = optind; i < argc; i++)
		ingest_path(&run, argv[i], NULL);
	flush_batch(&run);
#ifdef SOLENT_HAVE_FETCH
	run.em.ctx = run.ctx; /* a timeout may have replaced it */
	if (run.fetcher && fch_run(run.fetcher, fch_emit_result, &run.em, &err) != SOL_OK) {
		fprintf(stderr, "solent-ingest: %s\n", err.msg);
		run.failed++;
	}
	fch_free(run.fetcher);
	run.ok += run.em.ok;
	run.failed += run.em.failed;
	fch_emitter_release(&run.em);
#endif
	ing_ctx_free(run.ctx);
	sol_buf_release(&run.line);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "solent-ingest: writing output: %s\n", strerror(errno));
		return 1;
	}
	return run.failed ? 1 : 0;
}
