/*
 * clean_bench.c - drive the cleaner alone (no extraction, no index) over
 * files: prints one JSON record a file (source, title, date, text, ...) the
 * way `solent ingest` would, or with --speed only the throughput, so the
 * cleaner can be scored and timed while the rest of the pipeline changes.
 *
 * usage: clean_bench [--speed] [--repeat N] FILE...
 */
#include "clean.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

static void add_str(json_t *o, const char *key, const char *v)
{
	json_object_set_new(o, key, v ? json_string(v) : json_null());
}

int main(int argc, char **argv)
{
	int speed = 0, repeat = 1, i, rep, failures = 0;
	size_t total = 0;
	double t0, c0, elapsed = 0, cpu = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--speed"))
			speed = 1;
		else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			repeat = atoi(argv[++i]);
	}
	for (; i < argc; i++) {
		sol_buf raw, utf8;
		sol_err err;
		int is_html = !ends_with(argv[i], ".txt") && !ends_with(argv[i], ".md");

		sol_buf_init(&raw, 0);
		sol_buf_init(&utf8, 0);
		if (sol_read_file(argv[i], 256u << 20, &raw, &err) != SOL_OK) {
			fprintf(stderr, "clean_bench: %s\n", err.msg);
			failures++;
			continue;
		}
		for (rep = 0; rep < repeat; rep++) {
			sol_record r;
			char *cs = NULL, *from = NULL;
			sol_status st;

			sol_record_init(&r);
			sol_buf_reset(&utf8);
			t0 = now();
			c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
			st = ing_decode((const unsigned char *)raw.data, raw.len, NULL, is_html, &utf8,
					&cs, &from, &err);
			if (st == SOL_OK)
				st = is_html ? ing_clean_html(utf8.data, utf8.len, &r, &err)
					     : ing_clean_text(utf8.data, utf8.len, &r, &err);
			elapsed += now() - t0;
			cpu += clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
			total += raw.len;
			if (st != SOL_OK) {
				fprintf(stderr, "clean_bench: %s: %s\n", argv[i], err.msg);
				failures++;
			} else if (!speed && rep == 0) {
				json_t *o = json_object();
				char *line;
				add_str(o, "source", argv[i]);
				add_str(o, "title", r.title);
				add_str(o, "date", r.date);
				add_str(o, "date_from", r.date_from);
				add_str(o, "charset", cs);
				add_str(o, "charset_from", from);
				add_str(o, "description", r.description);
				add_str(o, "canonical", r.canonical);
				add_str(o, "lang", r.lang);
				json_object_set_new(o, "text", json_stringn(r.text ? r.text : "", r.text_len));
				line = json_dumps(o, JSON_COMPACT);
				if (line)
					puts(line);
				free(line);
				json_decref(o);
			}
			free(cs);
			free(from);
			sol_record_release(&r);
		}
		sol_buf_release(&raw);
		sol_buf_release(&utf8);
	}
	/* CPU time as well as wall time: on a shared machine the wall clock
	 * measures the neighbours, the CPU clock measures the cleaner. */
	if (speed)
		printf("%.1f MB in %.2f s: %.1f MB/s wall, %.1f MB/s of CPU time\n",
		       (double)total / 1e6, elapsed, elapsed > 0 ? (double)total / 1e6 / elapsed : 0.0,
		       cpu > 0 ? (double)total / 1e6 / cpu : 0.0);
	return failures ? 1 : 0;
}
