/*
 * fuzz_record - sol_record_from_json, the reader solent-index runs on every
 * line of its input (which anything may write). A record it accepts must
 * write back out and read back again: the indexer stores that JSON and
 * `solent show` reads it later.
 */
#include "record.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	/* Exactly size bytes, no NUL after them: the reader is given a length
	 * and must not look further. */
	char *line = malloc(size ? size : 1);
	sol_record r, back;
	sol_err err;
	sol_buf json;

	if (!line)
		abort();
	if (size)
		memcpy(line, data, size);
	if (sol_record_from_json(line, size, &r, &err) == SOL_OK) {
		FUZZ_REQUIRE(r.source != NULL, "accepted a record without source");
		sol_buf_init(&json, 0);
		if (sol_record_to_json(&r, &json, &err) == SOL_OK) {
			FUZZ_REQUIRE(sol_record_from_json(json.data, json.len, &back, &err) == SOL_OK,
				     "written record does not read back: %s", err.msg);
			sol_record_release(&back);
		}
		sol_buf_release(&json);
		sol_record_release(&r);
	}
	free(line);
	return 0;
}
