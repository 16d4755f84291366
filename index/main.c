/*
 * solent-index - add JSON Lines records (from solent-ingest) to an index,
 * or remove sources from it.
 *
 * The batch is committed in chunks (--chunk, default 500 documents), each
 * one Xapian transaction: a crash or kill loses at most the chunk in hand,
 * never corrupts the index, and running the same batch again finishes the
 * job (documents already there come back as "unchanged").
 */
#include "feed.h"
#include "index.h"
#include "report.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
"usage: solent-index --db DIR [options] [FILE...]\n"
"       solent-index --db DIR --remove SOURCE|ID...\n"
"       solent-index --db DIR --upgrade\n"
"\n"
"Add the JSON Lines records in FILE (or standard input) to the index in DIR,\n"
"creating it when needed. A record for a source already indexed with the\n"
"same content is 'unchanged'; with new content it replaces the old one\n"
"('updated'); content already indexed under another source is recorded as\n"
"one more source of that document ('duplicate'). Failure records from\n"
"solent-ingest, and records that do not parse, are 'failed'.\n"
"\n"
"Options:\n"
"  --db DIR           the index (default: $SOLENT_DB)\n"
"  --chunk N          commit every N documents (default 500)\n"
"  --report FILE      write the batch report as JSON to FILE\n"
"  --batch-id ID      name the batch (default: a UTC timestamp)\n"
"  --inputs N         number of inputs in the batch, for the progress bar\n"
"  --input NAME       record NAME as one of the batch's inputs (repeatable;\n"
"                     default: the FILE arguments); solent add passes its paths\n"
"  --progress         show progress on stderr even when it is not a terminal\n"
"  -q, --quiet        no progress and no summary, only errors\n"
"  --remove           treat the arguments as sources or ids to remove\n"
"  --upgrade          rewrite the documents an older Solent wrote (an index of\n"
"                     an older schema version) as this one writes them, in\n"
"                     place, from what they keep (record, text, sources,\n"
"                     batches); searches find the same, faster. Commits every\n"
"                     --chunk documents: after a crash, run it again\n"
"  --shard K/N        add only the documents of shard K of N (by content id;\n"
"                     the same split on every machine, see docs/scale.md)\n"
"  -h, --help         this text\n"
"\n"
"Exit status: 0 every document indexed; 1 some inputs failed (each named);\n"
"2 usage error; 3 the index could not be opened or written (locked by\n"
"another writer, disk full, ...): nothing after the last commit was kept.\n";

struct opts {
	const char *db;
	const char *report;
	const char *batch_id;
	unsigned chunk;
	unsigned long inputs;
	int progress, quiet, remove, upgrade;
	char **names;     /* --input values: pointers into argv */
	int n_names;
	unsigned shard_k, shard_n; /* --shard K/N: keep only shard K of N */
};

/* Documents passed over because they belong to another shard. */
static unsigned long other_shard;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "chunk", required_argument, NULL, 'c' },
		{ "report", required_argument, NULL, 'r' },
		{ "batch-id", required_argument, NULL, 'b' },
		{ "inputs", required_argument, NULL, 'n' },
		{ "input", required_argument, NULL, 'i' },
		{ "progress", no_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "remove", no_argument, NULL, 'R' },
		{ "upgrade", no_argument, NULL, 'U' },
		{ "shard", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;
	char *end;

	memset(o, 0, sizeof *o);
	/* Each commit syncs the disk and rewrites the blocks its documents
	 * touched, more of them the bigger the index: 100,000 bench documents
	 * took 139 s in chunks of 200, 108 s in chunks of 500 (with the feed
	 * 256 deep); a crash loses at most a chunk, which a re-run redoes. */
	o->chunk = 500;
	o->db = getenv("SOLENT_DB");
	/* at most one --input per argument, so argc bounds the array */
	o->names = calloc((size_t)argc + 1, sizeof *o->names);
	if (!o->names) {
		fputs("solent-index: out of memory\n", stderr);
		return -1;
	}
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'c':
			o->chunk = (unsigned)strtoul(optarg, &end, 10);
			if (end == optarg || *end || o->chunk == 0) {
				fprintf(stderr, "solent-index: --chunk %s: give a number of documents, 1 or more\n",
					optarg);
				return -1;
			}
			break;
		case 'i': o->names[o->n_names++] = optarg; break;
		case 'r': o->report = optarg; break;
		case 'b': o->batch_id = optarg; break;
		case 'n': o->inputs = strtoul(optarg, NULL, 10); break;
		case 'p': o->progress = 1; break;
		case 'q': o->quiet = 1; break;
		case 'R': o->remove = 1; break;
		case 'U': o->upgrade = 1; break;
		case 'S':
			if (sscanf(optarg, "%u/%u", &o->shard_k, &o->shard_n) != 2 ||
			    o->shard_n == 0 || o->shard_k >= o->shard_n) {
				fprintf(stderr, "solent-index: --shard %s: give K/N with 0 <= K < N\n", optarg);
				return -1;
			}
			break;
		case 'h': fputs(usage_text, stdout); exit(0);
		default: fputs(usage_text, stderr); return -1;
		}
	}
	if (!o->db) {
		fputs("solent-index: no index given (--db DIR or $SOLENT_DB)\n", stderr);
		return -1;
	}
	return 0;
}

