/*
 * fuzz_extract - ing_extract, the PCRE2 rule-driven entity and date
 * extractor, on a record whose text is the input. One extractor for the
 * run, as in solent-ingest, so state carried between documents (arena,
 * candidates, match data) is exercised too.
 *
 * The cleaner only ever hands over valid UTF-8, but the rules are compiled
 * with PCRE2_MATCH_INVALID_UTF so that bad bytes cannot cause undefined
 * behaviour: the input is passed as it is, valid or not.
 */
#include "extract.h"
#include "fuzz_common.h"

static ing_extractor *ex;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sol_err err;
	ex = ing_extractor_new(NULL, &err);
	if (!ex) {
		fprintf(stderr, "fuzz_extract: %s\n", err.msg);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	sol_record r;
	sol_err err;

	sol_record_init(&r);
	r.text = fuzz_strndup(data, size);
	r.text_len = size;
	if (ing_extract(ex, &r, &err) == SOL_OK)
		fuzz_check_record(&r, 0);
	sol_record_release(&r);
	return 0;
}
