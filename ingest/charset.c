/*
 * charset.c - bytes of unknown encoding to NFC UTF-8.
 *
 * The evidence is taken in the order a browser takes it (WHATWG "encoding
 * sniffing"): byte order mark, the HTTP header, a <meta> declaration in the
 * first bytes, then statistical detection (uchardet). Conversion goes
 * through ICU's converters and normalisation through ICU's NFC instance;
 * nothing here knows a code page table itself.
 */
#include "clean.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uchardet/uchardet.h>
#include <unicode/ucnv.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

/* How far into an HTML document a <meta charset> is looked for. WHATWG says
 * 1024 bytes; real pages put it after long comment headers, so be generous. */
#define META_SCAN_BYTES 8192
/* Detection gains nothing from more text than this, and costs time. */
#define DETECT_BYTES (256u * 1024)

static int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int is_label_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == ':';
}

/*
 * Map a declared label to the name ICU should open. Browsers read
 * "iso-8859-1" and "us-ascii" as windows-1252 (pages so labelled use 0x80-0x9F
 * for curly quotes), and a <meta> that claims UTF-16 in an ASCII-readable
 * file is wrong by construction, so both are corrected here. Returns NULL
 * for a label ICU cannot open.
 */
static const char *canonical_label(const char *label, int from_meta, char *store, size_t store_len)
{
	static const char *const latin1[] = { "iso-8859-1", "iso8859-1", "latin1", "latin-1",
					      "l1", "us-ascii", "ascii", "iso_8859-1", "cp819",
					      "ibm819", "iso-ir-100", "x-cp1252", "cp1252", NULL };
	UErrorCode uerr = U_ZERO_ERROR;
	UConverter *conv;
	size_t i;

	for (i = 0; label[i] && i + 1 < store_len; i++)
		store[i] = (char)ascii_lower((unsigned char)label[i]);
	store[i] = '\0';
	if (!store[0])
		return NULL;
	for (i = 0; latin1[i]; i++)
		if (strcmp(store, latin1[i]) == 0)
			return "windows-1252";
	if (strcmp(store, "utf8") == 0 || strcmp(store, "utf-8") == 0 ||
	    strcmp(store, "unicode-1-1-utf-8") == 0)
		return "UTF-8";
	if (from_meta && strncmp(store, "utf-16", 6) == 0)
		return "UTF-8";
	if (strcmp(store, "gb2312") == 0 || strcmp(store, "x-gbk") == 0)
		return "GBK";
	if (strcmp(store, "iso-8859-9") == 0 || strcmp(store, "latin5") == 0)
		return "windows-1254";
	if (strcmp(store, "tis-620") == 0 || strcmp(store, "iso-8859-11") == 0)
		return "windows-874";
	if (strcmp(store, "euc-kr") == 0 || strcmp(store, "ks_c_5601-1987") == 0)
		return "windows-949";
	conv = ucnv_open(store, &uerr);
	if (U_FAILURE(uerr) || !conv)
		return NULL;
	ucnv_close(conv);
	return store;
}

/* BOM sniffing: the one piece of evidence that overrides everything. */
static const char *sniff_bom(const unsigned char *b, size_t n, size_t *skip)
{
	if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		*skip = 3;
		return "UTF-8";
	}
	if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
		*skip = 2;
		return "UTF-16BE";
	}
	if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
		*skip = 2;
		return "UTF-16LE";
	}
	*skip = 0;
	return NULL;
}

static int ci_prefix(const unsigned char *p, const unsigned char *end, const char *word)
{
	for (; *word; word++, p++)
		if (p >= end || ascii_lower(*p) != *word)
			return 0;
	return 1;
}

/*
 * Find "charset=LABEL" inside the first <meta> tag that has one. This is the
 * WHATWG prescan in miniature (it runs before we know how to decode, so the
 * HTML parser cannot do it); it covers both <meta charset=x> and
 * <meta http-equiv content="text/html; charset=x">.
 */
