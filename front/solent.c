/*
 * solent - the thin front: runs the researcher's commands (search, show,
 * ...) in its own process, as git runs its builtins; the others as
 * solent-<command> found beside itself (or on PATH), as git runs
 * git-<command>; and `solent add`, which pipes solent-ingest into
 * solent-index in one go.
 */
#include "sol.h"
#include "search.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char usage_text[] =
"usage: solent COMMAND [options] [ARGS]\n"
"\n"
"Solent ingests UK council documents (HTML, plain text), extracts the\n"
"organisations, people, places, Acts and dates they name, and indexes them\n"
"for full-text research.\n"
"\n"
"Archivists:\n"
"  add --db DIR PATH|URL... ingest files, folders, URLs and WARC files and index\n"
"                           them (one batch)\n"
"      [--from FILE] [--report FILE.json] [--chunk N] [--quiet]\n"
"  rm --db DIR SOURCE|ID... remove documents\n"
"  batches --db DIR         list the batches added to an index\n"
"  upgrade --db DIR         rewrite an index an older Solent wrote as this one\n"
"                           writes it, in place (faster searches, same results)\n"
"Researchers:\n"
"  search --db DIR QUERY    ranked hits with highlighted snippets (see solent search --help)\n"
"  show --db DIR [--page N] ID|SOURCE\n"
"                           a document: provenance, text, entities and dates\n"
"  similar --db DIR ID      documents like this one\n"
"  stats --db DIR           counts\n"
"  kwic --db DIR QUERY      keyword-in-context lines\n"
"  entities --db DIR --type org   the most frequent entities\n"
"Scale-out:\n"
"  shards init STUB SHARD...       list local and remote shards in a stub file\n"
"  compact --db OUT SOURCE...      merge shards into one database\n"
"Stages (each also a program of its own, usable in a pipe):\n"
"  ingest PATH|URL...       documents to JSON Lines records on stdout\n"
"  fetch URL...             fetch over HTTP(S) politely (robots.txt, delays,\n"
"                           retries, conditional GET, --warc) to records\n"
"  index --db DIR [FILE]    JSON Lines records into the index\n"
"\n"
"The index defaults to $SOLENT_DB when --db is not given.\n"
"'solent COMMAND --help' describes each command.\n";

static char exec_dir[PATH_MAX];

/* Where our programs live: beside this executable. */
static void find_exec_dir(const char *argv0)
{
	ssize_t n = readlink("/proc/self/exe", exec_dir, sizeof exec_dir - 1);
	if (n <= 0) {
		snprintf(exec_dir, sizeof exec_dir, "%s", argv0);
		n = (ssize_t)strlen(exec_dir);
	}
	exec_dir[n] = '\0';
	char *slash = strrchr(exec_dir, '/');
	if (slash)
		*slash = '\0';
	else
		exec_dir[0] = '\0';
}

/* Path of solent-<name>: beside us when there, else left to PATH. */
static void program_path(const char *name, char *out, size_t n)
{
	struct stat sb;
	int len = snprintf(out, n, "%.*s/solent-%s", (int)(n - 64), exec_dir, name);
	if (exec_dir[0] && len > 0 && (size_t)len < n && stat(out, &sb) == 0)
		return;
	snprintf(out, n, "solent-%s", name);
}

static int run_exec(const char *prog, char **argv)
{
	char path[PATH_MAX];
	program_path(prog, path, sizeof path);
	argv[0] = path;
	execvp(path, argv);
	fprintf(stderr, "solent: cannot run %s: %s\n", path, strerror(errno));
	return 127;
}

/* Count the regular files under the inputs, for the progress bar. */
static unsigned long count_inputs(const char *path, int depth)
{
	struct stat sb;
	unsigned long n = 0;
	if (depth > 64 || stat(path, &sb) != 0)
		return 1;
	if (!S_ISDIR(sb.st_mode))
		return 1;
	DIR *d = opendir(path);
	if (!d)
		return 1;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		sol_buf child;
		sol_buf_init(&child, 0);
		if (sol_buf_addf(&child, "%s/%s", path, de->d_name) == SOL_OK)
			n += count_inputs(child.data, depth + 1);
		sol_buf_release(&child);
	}
	closedir(d);
	return n;
}