static int remove_sources(idx_db *db, int argc, char **argv)
{
	sol_err err;
	int failed = 0;

	for (int i = 0; i < argc; i++) {
		if (idx_remove(db, argv[i], &err) != SOL_OK) {
			fprintf(stderr, "solent-index: %s\n", err.msg);
			failed = 1;
		} else {
			printf("removed %s\n", argv[i]);
		}
	}
	if (idx_commit(db, &err) != SOL_OK) {
		fprintf(stderr, "solent-index: %s\n", err.msg);
		return 3;
	}
	return failed;
}

static void upgrade_progress(unsigned long done, unsigned long total, void *arg)
{
	(void)arg;
	fprintf(stderr, "\rsolent: upgrading: %lu of %lu documents", done, total);
}

/* --upgrade: 0 done (or nothing to do), 1 some documents could not be
 * rebuilt (named; the rest were), 3 the index failed. */
static int upgrade(idx_db *db, const struct opts *o)
{
	sol_err err;
	unsigned long n = 0;
	int show = !o->quiet && (o->progress || isatty(STDERR_FILENO));
	sol_status st = idx_upgrade(db, o->chunk, show ? upgrade_progress : NULL, NULL, &n, &err);
	if (show)
		fputc('\n', stderr);
	if (st == SOL_ERR_INPUT) {
		fprintf(stderr, "solent-index: %s; %lu documents were rewritten\n", err.msg, n);
		return 1;
	}
	if (st != SOL_OK) {
		fprintf(stderr, "solent-index: %s; %lu documents were rewritten and kept: run "
			"--upgrade again to finish\n", err.msg, n);
		return 3;
	}
	if (o->quiet)
		return 0;
	if (n)
		printf("%s: %lu documents rewritten; the index is up to date\n", o->db, n);
	else
		printf("%s: already up to date\n", o->db);
	return 0;
}

/* Add one item of the feed; returns -1 on a database error, which stops
 * the batch (rep->error says why). */
static int add_item(idx_db *db, idx_feed_item *it, const char *name, idx_report *rep)
{
	idx_outcome outcome;
	sol_err err;

	if (!it->parsed) {
		char where[600];
		snprintf(where, sizeof where, "%s:%lu", name, it->lineno);
		idx_report_fail(rep, where, it->err.msg);
	} else if (it->rec.error) {
		idx_report_fail(rep, it->rec.source, it->rec.error);
	} else if (it->other_shard) {
		other_shard++;
	} else if (idx_add_prepared(db, &it->rec, it->prepared, rep->batch_id, &outcome, &err) != SOL_OK) {
		if (err.status != SOL_ERR_INPUT) {
			idx_report_stop(rep, err.msg);
			return -1;
		}
		idx_report_fail(rep, it->rec.source, err.msg);
	} else {
		idx_report_count(rep, outcome, it->rec.source);
	}
	return 0;
}

/* Add every record of one stream, parsed and prepared on a second thread
 * (feed.h) while this one adds; returns -1 on a database error, which
 * stops the batch (rep->error says why) without committing the chunk in
 * hand. */
