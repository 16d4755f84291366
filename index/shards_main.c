/*
 * solent-shards - sharded archives: write the stub file that lists the
 * shards (local paths, remote xapian-tcpsrv servers), and compact shards
 * into one database. See docs/scale.md.
 */
#include "index.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
"usage: solent shards init STUB SHARD...\n"
"       solent compact --db OUT SOURCE...\n"
"\n"
"  shards init   write STUB, a Xapian stub file listing the shards; SHARD is\n"
"                a database directory or HOST:PORT of an xapian-tcpsrv\n"
"                server. `solent search --db STUB` then searches them all\n"
"                as one index (add --allow-partial to search the shards that\n"
"                answer when some are down).\n"
"  compact       merge the SOURCE databases (directories or stub files)\n"
"                into the new database OUT with Xapian's compaction.\n"
"\n"
"Shards are filled with `solent add --db SHARD_K --shard K/N ...`: each\n"
"document goes to the shard its content id maps to, the same on every\n"
"machine.\n"
"\n"
"Exit status: 0 done; 2 usage error; 3 a database could not be read or written.\n";

int main(int argc, char **argv)
{
	sol_err err;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "init")) {
		if (argc < 4) {
			fputs("solent shards init: give the stub file and at least one shard\n", stderr);
			return 2;
		}
		if (idx_write_stub(argv[2], (const char *const *)argv + 3, (size_t)(argc - 3), &err) != SOL_OK) {
			fprintf(stderr, "solent shards: %s\n", err.msg);
			return 3;
		}
		printf("wrote %s with %d shard%s\n", argv[2], argc - 3, argc == 4 ? "" : "s");
		return 0;
	}
	if (!strcmp(argv[1], "compact")) {
		const char *out = NULL;
		const char *srcs[256];
		size_t n = 0;
		for (int i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--db") && i + 1 < argc)
				out = argv[++i];
			else if (!strncmp(argv[i], "--db=", 5))
				out = argv[i] + 5;
			else if (n < sizeof srcs / sizeof srcs[0])
				srcs[n++] = argv[i];
		}
		if (!out || !n) {
			fputs("solent compact: give --db OUT and at least one source\n", stderr);
			return 2;
		}
		if (idx_compact(srcs, n, out, &err) != SOL_OK) {
			fprintf(stderr, "solent compact: %s\n", err.msg);
			return err.status == SOL_ERR_USAGE ? 2 : 3;
		}
		printf("compacted %zu source%s into %s\n", n, n == 1 ? "" : "s", out);
		return 0;
	}
	fprintf(stderr, "solent shards: unknown command '%s'\n\n%s", argv[1], usage_text);
	return 2;
}
