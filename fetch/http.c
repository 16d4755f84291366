/*
 * http.c - small HTTP helpers shared by the fetcher and the WARC reader:
 * header lookup in a raw header block, Content-Type, status lines, and
 * undoing Content-Encoding with zlib.
 */
#include "fetch_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

static void trim(const char **b, const char **e)
{
	while (*b < *e && isspace((unsigned char)**b))
		(*b)++;
	while (*e > *b && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

sol_status fch__parse_content_type(const char *value, char **media, char **charset)
{
	const char *b = value, *e, *semi;

	*media = NULL;
	*charset = NULL;
	if (!value)
		return SOL_OK;
	semi = strchr(value, ';');
	e = semi ? semi : value + strlen(value);
	trim(&b, &e);
	if (e > b) {
		*media = strndup(b, (size_t)(e - b));
		if (!*media)
			return SOL_ERR_NOMEM;
		for (char *p = *media; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	while (semi) {
		const char *pb = semi + 1, *pe, *eq;
		semi = strchr(pb, ';');
		pe = semi ? semi : pb + strlen(pb);
		eq = memchr(pb, '=', (size_t)(pe - pb));
		if (!eq)
			continue;
		const char *nb = pb, *ne = eq, *vb = eq + 1, *ve = pe;
		trim(&nb, &ne);
		trim(&vb, &ve);
		if (ne - nb != 7 || strncasecmp(nb, "charset", 7))
			continue;
		if (ve - vb >= 2 && (*vb == '"' || *vb == '\'') && ve[-1] == *vb) {
			vb++;
			ve--;
		}
		if (ve > vb) {
			free(*charset);
			*charset = strndup(vb, (size_t)(ve - vb));
			if (!*charset) {
				free(*media);
				*media = NULL;
				return SOL_ERR_NOMEM;
			}
		}
	}
	return SOL_OK;
}

int fch__header_value(const char *block, size_t len, const char *name, sol_buf *out)
{
	size_t nlen = strlen(name);
	const char *p = block, *end = block + len;
	int found = 0;

	/* Skip the status line: "HTTP/1.1 200 OK" has no header name. */
	const char *nl = memchr(p, '\n', len);
	p = nl ? nl + 1 : end;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;
		if ((size_t)(le - p) > nlen && !strncasecmp(p, name, nlen) && p[nlen] == ':') {
			const char *vb = p + nlen + 1, *ve = le;
			trim(&vb, &ve);
			sol_buf_reset(out);
			/* The last of repeated headers wins, as curl does for
			 * CURLINFO_CONTENT_TYPE. */
			if (sol_buf_add(out, vb, (size_t)(ve - vb)) != SOL_OK)
				return found;
			found = 1;
		}
		p = eol ? eol + 1 : end;
	}
	return found;
}

long fch__status_line(const char *block, size_t len, sol_buf *reason)
{
	const char *end = block + len, *p = block, *eol;
	long code = 0;

	if (len < 12 || strncmp(block, "HTTP/", 5))
		return 0;
	while (p < end && *p != ' ')
		p++;
	while (p < end && *p == ' ')
		p++;
	for (int i = 0; i < 3 && p < end && isdigit((unsigned char)*p); i++, p++)
		code = code * 10 + (*p - '0');
	if (code < 100 || code > 999)
		return 0;
	if (reason) {
		const char *rb = p, *re;
		eol = memchr(p, '\n', (size_t)(end - p));
		re = eol ? eol : end;
		trim(&rb, &re);
		sol_buf_reset(reason);
		sol_buf_add(reason, rb, (size_t)(re - rb));
	}
	return code;
}

/* Append what inflate produced, refusing to pass the body size cap
 * (checked after decompression too: a small gzip can unpack huge). */
static sol_status add_capped(sol_buf *out, const unsigned char *p, size_t n, size_t max)
{
	if (out->len + n > max)
		return SOL_ERR_TOOBIG;
	return sol_buf_add(out, p, n);
}

/* inflate with a window that accepts what servers actually send:
 * gzip (RFC 1952), zlib-wrapped deflate (RFC 1950, what "deflate" means)
 * and, since many servers get that wrong, raw deflate. */
static sol_status inflate_into(const unsigned char *raw, size_t n, int window_bits, size_t max,
			       sol_buf *out, int *bad_data)
{
	z_stream zs;
	unsigned char chunk[16384];
	sol_status st = SOL_OK;
	int zr;

	*bad_data = 0;
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, window_bits) != Z_OK)
		return SOL_ERR_NOMEM;
	zs.next_in = (unsigned char *)raw;
	zs.avail_in = (uInt)n;  /* bodies are capped well below 4 GiB */
	do {
		zs.next_out = chunk;
		zs.avail_out = sizeof chunk;
		zr = inflate(&zs, Z_NO_FLUSH);
		if (zr == Z_STREAM_END && zs.avail_in > 0 && (window_bits & 16)) {
			/* Concatenated gzip members are one body (RFC 1952 2.2). */
			if ((st = add_capped(out, chunk, sizeof chunk - zs.avail_out, max)) != SOL_OK)
				break;
			inflateReset(&zs);
			zr = Z_OK;
			continue;
		}
		if (zr != Z_OK && zr != Z_STREAM_END && !(zr == Z_BUF_ERROR && zs.avail_in == 0)) {
			*bad_data = 1;
			st = SOL_ERR_INPUT;
			break;
		}
		if ((st = add_capped(out, chunk, sizeof chunk - zs.avail_out, max)) != SOL_OK)
			break;
		if (zr == Z_BUF_ERROR)
			break;  /* input ended without a stream end: keep what we have */
	} while (zr != Z_STREAM_END);
	inflateEnd(&zs);
	return st;
}

sol_status fch__decode_body(const char *encoding, const unsigned char *raw, size_t n,
			    size_t max, sol_buf *out, sol_err *err)
{
	sol_status st;
	int bad;

	sol_buf_reset(out);
	if (!encoding || !*encoding || !strcasecmp(encoding, "identity")) {
		if (n > max)
			return sol_err_set(err, SOL_ERR_TOOBIG, "body of %zu bytes is over the %zu-byte limit", n, max);
		st = sol_buf_add(out, raw, n);
		return st == SOL_OK ? SOL_OK : sol_err_set(err, st, "out of memory");
	}
	if (!strcasecmp(encoding, "gzip") || !strcasecmp(encoding, "x-gzip")) {
		st = inflate_into(raw, n, 15 + 16, max, out, &bad);
	} else if (!strcasecmp(encoding, "deflate")) {
		st = inflate_into(raw, n, 15, max, out, &bad);
		if (st != SOL_OK && bad) {
			sol_buf_reset(out);
			st = inflate_into(raw, n, -15, max, out, &bad);
		}
	} else {
		return sol_err_set(err, SOL_ERR_INPUT, "unsupported Content-Encoding '%s'", encoding);
	}
	if (st == SOL_ERR_TOOBIG)
		return sol_err_set(err, st, "body decompresses to more than the %zu-byte limit", max);
	if (st != SOL_OK)
		return sol_err_set(err, st, bad ? "corrupt %s body" : "out of memory decoding %s body",
				   encoding);
	return SOL_OK;
}
