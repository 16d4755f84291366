/*
 * bounded.c - ingest a batch of documents with a time limit per step.
 *
 * Neither libxml2 nor PCRE2 (nor poppler) can be interrupted safely in the
 * middle of a document, so the work runs on a worker thread and the caller
 * waits at most the limit for each step (one document's cleaning, or its
 * extraction). A worker that overruns is left to finish on its own and is
 * never waited for: it keeps what it was working on (the document's bytes
 * or record, and its context) and frees it if it ever finishes. The caller
 * names that document with the limit, takes a fresh context and, for the
 * rest of the batch, a fresh worker, so no state is shared with the old.
 *
 * A batch is cleaned first, then extracted: extraction then runs with its
 * compiled rules and tables in the caches, where after each document's
 * cleaning it found them evicted. 3,000 bench documents, one core:
 * extraction 60 -> 83 MB/s of text with batches of 32, 90 with 128,
 * cleaning a little faster too.
 *
 * The worker is kept from one batch to the next. Starting a thread per
 * document cost about 100 us (its stack mapped and faulted in afresh):
 * 18% of solent-ingest's CPU on the bench corpus.
 */
#define _GNU_SOURCE
#include "ingest.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Where each document of a batch is. */
enum { D_NEW, D_CLEANED, D_DONE, D_FAILED, D_LOST };

typedef struct batch {
	ing_batch_doc *docs;
	unsigned char *state;
	size_t n;
	int last;               /* the last step to take: 0 clean, 1 extract */
} batch;

/* One worker thread. mu guards the fields below it; cv is signalled both
 * ways (a batch posted; the batch done). A step done only moves ticks and
 * since, which the caller reads when its deadline comes. */
typedef struct worker {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	ing_ctx *ctx;           /* the context the posted batch runs with */
	batch *b;               /* posted */
	int busy;               /* a batch posted and not yet done */
	int abandoned;          /* the caller stopped waiting: free all, exit */
	unsigned long ticks;    /* steps done: the caller's sign of progress */
	struct timespec since;  /* when the step in hand began (CLOCK_REALTIME) */
	size_t cur;             /* the document in hand */
} worker;

/* Each calling thread's worker (solent-ingest has one calling thread). */
static __thread worker *my_worker;

/* One step on d, a copy the caller no longer touches: clean (the bytes
 * are freed after) or extract. */
static void step(ing_ctx *ctx, int extract, ing_batch_doc *d)
{
	if (extract) {
		d->st = ing_extract_record(ctx, &d->rec, &d->err);
		return;
	}
	d->st = ing_clean_input(ctx, &d->in, &d->rec, &d->err);
	free((void *)d->in.bytes);
	d->in.bytes = NULL;
}

static unsigned char state_after(int extract, sol_status st)
{
	return st != SOL_OK ? D_FAILED : extract ? D_DONE : D_CLEANED;
}

/* The posted batch on the worker, mu held on entry and on return: 0 when
 * done, -1 when the caller gave up on a step (what that step held is
 * freed; the caller has everything else). */
static int work_batch(worker *w)
{
	batch *b = w->b;

	for (int extract = 0; extract <= b->last; extract++) {
		for (size_t i = 0; i < b->n; i++) {
			ing_batch_doc d;
			char *source;
			if (b->state[i] != (extract ? D_CLEANED : D_NEW))
				continue;
			d = b->docs[i];
			source = strdup(d.in.source ? d.in.source : "");
			w->cur = i;
			pthread_mutex_unlock(&w->mu);
			d.in.source = source;
			if (source)
				step(w->ctx, extract, &d);
			else
				d.st = sol_err_set(&d.err, SOL_ERR_NOMEM, "out of memory");
			pthread_mutex_lock(&w->mu);
			free(source);
			if (w->abandoned) {
				if (d.st == SOL_OK)
					sol_record_release(&d.rec);
				free((void *)d.in.bytes);
				return -1;
			}
			d.in.source = b->docs[i].in.source;
			b->docs[i] = d;
			b->state[i] = state_after(extract, d.st);
			/* No wake-up: the caller looks at ticks when its
			 * deadline comes. A signal a step woke it 20,000 times
			 * over the 10k bench corpus, 6% of solent-ingest's CPU
			 * (both threads' futex calls), a fifth again of the
			 * worker's extraction. */
			w->ticks++;
			clock_gettime(CLOCK_REALTIME, &w->since);
		}
	}
	return 0;
}

static void *work(void *arg)
{
	worker *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->busy)
			pthread_cond_wait(&w->cv, &w->mu);
		if (work_batch(w) != 0)
			break;
		w->busy = 0;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	/* Finished at last, long after the caller gave up: the context it
	 * replaced is ours to free. */
	ing_ctx_free(w->ctx);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
	return NULL;
}

static worker *worker_get(void)
{
	pthread_attr_t attr;
	pthread_t tid;
	worker *w = my_worker;
	int ok;

	if (w)
		return w;
	w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	ok = pthread_attr_init(&attr) == 0;
	ok = ok && pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
	     pthread_create(&tid, &attr, work, w) == 0;
	pthread_attr_destroy(&attr);
	if (!ok) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return NULL;
	}
	return my_worker = w;
}

