/*
 * report.c - counting, progress and the batch summary for solent-index.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void idx_report_init(idx_report *rep, const char *batch_id, unsigned long inputs_total,
		     int show_progress)
{
	memset(rep, 0, sizeof *rep);
	sol_now_iso(rep->started);
	if (batch_id) {
		snprintf(rep->batch_id, sizeof rep->batch_id, "%s", batch_id);
	} else {
		/* 20261123T171500Z-1234: sortable, and unique per process */
		char compact[21];
		size_t k = 0;
		for (const char *p = rep->started; *p && k < sizeof compact - 1; p++)
			if (*p != '-' && *p != ':')
				compact[k++] = *p;
		compact[k] = '\0';
		snprintf(rep->batch_id, sizeof rep->batch_id, "%s-%ld", compact, (long)getpid());
	}
	rep->t0 = now_s();
	rep->inputs_total = inputs_total;
	rep->show_progress = show_progress;
	rep->failures = json_array();
	rep->inputs = json_array();
}

void idx_report_release(idx_report *rep)
{
	json_decref(rep->failures);
	json_decref(rep->inputs);
	free(rep->error);
	rep->failures = rep->inputs = NULL;
	rep->error = NULL;
}

void idx_report_inputs(idx_report *rep, int argc, char *const *argv)
{
	for (int i = 0; i < argc; i++)
		json_array_append_new(rep->inputs, json_string(argv[i]));
}

void idx_report_count(idx_report *rep, idx_outcome outcome, const char *source)
{
	(void)source;
	rep->done++;
	switch (outcome) {
	case IDX_ADDED: rep->added++; rep->pending++; break;
	case IDX_UPDATED: rep->updated++; rep->pending++; break;
	case IDX_UNCHANGED: rep->unchanged++; break;
	case IDX_DUPLICATE: rep->duplicates++; rep->pending++; break;
	}
}

void idx_report_fail(idx_report *rep, const char *input, const char *reason)
{
	rep->done++;
	rep->failed++;
	json_array_append_new(rep->failures, json_pack("{s:s, s:s}",
		"input", input ? input : "?", "reason", reason ? reason : "unknown"));
	/* On a terminal a failure is shown as it happens, above the bar, so
	 * that a long batch does not hide it for an hour; elsewhere the
	 * summary lists it once. */
	if (rep->show_progress) {
		fputs("\r\033[K", stderr);
		fprintf(stderr, "solent: failed: %s\n", reason ? reason : input);
	}
}

/* "42s", "3m05s", "2h07m": an ETA of 7620s is no help to a reader. */
static void fmt_duration(double secs, char *out, size_t n)
{
	unsigned long s = secs > 0 ? (unsigned long)(secs + 0.5) : 0;
	if (s < 60)
		snprintf(out, n, "%lus", s);
	else if (s < 3600)
		snprintf(out, n, "%lum%02lus", s / 60, s % 60);
	else
		snprintf(out, n, "%luh%02lum", s / 3600, s / 60 % 60);
}

/* Draw the bar (or the count) as it stands now. */
static void draw_progress(idx_report *rep, double t)
{
	double el = t - rep->t0, rate;
	char when[32];

	rate = el > 0 ? (double)rep->done / el : 0;
	if (rep->inputs_total && rep->done <= rep->inputs_total) {
		unsigned long left = rep->inputs_total - rep->done;
		int width = 24, fill = (int)(width * rep->done / rep->inputs_total);
		char bar[32];
		memset(bar, '#', (size_t)fill);
		memset(bar + fill, '.', (size_t)(width - fill));
		bar[width] = '\0';
		if (rate > 0)
			fmt_duration((double)left / rate, when, sizeof when);
		else
			snprintf(when, sizeof when, "?");
		fprintf(stderr, "\r\033[K[%s] %lu/%lu documents  %.1f/s  ETA %s", bar,
			rep->done, rep->inputs_total, rate, when);
	} else {
		/* total unknown (a stream, or more records than inputs counted) */
		fmt_duration(el, when, sizeof when);
		fprintf(stderr, "\r\033[K%lu documents  %.1f/s  %s", rep->done, rate, when);
	}
}

