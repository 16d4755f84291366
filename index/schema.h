/*
 * schema.h - index-internal (C++ only): the one list of term prefixes,
 * value slots and metadata keys. docs/index-schema.md says the same in
 * prose; change both together and bump IDX_SCHEMA_VERSION when an
 * existing index could no longer be read correctly.
 *
 *   prefix  kind      holds
 *   ------  --------  ----------------------------------------------------
 *   (none)  free      body and title words, stemmed (Z...), with positions
 *   S       free      title words (title:)
 *   XO      free      organisation names (org:)
 *   XP      free      person names (person:)
 *   XL      free      place names (place:)
 *   XA      free      legislation titles (act:)
 *   XR      free      role titles (role:)
 *   Q       boolean   content id, unique per document (id:)
 *   Y       boolean   the id's bucket: its first two bytes in hex, so the
 *                     buckets in term order walk the ids in id order
 *                     (rank.cc breaks long runs of equal weights so)
 *   U       boolean   source path or URL, hashed when long (source:)
 *   H       boolean   host of a URL source, "local" for files (site:)
 *   T       boolean   content type: html, text, ... (type:)
 *   D       boolean   document date at year, month and day precision (date:)
 *   E       boolean   dates mentioned in the text, at each precision (mentions:)
 *   B       boolean   batch id that last touched the document
 *   KO KP KL KA KR  boolean  exact normalised entity (facets): org, person, place, act, role
 *
 *   slot 0  document date as YYYYMMDD (sort, date ranges)
 *   slot 1  document year YYYY (year facet)
 *   slot 2  document month YYYY-MM
 *   slot 3  content id (breaks ties, so every shard layout ranks alike)
 *   slot 4  YYYYMMDD + content id (00000000 when undated): sort by date
 *   slots 5, 6, 8, 9  title, first source, date, type (version 2
 *           documents; 15 since)
 *   slot 7  cleaned text (version 2 and 3 documents; 15 since)
 *   slots 10-14  normalised org, person, place, act, role names, joined by
 *           \x1f (facets read one value, not the document's term list)
 *   slot 15 what a hit shows (id, title, source, date, type) and its
 *           cleaned text, in one value (idx__hit_value): hits and snippets
 *           read it, not the stored JSON, which needs parsing
 *
 *   metadata "solent:schema"    schema version of this index
 *   metadata "batch:<id>"       JSON summary of a batch (solent batches)
 *
 * Document data: the record's JSON without its text (which is slot 15),
 * plus "sources": [{source, sha256, size, content_type, charset,
 * fetched_at, ingested_at, batch}].
 */
#ifndef IDX_SCHEMA_H
#define IDX_SCHEMA_H

#include <string>
#include <xapian.h>

#include "sol.h"

#define IDX_SCHEMA_VERSION 4
/* The oldest version still read and written: a version 2 index lacks
 * the id buckets (Y) of the documents added before version 3, so its
 * searches read ids instead (rank.cc); the documents added since carry
 * them, but the index stays version 2. Documents added to a version 2 or
 * 3 index keep their text in slot 7, as version 3 did (db.cc, in_form):
 * an older Solent reading the index still finds it. */
#define IDX_SCHEMA_OLDEST 2

#define IDX_P_TITLE "S"
#define IDX_P_ID "Q"
#define IDX_P_ID_BUCKET "Y"
#define IDX_P_SOURCE "U"
#define IDX_P_SITE "H"
#define IDX_P_TYPE "T"
#define IDX_P_DATE "D"
#define IDX_P_MENTION "E"
#define IDX_P_BATCH "B"

enum {
	IDX_SLOT_DATE = 0,
	IDX_SLOT_YEAR = 1,
	IDX_SLOT_MONTH = 2,
	IDX_SLOT_ID = 3,
	IDX_SLOT_DATE_ID = 4,
	IDX_SLOT_TITLE = 5,
	IDX_SLOT_SOURCE = 6,
	IDX_SLOT_TEXT = 7,
	IDX_SLOT_ISODATE = 8,   /* the document date as written in the record */
	IDX_SLOT_TYPE = 9,      /* content type */
	IDX_SLOT_FACET0 = 10, /* 10..14: entity norms per field, joined by \x1f */
	IDX_SLOT_HIT = 15       /* what a hit shows, in one value (idx__hit_value) */
};

/* What a hit shows: id, title, source, date and content type, each ""
 * when absent, then its text. Since version 3 the five are kept in the
 * one slot IDX_SLOT_HIT, NUL-separated (a record's strings hold no NUL),
 * so a page of hits reads one value a hit, not five; since version 4 the
 * text follows them there after one more NUL (it may hold NULs itself),
 * so a hit is one value read, not two: each read is a look-up in the
 * table, two block reads as a rule (a cold archive on a disk seeks for
 * each). A version 3 document has its text in slot 7; a version 2 one
 * has the five in slots 3, 5, 6, 8 and 9 too. */
struct idx_hit_fields {
	std::string id, title, source, date, type;
};
/* The hit value of f, followed by text unless text is NULL (a version 3
 * value, which the tests still make). */
std::string idx__hit_value(const idx_hit_fields &f, const std::string *text);
/* False when v is not a hit value (empty: a version 2 document). When
 * text_at is not NULL, *text_at is where v's text starts, or npos when v
 * holds none (a version 3 document). */
bool idx__hit_split(const std::string &v, idx_hit_fields &f, size_t *text_at = nullptr);
/* doc's cleaned text, wherever its version keeps it. */
std::string idx__doc_text(const Xapian::Document &doc);

/* Separates the values of one facet slot (never in a normalised name). */
#define IDX_FACET_SEP '\x1f'

/* Entity types that become searchable fields and facets. */
struct idx_field {
	const char *type;      /* entity type in the record */
	const char *name;      /* query field name */
	const char *prefix;    /* free-text prefix */
	const char *facet;     /* exact-term prefix */
	unsigned slot;         /* value slot of its facet values */
};
extern const idx_field idx_fields[];
extern const size_t idx_n_fields;
const idx_field *idx__field_by_name(const std::string &name);

/* Prefix + value as a term no longer than Xapian allows: long values are
 * cut and suffixed with a hash so distinct values stay distinct. */
std::string idx__term(const char *prefix, const std::string &value);

/* Lower-case ASCII copy. */
std::string idx__lower(const std::string &s);

/* Find the first document with this term, 0 when none. */
Xapian::docid idx__find(const Xapian::Database &db, const std::string &term);

/* The Xapian database behind a handle, and the writable one (or NULL). */
struct idx_db;
Xapian::Database &idx__rdb(idx_db *db);

/* Turn the exception in flight into a status and message on err. */
sol_status idx__exception(sol_err *err, const char *what);

#endif
