/*
 * test_fuzz_regressions.c - replay every input the fuzzers ever crashed on
 * (fuzz/regressions/HARNESS/) through the very harness that found it,
 * in the normal build with any compiler: the harness sources are included
 * here with their libFuzzer entry points renamed. A harness abort()s on a
 * broken contract, so a regression fails this test even without
 * sanitizers; under `make test-asan` the sanitizers catch the rest.
 *
 * The documents of corpus/ go through the harnesses too, so the replay
 * machinery itself is tested on every run even when no regression is
 * stored for a harness.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sol.h"

#define LLVMFuzzerTestOneInput fuzz_clean_html_one
#define LLVMFuzzerInitialize fuzz_clean_html_init
#include "../../fuzz/fuzz_clean_html.c"
#undef LLVMFuzzerTestOneInput
#undef LLVMFuzzerInitialize

#define LLVMFuzzerTestOneInput fuzz_clean_text_one
#define LLVMFuzzerInitialize fuzz_clean_text_init
#include "../../fuzz/fuzz_clean_text.c"
#undef LLVMFuzzerTestOneInput
#undef LLVMFuzzerInitialize

#define LLVMFuzzerTestOneInput fuzz_decode_one
#define LLVMFuzzerInitialize fuzz_decode_init
#include "../../fuzz/fuzz_decode.c"
#undef LLVMFuzzerTestOneInput
#undef LLVMFuzzerInitialize

#define LLVMFuzzerTestOneInput fuzz_process_one
#define LLVMFuzzerInitialize fuzz_process_init
#include "../../fuzz/fuzz_process.c"
#undef LLVMFuzzerTestOneInput
#undef LLVMFuzzerInitialize

#define LLVMFuzzerTestOneInput fuzz_extract_one
#define LLVMFuzzerInitialize fuzz_extract_init
#include "../../fuzz/fuzz_extract.c"
#undef LLVMFuzzerTestOneInput
#undef LLVMFuzzerInitialize

#define LLVMFuzzerTestOneInput fuzz_record_one
#define LLVMFuzzerInitialize fuzz_record_init
#include "../../fuzz/fuzz_record.c"
#undef LLVMFuzzerTestOneInput
#undef LLVMFuzzerInitialize

#define LLVMFuzzerTestOneInput fuzz_query_one
#define LLVMFuzzerInitialize fuzz_query_init
#include "../../fuzz/fuzz_query.c"
#include "check_main.h"
#undef LLVMFuzzerTestOneInput
#undef LLVMFuzzerInitialize

typedef int (*one_fn)(const unsigned char *, size_t);
typedef int (*init_fn)(int *, char ***);

static const struct harness {
	const char *name;    /* fuzz/regressions/<name>/ */
	one_fn one;
	init_fn init;        /* NULL: nothing to set up */
	const char *corpus;  /* corpus/ subfolders it also replays, or NULL */
	int prefix_byte;     /* the harness reads a selector byte first: prepend
	                        this one to corpus documents; -1 for none */
} harnesses[] = {
	{ "clean_html", fuzz_clean_html_one, NULL, "html odd", -1 },
	{ "clean_text", fuzz_clean_text_one, NULL, "text", -1 },
	{ "decode", fuzz_decode_one, NULL, "html odd text", 8 },
	{ "process", fuzz_process_one, fuzz_process_init, "html odd text", 2 },
	{ "extract", fuzz_extract_one, fuzz_extract_init, "text", -1 },
	{ "record", fuzz_record_one, NULL, NULL, -1 },
	{ "query", fuzz_query_one, fuzz_query_init, NULL, -1 },
};

static const char *src_dir(void)
{
	const char *s = getenv("SOLENT_SRC");
	return s && *s ? s : ".";
}

/* Feed every regular file of dir to h (with the prefix byte, if any).
 * Returns the number of files fed; a missing folder feeds none. */
static size_t replay_dir(const struct harness *h, const char *dir, int prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		sol_buf raw;
		sol_err err;
		struct stat sb;

		if (de->d_name[0] == '.' || !strcmp(de->d_name, "README.md"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		ck_assert_msg(sol_read_file(path, 0, &raw, &err) == SOL_OK, "%s", err.msg);
		/* Named before the run: a harness that aborts leaves only this
		 * line to say which input did it. */
		fprintf(stderr, "fuzz replay: %s: %s\n", h->name, path);
		if (prefix >= 0) {
			unsigned char *buf = malloc(raw.len + 1);
			ck_assert_ptr_nonnull(buf);
			buf[0] = (unsigned char)prefix;
			memcpy(buf + 1, raw.data, raw.len);
			h->one(buf, raw.len + 1);
			free(buf);
		} else {
			h->one((const unsigned char *)raw.data, raw.len);
		}
		sol_buf_release(&raw);
		n++;
	}
	closedir(d);
	return n;
}

START_TEST(replay)
{
	const struct harness *h = &harnesses[_i];
	char dir[4096];
	size_t n;
	int argc = 1;
	char *argv0 = (char *)"test_fuzz_regressions", **argv = &argv0;

	if (h->init)
		h->init(&argc, &argv);
	snprintf(dir, sizeof dir, "%s/fuzz/regressions/%s", src_dir(), h->name);
	n = replay_dir(h, dir, -1);
	if (h->corpus) {
		char list[64], *save = NULL, *part;
		snprintf(list, sizeof list, "%s", h->corpus);
		for (part = strtok_r(list, " ", &save); part; part = strtok_r(NULL, " ", &save)) {
			snprintf(dir, sizeof dir, "%s/corpus/%s", src_dir(), part);
			n += replay_dir(h, dir, h->prefix_byte);
		}
	}
	/* Each harness has a regression or corpus documents: replaying none
	 * means SOLENT_SRC is wrong, not that all is well. */
	ck_assert_msg(n > 0, "%s: nothing to replay under %s (SOLENT_SRC?)", h->name, src_dir());
}
END_TEST

START_TEST(regressions_are_stored)
{
	/* The qsort(NULL, 0) found by fuzz_extract (issue 9) must stay in the
	 * tree: this test is only as good as the folder it reads. */
	char path[4096];
	struct stat sb;
	snprintf(path, sizeof path, "%s/fuzz/regressions/extract/qsort-null-no-candidates",
		 src_dir());
	ck_assert_msg(stat(path, &sb) == 0, "%s is missing", path);
}
END_TEST

static Suite *fuzz_regressions_suite(void)
{
	Suite *s = suite_create("fuzz_regressions");
	TCase *tc = tcase_create("replay");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, replay, 0, (int)(sizeof harnesses / sizeof harnesses[0]));
	tcase_add_test(tc, regressions_are_stored);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(fuzz_regressions_suite(), CK_FORK_GETENV);
}
