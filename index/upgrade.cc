/*
 * upgrade.cc - rewriting an older schema version's documents as this
 * version writes them, in place (solent upgrade). An index of an older
 * version that this one still reads (schema.h) is searched correctly but
 * more slowly: version 2 documents have no hit slot (five values read a
 * hit instead of one) and no id-bucket term (a long rank tie has every
 * member's id read). Adding the documents again would not help: an
 * unchanged document is not written, and the archive's sources may be
 * gone. Everything a document is made from is kept in it (its record,
 * text, sources and batches), so it is built again from there.
 */
#include "db_int.h"

#include <cstring>
#include <string>
#include <vector>

namespace {

/* Was doc written by this version? The id-bucket term and the hit slot
 * are what version 3 added (a document has both or neither), the text in
 * the hit slot what version 4 did. */
bool current(const Xapian::Document &doc)
{
	idx_hit_fields hit;
	size_t text_at;
	if (!idx__hit_split(doc.get_value(IDX_SLOT_HIT), hit, &text_at) ||
	    text_at == std::string::npos)
		return false;
	Xapian::TermIterator t = doc.termlist_begin();
	t.skip_to(IDX_P_ID_BUCKET);
	return t != doc.termlist_end() && (*t).compare(0, strlen(IDX_P_ID_BUCKET), IDX_P_ID_BUCKET) == 0;
}

/* The batch terms of doc: the batch that added it (build_doc takes one;
 * these are kept as they were). */
std::vector<std::string> batch_terms(const Xapian::Document &doc)
{
	std::vector<std::string> out;
	const size_t n = strlen(IDX_P_BATCH);
	Xapian::TermIterator t = doc.termlist_begin();
	for (t.skip_to(IDX_P_BATCH); t != doc.termlist_end(); ++t) {
		std::string term = *t;
		if (term.compare(0, n, IDX_P_BATCH) != 0)
			break;
		out.push_back(term);
	}
	return out;
}

/* doc as this version writes it. Throws std::runtime_error when what it
 * stores cannot be read back as a record. */
Xapian::Document rebuild(idx_builder *b, const Xapian::Document &doc)
{
	const std::string which = "document " + std::to_string(doc.get_docid());
	/* parsed once: the record (with its text put back) and the sources */
	json_t *stored = idx__doc_json(doc);
	if (!stored)
		throw std::runtime_error(which + ": stored record unreadable: not JSON");
	sol_record r;
	sol_err err;
	sol_record_init(&r);
	try {
		json_t *sources = json_object_get(stored, "sources");
		if (!json_is_array(sources))
			throw std::runtime_error(which + ": no sources stored");
		std::string json = idx__with_text(doc, stored);
		if (sol_record_from_json(json.data(), json.size(), &r, &err) != SOL_OK)
			throw std::runtime_error(which + ": stored record unreadable: " + err.msg);
		Xapian::Document out = idx__build_doc(b, &r, sources, NULL);
		for (const std::string &t : batch_terms(doc))
			out.add_boolean_term(t);
		json_decref(stored);
		sol_record_release(&r);
		return out;
	} catch (...) {
		json_decref(stored);
		sol_record_release(&r);
		throw;
	}
}

} // namespace

extern "C" int idx_schema_version(idx_db *db, int *current)
{
	if (current)
		*current = IDX_SCHEMA_VERSION;
	return db->schema;
}

extern "C" sol_status idx_upgrade(idx_db *db, unsigned chunk,
				  void (*progress)(unsigned long done, unsigned long total, void *arg),
				  void *arg, unsigned long *rewritten, sol_err *err)
{
	*rewritten = 0;
	if (!db->wdb || db->remote || db->wdb->size() != 1)
		return sol_err_set(err, SOL_ERR_USAGE, "%s: upgrade needs one local index opened for "
				   "writing (for a stub of shards, upgrade each shard)", db->path.c_str());
	if (db->schema >= IDX_SCHEMA_VERSION)
		return SOL_OK;
	if (!chunk)
		chunk = 500;
	try {
		Xapian::WritableDatabase &w = *db->wdb;
		/* the docids first: the documents are replaced as we go */
		std::vector<Xapian::docid> dids;
		dids.reserve(w.get_doccount());
		for (auto p = w.postlist_begin(""); p != w.postlist_end(""); ++p)
			dids.push_back(*p);
		unsigned long pending = 0, unreadable = 0;
		std::string first_unreadable;
		for (size_t i = 0; i < dids.size(); i++) {
			Xapian::Document doc = w.get_document(dids[i]);
			if (current(doc))
				continue; /* rewritten by a run that stopped */
			Xapian::Document now;
			try {
				now = rebuild(db->builder, doc);
			} catch (const std::runtime_error &e) {
				/* left as it is (still read as version 2): the rest
				 * goes on, and the index stays version 2 */
				if (!unreadable++)
					first_unreadable = e.what();
				continue;
			}
			w.replace_document(dids[i], now);
			(*rewritten)++;
			if (++pending >= chunk) {
				w.commit();
				pending = 0;
				if (progress)
					progress(i + 1, dids.size(), arg);
			}
		}
		if (unreadable) {
			w.commit();
			return sol_err_set(err, SOL_ERR_INPUT,
				"%s: %lu of its documents could not be rebuilt from what they keep (the "
				"first, %s); they stay as they were, still searched, and the index "
				"stays version %d", db->path.c_str(), unreadable,
				first_unreadable.c_str(), db->schema);
		}
		/* only now that no older document is left */
		w.set_metadata("solent:schema", std::to_string(IDX_SCHEMA_VERSION));
		w.commit();
		db->schema = IDX_SCHEMA_VERSION;
		if (progress)
			progress(dids.size(), dids.size(), arg);
		return SOL_OK;
	} catch (...) {
		std::string what = db->path + " (upgrading)";
		return idx__exception(err, what.c_str());
	}
}
