/*
 * fuzz_clean_html - ing_clean_html on arbitrary bytes: libxml2's recovering
 * parser, then the cleaner's passes over the element array. The input is
 * what the decoder hands over (UTF-8), but a hostile page's bytes may reach
 * it unchanged, so it is not forced to be valid.
 */
#include "clean.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *html = fuzz_strndup(data, size);
	sol_record r;
	sol_err err;

	sol_record_init(&r);
	if (ing_clean_html(html, size, &r, &err) == SOL_OK) {
		FUZZ_REQUIRE(r.text != NULL, "SOL_OK without text");
		/* libxml2 turns invalid bytes into U+FFFD or drops them; the
		 * cleaner must not cut a character in half either way. */
		fuzz_check_record(&r, sol_utf8_valid(html, size));
	}
	sol_record_release(&r);
	free(html);
	return 0;
}
