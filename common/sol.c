/*
 * sol.c - status strings, error values, the growable buffer and small
 * helpers shared by every stage.
 */
#include "sol.h"

#include <errno.h>
#include <fcntl.h>
#include <sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *sol_status_to_string(sol_status st)
{
	switch (st) {
	case SOL_OK: return "ok";
	case SOL_ERR_NOMEM: return "out of memory";
	case SOL_ERR_IO: return "i/o error";
	case SOL_ERR_INPUT: return "unusable input";
	case SOL_ERR_TOOBIG: return "too big";
	case SOL_ERR_PARSE: return "parse error";
	case SOL_ERR_DB: return "database error";
	case SOL_ERR_LOCKED: return "database locked";
	case SOL_ERR_VERSION: return "version mismatch";
	case SOL_ERR_NOTFOUND: return "not found";
	case SOL_ERR_USAGE: return "usage error";
	}
	return "unknown error";
}

sol_status sol_err_set(sol_err *err, sol_status st, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		err->status = st;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return st;
}

void sol_err_clear(sol_err *err)
{
	if (err) {
		err->status = SOL_OK;
		err->msg[0] = '\0';
	}
}

void sol_buf_init(sol_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void sol_buf_release(sol_buf *b)
{
	free(b->data);
	sol_buf_init(b, b->max);
}

void sol_buf_reset(sol_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

sol_status sol_buf_grow(sol_buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return SOL_ERR_TOOBIG;
	need = b->len + extra + 1;
	if (b->max && need - 1 > b->max)
		return SOL_ERR_TOOBIG;
	if (need <= b->cap)
		return SOL_OK;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	p = realloc(b->data, ncap);
	if (!p)
		return SOL_ERR_NOMEM;
	b->data = p;
	b->cap = ncap;
	return SOL_OK;
}

sol_status sol_buf_add_slow(sol_buf *b, const void *p, size_t n)
{
	sol_status st = sol_buf_grow(b, n);
	if (st != SOL_OK)
		return st;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return SOL_OK;
}

sol_status sol_buf_adds(sol_buf *b, const char *s)
{
	return sol_buf_add(b, s, strlen(s));
}

sol_status sol_buf_addf(sol_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	sol_status st;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return SOL_ERR_INPUT;
	st = sol_buf_grow(b, (size_t)n);
	if (st != SOL_OK)
		return st;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return SOL_OK;
}

char *sol_buf_detach(sol_buf *b, size_t *len_out)
{
	char *p = b->data;
	if (len_out)
		*len_out = b->len;
	if (!p)
		p = calloc(1, 1);
	sol_buf_init(b, b->max);
	return p;
}

char *sol_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *sol_strndup(const char *s, size_t n)
{
	return s ? strndup(s, n) : NULL;
}

sol_status sol_read_file(const char *path, size_t max, sol_buf *out, sol_err *err)
{
	FILE *f;
	char chunk[65536];
	size_t n;
	sol_status st = SOL_OK;
	struct stat sb;

	f = fopen(path, "rb");
	if (!f)
		return sol_err_set(err, SOL_ERR_IO, "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &sb) != 0)
		memset(&sb, 0, sizeof sb); /* no size hint; the reads still tell */
	if (S_ISDIR(sb.st_mode)) {
		fclose(f);
		return sol_err_set(err, SOL_ERR_IO, "%s: is a directory", path);
	}
	sol_buf_init(out, max);
	/* A regular file's size is known: one allocation of exactly that, not
	 * a doubling one (a batch's peak memory is its largest file's). The
	 * size is only a hint; the loop reads what is really there. */
	if (S_ISREG(sb.st_mode) && sb.st_size > 0 && (!max || (unsigned long long)sb.st_size <= max) &&
	    (st = sol_buf_grow(out, (size_t)sb.st_size)) != SOL_OK) {
		sol_err_set(err, st, "%s: out of memory", path);
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		st = sol_buf_add(out, chunk, n);
		if (st == SOL_ERR_TOOBIG) {
			sol_err_set(err, st, "%s: larger than the limit of %zu bytes", path, max);
			goto out;
		} else if (st != SOL_OK) {
			sol_err_set(err, st, "%s: out of memory", path);
			goto out;
		}
	}
	if (ferror(f))
		st = sol_err_set(err, SOL_ERR_IO, "%s: read error: %s", path, strerror(errno));
	else if (!out->data)
		st = sol_buf_add(out, "", 0);
out:
	fclose(f);
	if (st != SOL_OK)
		sol_buf_release(out);
	return st;
}

/* libmd, not OpenSSL: loading libcrypto cost each short-lived program
 * (solent, solent-search) about 2.5 million instructions of relocation
 * before main, a fifth of a whole search. Bulk hashing in solent-ingest
 * uses OpenSSL's faster SHA-256 itself (ingest/process.c). */
void sol_sha256_hex(const void *data, size_t n, char hex[65])
{
	SHA256Data(data, n, hex);
}

void sol_now_iso(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int sol_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t len;
		unsigned cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2; cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3; cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4; cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* reject overlong forms, surrogates and values past U+10FFFF */
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

sol_status sol_write_file(const char *path, const void *data, size_t len, sol_err *err)
{
	const char *p = data;
	sol_buf tmp;
	sol_status st = SOL_OK;
	int fd, e = 0;

	sol_buf_init(&tmp, 0);
	if (sol_buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid()) != SOL_OK) {
		st = sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", path);
		goto out;
	}
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		st = sol_err_set(err, SOL_ERR_IO, "%s: %s", tmp.data, strerror(errno));
		goto out;
	}
	while (len && !e) {
		ssize_t k = write(fd, p, len);
		if (k > 0) {
			p += k;
			len -= (size_t)k;
		} else if (k == 0 || errno != EINTR) {
			e = k == 0 ? EIO : errno;
		}
	}
	/* synced before the rename: a crash leaves the old file or the whole
	 * new one, not the new name over blocks never written */
	if (!e && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && !e)
		e = errno;
	if (!e && rename(tmp.data, path) != 0)
		e = errno;
	if (e) {
		unlink(tmp.data);
		st = sol_err_set(err, SOL_ERR_IO, "%s: %s", path, strerror(e));
	}
out:
	sol_buf_release(&tmp);
	return st;
}
