/* feed.c - the reader thread of solent-index: lines to prepared documents.
 *
 * A bounded queue between two threads: the reader parses and prepares up
 * to FEED_DEPTH records ahead of the writer, and waits when it is that far
 * ahead, so memory stays flat however long the batch.
 *
 * Lines are read from the file descriptor itself rather than through
 * stdio, so that the reader waits for input and for a stop at once
 * (poll on the input and on a pipe of its own): a writer that stops early
 * (disk full, a signal) must not wait for input that may never come, and
 * cancelling a thread inside stdio is undefined under the sanitizers.
 */
#include "feed.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Records prepared ahead of the writer. Deep enough that the reader (and
 * the ingest feeding it) keeps working through a commit, which at 100,000
 * documents takes a while; each costs its document's terms and positions,
 * about 100 KB, so 256 add some 20 MB to the indexer's peak, a fixed
 * amount whatever the batch. 64 -> 256, with chunks of 500: solent add
 * over the 100,000 bench documents, 125 -> 108 s. */
#define FEED_DEPTH 256

struct idx_feed {
	FILE *in;
	char *batch_id;
	unsigned shard_k, shard_n;
	idx_builder *builder;

	pthread_t thread;
	int started;
	int stop_pipe[2];       /* written to stop the reader */
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	idx_feed_item *ring[FEED_DEPTH];
	size_t head, count;     /* next to take; how many are queued */
	int done;               /* the reader has queued its last item */
	idx_feed_item *spent;   /* handed back by the writer, for the reader to free */
	int stop;               /* the writer wants no more */
	char error[256];        /* why the reader ended before the stream did */
};

void idx_feed_item_free(idx_feed_item *it)
{
	if (!it)
		return;
	if (it->parsed)
		sol_record_release(&it->rec);
	idx_prepared_free(it->prepared);
	free(it);
}

/* One line to an item. A record that cannot be prepared still goes on:
 * the writer adds it the slow way and reports what went wrong. */
static idx_feed_item *make_item(idx_feed *f, const char *line, size_t len, unsigned long lineno)
{
	idx_feed_item *it = calloc(1, sizeof *it);
	if (!it)
		return NULL;
	it->lineno = lineno;
	if (sol_record_from_json(line, len, &it->rec, &it->err) != SOL_OK)
		return it;
	it->parsed = 1;
	if (it->rec.error)
		return it;
	if (f->shard_n > 1 && idx_shard_of(it->rec.id, f->shard_n) != f->shard_k) {
		it->other_shard = 1;
		return it;
	}
	sol_err err;
	if (idx_prepare(f->builder, &it->rec, f->batch_id, &it->prepared, &err) != SOL_OK)
		it->prepared = NULL;
	return it;
}

static void free_spent(idx_feed_item *it)
{
	while (it) {
		idx_feed_item *next = it->spent_next;
		idx_feed_item_free(it);
		it = next;
	}
}

/* Queue it (NULL marks the end); 0 when the writer has stopped. The items
 * the writer has handed back meanwhile are freed here, on this thread. */
static int push(idx_feed *f, idx_feed_item *it)
{
	idx_feed_item *spent;

	pthread_mutex_lock(&f->lock);
	while (f->count == FEED_DEPTH && !f->stop)
		pthread_cond_wait(&f->not_full, &f->lock);
	int ok = !f->stop;
	if (ok && it) {
		f->ring[(f->head + f->count) % FEED_DEPTH] = it;
		f->count++;
	}
	if (!it)
		f->done = 1;
	spent = f->spent;
	f->spent = NULL;
	pthread_cond_signal(&f->not_empty);
	pthread_mutex_unlock(&f->lock);
	free_spent(spent);
	return ok;
}

/* The input as lines: data[start, len) is read but not yet split. */
struct lines {
	char *data;
	size_t start, len, cap;
};

/* Wait until the input has bytes or the writer says stop; 1 to read,
 * 0 to stop, -1 on an error (errno). */
static int wait_input(idx_feed *f, int fd)
{
	struct pollfd p[2] = { { fd, POLLIN, 0 }, { f->stop_pipe[0], POLLIN, 0 } };
	for (;;) {
		if (poll(p, 2, -1) >= 0)
			return p[1].revents ? 0 : 1;
		if (errno != EINTR)
			return -1;
	}
}

/* The next line (without its newline) in *line, *n: 1 on a line, 0 at
 * the end of the input or on a stop, -1 on a read error (errno). */
static int next_line(idx_feed *f, int fd, struct lines *b, char **line, size_t *n)
{
	for (;;) {
		char *nl = b->len > b->start ? memchr(b->data + b->start, '\n', b->len - b->start) : NULL;
		if (nl) {
			*line = b->data + b->start;
			*n = (size_t)(nl - *line);
			b->start += *n + 1;
			return 1;
		}
		if (b->start) { /* keep the partial line, at the front */
			memmove(b->data, b->data + b->start, b->len - b->start);
			b->len -= b->start;
			b->start = 0;
		}
		if (b->cap - b->len < 65536) {
			size_t cap = b->cap ? b->cap * 2 : 1 << 20;
			char *p = realloc(b->data, cap);
			if (!p)
				return errno = ENOMEM, -1;
			b->data = p;
			b->cap = cap;
		}
		int w = wait_input(f, fd);
		if (w <= 0)
			return w;
		ssize_t got = read(fd, b->data + b->len, b->cap - b->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0) { /* the end: a last line without its newline */
			if (b->len == b->start)
				return 0;
			*line = b->data + b->start;
			*n = b->len - b->start;
			b->start = b->len;
			return 1;
		}
		b->len += (size_t)got;
	}
}