static int add_stream(idx_db *db, FILE *in, const char *name, const struct opts *o,
		      idx_report *rep)
{
	idx_feed *feed;
	idx_feed_item *it;
	int rc = 0;
	sol_err err;

	if (idx_feed_start(in, rep->batch_id, o->shard_k, o->shard_n, &feed, &err) != SOL_OK) {
		idx_report_stop(rep, err.msg);
		return -1;
	}
	while (!interrupted && (it = idx_feed_next(feed))) {
		rc = add_item(db, it, name, rep);
		idx_feed_done(feed, it);
		if (rc < 0)
			break;
		if (rep->pending >= o->chunk && idx_report_commit(rep, db, &err) != SOL_OK) {
			idx_report_stop(rep, err.msg);
			rc = -1;
			break;
		}
		idx_report_progress(rep);
	}
	if (rc == 0 && !interrupted && idx_feed_error(feed)) {
		char why[600];
		snprintf(why, sizeof why, "%s: %s", name, idx_feed_error(feed));
		idx_report_stop(rep, why);
		rc = -1;
	}
	idx_feed_free(feed);
	return rc;
}

static int add_inputs(idx_db *db, int argc, char **argv, const struct opts *o,
		      idx_report *rep)
{
	sol_err err;
	int rc = 0;

	if (argc == 0) {
		if (add_stream(db, stdin, "<stdin>", o, rep) < 0)
			rc = 3;
	}
	for (int i = 0; rc == 0 && i < argc; i++) {
		FILE *f = strcmp(argv[i], "-") ? fopen(argv[i], "r") : stdin;
		if (!f) {
			char why[600];
			snprintf(why, sizeof why, "%s: %s", argv[i], strerror(errno));
			idx_report_fail(rep, argv[i], why);
			continue;
		}
		if (add_stream(db, f, argv[i], o, rep) < 0)
			rc = 3;
		if (f != stdin)
			fclose(f);
	}
	if (rc == 0 && interrupted) {
		fprintf(stderr, "solent-index: interrupted; committing what was added so far\n");
		rc = 1;
	}
	if (rc == 0 && !interrupted)
		rep->finished = 1;
	if (rc != 3 && idx_report_commit(rep, db, &err) != SOL_OK) {
		idx_report_stop(rep, err.msg);
		rc = 3;
	}
	if (rc == 0 && rep->failed)
		rc = 1;
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	idx_report rep;
	idx_db *db = NULL;
	sol_err err;
	int rc;

	if (parse_args(argc, argv, &o) != 0) {
		free(o.names);
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (o.remove || o.upgrade) {
		/* opening for writing would create an empty index there */
		if (o.upgrade && access(o.db, F_OK) != 0) {
			fprintf(stderr, "solent-index: %s: no index there (%s)\n", o.db, strerror(errno));
			rc = 3;
			goto out;
		}
		if (idx_open(o.db, IDX_WRITE, &db, &err) != SOL_OK) {
			fprintf(stderr, "solent-index: %s\n", err.msg);
			rc = 3;
			goto out;
		}
		if (o.upgrade)
			rc = upgrade(db, &o);
		else
			rc = remove_sources(db, argc - optind, argv + optind);
		goto out;
	}
	idx_report_init(&rep, o.batch_id, o.inputs,
			!o.quiet && (o.progress || isatty(STDERR_FILENO)));
	if (o.n_names)
		idx_report_inputs(&rep, o.n_names, o.names);
	else
		idx_report_inputs(&rep, argc - optind, argv + optind);
	/* A batch that cannot open its index (locked, unreadable) still
	 * writes its --report, so a script never reads a stale one. */
	if (idx_open(o.db, IDX_WRITE, &db, &err) != SOL_OK) {
		idx_report_stop(&rep, err.msg);
		rc = 3;
	} else {
		rc = add_inputs(db, argc - optind, argv + optind, &o, &rep);
	}
	if (other_shard && !o.quiet)
		fprintf(stderr, "solent: %lu documents belong to other shards (--shard %u/%u): not added here\n",
			other_shard, o.shard_k, o.shard_n);
	idx_report_finish(&rep, !o.quiet, o.report);
	idx_report_release(&rep);
out:
	/* whatever was committed, the CLI's searches of it order rank ties
	 * from this file. It is only a cache: failing to write it is not the
	 * batch's failure, and after the index failed (a full disk) it is
	 * not tried, lest its warning bury the error; the next run saves it. */
	if (db && rc != 3 && idx_save_id_order(db, &err) != SOL_OK)
		fprintf(stderr, "solent-index: warning: %s (searches stay right, only slower)\n",
			err.msg);
	idx_free(db);
	free(o.names);
	return rc;
}