void idx_report_progress(idx_report *rep)
{
	double t = now_s();

	/* five frames a second at most: a terminal is slower than a batch */
	if (!rep->show_progress || t - rep->last_progress < 0.2)
		return;
	rep->last_progress = t;
	draw_progress(rep, t);
}

json_t *idx_report_json(const idx_report *rep)
{
	char now[21];
	json_t *j;

	sol_now_iso(now);
	/* "partial" is what the index holds while a batch is being written,
	 * and stays if it was killed; "stopped" names an index error. */
	j = json_pack("{s:s, s:s, s:s, s:s, s:f, s:O, s:{s:I, s:I, s:I, s:I, s:I}, s:O}",
		"batch", rep->batch_id, "started", rep->started, "updated_at", now,
		"status", rep->error ? "stopped" : rep->finished ? "complete" : "partial",
		"seconds", now_s() - rep->t0,
		"inputs", rep->inputs,
		"counts", "added", (json_int_t)rep->added, "updated", (json_int_t)rep->updated,
		"unchanged", (json_int_t)rep->unchanged, "duplicates", (json_int_t)rep->duplicates,
		"failed", (json_int_t)rep->failed,
		"failures", rep->failures);
	if (j && rep->error) {
		json_object_set_new(j, "error", json_string(rep->error));
		json_object_set_new(j, "not_kept", json_integer((json_int_t)rep->pending));
	}
	return j;
}

void idx_report_stop(idx_report *rep, const char *why)
{
	free(rep->error);
	rep->error = strdup(why ? why : "unknown error");
}

sol_status idx_report_commit(idx_report *rep, idx_db *db, sol_err *err)
{
	json_t *j = idx_report_json(rep);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	char key[80];
	sol_status st;

	json_decref(j);
	snprintf(key, sizeof key, "batch:%s", rep->batch_id);
	st = idx_set_metadata(db, key, s, err);
	free(s);
	if (st != SOL_OK)
		return st;
	st = idx_commit(db, err);
	if (st == SOL_OK) {
		rep->pending = 0;
		rep->committed = rep->done;
	}
	return st;
}

void idx_report_finish(idx_report *rep, int verbose, const char *json_path)
{
	if (rep->show_progress) {
		/* the last frame, whatever the time since the one before: a
		 * batch shorter than a frame is drawn at least once, and a log
		 * of the terminal ends on the whole count */
		if (rep->done)
			draw_progress(rep, now_s());
		fputs("\r\033[K", stderr);
	}
	if (rep->error && rep->done == 0) {
		/* nothing was read: the error is the whole story (a locked index) */
		fprintf(stderr, "solent-index: %s\n", rep->error);
	} else if (verbose || rep->error) {
		double el = now_s() - rep->t0;
		fprintf(stderr, "solent: batch %s: %lu added, %lu updated, %lu unchanged, "
			"%lu duplicates, %lu failed (%.1f s, %.1f documents/s)\n", rep->batch_id,
			rep->added, rep->updated, rep->unchanged, rep->duplicates, rep->failed,
			el, el > 0 ? (double)rep->done / el : 0.0);
		size_t i;
		json_t *f;
		json_array_foreach(rep->failures, i, f) {
			const char *input = json_string_value(json_object_get(f, "input"));
			const char *reason = json_string_value(json_object_get(f, "reason"));
			/* reasons from ingest already start with the input */
			if (!strncmp(reason, input, strlen(input)))
				fprintf(stderr, "  failed: %s\n", reason);
			else
				fprintf(stderr, "  failed: %s: %s\n", input, reason);
		}
	}
	if (rep->error && rep->done)
		fprintf(stderr, "solent: batch %s stopped: %s\n"
			"solent: the index holds the batch up to record %lu; the %lu changes "
			"after it were not kept. Run the same command again to finish the batch.\n",
			rep->batch_id, rep->error, rep->committed, rep->pending);
	if (json_path) {
		json_t *j = idx_report_json(rep);
		if (json_dump_file(j, json_path, JSON_INDENT(2)) != 0)
			fprintf(stderr, "solent-index: cannot write report %s\n", json_path);
		json_decref(j);
	}
}
