/* index_fixture.h - what the index's unit tests share (test_index.c,
 * test_rank.c): a fresh folder per test, and records added by their text.
 * Header-only; each test file includes it once. */
#ifndef SOLENT_TEST_INDEX_FIXTURE_H
#define SOLENT_TEST_INDEX_FIXTURE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "index.h"

static char dir[] = "/tmp/solent-test-index-XXXXXX";

static inline void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static inline void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(dir + strlen(dir) - 6, "XXXXXX");
}

static inline void make_record(sol_record *r, const char *source, const char *title, const char *text,
			const char *date)
{
	sol_record_init(r);
	r->source = strdup(source);
	r->title = title ? strdup(title) : NULL;
	r->text = strdup(text);
	r->text_len = strlen(text);
	r->date = date ? strdup(date) : NULL;
	r->content_type = strdup("text/plain");
	sol_record_hash_text(r);
}

static inline idx_outcome add(idx_db *db, const char *source, const char *title, const char *text,
		       const char *date)
{
	sol_record r;
	sol_err err;
	idx_outcome o;
	make_record(&r, source, title, text, date);
	ck_assert_msg(idx_add(db, &r, "b1", &o, &err) == SOL_OK, "%s", err.msg);
	sol_record_release(&r);
	return o;
}

#endif