static int prescan_meta(const unsigned char *b, size_t n, char *label, size_t label_len)
{
	const unsigned char *end = b + (n < META_SCAN_BYTES ? n : META_SCAN_BYTES);
	const unsigned char *p = b;

	while (p < end) {
		const unsigned char *lt = memchr(p, '<', (size_t)(end - p));
		const unsigned char *q;
		if (!lt)
			break;
		p = lt + 1;
		if (!ci_prefix(p, end, "meta"))
			continue;
		for (q = p + 4; q < end && *q != '>'; q++) {
			size_t len = 0;
			if (!ci_prefix(q, end, "charset"))
				continue;
			q += 7;
			while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
				q++;
			if (q >= end || *q != '=')
				continue;
			q++;
			while (q < end && (*q == ' ' || *q == '"' || *q == '\'' || *q == '\t'))
				q++;
			while (q + len < end && is_label_char(q[len]) && len + 1 < label_len)
				len++;
			if (len) {
				memcpy(label, q, len);
				label[len] = '\0';
				return 1;
			}
		}
		p = q;
	}
	return 0;
}

/* uchardet's guess, or NULL when it has none (it answers "" then). */
static const char *detect(const unsigned char *b, size_t n, char *store, size_t store_len,
			  sol_err *err)
{
	uchardet_t ud = uchardet_new();
	const char *name;
	const char *result = NULL;

	if (!ud) {
		sol_err_set(err, SOL_ERR_NOMEM, "charset detection: out of memory");
		return NULL;
	}
	if (uchardet_handle_data(ud, (const char *)b, n < DETECT_BYTES ? n : DETECT_BYTES) == 0) {
		uchardet_data_end(ud);
		name = uchardet_get_charset(ud);
		if (name && *name)
			result = canonical_label(name, 0, store, store_len);
	}
	uchardet_delete(ud);
	return result;
}

static int is_ascii(const unsigned char *b, size_t n)
{
	size_t i;
	unsigned char acc = 0;
	for (i = 0; i < n; i++)
		acc |= b[i];
	return acc < 0x80;
}

/* Bytes of UTF-8 checked for NFC at a time: the check needs UTF-16, and a
 * fixed window keeps a large page from costing four times its size in a
 * UTF-16 copy (the peak memory of a batch is its largest page's). */
#define NFC_WINDOW (32u * 1024)

/*
 * Whether valid UTF-8 (the caller has checked) is already NFC, so that it
 * can be copied as it is: through UTF-16 and back it would come out byte
 * for byte the same. The text is checked a window at a time, each ending just before an ASCII
 * byte: an ASCII character never combines with or reorders against what
 * precedes it, so the windows' verdicts add up to the whole text's. Any
 * doubt (a window without ASCII, a "maybe" from the quick check) answers
 * no, and the caller takes the full conversion.
 */
static int utf8_is_nfc(const unsigned char *b, size_t n)
{
	UChar u[NFC_WINDOW + 16];
	UErrorCode uerr = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&uerr);
	size_t at = 0;

	if (U_FAILURE(uerr))
		return 0;
	while (at < n) {
		size_t end = n - at <= NFC_WINDOW ? n : at + NFC_WINDOW;
		int32_t ulen = 0;
		while (end < n && end > at && b[end] >= 0x80)
			end--;
		if (end == at)
			return 0;
		u_strFromUTF8(u, (int32_t)(sizeof u / sizeof *u), &ulen, (const char *)b + at,
			      (int32_t)(end - at), &uerr);
		if (U_FAILURE(uerr) || unorm2_spanQuickCheckYes(nfc, u, ulen, &uerr) != ulen ||
		    U_FAILURE(uerr))
			return 0;
		at = end;
	}
	return 1;
}

/* NUL bytes end C strings downstream and mean nothing in text; a space keeps
 * the words on either side apart. */
static void blank_nuls(sol_buf *out, size_t from)
{
	char *p = out->data + from;
	char *end = out->data + out->len;
	while ((p = memchr(p, '\0', (size_t)(end - p))) != NULL)
		*p++ = ' ';
}

/*
 * UTF-16 to NFC UTF-8 appended to out. Text that is already NFC (nearly all
 * of it) skips the normalisation copy.
 */
