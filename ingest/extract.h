/*
 * extract.h - ingest-internal: named entities and dates from cleaned text
 * with PCRE2 (JIT). Rules are data (ingest/rules/, see docs/rules.md),
 * compiled once per extractor.
 */
#ifndef ING_EXTRACT_H
#define ING_EXTRACT_H

#include "record.h"

typedef struct ing_extractor ing_extractor;

/* Compile the rules from rules_dir, or the copies built into the program
 * when rules_dir is NULL. NULL on failure with err naming file and line. */
ing_extractor *ing_extractor_new(const char *rules_dir, sol_err *err);
void ing_extractor_free(ing_extractor *ex);

/* Append to r->entities, r->dates and r->aliases what r->text holds, with
 * byte offsets into r->text; set r->date (and r->date_from) from the text
 * when the metadata gave none. */
sol_status ing_extract(ing_extractor *ex, sol_record *r, sol_err *err);

/* The rule files compiled into the program (generated at build time from
 * ingest/rules/). */
typedef struct ing_embedded_file {
	const char *name;
	const char *data;
	size_t len;
} ing_embedded_file;
extern const ing_embedded_file ing_embedded_rules[];
extern const size_t ing_n_embedded_rules;

#endif
