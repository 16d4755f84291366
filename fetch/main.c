/*
 * solent-fetch - fetch council pages over HTTP(S), politely, and write one
 * JSON Lines record per page on stdout (docs/record.md), ready for
 * `solent index`. docs/fetch.md describes the behaviour in full.
 */
#include "emit.h"
#include "fetch.h"
#include "ingest.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_text[] =
"usage: solent-fetch [options] URL...\n"
"       solent fetch [options] URL... | --from FILE\n"
"\n"
"Fetch pages over HTTP(S) like a good citizen and write one JSON record per\n"
"page to standard output (JSON Lines, docs/record.md), for `solent index`.\n"
"A page that cannot be fetched becomes a failure record naming the URL and\n"
"the reason (\"https://x/y: HTTP 404 Not Found\"). A page unchanged since the\n"
"last run (--state) writes \"unchanged: URL\" on stderr and no record.\n"
"\n"
"Options:\n"
"  --from FILE            read further URLs from FILE, one a line ('-' = stdin)\n"
"  --delay SECONDS        pause between requests to one host (default 1; 0 = none)\n"
"  --timeout SECONDS      give up on a request after this long (default 30)\n"
"  --connect-timeout SECONDS  give up connecting after this long (default 10)\n"
"  --max-size BYTES       refuse bodies larger than this, decoded (default 64 MiB)\n"
"  --max-redirects N      follow at most N redirects (default 10)\n"
"  --retries N            retry timeouts, 429 and 5xx up to N times (default 3)\n"
"  --backoff SECONDS      first retry wait, doubled each time, with jitter (default 1)\n"
"  --user-agent TEXT      default \"" FCH_DEFAULT_USER_AGENT "\"\n"
"  --ignore-robots        do not read robots.txt (only for a site you run)\n"
"  --state FILE           remember ETag/Last-Modified per URL; re-fetch conditionally\n"
"  --follow REGEX         also fetch same-host links whose URL matches REGEX (POSIX ERE)\n"
"  --depth N              follow links up to N hops from the URLs given (default 1)\n"
"  --warc FILE.warc.gz    append every request and response as WARC/1.1 records\n"
"  --warc-only            write the WARC but no records (ingest the WARC later)\n"
"  --allow-protocols LIST libcurl protocol list (default \"http,https\")\n"
"  --per-host N           requests at once to one host (default 1)\n"
"  --parallel N           requests at once in all (default 16)\n"
"  --rules DIR            extraction rules from DIR instead of the built-in set\n"
"  --no-error-records     report failures on stderr only, not as records\n"
"  -v, --verbose          one stderr line per request\n"
"  -q, --quiet            no per-URL messages (failures still counted)\n"
"  -h, --help             this text\n"
"  --version              print the version\n"
"\n"
"Exit status: 0 every URL fetched (or unchanged); 1 some failed (each named\n"
"on stderr); 2 usage error; 3 the fetcher could not start (bad --follow,\n"
"unreadable --state, unwritable --warc, rules not loaded).\n";

enum {
	OPT_FROM = 256, OPT_DELAY, OPT_TIMEOUT, OPT_CONNECT_TIMEOUT, OPT_MAX_SIZE,
	OPT_MAX_REDIRECTS, OPT_RETRIES, OPT_BACKOFF, OPT_USER_AGENT, OPT_IGNORE_ROBOTS,
	OPT_STATE, OPT_FOLLOW, OPT_DEPTH, OPT_WARC, OPT_WARC_ONLY, OPT_PROTOCOLS,
	OPT_PER_HOST, OPT_PARALLEL, OPT_RULES, OPT_NO_ERROR_RECORDS, OPT_VERSION
};

/* Seconds (fractions allowed) as milliseconds; -1 when not a number >= 0. */
static long parse_seconds(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0 || v > 86400.0 * 7)
		return -1;
	return (long)(v * 1000 + 0.5);
}

static long parse_count(const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > max)
		return -1;
	return v;
}

static int usage_error(const char *opt, const char *value)
{
	fprintf(stderr, "solent-fetch: %s: invalid value '%s'\n", opt, value);
	return 2;
}

/* Queue a URL given by the user; a bad one is a failure of the batch,
 * reported like any other, not a reason to stop. */
static void queue_url(fch_fetcher *f, fch_emitter *em, const char *url)
{
	sol_err err;
	if (fch_add(f, url, &err) != SOL_OK)
		fch_emit_failure(em, url, err.msg);
}