static sol_status utf16_to_nfc_utf8(const UChar *u, int32_t ulen, sol_buf *out, sol_err *err)
{
	UErrorCode uerr = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&uerr);
	UChar *norm = NULL;
	const UChar *src = u;
	int32_t srclen = ulen, need, span;
	sol_status st = SOL_OK;

	if (U_FAILURE(uerr))
		return sol_err_set(err, SOL_ERR_INPUT, "NFC normaliser unavailable: %s",
				   u_errorName(uerr));
	span = unorm2_spanQuickCheckYes(nfc, u, ulen, &uerr);
	if (U_SUCCESS(uerr) && span < ulen) {
		int32_t cap = ulen + ulen / 4 + 16;
		norm = malloc((size_t)cap * sizeof *norm);
		if (!norm)
			return sol_err_set(err, SOL_ERR_NOMEM, "NFC: out of memory");
		uerr = U_ZERO_ERROR;
		need = unorm2_normalize(nfc, u, ulen, norm, cap, &uerr);
		if (uerr == U_BUFFER_OVERFLOW_ERROR) {
			UChar *bigger = realloc(norm, (size_t)(need + 1) * sizeof *norm);
			if (!bigger) {
				st = sol_err_set(err, SOL_ERR_NOMEM, "NFC: out of memory");
				goto out;
			}
			norm = bigger;
			uerr = U_ZERO_ERROR;
			need = unorm2_normalize(nfc, u, ulen, norm, need + 1, &uerr);
		}
		if (U_FAILURE(uerr)) {
			st = sol_err_set(err, SOL_ERR_INPUT, "NFC normalisation failed: %s",
					 u_errorName(uerr));
			goto out;
		}
		src = norm;
		srclen = need;
	}
	/* Each UTF-16 unit becomes at most 3 UTF-8 bytes. */
	if ((st = sol_buf_grow(out, (size_t)srclen * 3 + 1)) != SOL_OK) {
		sol_err_set(err, st, "decoded text exceeds the size limit");
		goto out;
	}
	uerr = U_ZERO_ERROR;
	u_strToUTF8WithSub(out->data + out->len, (int32_t)(out->cap - out->len - 1), &need, src,
			   srclen, 0xFFFD, NULL, &uerr);
	if (U_FAILURE(uerr)) {
		st = sol_err_set(err, SOL_ERR_INPUT, "UTF-8 encoding failed: %s", u_errorName(uerr));
		goto out;
	}
	out->len += (size_t)need;
	out->data[out->len] = '\0';
out:
	free(norm);
	return st;
}

/* Convert bytes in charset `name` (an ICU name) to NFC UTF-8 appended to out.
 * Invalid sequences become U+FFFD (ICU's substitution callback). valid_utf8:
 * the bytes are known to be valid UTF-8. */
static sol_status convert(const unsigned char *b, size_t n, const char *name, int valid_utf8,
			  sol_buf *out, sol_err *err)
{
	UErrorCode uerr = U_ZERO_ERROR;
	UConverter *conv = NULL;
	UChar *u = NULL;
	int32_t ulen;
	size_t from = out->len;
	sol_status st = SOL_OK;

	if (n > (size_t)INT32_MAX / 2 - 16)
		return sol_err_set(err, SOL_ERR_TOOBIG, "document too large to decode (%zu bytes)", n);
	if (strcmp(name, "UTF-8") == 0 && (is_ascii(b, n) || (valid_utf8 && utf8_is_nfc(b, n)))) {
		if ((st = sol_buf_add(out, b, n)) != SOL_OK)
			return sol_err_set(err, st, "decoded text exceeds the size limit");
		blank_nuls(out, from);
		return SOL_OK;
	}
	/* Every byte yields at most one UTF-16 unit in the charsets in use, and
	 * UTF-8 at most one unit a byte; 2n+16 is safe for the rest. */
	u = malloc(((size_t)n * 2 + 16) * sizeof *u);
	if (!u)
		return sol_err_set(err, SOL_ERR_NOMEM, "decoding %s: out of memory", name);
	if (strcmp(name, "UTF-8") == 0) {
		u_strFromUTF8WithSub(u, (int32_t)(n * 2 + 16), &ulen, (const char *)b, (int32_t)n,
				     0xFFFD, NULL, &uerr);
	} else {
		conv = ucnv_open(name, &uerr);
		if (U_FAILURE(uerr)) {
			st = sol_err_set(err, SOL_ERR_INPUT, "charset %s cannot be opened: %s", name,
					 u_errorName(uerr));
			goto out;
		}
		ulen = ucnv_toUChars(conv, u, (int32_t)(n * 2 + 16), (const char *)b, (int32_t)n,
				     &uerr);
	}
	if (U_FAILURE(uerr)) {
		st = sol_err_set(err, SOL_ERR_INPUT, "decoding as %s failed: %s", name,
				 u_errorName(uerr));
		goto out;
	}
	if ((st = utf16_to_nfc_utf8(u, ulen, out, err)) != SOL_OK)
		goto out;
	blank_nuls(out, from);
out:
	if (conv)
		ucnv_close(conv);
	free(u);
	return st;
}

