/*
 * fuzz_clean_text - ing_clean_text (line endings, page furniture, joined
 * hyphenation and hard wraps, Markdown markers) on arbitrary bytes.
 */
#include "clean.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	sol_record r;
	sol_err err;

	sol_record_init(&r);
	if (ing_clean_text(text, size, &r, &err) == SOL_OK)
		/* Joining and cutting lines must keep valid UTF-8 valid. */
		fuzz_check_record(&r, sol_utf8_valid(text, size));
	sol_record_release(&r);
	free(text);
	return 0;
}
