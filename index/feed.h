/* feed.h - read a stream of JSON Lines records on a thread of its own.
 *
 * Parsing a record and building its document (term generation, the
 * stored data) are half of what indexing costs, and touch no database. A
 * feed does them on a second thread, a few records ahead, while the
 * writer adds the documents before them: solent-index then uses both of
 * the cores that a batch has. Items come out in input order, so reports,
 * chunks and the outcome of a re-run are what they were with one thread.
 */
#ifndef IDX_FEED_H
#define IDX_FEED_H

#include <stdio.h>

#include "index.h"

typedef struct idx_feed idx_feed;

typedef struct idx_feed_item {
	unsigned long lineno;   /* line of the stream the record was on */
	int parsed;             /* rec holds a record; else err says why not */
	sol_record rec;
	sol_err err;
	int other_shard;        /* not in the shard being built: not prepared */
	idx_prepared *prepared; /* the document of a document record; NULL for
	                           a failure record, another shard's record,
	                           or when preparing failed (idx_add_prepared
	                           then builds it, and reports the error) */
	struct idx_feed_item *spent_next; /* feed.c: the items handed back */
} idx_feed_item;

/* Start reading in (which must stay open until idx_feed_free, and not be
 * read by anyone else: the reader reads its descriptor directly) on a new
 * thread. With shard_n > 1, records outside shard shard_k are marked and
 * not prepared. */
sol_status idx_feed_start(FILE *in, const char *batch_id, unsigned shard_k, unsigned shard_n,
			  idx_feed **out, sol_err *err);

/* The next item in input order, NULL at the end of the stream. Blocks
 * until the reader has it. */
idx_feed_item *idx_feed_next(idx_feed *f);

void idx_feed_item_free(idx_feed_item *it); /* accepts NULL */
/* Hand back an item the writer is done with (instead of freeing it): the
 * reader frees it, so that tearing down a document's terms, positions and
 * record does not cost the writer's thread, which the batch waits on.
 * Accepts NULL. */
void idx_feed_done(idx_feed *f, idx_feed_item *it);

/* After idx_feed_next returned NULL: why the stream ended before its end
 * (a read error, out of memory), or NULL when it was read to the end. */
const char *idx_feed_error(idx_feed *f);

/* Stop the reader wherever it is (the rest of the stream is not read),
 * wait for it, and free the feed and the items not taken. Accepts NULL. */
void idx_feed_free(idx_feed *f);

#endif
