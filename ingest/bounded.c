/*
 * bounded.c - ing_process with a time limit per document.
 *
 * Neither libxml2 nor PCRE2 (nor poppler) can be interrupted safely in the
 * middle of a document, so the document is processed on a worker thread
 * and the caller waits at most the limit. A worker that overruns is left
 * to finish on its own and is never waited for: its job (the input, which
 * the caller handed over, its context, its record) is deliberately leaked, and the
 * caller gets a fresh context, so no state is shared with it. The batch
 * carries on; the document gets a clear error naming the limit.
 */
#define _GNU_SOURCE /* pthread_timedjoin_np */
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

static void *work(void *arg)
{
	job *j = arg;
	j->st = ing_process(j->ctx, &j->in, &j->rec, &j->err);
	return NULL;
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
	pthread_t tid;
	struct timespec deadline;
	job *j;
	int rc;

	sol_record_init(out);
	if (seconds <= 0)
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

	if (pthread_create(&tid, NULL, work, j) != 0) {
		/* no thread to be had: do the work here, without a bound */
		free(j->source);
		free(j);
		return process_here(*ctx, in, out, err);
	}
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += (time_t)seconds;
	deadline.tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	rc = pthread_timedjoin_np(tid, NULL, &deadline);
	if (rc == ETIMEDOUT) {
		pthread_detach(tid);
		/* the worker keeps j and the old context; ours must be new */
		*ctx = ing_ctx_new(opts, err);
		sol_err_set(err, SOL_ERR_TOOBIG, "%s: took longer than the limit of %g s a document; skipped",
			    in->source, seconds);
		return *ctx ? SOL_ERR_TOOBIG : SOL_ERR_NOMEM;
	}
	*out = j->rec; /* the record moves to the caller */
	if (j->st != SOL_OK && err)
		*err = j->err;
	rc = j->st;
	/* the record's strings were copied from the input, so the input can go */
	free(j->bytes);
	free(j->source);
	free(j);
	return (sol_status)rc;
}
