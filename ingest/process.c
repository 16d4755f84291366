/*
 * process.c - one document through the ingest stage: sniff the type,
 * decode to UTF-8, clean, extract, hash. The stage's public contract is
 * ingest.h; cleaning and extraction live in their own files.
 */
#include "ingest.h"
#include "clean.h"
#include "docs_int.h"
#include "extract.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ing_ctx {
	ing_extractor *ex;
};

ing_ctx *ing_ctx_new(const ing_options *opts, sol_err *err)
{
	ing_ctx *ctx = calloc(1, sizeof *ctx);
	if (!ctx) {
		sol_err_set(err, SOL_ERR_NOMEM, "out of memory");
		return NULL;
	}
	ctx->ex = ing_extractor_new(opts ? opts->rules_dir : NULL, err);
	if (!ctx->ex) {
		free(ctx);
		return NULL;
	}
	return ctx;
}

void ing_ctx_free(ing_ctx *ctx)
{
	if (!ctx)
		return;
	ing_extractor_free(ctx->ex);
	free(ctx);
}

static int has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	return n >= k && !strcasecmp(name + n - k, suffix);
}

/* Does the start of the document look like markup? Only the first few KB
 * are looked at: enough for any doctype, comment or head. */
static int looks_like_html(const unsigned char *b, size_t len)
{
	static const char *const marks[] = { "<!doctype html", "<html", "<head", "<body",
					     "<meta", "<title", "<div", "<p>", "<table", "<article" };
	size_t n = len < 4096 ? len : 4096;
	for (size_t i = 0; i < n; i++) {
		if (b[i] != '<')
			continue;
		for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++) {
			size_t m = strlen(marks[k]);
			if (i + m <= len && !strncasecmp((const char *)b + i, marks[k], m))
				return 1;
		}
	}
	return 0;
}

const char *ing_sniff_type(const unsigned char *b, size_t len, const char *name)
{
	size_t n = len < 8192 ? len : 8192;
	int utf16 = len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF));
	size_t nuls = 0;

	/* Binary formats we read are known by their magic bytes, before the
	 * NUL count below would call them binary; the name is never trusted. */
	if (len >= 5 && !memcmp(b, "%PDF-", 5))
		return ING_TYPE_PDF;
	if (len >= 4 && !memcmp(b, "PK\x03\x04", 4))
		return ing__sniff_zip(b, len);
	for (size_t i = 0; i < n; i++)
		nuls += b[i] == 0;
	if (nuls && !utf16) {
		/* UTF-16 without a BOM: every other byte NUL in ASCII text */
		if (nuls * 3 < n)
			return NULL;
	}
	if (name && (has_suffix(name, ".html") || has_suffix(name, ".htm") ||
		     has_suffix(name, ".xhtml")))
		return "text/html";
	if (!nuls && looks_like_html(b, len))
		return "text/html";
	return "text/plain";
}

static sol_status decode_and_clean(const ing_input *in, const char *type, sol_record *r,
				   sol_err *err)
{
	sol_buf utf8;
	sol_status st;
	int is_html = !strcmp(type, "text/html");

	sol_buf_init(&utf8, 0);
	st = ing_decode(in->bytes, in->len, in->http_charset, is_html, &utf8,
			&r->charset, &r->charset_from, err);
	if (st != SOL_OK)
		goto out;
	if (is_html)
		st = ing_clean_html(utf8.data ? utf8.data : "", utf8.len, r, err);
	else
		st = ing_clean_text(utf8.data ? utf8.data : "", utf8.len, r, err);
out:
	sol_buf_release(&utf8);
	return st;
}

/* SHA-256 of n bytes as lower-case hex, through OpenSSL: ingest hashes
 * every input and every text (MB/s matter here, and OpenSSL's is several
 * times faster than the portable one in common/). */
static void sha256_hex(const void *data, size_t n, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	static const char digits[] = "0123456789abcdef";

	EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL);
	for (unsigned int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v'))
			return 0;
	return 1;
}

sol_status ing_clean_input(ing_ctx *ctx, const ing_input *in, sol_record *r, sol_err *err)
{
	const char *type;
	char hex[65], now[21];
	sol_status st;

	sol_record_init(r);
	if (!in->source)
		return sol_err_set(err, SOL_ERR_USAGE, "input has no source");
	if (in->len > ING_DEFAULT_MAX_BYTES)
		return sol_err_set(err, SOL_ERR_TOOBIG, "%s: %zu bytes is over the %u-byte limit",
				   in->source, in->len, ING_DEFAULT_MAX_BYTES);
	/* Nothing to read is a failure the batch report should name, not an
	 * empty document indexed under the name (a zero-byte "report.pdf" is
	 * a failed download or copy). */
	if (in->len == 0)
		return sol_err_set(err, SOL_ERR_INPUT, "%s: empty file (0 bytes)", in->source);
	type = in->content_type && (strstr(in->content_type, "html") || strstr(in->content_type, "text/plain"))
		? (strstr(in->content_type, "html") ? "text/html" : "text/plain")
		: ing_sniff_type(in->bytes, in->len, in->source);
	if (!type)
		return sol_err_set(err, SOL_ERR_INPUT, "%s: binary or unsupported content (not HTML, text, PDF, DOCX or ODT)",
				   in->source);

	r->source = strdup(in->source);
	r->content_type = strdup(type);
	r->original_url = sol_strdup(in->original_url);
	r->fetched_at = sol_strdup(in->fetched_at);
	sha256_hex(in->bytes, in->len, hex);
	r->sha256 = strdup(hex);
	r->size = in->len;
	sol_now_iso(now);
	r->ingested_at = strdup(now);
	if (!r->source || !r->content_type || !r->sha256 || !r->ingested_at) {
		st = sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", in->source);
		goto out;
	}

	if (!strcmp(type, ING_TYPE_PDF))
		st = ing__read_pdf(in->bytes, in->len, in->source, r, err);
	else if (!strcmp(type, ING_TYPE_DOCX) || !strcmp(type, ING_TYPE_ODT))
		st = ing__read_office(in->bytes, in->len, type, in->source, r, err);
	else
		st = decode_and_clean(in, type, r, err);
	if (st != SOL_OK)
		goto out;
	if (!r->text) {
		st = sol_err_set(err, SOL_ERR_INPUT, "%s: no text", in->source);
		goto out;
	}
	/* Nothing a reader could see, not even a title (a file of NULs, of
	 * spaces, a page that is only markup): an error naming the file beats
	 * an empty document nobody can ever find. A page of navigation alone
	 * keeps its title and is indexed. */
	if (blank(r->text, r->text_len) && (!r->title || blank(r->title, strlen(r->title)))) {
		st = sol_err_set(err, SOL_ERR_INPUT, "%s: no text and no title (empty, or only control bytes or markup)",
				 in->source);
		goto out;
	}
	(void)ctx; /* cleaning needs nothing compiled; extraction does */
	sha256_hex(r->text, r->text_len, hex);
	sol_record_set_text_sha256(r, hex);
out:
	if (st != SOL_OK)
		sol_record_release(r);
	return st;
}

sol_status ing_extract_record(ing_ctx *ctx, sol_record *r, sol_err *err)
{
	sol_status st = ing_extract(ctx->ex, r, err);

	if (st != SOL_OK)
		sol_record_release(r);
	return st;
}

sol_status ing_process(ing_ctx *ctx, const ing_input *in, sol_record *r, sol_err *err)
{
	sol_status st = ing_clean_input(ctx, in, r, err);
	return st == SOL_OK ? ing_extract_record(ctx, r, err) : st;
}
