/*
 * bounded.c - ing_process with a time limit per document.
 *
 * Neither libxml2 nor PCRE2 (nor poppler) can be interrupted safely in the
 * middle of a document, so the document is processed on a worker thread
 * and the caller waits at most the limit. A worker that overruns is left
 * to finish on its own and is never waited for: it keeps its job (the
 * input, which the caller handed over, the context, the record) and frees
 * it if it ever finishes, and the caller gets a fresh context and, next
 * time, a fresh worker, so no state is shared with it. The batch carries
 * on; the document gets a clear error naming the limit.
 *
 * The worker is kept from one document to the next. Starting a thread a
 * document cost about 100 us (its stack mapped and faulted in afresh each
 * time): 18% of solent-ingest's CPU on the bench corpus.
 */
#define _GNU_SOURCE
#include "ingest.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct job {
	ing_ctx *ctx;
	ing_input in;
	unsigned char *bytes;   /* handed over by the caller */
	char *source;
	sol_record rec;
	sol_err err;
	sol_status st;
} job;

/* One worker thread and the job in hand. mu guards the fields below it;
 * cv is signalled both ways (a job posted, a job done). */
typedef struct worker {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	job *job;               /* posted, until the worker takes it on */
	int busy;               /* a job taken on and not yet done */
	int abandoned;          /* the caller stopped waiting: free all, exit */
} worker;

/* Each calling thread's worker (solent-ingest has one calling thread). */
static __thread worker *my_worker;

static void job_free(job *j)
{
	free(j->bytes);
	free(j->source);
	free(j);
}

static void *work(void *arg)
{
	worker *w = arg;
	job *j;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->job)
			pthread_cond_wait(&w->cv, &w->mu);
		j = w->job;
		w->job = NULL;
		pthread_mutex_unlock(&w->mu);
		j->st = ing_process(j->ctx, &j->in, &j->rec, &j->err);
		pthread_mutex_lock(&w->mu);
		if (w->abandoned)
			break;
		w->busy = 0;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	/* Finished at last, long after the caller gave up: what it left
	 * behind (the job and the context it replaced) is ours to free. */
	if (j->st == SOL_OK)
		sol_record_release(&j->rec);
	ing_ctx_free(j->ctx);
	job_free(j);
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

/* Post j to w and wait until it is done or `deadline` passes: 1 if done. */
static int run_until(worker *w, job *j, const struct timespec *deadline)
{
	int rc = 0, done;

	pthread_mutex_lock(&w->mu);
	w->job = j;
	w->busy = 1;
	pthread_cond_broadcast(&w->cv);
	while (w->busy && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&w->cv, &w->mu, deadline);
	done = !w->busy;
	if (!done)
		w->abandoned = 1;
	pthread_mutex_unlock(&w->mu);
	if (!done)
		my_worker = NULL;
	return done;
}

static void deadline_in(double seconds, struct timespec *t)
{
	clock_gettime(CLOCK_REALTIME, t);
	t->tv_sec += (time_t)seconds;
	t->tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/* Without a worker: the bytes handed over are done with afterwards. */
static sol_status process_here(ing_ctx *ctx, const ing_input *in, sol_record *out, sol_err *err)
{
	sol_status st = ing_process(ctx, in, out, err);
	free((void *)in->bytes);
	return st;
}

sol_status ing_process_bounded(ing_ctx **ctx, const ing_options *opts, const ing_input *in,
			       double seconds, sol_record *out, sol_err *err)
{
	struct timespec deadline;
	worker *w;
	job *j;
	sol_status st;

	sol_record_init(out);
	/* no limit, or no thread to be had: do the work here, without one */
	if (seconds <= 0 || !(w = worker_get()))
		return process_here(*ctx, in, out, err);
	j = calloc(1, sizeof *j);
	if (!j || !(j->source = strdup(in->source))) {
		free(j);
		free((void *)in->bytes);
		return sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", in->source);
	}
	j->ctx = *ctx;
	j->in = *in;
	j->bytes = (unsigned char *)in->bytes;
	j->in.source = j->source;
	deadline_in(seconds, &deadline);
	if (!run_until(w, j, &deadline)) {
		/* the worker keeps j and the old context; ours must be new */
		*ctx = ing_ctx_new(opts, err);
		sol_err_set(err, SOL_ERR_TOOBIG, "%s: took longer than the limit of %g s a document; skipped",
			    in->source, seconds);
		return *ctx ? SOL_ERR_TOOBIG : SOL_ERR_NOMEM;
	}
	*out = j->rec; /* the record moves to the caller */
	if (j->st != SOL_OK && err)
		*err = j->err;
	st = j->st;
	/* the record's strings were copied from the input, so the input can go */
	job_free(j);
	return st;
}
