/*
 * sol.h - what every Solent stage shares: status codes, error values that
 * carry a message, and a growable byte buffer with a size cap.
 *
 * Ownership conventions used across the project:
 *   x_init / x_release  for structs the caller owns (release frees contents)
 *   x_new  / x_free     for heap handles (free accepts NULL)
 * Functions that can fail return sol_status and set *err (when err != NULL).
 */
#ifndef SOL_H
#define SOL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SOLENT_VERSION "0.1.0"

typedef enum sol_status {
	SOL_OK = 0,
	SOL_ERR_NOMEM,     /* allocation failed */
	SOL_ERR_IO,        /* read/write/open failed; errno text in message */
	SOL_ERR_INPUT,     /* the input document is unusable */
	SOL_ERR_TOOBIG,    /* a size limit was exceeded */
	SOL_ERR_PARSE,     /* malformed record, rule file or query */
	SOL_ERR_DB,        /* the index failed (Xapian error) */
	SOL_ERR_LOCKED,    /* the index is locked by another writer */
	SOL_ERR_VERSION,   /* index or record written by an incompatible version */
	SOL_ERR_NOTFOUND,  /* no such document */
	SOL_ERR_USAGE      /* bad arguments */
} sol_status;

/* Short constant name of a status, e.g. "io error". Never NULL. */
const char *sol_status_to_string(sol_status st);

/* An error value: a status and a human message. Fixed size so that setting
 * an error never needs memory (it must work after SOL_ERR_NOMEM). */
typedef struct sol_err {
	sol_status status;
	char msg[512];
} sol_err;

/* Set *err (if err is non-NULL) and return st, so callers can write
 * `return sol_err_set(err, SOL_ERR_IO, "%s: %s", path, strerror(errno));` */
sol_status sol_err_set(sol_err *err, sol_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sol_err_clear(sol_err *err);

/* ---- growable buffer (after git's strbuf / curl's dynbuf) ----
 * Always NUL-terminated when len > 0 or after any append. `max` caps the
 * total size for untrusted input: an append past it fails with
 * SOL_ERR_TOOBIG and leaves the buffer as it was. max == 0 means no cap. */
typedef struct sol_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
} sol_buf;

void sol_buf_init(sol_buf *b, size_t max);
void sol_buf_release(sol_buf *b);
void sol_buf_reset(sol_buf *b);                /* len = 0, keeps memory */
sol_status sol_buf_grow(sol_buf *b, size_t extra);
/* Appends that grow the buffer; sol_buf_add and sol_buf_addc below are
 * their inline fast paths. */
sol_status sol_buf_add_slow(sol_buf *b, const void *p, size_t n);
sol_status sol_buf_adds(sol_buf *b, const char *s);

/* Append n bytes (or one). Inline: the cleaner and the extractor append a
 * byte or a word at a time, millions of times a batch, and nearly always
 * into room the buffer already has. */
static inline sol_status sol_buf_add(sol_buf *b, const void *p, size_t n)
{
	/* cap > len whenever data is allocated, so neither side overflows */
	if (n < b->cap - b->len && (!b->max || b->len + n <= b->max)) {
		if (n)
			memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return SOL_OK;
	}
	return sol_buf_add_slow(b, p, n);
}

static inline sol_status sol_buf_addc(sol_buf *b, char c)
{
	if (b->len + 1 < b->cap && (!b->max || b->len < b->max)) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return SOL_OK;
	}
	return sol_buf_add_slow(b, &c, 1);
}
sol_status sol_buf_addf(sol_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hand the bytes to the caller (who frees them); the buffer is reset to empty.
 * Returns an empty heap string for an empty buffer; NULL only on NOMEM. */
char *sol_buf_detach(sol_buf *b, size_t *len_out);

/* ---- small helpers ---- */
/* strdup that returns NULL for NULL. */
char *sol_strdup(const char *s);
char *sol_strndup(const char *s, size_t n);

/* Read a whole file into *out (caller releases), refusing more than max bytes. */
sol_status sol_read_file(const char *path, size_t max, sol_buf *out, sol_err *err);

/* Replace the file at path with the len bytes at data, whole: they are
 * written to path.tmp.PID, synced, and renamed over path, so that a reader
 * (or a crash) finds the old file or the new one, never part of either.
 * On failure the temporary file is removed and path is as it was. */
sol_status sol_write_file(const char *path, const void *data, size_t len, sol_err *err);

/* Lower-case hex SHA-256 of bytes into hex[65]. */
void sol_sha256_hex(const void *data, size_t n, char hex[65]);

/* Current UTC time as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ" into out[21]. */
void sol_now_iso(char out[21]);

/* Is s valid UTF-8 (no overlongs, no surrogates)? */
int sol_utf8_valid(const char *s, size_t n);

#ifdef __cplusplus
}
#endif

#endif
