/*
 * fuzz_decode - ing_decode, the charset path (BOM, HTTP charset, <meta>,
 * uchardet, ICU conversion, NFC). The first input byte picks the HTTP
 * charset and whether the bytes are HTML, so the fuzzer explores each
 * order of evidence; the rest are the document's bytes.
 *
 * Contract checked: on SOL_OK the output is valid UTF-8 and both charset
 * strings are set.
 */
#include "clean.h"
#include "fuzz_common.h"

static const char *const http_charsets[] = {
	NULL, "utf-8", "windows-1252", "iso-8859-1", "utf-16le", "utf-16", "shift_jis",
	"x-no-such-charset",
};

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *http;
	int is_html;
	sol_buf out;
	char *charset = NULL, *from = NULL;
	sol_err err;
	unsigned char *copy;

	if (size < 1)
		return 0;
	http = http_charsets[data[0] % (sizeof http_charsets / sizeof http_charsets[0])];
	is_html = (data[0] >> 3) & 1;
	/* An exact-size copy, so a read past the end is caught. */
	copy = (unsigned char *)fuzz_strndup(data + 1, size - 1);
	sol_buf_init(&out, 0);
	if (ing_decode(copy, size - 1, http, is_html, &out, &charset, &from, &err) == SOL_OK) {
		FUZZ_REQUIRE(charset && from, "SOL_OK without charset (%p) or charset_from (%p)",
			     (void *)charset, (void *)from);
		FUZZ_REQUIRE(sol_utf8_valid(out.data ? out.data : "", out.len),
			     "output of %zu bytes from %s (%s) is not UTF-8", out.len, charset, from);
	}
	sol_buf_release(&out);
	free(charset);
	free(from);
	free(copy);
	return 0;
}
