/*
 * fuzz_process - the whole ingest stage, ing_process: sniff, decode,
 * clean, extract, hash; then the record it makes must serialise and read
 * back (solent-index reads exactly that line). The first byte picks the
 * file name, so both the .html and the sniffing paths are explored.
 */
#include "ingest.h"
#include "fuzz_common.h"

static ing_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sol_err err;
	ctx = ing_ctx_new(NULL, &err);
	if (!ctx) {
		fprintf(stderr, "fuzz_process: %s\n", err.msg);
		abort();
	}
	return 0;
}

static const char *const names[] = { "fuzz.html", "fuzz.txt", "fuzz", "fuzz.htm" };

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	ing_input in;
	sol_record rec, back;
	sol_err err;
	sol_buf json;
	unsigned char *copy;

	if (size < 1)
		return 0;
	copy = (unsigned char *)fuzz_strndup(data + 1, size - 1);
	memset(&in, 0, sizeof in);
	in.source = names[data[0] % 4];
	in.bytes = copy;
	in.len = size - 1;
	if (ing_process(ctx, &in, &rec, &err) == SOL_OK) {
		fuzz_check_record(&rec, 1);
		FUZZ_REQUIRE(rec.id && rec.sha256 && rec.text_sha256, "hashes missing");
		sol_buf_init(&json, 0);
		FUZZ_REQUIRE(sol_record_to_json(&rec, &json, &err) == SOL_OK, "to_json: %s", err.msg);
		FUZZ_REQUIRE(sol_record_from_json(json.data, json.len, &back, &err) == SOL_OK,
			     "the record does not read back: %s", err.msg);
		FUZZ_REQUIRE(back.text_len == rec.text_len && back.n_entities == rec.n_entities &&
				     back.n_dates == rec.n_dates,
			     "the record read back differs");
		sol_record_release(&back);
		sol_buf_release(&json);
		sol_record_release(&rec);
	}
	free(copy);
	return 0;
}