/* UTF-16 without a BOM: text in Latin script has a NUL as every other
 * byte, odd bytes for little-endian, even for big-endian. Such bytes are
 * valid UTF-8 too (NUL is), so this is asked before the UTF-8 check. */
static const char *sniff_utf16(const unsigned char *b, size_t n)
{
	size_t look = n < 4096 ? n : 4096, even = 0, odd = 0;

	if (look < 8)
		return NULL;
	look &= ~(size_t)1;
	for (size_t i = 0; i < look; i += 2) {
		even += b[i] == 0;
		odd += b[i + 1] == 0;
	}
	/* nine in ten of one half NUL, almost none of the other */
	if (odd * 10 >= look / 2 * 9 && even * 20 < look / 2)
		return "UTF-16LE";
	if (even * 10 >= look / 2 * 9 && odd * 20 < look / 2)
		return "UTF-16BE";
	return NULL;
}

sol_status ing_decode(const unsigned char *bytes, size_t n, const char *http_charset,
		      int is_html, sol_buf *out, char **charset, char **charset_from,
		      sol_err *err)
{
	char label[64], store[64];
	const char *name = NULL, *from = NULL;
	size_t skip = 0;
	int valid_utf8;
	sol_status st;

	if (charset)
		*charset = NULL;
	if (charset_from)
		*charset_from = NULL;
	if (!bytes && n)
		return sol_err_set(err, SOL_ERR_INPUT, "decode: no bytes given for %zu-byte input", n);
	if (!bytes)
		bytes = (const unsigned char *)"";

	if ((name = sniff_bom(bytes, n, &skip)) != NULL) {
		from = "bom";
	} else if (http_charset && (name = canonical_label(http_charset, 0, store, sizeof store))) {
		from = "http";
	} else if (is_html && prescan_meta(bytes, n, label, sizeof label) &&
		   (name = canonical_label(label, 1, store, sizeof store))) {
		from = "meta";
	}
	bytes += skip;
	n -= skip;

	/* A declared UTF-8 that is not UTF-8 is the commonest lie on the web
	 * (a CMS template that says UTF-8 around windows-1252 content). */
	if (name && strcmp(name, "UTF-8") == 0 && strcmp(from, "bom") != 0 &&
	    !sol_utf8_valid((const char *)bytes, n)) {
		name = NULL;
		from = NULL;
	}
	if (!name && (name = sniff_utf16(bytes, n)) != NULL)
		from = "detected";
	if (!name) {
		if (sol_utf8_valid((const char *)bytes, n)) {
			name = "UTF-8";
			from = "utf-8";
		} else if ((name = detect(bytes, n, store, sizeof store, err)) != NULL &&
			   strcmp(name, "UTF-8") != 0) {
			from = "detected";
		} else {
			/* Not UTF-8 and nothing better known: windows-1252 decodes every
			 * byte, and is what such pages almost always are. */
			name = "windows-1252";
			from = "fallback";
		}
	}
	/* UTF-8 has been checked above, unless a byte order mark named it */
	valid_utf8 = strcmp(name, "UTF-8") == 0 &&
		     (strcmp(from, "bom") != 0 || sol_utf8_valid((const char *)bytes, n));
	if ((st = convert(bytes, n, name, valid_utf8, out, err)) != SOL_OK)
		return st;
	if (charset) {
		*charset = sol_strdup(name);
		if (!*charset)
			return sol_err_set(err, SOL_ERR_NOMEM, "decode: out of memory");
	}
	if (charset_from) {
		*charset_from = sol_strdup(from);
		if (!*charset_from) {
			if (charset) {
				free(*charset);
				*charset = NULL;
			}
			return sol_err_set(err, SOL_ERR_NOMEM, "decode: out of memory");
		}
	}
	return SOL_OK;
}