static int queue_list(fch_fetcher *f, fch_emitter *em, const char *list)
{
	FILE *fp = strcmp(list, "-") ? fopen(list, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!fp) {
		fprintf(stderr, "solent-fetch: %s: %s\n", list, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		char *s = line;
		while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
			s[--n] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		queue_url(f, em, s);
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	return 0;
}

/* --warc-only: count, but write nothing on stdout. */
static void count_only(void *arg, const fch_result *res)
{
	fch_emitter *em = arg;
	if (res->outcome == FCH_FAILED) {
		em->failed++;
		if (!em->quiet)
			fprintf(stderr, "solent-fetch: %s\n", res->error);
	} else if (res->outcome == FCH_UNCHANGED) {
		em->unchanged++;
		if (!em->quiet)
			fprintf(stderr, "unchanged: %s\n", res->url);
	} else {
		em->ok++;
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ "delay", required_argument, NULL, OPT_DELAY },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "max-redirects", required_argument, NULL, OPT_MAX_REDIRECTS },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "backoff", required_argument, NULL, OPT_BACKOFF },
		{ "user-agent", required_argument, NULL, OPT_USER_AGENT },
		{ "ignore-robots", no_argument, NULL, OPT_IGNORE_ROBOTS },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "follow", required_argument, NULL, OPT_FOLLOW },
		{ "depth", required_argument, NULL, OPT_DEPTH },
		{ "warc", required_argument, NULL, OPT_WARC },
		{ "warc-only", no_argument, NULL, OPT_WARC_ONLY },
		{ "allow-protocols", required_argument, NULL, OPT_PROTOCOLS },
		{ "per-host", required_argument, NULL, OPT_PER_HOST },
		{ "parallel", required_argument, NULL, OPT_PARALLEL },
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "no-error-records", no_argument, NULL, OPT_NO_ERROR_RECORDS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	fch_options opts;
	ing_options iopts = { NULL };
	fch_emitter em;
	fch_fetcher *f = NULL;
	ing_ctx *ctx = NULL;
	const char *from = NULL;
	int warc_only = 0, quiet = 0, error_records = 1, rc = 0, c;
	long v;
	sol_err err;
	struct timespec t0, t1;

	fch_options_init(&opts);
	while ((c = getopt_long(argc, argv, "vqh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_FROM: from = optarg; break;
		case OPT_DELAY:
			if ((opts.delay_ms = parse_seconds(optarg)) < 0)
				return usage_error("--delay", optarg);
			break;
		case OPT_TIMEOUT:
			if ((v = parse_seconds(optarg)) <= 0)
				return usage_error("--timeout", optarg);
			opts.timeout_ms = v;
			break;
		case OPT_CONNECT_TIMEOUT:
			if ((v = parse_seconds(optarg)) <= 0)
				return usage_error("--connect-timeout", optarg);
			opts.connect_timeout_ms = v;
			break;
		case OPT_MAX_SIZE: {
			char *end;
			unsigned long long n;
			errno = 0;
			n = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || n == 0 || n > (1ULL << 40))
				return usage_error("--max-size", optarg);
			opts.max_size = (size_t)n;
			break;
		}
		case OPT_MAX_REDIRECTS:
			if ((v = parse_count(optarg, 100)) < 0)
				return usage_error("--max-redirects", optarg);
			opts.max_redirects = (int)v;
			break;
		case OPT_RETRIES:
			if ((v = parse_count(optarg, 100)) < 0)
				return usage_error("--retries", optarg);
			opts.retries = (int)v;
			break;
		case OPT_BACKOFF:
			if ((opts.backoff_ms = parse_seconds(optarg)) < 0)
				return usage_error("--backoff", optarg);
			break;
		case OPT_USER_AGENT: opts.user_agent = optarg; break;
		case OPT_IGNORE_ROBOTS: opts.ignore_robots = 1; break;
		case OPT_STATE: opts.state_path = optarg; break;
		case OPT_FOLLOW: opts.follow_regex = optarg; break;
		case OPT_DEPTH:
			if ((v = parse_count(optarg, 1000)) < 0)
				return usage_error("--depth", optarg);
			opts.depth = (int)v;
			break;
		case OPT_WARC: opts.warc_path = optarg; break;
		case OPT_WARC_ONLY: warc_only = 1; break;
		case OPT_PROTOCOLS: opts.protocols = optarg; break;
		case OPT_PER_HOST:
			if ((v = parse_count(optarg, 64)) < 1)
				return usage_error("--per-host", optarg);
			opts.per_host = (int)v;
			break;
		case OPT_PARALLEL:
			if ((v = parse_count(optarg, 1024)) < 1)
				return usage_error("--parallel", optarg);
			opts.max_parallel = (int)v;
			break;
		case OPT_RULES: iopts.rules_dir = optarg; break;
		case OPT_NO_ERROR_RECORDS: error_records = 0; break;
		case 'v': opts.verbose = 1; break;
		case 'q': quiet = 1; break;
		case 'h': fputs(usage_text, stdout); return 0;
		case OPT_VERSION: printf("solent-fetch %s\n", SOLENT_VERSION); return 0;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if (optind >= argc && !from) {
		fputs("solent-fetch: no URL given\n\n", stderr);
		fputs(usage_text, stderr);
		return 2;
	}
	if (warc_only && !opts.warc_path) {
		fputs("solent-fetch: --warc-only needs --warc FILE\n", stderr);
		return 2;
	}
	if (!warc_only && !(ctx = ing_ctx_new(&iopts, &err))) {
		fprintf(stderr, "solent-fetch: %s\n", err.msg);
		return 3;
	}
	fch_emitter_init(&em, ctx, "solent-fetch");
	em.quiet = quiet;
	em.error_records = error_records;
	f = fch_new(&opts, &err);
	if (!f) {
		fprintf(stderr, "solent-fetch: %s\n", err.msg);
		rc = err.status == SOL_ERR_USAGE ? 2 : 3;
		goto out;
	}
	if (from && queue_list(f, &em, from) != 0)
		em.failed++;
	for (int i = optind; i < argc; i++)
		queue_url(f, &em, argv[i]);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (fch_run(f, warc_only ? count_only : fch_emit_result, &em, &err) != SOL_OK) {
		fprintf(stderr, "solent-fetch: %s\n", err.msg);
		rc = 3;
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!quiet) {
		fch_stats s;
		double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		fch_get_stats(f, &s);
		fprintf(stderr, "solent-fetch: %lu fetched, %lu unchanged, %lu failed; %lu requests"
			" (%lu retries), %llu bytes in %.2f s\n", em.ok, em.unchanged, em.failed,
			s.requests, s.retries, s.bytes, secs);
	}
	rc = em.failed ? 1 : 0;
out:
	fch_free(f);
	fch_emitter_release(&em);
	ing_ctx_free(ctx);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "solent-fetch: writing output: %s\n", strerror(errno));
		return rc ? rc : 1;
	}
	return rc;
}