/* Read, parse and queue until the stream ends or the writer stops. */
static void *reader(void *arg)
{
	idx_feed *f = arg;
	struct lines b = { NULL, 0, 0, 0 };
	unsigned long lineno = 0;
	char *line;
	size_t n;
	int fd = fileno(f->in), r;

	while ((r = next_line(f, fd, &b, &line, &n)) > 0) {
		lineno++;
		if (n == 0 || (n == 1 && line[0] == '\r'))
			continue;
		idx_feed_item *it = make_item(f, line, n, lineno);
		if (!it) {
			snprintf(f->error, sizeof f->error, "line %lu: out of memory", lineno);
			break;
		}
		if (!push(f, it)) {
			idx_feed_item_free(it);
			break;
		}
	}
	if (r < 0)
		snprintf(f->error, sizeof f->error, "reading line %lu: %s", lineno + 1, strerror(errno));
	free(b.data);
	push(f, NULL);
	return NULL;
}

sol_status idx_feed_start(FILE *in, const char *batch_id, unsigned shard_k, unsigned shard_n,
			  idx_feed **out, sol_err *err)
{
	sol_status st;
	idx_feed *f = calloc(1, sizeof *f);

	*out = NULL;
	if (!f)
		return sol_err_set(err, SOL_ERR_NOMEM, "out of memory");
	f->in = in;
	f->stop_pipe[0] = f->stop_pipe[1] = -1;
	f->shard_k = shard_k;
	f->shard_n = shard_n;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->not_empty, NULL);
	pthread_cond_init(&f->not_full, NULL);
	if (batch_id && !(f->batch_id = strdup(batch_id))) {
		st = sol_err_set(err, SOL_ERR_NOMEM, "out of memory");
		goto fail;
	}
	if ((st = idx_builder_new(&f->builder, err)) != SOL_OK)
		goto fail;
	if (pipe(f->stop_pipe) != 0 || fcntl(f->stop_pipe[0], F_SETFD, FD_CLOEXEC) != 0 ||
	    fcntl(f->stop_pipe[1], F_SETFD, FD_CLOEXEC) != 0) {
		st = sol_err_set(err, SOL_ERR_IO, "cannot start the reader: %s", strerror(errno));
		goto fail;
	}
	if (pthread_create(&f->thread, NULL, reader, f) != 0) {
		st = sol_err_set(err, SOL_ERR_NOMEM, "cannot start the reader thread");
		goto fail;
	}
	f->started = 1;
	*out = f;
	return SOL_OK;
fail:
	idx_feed_free(f);
	return st;
}

idx_feed_item *idx_feed_next(idx_feed *f)
{
	idx_feed_item *it = NULL;

	pthread_mutex_lock(&f->lock);
	while (f->count == 0 && !f->done)
		pthread_cond_wait(&f->not_empty, &f->lock);
	if (f->count) {
		it = f->ring[f->head];
		f->head = (f->head + 1) % FEED_DEPTH;
		f->count--;
		pthread_cond_signal(&f->not_full);
	}
	pthread_mutex_unlock(&f->lock);
	return it;
}

void idx_feed_done(idx_feed *f, idx_feed_item *it)
{
	if (!it)
		return;
	pthread_mutex_lock(&f->lock);
	if (!f->done) {
		it->spent_next = f->spent;
		f->spent = it;
		it = NULL;
	}
	pthread_mutex_unlock(&f->lock);
	/* the reader has stopped reading: nobody else will free it */
	idx_feed_item_free(it);
}

const char *idx_feed_error(idx_feed *f)
{
	pthread_mutex_lock(&f->lock);
	int done = f->done;
	pthread_mutex_unlock(&f->lock);
	return done && f->error[0] ? f->error : NULL;
}

void idx_feed_free(idx_feed *f)
{
	if (!f)
		return;
	if (f->started) {
		pthread_mutex_lock(&f->lock);
		f->stop = 1;
		pthread_cond_broadcast(&f->not_full);
		pthread_mutex_unlock(&f->lock);
		/* wakes a reader waiting for input that may never come */
		ssize_t w = write(f->stop_pipe[1], "x", 1);
		(void)w; /* a full pipe already says stop */
		pthread_join(f->thread, NULL);
	}
	for (int i = 0; i < 2; i++)
		if (f->stop_pipe[i] >= 0)
			close(f->stop_pipe[i]);
	while (f->count) {
		idx_feed_item_free(f->ring[f->head]);
		f->head = (f->head + 1) % FEED_DEPTH;
		f->count--;
	}
	free_spent(f->spent);
	idx_builder_free(f->builder);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->not_empty);
	pthread_cond_destroy(&f->not_full);
	free(f->batch_id);
	free(f);
}