/* from + seconds */
static void deadline_in(const struct timespec *from, double seconds, struct timespec *t)
{
	*t = *from;
	t->tv_sec += (time_t)seconds;
	t->tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/* Post b to w with ctx and wait while it makes progress, each step within
 * `seconds`. Returns the document whose step overran (the worker is then
 * abandoned, with ctx), or b->n when the batch is done. */
static size_t run_on(worker *w, ing_ctx *ctx, batch *b, double seconds)
{
	struct timespec deadline;
	unsigned long seen;
	size_t lost = b->n;
	int rc = 0;

	pthread_mutex_lock(&w->mu);
	w->ctx = ctx;
	w->b = b;
	w->busy = 1;
	clock_gettime(CLOCK_REALTIME, &w->since);
	pthread_cond_broadcast(&w->cv);
	while (w->busy) {
		/* the step in hand may run until `seconds` after it began; the
		 * worker wakes us only when the batch is done */
		seen = w->ticks;
		deadline_in(&w->since, seconds, &deadline);
		rc = pthread_cond_timedwait(&w->cv, &w->mu, &deadline);
		if (rc == ETIMEDOUT && w->busy && w->ticks == seen) {
			w->abandoned = 1;
			lost = w->cur;
			break;
		}
	}
	pthread_mutex_unlock(&w->mu);
	if (lost < b->n)
		my_worker = NULL;
	return lost;
}

/* Without a worker (no limit, or no thread to be had): the same steps. */
static void run_here(ing_ctx *ctx, batch *b)
{
	for (int extract = 0; extract <= b->last; extract++) {
		for (size_t i = 0; i < b->n; i++) {
			if (b->state[i] != (extract ? D_CLEANED : D_NEW))
				continue;
			step(ctx, extract, &b->docs[i]);
			b->state[i] = state_after(extract, b->docs[i].st);
		}
	}
}

static int unfinished(const batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->state[i] == D_NEW || b->state[i] == D_CLEANED)
			return 1;
	return 0;
}

/* The context could not be rebuilt: what is left of the batch fails. */
static void fail_rest(batch *b, const sol_err *err)
{
	for (size_t i = 0; i < b->n; i++) {
		ing_batch_doc *d = &b->docs[i];
		if (b->state[i] == D_CLEANED)
			sol_record_release(&d->rec);
		else if (b->state[i] == D_NEW)
			free((void *)d->in.bytes);
		else
			continue;
		d->in.bytes = NULL;
		d->st = SOL_ERR_NOMEM;
		d->err = *err;
		b->state[i] = D_FAILED;
	}
}

/* One slice of a batch, b->state all D_NEW, *ctx usable. */
static void run_batch(ing_ctx **ctx, const ing_options *opts, batch *b, double seconds)
{
	sol_err err;
	worker *w;

	while (unfinished(b)) {
		size_t lost;
		if (seconds <= 0 || !(w = worker_get())) {
			run_here(*ctx, b);
			return;
		}
		lost = run_on(w, *ctx, b, seconds);
		if (lost == b->n)
			return;
		/* the worker keeps that step's document and the old context */
		b->state[lost] = D_LOST;
		b->docs[lost].in.bytes = NULL;
		sol_record_init(&b->docs[lost].rec);
		b->docs[lost].st = sol_err_set(&b->docs[lost].err, SOL_ERR_TOOBIG,
					       "%s: took longer than the limit of %g s a document; skipped",
					       b->docs[lost].in.source, seconds);
		*ctx = ing_ctx_new(opts, &err);
		if (!*ctx) {
			fail_rest(b, &err);
			return;
		}
	}
}

/* Steps first..last of docs[0..n), ING_BATCH_DOCS at a time. A batch that
 * starts with extraction takes the documents whose cleaning succeeded
 * and leaves the others as they are. */
static sol_status run_steps(ing_ctx **ctx, const ing_options *opts, ing_batch_doc *docs,
			    size_t n, double seconds, int first, int last)
{
	unsigned char state[ING_BATCH_DOCS];
	sol_err err;

	if (first == 0)
		for (size_t i = 0; i < n; i++) {
			sol_record_init(&docs[i].rec);
			sol_err_clear(&docs[i].err);
		}
	for (size_t at = 0; at < n; at += ING_BATCH_DOCS) {
		batch b = { docs + at, state, n - at < ING_BATCH_DOCS ? n - at : ING_BATCH_DOCS,
			    last };
		for (size_t i = 0; i < b.n; i++)
			state[i] = first == 0 ? D_NEW : b.docs[i].st == SOL_OK ? D_CLEANED : D_FAILED;
		if (*ctx) {
			run_batch(ctx, opts, &b, seconds);
		} else {
			sol_err_set(&err, SOL_ERR_NOMEM, "out of memory for a fresh context");
			fail_rest(&b, &err);
		}
	}
	return *ctx ? SOL_OK : SOL_ERR_NOMEM;
}

sol_status ing_process_batch(ing_ctx **ctx, const ing_options *opts, ing_batch_doc *docs,
			     size_t n, double seconds)
{
	return run_steps(ctx, opts, docs, n, seconds, 0, 1);
}

sol_status ing_clean_batch(ing_ctx **ctx, const ing_options *opts, ing_batch_doc *docs,
			   size_t n, double seconds)
{
	return run_steps(ctx, opts, docs, n, seconds, 0, 0);
}

sol_status ing_extract_batch(ing_ctx **ctx, const ing_options *opts, ing_batch_doc *docs,
			     size_t n, double seconds)
{
	return run_steps(ctx, opts, docs, n, seconds, 1, 1);
}
