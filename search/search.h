/*
 * search.h - the researcher's CLI (solent-search): shared pieces of its
 * commands. Each command is one function in the table in main.c.
 */
#ifndef SRCH_SEARCH_H
#define SRCH_SEARCH_H

#include "index.h"
#include <stdio.h>

typedef enum srch_format { SRCH_TEXT, SRCH_JSON, SRCH_CSV } srch_format;

typedef struct srch_opts {
	const char *db;
	srch_format format;
	int color;          /* highlight with ANSI bold */
	unsigned limit, offset;
	idx_sort sort;
	int count_only;
	const char *facets[8];
	size_t n_facets;
	const char *type;   /* entities --type */
	int allow_partial;  /* search the shards that answer */
	unsigned page;      /* show --page N: only that page of the text; 0 all */
} srch_opts;

/* Print one hit in the chosen format. */
void srch_print_hit(FILE *out, const idx_hit *h, const srch_opts *o);
/* The page of a PDF hit: 1 + the form feeds in the stored text before the
 * snippet's first highlighted word; 0 for other documents or when the
 * snippet highlights none. */
unsigned srch_hit_page(const idx_hit *h);
/* Write s as one RFC 4180 CSV field. */
void srch_csv_field(FILE *out, const char *s);
/* Replace the \x01 / \x02 highlight markers by ANSI bold, or drop them. */
void srch_print_snippet(FILE *out, const char *snip, int color);

/* The arguments joined by spaces into *q (initialised by the call): a
 * query given as several words, unquoted. */
void srch_join_args(int argc, char **argv, sol_buf *q);

/* Open the index named by o->db for reading; prints the error and
 * returns SRCH_EXIT_DB on failure. */
int srch_open_db(const srch_opts *o, idx_db **db);

/* solent kwic / solent entities (explore.c) */
int srch_cmd_kwic(int argc, char **argv, const srch_opts *o);
int srch_cmd_entities(int argc, char **argv, const srch_opts *o);

/* Run one command line of solent-search: argv[1] may name a command
 * (search, show, similar, stats, batches, kwic, entities; search when it
 * names none), the rest are its options and arguments. Returns the exit
 * status below. Uses getopt, so runs once a process; --help exits. */
int srch_main(int argc, char **argv);

/* Exit codes */
enum { SRCH_EXIT_OK = 0, SRCH_EXIT_NOHITS = 1, SRCH_EXIT_USAGE = 2, SRCH_EXIT_DB = 3 };

#endif
