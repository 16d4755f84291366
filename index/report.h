/*
 * report.h - the batch report of solent-index: counts of each outcome,
 * every failure with its input and reason, progress on a terminal, the
 * summary written into the index (metadata "batch:<id>", listed by
 * `solent batches`) and, on request, as a JSON file.
 */
#ifndef IDX_REPORT_H
#define IDX_REPORT_H

#include "index.h"
#include <jansson.h>

typedef struct idx_report {
	char batch_id[64];
	char started[21];
	double t0;
	unsigned long added, updated, unchanged, duplicates, failed;
	unsigned long done;       /* records seen */
	unsigned long pending;    /* added since the last commit */
	unsigned long inputs_total;
	int show_progress;
	int finished;             /* set before the last commit of a whole batch */
	unsigned long committed;  /* records seen when the last commit succeeded */
	char *error;              /* what stopped the batch (heap), or NULL */
	double last_progress;
	json_t *failures;         /* [{input, reason}] */
	json_t *inputs;           /* the command-line inputs */
} idx_report;

/* batch_id NULL: a UTC timestamp. inputs_total 0: unknown. */
void idx_report_init(idx_report *rep, const char *batch_id, unsigned long inputs_total,
		     int show_progress);
void idx_report_release(idx_report *rep);
/* Record the batch's inputs (paths or URLs as the archivist gave them). */
void idx_report_inputs(idx_report *rep, int argc, char *const *argv);
void idx_report_count(idx_report *rep, idx_outcome outcome, const char *source);
void idx_report_fail(idx_report *rep, const char *input, const char *reason);
/* Redraw the progress line (rate-limited) when progress is on. */
void idx_report_progress(idx_report *rep);
/* Store the batch summary in the index and commit everything pending,
 * atomically with the chunk it describes. */
sol_status idx_report_commit(idx_report *rep, idx_db *db, sol_err *err);
/* The batch was stopped by an index error (locked, disk full, ...):
 * the summary and the JSON say so, and how much was not kept. */
void idx_report_stop(idx_report *rep, const char *why);
/* The report as a JSON object (caller decrefs). */
json_t *idx_report_json(const idx_report *rep);
/* Print the summary to stderr (when verbose; a stop is always printed)
 * and write json_path if set. */
void idx_report_finish(idx_report *rep, int verbose, const char *json_path);

#endif