static int wait_for(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 127;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* Options of `add` that belong to the indexer; the rest go to ingest. */
static int is_index_opt(const char *a, int *takes_arg)
{
	static const char *const with_arg[] = { "--db", "--report", "--chunk", "--batch-id", "--shard" };
	for (size_t i = 0; i < sizeof with_arg / sizeof with_arg[0]; i++) {
		size_t n = strlen(with_arg[i]);
		if (!strncmp(a, with_arg[i], n) && (a[n] == '\0' || a[n] == '=')) {
			*takes_arg = a[n] == '\0';
			return 1;
		}
	}
	*takes_arg = 0;
	return !strcmp(a, "--quiet") || !strcmp(a, "-q") || !strcmp(a, "--progress");
}

/* Options of solent-ingest that take a value in the next argument: that
 * value is not an input of the batch. */
static int ingest_opt_takes_arg(const char *a)
{
	static const char *const with_arg[] = {
		"--from", "--rules", "--max-size", "--doc-timeout", "--delay", "--timeout", "--retries",
		"--user-agent", "--state", "--warc"
	};
	for (size_t i = 0; i < sizeof with_arg / sizeof with_arg[0]; i++)
		if (!strcmp(a, with_arg[i]))
			return 1;
	return 0;
}

/* Count the inputs a --from list names, for the progress bar; -1 (and a
 * message) when the list cannot be read, which is a usage error better
 * caught before two processes start. */
static long count_list(const char *list, int want_count)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long total = 0;

	if (!strcmp(list, "-"))
		return 0;   /* stdin: only ingest may read it */
	f = fopen(list, "r");
	if (!f) {
		fprintf(stderr, "solent add: %s: %s\n", list, strerror(errno));
		return -1;
	}
	while (want_count && (n = getline(&line, &cap, f)) > 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n > 0 && line[0] != '#')
			total += (long)count_inputs(line, 0);
	}
	free(line);
	fclose(f);
	return total;
}

static const char add_usage[] =
"usage: solent add --db DIR [--from FILE] [--report FILE.json] [--chunk N]\n"
"                  [--batch-id ID] [--shard K/N] [--quiet] [--progress]\n"
"                  [--max-size BYTES] [--doc-timeout SECONDS] PATH|URL...\n\n"
"Ingest the files, folders, URLs and WARC files given (and those listed in\n"
"FILE, one a line) and add them to the index as one batch, committed in\n"
"chunks (--chunk, default 500 documents). A document over --max-size\n"
"(64 MiB) or slower than --doc-timeout (120 s) is a named failure; --shard\n"
"K/N keeps only shard K's documents (docs/scale.md). On a terminal\n"
"a progress bar shows documents done of total, rate and time left. At the end\n"
"a report counts what was added, updated, unchanged, duplicate and failed,\n"
"naming each failed input and why. Running the same batch again finishes\n"
"an interrupted one. Exit status: 0 all indexed; 1 some inputs failed;\n"
"2 usage error; 3 the index could not be opened or written.\n";

/* solent add: solent-ingest PATH... | solent-index --db DIR, as one batch.
 * Both run at once, so memory stays that of one document whatever the
 * size of the batch. */
static int cmd_add(int argc, char **argv)
{
	/* ingest: --quiet + its args; index: its options, --input NAME for
	 * every path and list, --inputs=N */
	char **iargv = calloc((size_t)argc + 4, sizeof *iargv);
	char **xargv = calloc(2 * (size_t)argc + 8, sizeof *xargv);
	char **owned = calloc((size_t)argc + 1, sizeof *owned);
	int ni = 1, nx = 1, no = 0, fds[2] = { -1, -1 }, takes, quiet = 0, progress = 0;
	int rc = 3, rc_ing, rc_idx;
	unsigned long total = 0;
	char totalbuf[32];
	pid_t ping, pidx;

	if (!iargv || !xargv || !owned) {
		fputs("solent add: out of memory\n", stderr);
		goto out;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		if (!strcmp(argv[i], "--progress"))
			progress = 1;
	}
	/* the bar needs the total; counting a big tree is not free, so only
	 * when someone will see it */
	int counting = !quiet && (progress || isatty(STDERR_FILENO));
	iargv[ni++] = (char *)"--quiet"; /* the indexer reports failures */
	for (int i = 1; i < argc; i++) {
		const char *list = NULL;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(add_usage, stdout);
			rc = 0;
			goto out;
		}
		if (is_index_opt(argv[i], &takes)) {
			xargv[nx++] = argv[i];
			if (takes && i + 1 < argc)
				xargv[nx++] = argv[++i];
			continue;
		}
		iargv[ni++] = argv[i];
		if (ingest_opt_takes_arg(argv[i]) && i + 1 < argc) {
			if (!strcmp(argv[i], "--from"))
				list = argv[i + 1];
			iargv[ni++] = argv[++i];
		} else if (!strncmp(argv[i], "--from=", 7)) {
			list = argv[i] + 7;
		} else if (argv[i][0] != '-') {
			xargv[nx++] = (char *)"--input";
			xargv[nx++] = argv[i];
			if (counting)
				total += count_inputs(argv[i], 0);
		}
		if (list) {
			long n = count_list(list, counting);
			sol_buf name;
			if (n < 0) {
				rc = 2;
				goto out;
			}
			total += (unsigned long)n;
			sol_buf_init(&name, 0);
			if (sol_buf_addf(&name, "--from %s", list) == SOL_OK) {
				owned[no] = sol_buf_detach(&name, NULL);
				xargv[nx++] = (char *)"--input";
				xargv[nx++] = owned[no++];
			}
			sol_buf_release(&name);
		}
	}
	if (ni == 2) {
		fputs("solent add: no input given (PATH... or --from FILE)\n", stderr);
		rc = 2;
		goto out;
	}
	if (total) {
		snprintf(totalbuf, sizeof totalbuf, "--inputs=%lu", total);
		xargv[nx++] = totalbuf;
	}
	if (pipe(fds) != 0) {
		perror("solent: pipe");
		goto out;
	}
