/*
 * warc_read.c - read WARC records back, from .warc.gz (zlib reads the
 * concatenated gzip members as one stream) or plain .warc, and turn the
 * HTTP responses in them into documents, so an index can be rebuilt from
 * the evidence without the network.
 */
#include "fetch_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#define HEADER_MAX (256u * 1024)   /* a WARC header block is a few hundred bytes */

struct fch__warc_reader {
	gzFile gz;
	char *path;
	size_t max_block;
	unsigned char buf[65536];
	size_t pos, fill;
	unsigned long long offset;  /* of buf[pos] in the uncompressed stream */
	int eof, error;
};

fch__warc_reader *fch__warc_reader_open(const char *path, size_t max_block, sol_err *err)
{
	fch__warc_reader *r = calloc(1, sizeof *r);

	if (!r || !(r->path = strdup(path))) {
		free(r);
		sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", path);
		return NULL;
	}
	r->max_block = max_block;
	r->gz = gzopen(path, "rb");
	if (!r->gz) {
		sol_err_set(err, SOL_ERR_IO, "%s: %s", path, errno ? strerror(errno) : "cannot open");
		free(r->path);
		free(r);
		return NULL;
	}
	gzbuffer(r->gz, 128 * 1024);
	return r;
}

void fch__warc_reader_close(fch__warc_reader *r)
{
	if (!r)
		return;
	gzclose(r->gz);
	free(r->path);
	free(r);
}

static int fill(fch__warc_reader *r)
{
	int n;

	if (r->pos < r->fill)
		return 1;
	if (r->eof)
		return 0;
	n = gzread(r->gz, r->buf, sizeof r->buf);
	if (n <= 0) {
		int zerr;
		gzerror(r->gz, &zerr);
		if (n < 0 || (zerr != Z_OK && zerr != Z_BUF_ERROR))
			r->error = 1;
		/* Z_BUF_ERROR at the end: the last gzip member was cut short. */
		if (zerr == Z_BUF_ERROR)
			r->error = 1;
		r->eof = 1;
		return 0;
	}
	r->pos = 0;
	r->fill = (size_t)n;
	return 1;
}

/* One line, the newline kept, into out (appended). 0 at end of input. */
static int read_line(fch__warc_reader *r, sol_buf *out, size_t max)
{
	int got = 0;
	while (fill(r)) {
		unsigned char *s = r->buf + r->pos;
		size_t avail = r->fill - r->pos;
		unsigned char *nl = memchr(s, '\n', avail);
		size_t take = nl ? (size_t)(nl - s) + 1 : avail;
		if (out->len + take > max)
			return -1;
		if (sol_buf_add(out, s, take) != SOL_OK)
			return -1;
		r->pos += take;
		r->offset += take;
		got = 1;
		if (nl)
			return 1;
	}
	return got;
}

/* Read n bytes into out, or skip them when out is NULL. */
static int read_bytes(fch__warc_reader *r, sol_buf *out, unsigned long long n)
{
	while (n > 0) {
		if (!fill(r))
			return 0;
		size_t avail = r->fill - r->pos;
		size_t take = n < avail ? (size_t)n : avail;
		if (out && sol_buf_add(out, r->buf + r->pos, take) != SOL_OK)
			return -1;
		r->pos += take;
		r->offset += take;
		n -= take;
	}
	return 1;
}

void fch__warc_record_init(fch__warc_record *rec)
{
	memset(rec, 0, sizeof *rec);
	sol_buf_init(&rec->headers, HEADER_MAX);
	sol_buf_init(&rec->block, 0);
}

void fch__warc_record_release(fch__warc_record *rec)
{
	sol_buf_release(&rec->headers);
	sol_buf_release(&rec->block);
	free(rec->target_uri);
	free(rec->date);
	fch__warc_record_init(rec);
}

int fch__warc_header(const fch__warc_record *rec, const char *name, sol_buf *out)
{
	/* The WARC header block has the same shape as an HTTP one: a version
	 * line, then "Name: value" lines. */
	return rec->headers.len && fch__header_value(rec->headers.data, rec->headers.len, name, out);
}

