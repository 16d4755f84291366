/* db_int.h - index-internal: the handle's layout, shared by db.cc and query.cc. */
#ifndef IDX_DB_INT_H
#define IDX_DB_INT_H

#include "index.h"
#include "schema.h"

#include <jansson.h>

#include <cstdint>
#include <memory>
#include <vector>

struct idx_id_order; /* rank.h */

struct idx_db {
	std::string path;
	Xapian::Database rdb;          /* what searches read */
	Xapian::WritableDatabase *wdb; /* non-NULL in IDX_WRITE mode */
	bool in_txn;
	bool remote;                   /* some shard is an xapian-tcpsrv server */
	idx_builder *builder;          /* idx_add's, in IDX_WRITE mode */
	int schema = 0;                /* the index's schema version (schema.h) */
	/* Each document's place in content-id order (the rank tie-break),
	 * mapped from the file a writer saved or built from a handle's
	 * second search on, for the revision it is of (idorder.cc). */
	unsigned searches = 0;
	std::shared_ptr<const idx_id_order> id_order;
	Xapian::rev id_order_rev = 0;
};

struct idx_builder {
	Xapian::Stem stem;             /* cached English stemmer (stem.cc) */
};

struct idx_prepared {
	Xapian::Document doc;
};

/* An English stemmer with a bounded memo of its answers (stem.cc). */
Xapian::Stem idx__cached_stemmer();

/* Run a read-only operation f() returning sol_status; when a writer's
 * commits have recycled the revision this reader holds (Xapian's
 * DatabaseModifiedError), reopen at the latest revision and run it again,
 * so a search never fails because a batch is being written. f must let
 * DatabaseModifiedError escape and turn every other error into a status. */
template <typename F>
sol_status idx__read_retry(idx_db *db, sol_err *err, F f)
{
	for (int attempt = 0;; attempt++) {
		try {
			return f();
		} catch (const Xapian::DatabaseModifiedError &e) {
			if (db->wdb || attempt >= 10)
				return sol_err_set(err, SOL_ERR_DB, "%s: %s", db->path.c_str(),
						   e.get_msg().c_str());
			try {
				db->rdb.reopen();
			} catch (...) {
			}
		}
	}
}

/* The stored record of a document as JSON, with its text put back in
 * (the text is kept in a value slot, not in the data). */
std::string idx__record_json(const Xapian::Document &doc);

/* A document's stored JSON (the record without its text, plus its
 * "sources"), parsed; the caller decrefs. NULL if unreadable. */
json_t *idx__doc_json(const Xapian::Document &doc);

/* o, doc's stored JSON (idx__doc_json), as the whole record: doc's text
 * is put back into o (which the caller still owns), and o written out. */
std::string idx__with_text(const Xapian::Document &doc, json_t *o);

/* The document this schema version writes for record r, with sources (a
 * JSON array of provenance entries, not taken) and, unless NULL, the
 * batch term of batch_id. Throws on Xapian errors and bad_alloc. */
Xapian::Document idx__build_doc(idx_builder *b, const sol_record *r, json_t *sources,
				const char *batch_id);

/* Solent's query language (parse.cc). idx__lint_query names what is
 * malformed in q and where, "" when it is well formed; idx__parse turns
 * q into a Xapian query for x (wildcards and synonyms expanded against
 * the whole archive), throwing Xapian::QueryParserError when it cannot. */
std::string idx__lint_query(const std::string &q);
Xapian::Query idx__parse(Xapian::Database &x, const char *text);

/* "Did you mean": text with each word the index does not know replaced
 * by the nearest frequent word it does (suggest.cc), or "" when every
 * word is known or has nothing near. */
std::string idx__suggest(Xapian::Database &x, const char *text);

/* Does this stub file (or directory) name a remote shard? */
bool idx__names_remote(const std::string &path);

#endif
