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

/* At most this many mentions of one entity (type and normalised name) or
 * of one date are listed in a record; the others are counted in
 * r->mentions_omitted. A long document repeating a name thousands of
 * times otherwise cost some 40 times its text in memory, in ingest and
 * again in the indexer (a JSON object a mention): 1.2 GB each for 30 MB. */
#define ING_MENTIONS_MAX 1000

/* Append to r->entities, r->dates and r->aliases what r->text holds, with
 * byte offsets into r->text (at most ING_MENTIONS_MAX mentions of each
 * entity and date); set r->date (and r->date_from) from the text when the
 * metadata gave none. */
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