sol_status fch__warc_reader_next(fch__warc_reader *r, fch__warc_record *rec, int *eof,
				 sol_err *err)
{
	sol_buf value;
	unsigned long long length;
	char *end;
	int rc;
	sol_status st = SOL_OK;

	*eof = 0;
	fch__warc_record_release(rec);
	sol_buf_init(&value, 0);
	/* Blank lines between records are tolerated: some writers add more
	 * than the two CRLFs the standard asks for. */
	do {
		sol_buf_reset(&rec->headers);
		rc = read_line(r, &rec->headers, HEADER_MAX);
		rec->offset = r->offset - rec->headers.len;
	} while (rc == 1 && (rec->headers.data[0] == '\r' || rec->headers.data[0] == '\n'));
	if (rc == 0) {
		if (r->error) {
			st = sol_err_set(err, SOL_ERR_INPUT, "%s: truncated or corrupt gzip data near byte %llu",
					 r->path, r->offset);
			goto out;
		}
		*eof = 1;
		goto out;
	}
	if (rc < 0 || rec->headers.len < 6 || strncmp(rec->headers.data, "WARC/", 5)) {
		st = sol_err_set(err, SOL_ERR_INPUT, "%s: not a WARC record at byte %llu", r->path,
				 rec->offset);
		goto out;
	}
	for (;;) {
		size_t before = rec->headers.len;
		rc = read_line(r, &rec->headers, HEADER_MAX);
		if (rc <= 0) {
			st = sol_err_set(err, SOL_ERR_INPUT, "%s: record at byte %llu: header cut short",
					 r->path, rec->offset);
			goto out;
		}
		const char *line = rec->headers.data + before;
		if (line[0] == '\n' || (line[0] == '\r' && line[1] == '\n'))
			break;
	}
	if (!fch__warc_header(rec, "Content-Length", &value) || !value.len) {
		st = sol_err_set(err, SOL_ERR_INPUT, "%s: record at byte %llu has no Content-Length",
				 r->path, rec->offset);
		goto out;
	}
	errno = 0;
	length = strtoull(value.data, &end, 10);
	if (errno || *end) {
		st = sol_err_set(err, SOL_ERR_INPUT, "%s: record at byte %llu: bad Content-Length '%s'",
				 r->path, rec->offset, value.data);
		goto out;
	}
	if (fch__warc_header(rec, "WARC-Type", &value))
		snprintf(rec->type, sizeof rec->type, "%s", value.data ? value.data : "");
	if (fch__warc_header(rec, "WARC-Target-URI", &value) && value.len) {
		/* WARC 1.0 wrote the URI in angle brackets; 1.1 does not. */
		const char *u = value.data;
		size_t n = value.len;
		if (n >= 2 && u[0] == '<' && u[n - 1] == '>') {
			u++;
			n -= 2;
		}
		rec->target_uri = strndup(u, n);
	}
	if (fch__warc_header(rec, "WARC-Date", &value) && value.len)
		rec->date = strdup(value.data);
	if (r->max_block && length > r->max_block) {
		if (read_bytes(r, NULL, length) != 1) {
			st = sol_err_set(err, SOL_ERR_INPUT, "%s: record at byte %llu cut short",
					 r->path, rec->offset);
			goto out;
		}
		st = sol_err_set(err, SOL_ERR_TOOBIG, "%s: record at byte %llu: %llu-byte block is over the %zu-byte limit",
				 r->path, rec->offset, length, r->max_block);
		goto trailer;
	}
	rc = read_bytes(r, &rec->block, length);
	if (rc != 1) {
		st = sol_err_set(err, rc < 0 ? SOL_ERR_NOMEM : SOL_ERR_INPUT,
				 "%s: record at byte %llu cut short", r->path, rec->offset);
		goto out;
	}
trailer:
	/* The two CRLFs after the block; blank lines are skipped anyway at
	 * the start of the next call, so nothing is required here. */
out:
	sol_buf_release(&value);
	return st;
}

