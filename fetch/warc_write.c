/*
 * warc_write.c - WARC/1.1 (ISO 28500:2017) records, one gzip member each
 * (Annex D), so that a reader can seek to any record and a file cut short
 * loses only its last record.
 */
#include "fetch_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

struct fch__warc {
	FILE *fp;
	char *path;
	sol_buf rec;   /* the record being written, uncompressed */
	sol_buf gz;    /* and compressed */
};

/* Compress rec->rec into one complete gzip member and append it. */
static sol_status write_member(fch__warc *w, sol_err *err)
{
	z_stream zs;
	sol_status st = SOL_OK;
	int zr;

	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return sol_err_set(err, SOL_ERR_NOMEM, "%s: cannot start gzip", w->path);
	sol_buf_reset(&w->gz);
	if ((st = sol_buf_grow(&w->gz, deflateBound(&zs, w->rec.len))) != SOL_OK) {
		deflateEnd(&zs);
		return sol_err_set(err, st, "%s: out of memory", w->path);
	}
	zs.next_in = (unsigned char *)w->rec.data;
	zs.avail_in = (uInt)w->rec.len;
	zs.next_out = (unsigned char *)w->gz.data;
	zs.avail_out = (uInt)(w->gz.cap - 1);
	zr = deflate(&zs, Z_FINISH);
	w->gz.len = zs.total_out;
	deflateEnd(&zs);
	if (zr != Z_STREAM_END)
		return sol_err_set(err, SOL_ERR_IO, "%s: gzip failed", w->path);
	if (fwrite(w->gz.data, 1, w->gz.len, w->fp) != w->gz.len || fflush(w->fp) != 0)
		return sol_err_set(err, SOL_ERR_IO, "%s: %s", w->path, strerror(errno));
	return SOL_OK;
}

/* Start a record in w->rec: the named header lines the caller adds next,
 * then finish_record() adds the length, the block and the terminator. */
static sol_status start_record(fch__warc *w, const char *type, const char *id,
			       const char *date)
{
	sol_buf_reset(&w->rec);
	return sol_buf_addf(&w->rec, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: %s\r\nWARC-Date: %s\r\n",
			    type, id, date);
}

static sol_status finish_record(fch__warc *w, const char *content_type,
				const void *block1, size_t n1, const void *block2, size_t n2,
				sol_err *err)
{
	char digest[38];

	/* The block digest covers both parts: a response block is the
	 * status line and headers followed by the body. */
	fch__sha1_base32_pair(block1, n1, block2, n2, digest);
	if (sol_buf_addf(&w->rec, "Content-Type: %s\r\nWARC-Block-Digest: %s\r\nContent-Length: %zu\r\n\r\n",
			 content_type, digest, n1 + n2) != SOL_OK ||
	    sol_buf_add(&w->rec, block1, n1) != SOL_OK ||
	    sol_buf_add(&w->rec, block2, n2) != SOL_OK ||
	    sol_buf_adds(&w->rec, "\r\n\r\n") != SOL_OK)
		return sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory building a record", w->path);
	return write_member(w, err);
}

fch__warc *fch__warc_open(const char *path, const char *software, sol_err *err)
{
	fch__warc *w = calloc(1, sizeof *w);
	struct stat sb;
	char id[48], date[21];
	const char *base;
	sol_buf info;

	sol_buf_init(&info, 0);
	if (!w || !(w->path = strdup(path))) {
		sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", path);
		goto fail;
	}
	sol_buf_init(&w->rec, 0);
	sol_buf_init(&w->gz, 0);
	w->fp = fopen(path, "ab");
	if (!w->fp) {
		sol_err_set(err, SOL_ERR_IO, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (fstat(fileno(w->fp), &sb) == 0 && sb.st_size > 0)
		return w;  /* appending to an existing file: its warcinfo stands */
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	fch__record_id(id);
	fch__iso_time(time(NULL), date);
	if (start_record(w, "warcinfo", id, date) != SOL_OK ||
	    sol_buf_addf(&w->rec, "WARC-Filename: %s\r\n", base) != SOL_OK ||
	    sol_buf_addf(&info, "software: %s\r\nformat: WARC File Format 1.1\r\n"
			 "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
			 software) != SOL_OK) {
		sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", path);
		goto fail;
	}
	if (finish_record(w, "application/warc-fields", info.data, info.len, "", 0, err) != SOL_OK)
		goto fail;
	sol_buf_release(&info);
	return w;
fail:
	sol_buf_release(&info);
	if (w) {
		if (w->fp)
			fclose(w->fp);
		sol_buf_release(&w->rec);
		sol_buf_release(&w->gz);
		free(w->path);
		free(w);
	}
	return NULL;
}

sol_status fch__warc_write_exchange(fch__warc *w, const char *target_uri, const char *date,
				    const char *ip, const char *request, size_t request_len,
				    const char *head, size_t head_len,
				    const unsigned char *body, size_t body_len, sol_err *err)
{
	char req_id[48], resp_id[48], payload[38];
	sol_status st;

	fch__record_id(req_id);
	fch__record_id(resp_id);
	fch__sha1_base32(body ? (const void *)body : "", body_len, payload);

	if ((st = start_record(w, "request", req_id, date)) != SOL_OK ||
	    (st = sol_buf_addf(&w->rec, "WARC-Target-URI: %s\r\nWARC-Concurrent-To: %s\r\n",
			       target_uri, resp_id)) != SOL_OK ||
	    (ip && (st = sol_buf_addf(&w->rec, "WARC-IP-Address: %s\r\n", ip)) != SOL_OK))
		return sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", w->path);
	if ((st = finish_record(w, "application/http;msgtype=request", request, request_len,
				"", 0, err)) != SOL_OK)
		return st;

	if ((st = start_record(w, "response", resp_id, date)) != SOL_OK ||
	    (st = sol_buf_addf(&w->rec, "WARC-Target-URI: %s\r\nWARC-Payload-Digest: %s\r\n",
			       target_uri, payload)) != SOL_OK ||
	    (ip && (st = sol_buf_addf(&w->rec, "WARC-IP-Address: %s\r\n", ip)) != SOL_OK))
		return sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", w->path);
	return finish_record(w, "application/http;msgtype=response", head, head_len,
			     body ? (const void *)body : "", body_len, err);
}

sol_status fch__warc_close(fch__warc *w, sol_err *err)
{
	sol_status st = SOL_OK;

	if (!w)
		return SOL_OK;
	if (fclose(w->fp) != 0)
		st = sol_err_set(err, SOL_ERR_IO, "%s: %s", w->path, strerror(errno));
	sol_buf_release(&w->rec);
	sol_buf_release(&w->gz);
	free(w->path);
	free(w);
	return st;
}