#ifdef F_SETPIPE_SZ
	/* Room for a hundred records or so between the two: while the
	 * indexer commits a chunk (its disk writes, its fsync), ingest goes
	 * on instead of waiting on a 64 KiB pipe. Measured at 10,000
	 * documents: 10% less wall time with the reader's queue at 64. A
	 * refusal (above /proc/sys/fs/pipe-max-size) leaves the default. */
	(void)fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
#endif
	ping = fork();
	if (ping == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		_exit(run_exec("ingest", iargv));
	}
	pidx = fork();
	if (pidx == 0) {
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		_exit(run_exec("index", xargv));
	}
	close(fds[0]);
	close(fds[1]);
	/* Ctrl-C reaches the whole process group: the indexer commits what
	 * it has and reports; we stay to pass on its report and status
	 * rather than hand the terminal back while it is still writing.
	 * (Set after the forks: an ignored signal stays ignored across exec.) */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	rc_ing = ping > 0 ? wait_for(ping) : 127;
	rc_idx = pidx > 0 ? wait_for(pidx) : 127;
	/* The indexer's status covers documents (failure records reach it);
	 * ingest's matters when it could not start at all. Ingest killed by
	 * SIGPIPE means the indexer stopped first, and said why. */
	if (rc_idx != 0 && rc_idx != 1)
		rc = rc_idx;
	else if (rc_ing == 128 + SIGPIPE)
		rc = 1;        /* the indexer stopped reading (interrupted) and said so */
	else if (rc_ing > 128)
		rc = rc_ing;   /* ingest was killed: the batch is not complete */
	else if (rc_ing != 0 && rc_ing != 1)
		rc = rc_ing == 2 ? 2 : 3;
	else
		rc = rc_idx || rc_ing ? 1 : 0;
out:
	for (int i = 0; owned && i < no; i++)
		free(owned[i]);
	free(owned);
	free(iargv);
	free(xargv);
	return rc;
}

/* The researcher's commands run in this process: a search is a few
 * milliseconds, and a second exec (a new address space, the dynamic
 * loader's work on Xapian and libstdc++ done again) was a sixth of it.
 * The stages, which run for minutes, stay programs of their own. */
static const struct {
	const char *name;     /* solent NAME */
	const char *program;  /* runs solent-PROGRAM */
	const char *inject;   /* first argument to pass, or NULL */
	int (*builtin)(int argc, char **argv); /* runs PROGRAM's code here */
} commands[] = {
	{ "ingest", "ingest", NULL, NULL },
	{ "index", "index", NULL, NULL },
	{ "fetch", "fetch", NULL, NULL },
	{ "rm", "index", "--remove", NULL },
	{ "upgrade", "index", "--upgrade", NULL },
	{ "search", "search", "search", srch_main },
	{ "show", "search", "show", srch_main },
	{ "similar", "search", "similar", srch_main },
	{ "stats", "search", "stats", srch_main },
	{ "batches", "search", "batches", srch_main },
	{ "kwic", "search", "kwic", srch_main },
	{ "entities", "search", "entities", srch_main },
	{ "shards", "shards", NULL, NULL },
	{ "compact", "shards", "compact", NULL },
};

int main(int argc, char **argv)
{
	find_exec_dir(argv[0]);
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("solent %s\n", SOLENT_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "add"))
		return cmd_add(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		char **nargv = calloc((size_t)argc + 2, sizeof *nargv);
		int n = 1;
		if (!nargv)
			return 3;
		if (commands[i].inject)
			nargv[n++] = (char *)commands[i].inject;
		for (int k = 2; k < argc; k++)
			nargv[n++] = argv[k];
		if (commands[i].builtin) {
			/* argv[0] as the program would have had it, for getopt's
			 * messages */
			char path[PATH_MAX];
			program_path(commands[i].program, path, sizeof path);
			nargv[0] = path;
			int rc = commands[i].builtin(n, nargv);
			free(nargv);
			return rc;
		}
		return run_exec(commands[i].program, nargv);
	}
	fprintf(stderr, "solent: '%s' is not a solent command. See 'solent --help'.\n", argv[1]);
	return 2;
}
