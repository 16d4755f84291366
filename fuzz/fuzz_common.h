/*
 * fuzz_common.h - what the libFuzzer harnesses share: the contract checks
 * that turn a silently wrong result into a crash the fuzzer can keep.
 *
 * A harness must only abort() on a broken contract (ingest.h, clean.h,
 * record.h), never on an input the code is allowed to refuse: a refusal is
 * a status and a message, and that is the behaviour we want.
 */
#ifndef SOLENT_FUZZ_COMMON_H
#define SOLENT_FUZZ_COMMON_H

#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Abort with the broken rule on stderr, so the crash report says which
 * contract the input broke, not just where. */
#define FUZZ_REQUIRE(cond, ...)                                                  \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "fuzz: contract broken: %s: ", #cond);   \
			fprintf(stderr, __VA_ARGS__);                            \
			fputc('\n', stderr);                                     \
			abort();                                                 \
		}                                                                \
	} while (0)

/* A heap copy of the input with a NUL after it: the entry points take
 * (pointer, length) but some read one byte past, which ASan then reports
 * only if the copy is exactly size + 1 bytes. */
static inline char *fuzz_strndup(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* The checks every cleaned or extracted record must pass (docs/record.md):
 * text is valid UTF-8 of text_len bytes, and every entity and date span
 * lies inside it and is the bytes it names. */
static inline void fuzz_check_record(const sol_record *r, int check_utf8)
{
	size_t i;
	int has_nul;

	FUZZ_REQUIRE(r->error == NULL, "a successful record carries an error");
	if (!r->text)
		return;
	FUZZ_REQUIRE(strlen(r->text) <= r->text_len, "text_len %zu", r->text_len);
	has_nul = strlen(r->text) != r->text_len;
	if (check_utf8)
		FUZZ_REQUIRE(sol_utf8_valid(r->text, r->text_len), "text is not UTF-8");
	for (i = 0; i < r->n_entities; i++) {
		const sol_entity *e = &r->entities[i];
		FUZZ_REQUIRE(e->start <= e->end && e->end <= r->text_len,
			     "entity %zu [%zu,%zu) of %zu", i, e->start, e->end, r->text_len);
		FUZZ_REQUIRE(e->type && e->text && e->norm, "entity %zu has a NULL field", i);
		if (!has_nul)
			FUZZ_REQUIRE(strlen(e->text) == e->end - e->start &&
					     !memcmp(e->text, r->text + e->start, e->end - e->start),
				     "entity %zu text is not text[start:end]", i);
	}
	for (i = 0; i < r->n_dates; i++) {
		const sol_date *d = &r->dates[i];
		FUZZ_REQUIRE(d->start <= d->end && d->end <= r->text_len,
			     "date %zu [%zu,%zu) of %zu", i, d->start, d->end, r->text_len);
		FUZZ_REQUIRE(d->text && d->iso, "date %zu has a NULL field", i);
		FUZZ_REQUIRE(strlen(d->iso) == 4 || strlen(d->iso) == 7 || strlen(d->iso) == 10,
			     "date %zu iso '%s'", i, d->iso);
	}
}

#endif

/* Outside the guard: tests/unit/test_fuzz_regressions.c includes every
 * harness into one program, each with these two names renamed by macro,
 * and each renamed pair needs its prototype. */
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