/* ---- responses as documents ---- */

static int is_robots(const char *uri)
{
	const char *p = strstr(uri, "://");
	if (!p)
		return 0;
	p = strchr(p + 3, '/');
	return p && !strcmp(p, "/robots.txt");
}

int fch_is_warc_name(const char *path)
{
	size_t n = strlen(path);
	return (n > 5 && !strcasecmp(path + n - 5, ".warc")) ||
	       (n > 8 && !strcasecmp(path + n - 8, ".warc.gz"));
}

sol_status fch_warc_read_docs(const char *path, size_t max_size, fch_warc_doc_fn fn,
			      fch_warc_skip_fn on_skip, void *arg, unsigned long *n_docs,
			      sol_err *err)
{
	fch__warc_reader *r;
	fch__warc_record rec;
	sol_buf value, body;
	sol_status st = SOL_OK;
	int eof = 0;

	if (n_docs)
		*n_docs = 0;
	if (!max_size)
		max_size = 64u * 1024 * 1024;
	/* Headers and the still-compressed body both fit in twice the cap. */
	r = fch__warc_reader_open(path, max_size * 2 + HEADER_MAX, err);
	if (!r)
		return err ? err->status : SOL_ERR_IO;
	fch__warc_record_init(&rec);
	sol_buf_init(&value, 0);
	sol_buf_init(&body, 0);
	for (;;) {
		sol_err rerr;
		st = fch__warc_reader_next(r, &rec, &eof, &rerr);
		if (st == SOL_ERR_TOOBIG) {
			if (on_skip)
				on_skip(arg, rec.target_uri ? rec.target_uri : path, rerr.msg);
			continue;
		}
		if (st != SOL_OK) {
			if (err)
				*err = rerr;
			break;
		}
		if (eof)
			break;
		if (strcmp(rec.type, "response") || !rec.target_uri || is_robots(rec.target_uri))
			continue;
		if (!fch__warc_header(&rec, "Content-Type", &value) || !value.data ||
		    !strstr(value.data, "application/http"))
			continue;

		const char *blk = rec.block.data ? rec.block.data : "";
		size_t blen = rec.block.len, head_len;
		const char *sep = NULL;
		for (size_t i = 0; i + 1 < blen; i++) {
			if (blk[i] == '\n' && blk[i + 1] == '\n') {
				sep = blk + i + 2;
				break;
			}
			if (i + 3 < blen && !memcmp(blk + i, "\r\n\r\n", 4)) {
				sep = blk + i + 4;
				break;
			}
		}
		if (!sep) {
			if (on_skip)
				on_skip(arg, rec.target_uri, "HTTP response has no end of headers");
			continue;
		}
		head_len = (size_t)(sep - blk);
		long status = fch__status_line(blk, head_len, NULL);
		if (status < 200 || status > 299)
			continue;  /* redirects, errors and 304s are evidence, not documents */

		char *media = NULL, *charset = NULL;
		sol_err derr;
		const char *enc = NULL;
		if (fch__header_value(blk, head_len, "Content-Type", &value) &&
		    fch__parse_content_type(value.data, &media, &charset) != SOL_OK) {
			st = sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", path);
			break;
		}
		if (fch__header_value(blk, head_len, "Content-Encoding", &value))
			enc = value.data;
		if (fch__decode_body(enc, (const unsigned char *)sep, blen - head_len, max_size,
				     &body, &derr) != SOL_OK) {
			if (on_skip)
				on_skip(arg, rec.target_uri, derr.msg);
		} else {
			fch_warc_doc doc = {
				.target_uri = rec.target_uri,
				.date = rec.date,
				.status = status,
				.content_type = media,
				.charset = charset,
				.body = (const unsigned char *)(body.data ? body.data : ""),
				.len = body.len,
			};
			fn(arg, &doc);
			if (n_docs)
				(*n_docs)++;
		}
		free(media);
		free(charset);
	}
	sol_buf_release(&value);
	sol_buf_release(&body);
	fch__warc_record_release(&rec);
	fch__warc_reader_close(r);
	return st;
}
