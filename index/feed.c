/* feed.c - the reader thread of solent-index: lines to prepared documents.
 *
 * A bounded queue between two threads: the reader parses and prepares up
 * to FEED_DEPTH records ahead of the writer, and waits when it is that far
 * ahead, so memory stays flat however long the batch. The reader can be
 * cancelled only while it waits for input (in getline), never halfway
 * through a record, so stopping it leaves nothing half built.
 */
#include "feed.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define FEED_DEPTH 16

struct idx_feed {
	FILE *in;
	char *batch_id;
	unsigned shard_k, shard_n;
	idx_builder *builder;

	pthread_t thread;
	int started;
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	idx_feed_item *ring[FEED_DEPTH];
	size_t head, count;     /* next to take; how many are queued */
	int done;               /* the reader has queued its last item */
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

/* Queue it (NULL marks the end); 0 when the writer has stopped. */
static int push(idx_feed *f, idx_feed_item *it)
{
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
	pthread_cond_signal(&f->not_empty);
	pthread_mutex_unlock(&f->lock);
	return ok;
}

static void free_line(void *p)
{
	free(*(char **)p);
}

/* Read, parse and queue until the stream ends or the writer stops. */
static void read_all(idx_feed *f, char **line, size_t *cap)
{
	unsigned long lineno = 0;
	ssize_t n;
	int old;

	for (;;) {
		/* cancellable only here, waiting for the next line */
		pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
		n = getline(line, cap, f->in);
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
		if (n <= 0) {
			if (ferror(f->in))
				snprintf(f->error, sizeof f->error, "reading line %lu: %s", lineno + 1,
					 strerror(errno));
			return;
		}
		lineno++;
		if (n == 1 && (*line)[0] == '\n')
			continue;
		idx_feed_item *it = make_item(f, *line, (size_t)n, lineno);
		if (!it) {
			snprintf(f->error, sizeof f->error, "line %lu: out of memory", lineno);
			return;
		}
		if (!push(f, it)) {
			idx_feed_item_free(it);
			return;
		}
	}
}

static void *reader(void *arg)
{
	idx_feed *f = arg;
	char *line = NULL;
	size_t cap = 0;
	int old;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	pthread_cleanup_push(free_line, &line);
	read_all(f, &line, &cap);
	push(f, NULL);
	pthread_cleanup_pop(1);
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
		int done = f->done;
		f->stop = 1;
		pthread_cond_broadcast(&f->not_full);
		pthread_mutex_unlock(&f->lock);
		/* still reading: the writer stopped early (an error, a
		 * signal), and the rest of the input may never come */
		if (!done)
			pthread_cancel(f->thread);
		pthread_join(f->thread, NULL);
	}
	while (f->count) {
		idx_feed_item_free(f->ring[f->head]);
		f->head = (f->head + 1) % FEED_DEPTH;
		f->count--;
	}
	idx_builder_free(f->builder);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->not_empty);
	pthread_cond_destroy(&f->not_full);
	free(f->batch_id);
	free(f);
}
