/*
 * db.cc - opening the index, adding, deduplicating, updating and removing
 * documents, committing. Every extern "C" body is wrapped in try/catch and
 * turns exceptions into a sol_status through idx__exception().
 */
#include "db_int.h"
#include "rank.h"

#include <jansson.h>
#include <cstring>
#include <new>
#include <unordered_set>
#include <vector>

static const idx_field *field_by_type(const char *type)
{
	for (size_t i = 0; i < idx_n_fields; i++)
		if (!strcmp(type, idx_fields[i].type))
			return &idx_fields[i];
	return NULL;
}

Xapian::Database &idx__rdb(idx_db *db)
{
	return db->wdb ? *db->wdb : db->rdb;
}

sol_status idx__exception(sol_err *err, const char *what)
{
	try {
		throw;
	} catch (const Xapian::DatabaseLockError &e) {
		return sol_err_set(err, SOL_ERR_LOCKED,
			"%s: another writer holds the lock (%s/flintlock): %s",
			what, what, e.get_msg().c_str());
	} catch (const Xapian::DatabaseVersionError &e) {
		return sol_err_set(err, SOL_ERR_VERSION, "%s: %s", what, e.get_msg().c_str());
	} catch (const Xapian::DatabaseOpeningError &e) {
		return sol_err_set(err, SOL_ERR_IO, "%s: cannot open index: %s", what,
				   e.get_msg().c_str());
	} catch (const Xapian::QueryParserError &e) {
		return sol_err_set(err, SOL_ERR_PARSE, "%s", e.get_msg().c_str());
	} catch (const Xapian::DatabaseError &e) {
		/* Write failures carry errno ("Error writing block 143" says
		 * nothing on its own); a full disk is common enough on archive
		 * machines to be named in words. */
		const char *why = e.get_error_string();
		/* Xapian may wrap the write error ("Modifications failed (...
		 * No space left on device)") with no errno of its own. */
		if ((!why || !*why) && strstr(e.get_msg().c_str(), "No space left"))
			why = "No space left on device";
		if (why && strstr(why, "No space left"))
			return sol_err_set(err, SOL_ERR_IO,
				"%s: disk full (%s: %s); the index keeps what was committed before",
				what, why, e.get_msg().c_str());
		if (why)
			return sol_err_set(err, SOL_ERR_IO, "%s: %s: %s (%s)", what, e.get_type(),
					   e.get_msg().c_str(), why);
		return sol_err_set(err, SOL_ERR_DB, "%s: %s: %s", what, e.get_type(),
				   e.get_msg().c_str());
	} catch (const Xapian::Error &e) {
		return sol_err_set(err, SOL_ERR_DB, "%s: %s: %s", what, e.get_type(),
				   e.get_msg().c_str());
	} catch (const std::bad_alloc &) {
		return sol_err_set(err, SOL_ERR_NOMEM, "%s: out of memory", what);
	} catch (const std::exception &e) {
		return sol_err_set(err, SOL_ERR_DB, "%s: %s", what, e.what());
	} catch (...) {
		return sol_err_set(err, SOL_ERR_DB, "%s: unknown error", what);
	}
}

/* A reader holds one revision of the index. When the writer has committed
 * twice since (a batch commits every chunk), Xapian may recycle the blocks
 * of that revision and throws DatabaseModifiedError: the answer is to
 * reopen at the latest revision and ask again, never to fail a search or
 * a count because a batch is being written. */
template <typename F>
static auto read_retry(idx_db *db, F f) -> decltype(f())
{
	for (int attempt = 0;; attempt++) {
		try {
			return f();
		} catch (const Xapian::DatabaseModifiedError &) {
			if (db->wdb || attempt >= 10)
				throw;
			db->rdb.reopen();
		}
	}
}

static sol_status check_schema(idx_db *db, sol_err *err)
{
	Xapian::Database &x = idx__rdb(db);
	std::string v = x.get_metadata("solent:schema");
	if (v.empty()) {
		if (x.get_doccount() > 0)
			return sol_err_set(err, SOL_ERR_VERSION,
				"%s: not a Solent index (no schema version)", db->path.c_str());
		if (db->wdb)
			db->wdb->set_metadata("solent:schema", std::to_string(IDX_SCHEMA_VERSION));
		db->schema = IDX_SCHEMA_VERSION;
		return SOL_OK;
	}
	if (atoi(v.c_str()) > IDX_SCHEMA_VERSION)
		return sol_err_set(err, SOL_ERR_VERSION,
			"%s: index schema version %s is newer than this Solent reads (%d); upgrade Solent",
			db->path.c_str(), v.c_str(), IDX_SCHEMA_VERSION);
	if (atoi(v.c_str()) < IDX_SCHEMA_OLDEST)
		return sol_err_set(err, SOL_ERR_VERSION,
			"%s: index schema version %s is older than this Solent reads (%d); add the "
			"documents again into a new index", db->path.c_str(), v.c_str(), IDX_SCHEMA_OLDEST);
	db->schema = atoi(v.c_str());
	return SOL_OK;
}

/* Xapian says only "Couldn't connect": say which shards of a stub are down. */
static void name_failed_shards(const char *stub, sol_err *err)
{
	idx_db *probe = NULL;
	char *warnings = NULL;
	sol_err ignored;
	idx_open_partial(stub, &probe, &warnings, &ignored);
	idx_free(probe);
	if (warnings && err) {
		size_t n = strlen(err->msg);
		snprintf(err->msg + n, sizeof err->msg - n, "\n%s(--allow-partial searches the shards that answer)",
			 warnings);
	}
	free(warnings);
}

extern "C" sol_status idx_open(const char *path, idx_mode mode, idx_db **out, sol_err *err)
{
	idx_db *db = NULL;
	sol_status st;

	*out = NULL;
	try {
		db = new idx_db();
		db->path = path;
		db->wdb = NULL;
		db->in_txn = false;
		db->remote = idx__names_remote(path);
		if (mode == IDX_WRITE) {
			db->wdb = new Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
			sol_status bst = idx_builder_new(&db->builder, err);
			if (bst != SOL_OK) {
				idx_free(db);
				return bst;
			}
		} else {
			/* A writer's commits can recycle the revision being opened
			 * under us, too: try again at the newer one. */
			for (int attempt = 0;; attempt++) {
				try {
					db->rdb = Xapian::Database(path);
					break;
				} catch (const Xapian::DatabaseModifiedError &) {
					if (attempt >= 10)
						throw;
				}
			}
		}
		st = read_retry(db, [&] { return check_schema(db, err); });
		if (st != SOL_OK) {
			idx_free(db);
			return st;
		}
		*out = db;
		return SOL_OK;
	} catch (...) {
		st = idx__exception(err, path);
		idx_free(db);
		if (mode == IDX_READ && idx__names_remote(path))
			name_failed_shards(path, err);
		return st;
	}
}

extern "C" void idx_free(idx_db *db)
{
	if (!db)
		return;
	try {
		if (db->wdb) {
			if (db->in_txn)
				db->wdb->cancel_transaction();
			/* close() without commit: uncommitted changes are dropped,
			 * which is what a batch that failed midway needs. */
			db->wdb->close();
		}
	} catch (...) {
	}
	delete db->wdb;
	delete db->builder;
	delete db;
}

extern "C" const char *idx_outcome_to_string(idx_outcome o)
{
	switch (o) {
	case IDX_ADDED: return "added";
	case IDX_UPDATED: return "updated";
	case IDX_UNCHANGED: return "unchanged";
	case IDX_DUPLICATE: return "duplicate";
	}
	return "?";
}

static std::string host_of(const char *source)
{
	const char *p = strstr(source, "://");
	if (!p)
		return "local";
	p += 3;
	size_t n = strcspn(p, "/:?#");
	return idx__lower(std::string(p, n));
}

static const char *type_short(const char *ct)
{
	if (!ct)
		return "unknown";
	if (strstr(ct, "html"))
		return "html";
	if (strstr(ct, "plain"))
		return "text";
	if (strstr(ct, "pdf"))
		return "pdf";
	if (strstr(ct, "wordprocessingml"))
		return "docx";
	if (strstr(ct, "opendocument.text"))
		return "odt";
	return ct;
}

/* The provenance entry a source contributes to a document. */
static json_t *source_entry(const sol_record *r, const char *batch_id)
{
	json_t *o = json_object();
	json_object_set_new(o, "source", json_string(r->source));
	if (r->original_url)
		json_object_set_new(o, "original_url", json_string(r->original_url));
	if (r->sha256)
		json_object_set_new(o, "sha256", json_string(r->sha256));
	json_object_set_new(o, "size", json_integer((json_int_t)r->size));
	if (r->content_type)
		json_object_set_new(o, "content_type", json_string(r->content_type));
	if (r->charset)
		json_object_set_new(o, "charset", json_string(r->charset));
	if (r->fetched_at)
		json_object_set_new(o, "fetched_at", json_string(r->fetched_at));
	if (r->ingested_at)
		json_object_set_new(o, "ingested_at", json_string(r->ingested_at));
	if (batch_id)
		json_object_set_new(o, "batch", json_string(batch_id));
	return o;
}

static void add_date_terms(Xapian::Document &doc, const char *prefix, const std::string &iso)
{
	/* "2013-06-12" gives D2013, D2013-06 and D2013-06-12 so that date:2013
	 * and date:2013-06 are single-term filters. */
	if (iso.size() >= 4)
		doc.add_boolean_term(prefix + iso.substr(0, 4));
	if (iso.size() >= 7)
		doc.add_boolean_term(prefix + iso.substr(0, 7));
	if (iso.size() >= 10)
		doc.add_boolean_term(prefix + iso.substr(0, 10));
}

static void index_entities(Xapian::Document &doc, Xapian::TermGenerator &tg,
			   const sol_record *r)
{
	std::string facets[8];
	/* Facet terms seen so far. Not Document::termlist skip_to: on a
	 * document being built that walks the term map from the start, which
	 * made entity-dense documents quadratic. */
	std::unordered_set<std::string> seen;
	for (size_t i = 0; i < r->n_entities; i++) {
		const sol_entity *e = &r->entities[i];
		const idx_field *f = field_by_type(e->type);
		if (!f)
			continue;
		tg.increase_termpos();
		tg.index_text(e->norm, 1, f->prefix);
		std::string term = idx__term(f->facet, e->norm);
		if (!seen.insert(term).second)
			continue; /* once per document, in the facet slot too */
		doc.add_boolean_term(term);
		std::string &slot = facets[f - idx_fields];
		if (!slot.empty())
			slot += IDX_FACET_SEP;
		slot += term.substr(strlen(f->facet));
	}
	for (size_t k = 0; k < idx_n_fields; k++)
		if (!facets[k].empty())
			doc.add_value(idx_fields[k].slot, facets[k]);
	for (size_t i = 0; i < r->n_dates; i++)
		add_date_terms(doc, IDX_P_MENTION, r->dates[i].iso);
}

static void set_date_values(Xapian::Document &doc, const char *date, const char *id)
{
	if (!date || strlen(date) < 4) {
		doc.add_value(IDX_SLOT_DATE_ID, std::string("00000000") + id);
		return;
	}
	std::string iso(date);
	std::string ymd = iso.substr(0, 4);
	ymd += iso.size() >= 7 ? iso.substr(5, 2) : "01";
	ymd += iso.size() >= 10 ? iso.substr(8, 2) : "01";
	doc.add_value(IDX_SLOT_DATE, ymd);
	doc.add_value(IDX_SLOT_DATE_ID, ymd + id);
	doc.add_value(IDX_SLOT_YEAR, iso.substr(0, 4));
	if (iso.size() >= 7)
		doc.add_value(IDX_SLOT_MONTH, iso.substr(0, 7));
	add_date_terms(doc, IDX_P_DATE, iso);
}

/* Acronym definitions become synonyms both ways, so HCC finds the
 * spelled-out name and the reverse. Keys are lower-case words joined by a
 * space, as the QueryParser looks them up. */
static void add_synonyms(Xapian::WritableDatabase &w, const sol_record *r)
{
	for (size_t i = 0; i < r->n_aliases; i++) {
		std::string a = idx__lower(r->aliases[i].abbrev);
		std::string f = idx__lower(r->aliases[i].full);
		if (a.empty() || f.empty() || a.size() > 200 || f.size() > 200)
			continue;
		w.add_synonym(a, f);
		w.add_synonym(f, a);
	}
}

/* Store o (compact JSON) as the document's data; takes o's reference. */
static void store_json(Xapian::Document &doc, json_t *o)
{
	char *data = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!data)
		throw std::bad_alloc();
	doc.set_data(data);
	free(data);
}

Xapian::Document idx__build_doc(idx_builder *b, const sol_record *r, json_t *sources,
			       const char *batch_id)
{
	Xapian::Document doc;
	Xapian::TermGenerator tg;
	tg.set_stemmer(b->stem);
	tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
	/* no FLAG_SPELLING: "did you mean" reads the vocabulary (suggest.cc) */
	tg.set_document(doc);
	tg.set_max_word_length(64);

	if (r->title) {
		tg.index_text(r->title, 1, IDX_P_TITLE);
		/* title words also count in the body, with extra weight */
		tg.index_text(r->title, 3);
		tg.increase_termpos(100);
	}
	if (r->text)
		tg.index_text(std::string(r->text, r->text_len));
	index_entities(doc, tg, r);
	set_date_values(doc, r->date, r->id);

	doc.add_boolean_term(idx__term(IDX_P_ID, r->id));
	doc.add_boolean_term(idx__id_bucket(r->id));
	doc.add_value(IDX_SLOT_ID, r->id);
	idx_hit_fields hit;
	hit.id = r->id;
	hit.title = r->title ? r->title : "";
	hit.source = r->source;
	hit.date = r->date ? r->date : "";
	hit.type = r->content_type ? r->content_type : "";
	/* the text with what a hit shows, one value a hit (schema.h) */
	const std::string text = r->text ? std::string(r->text, r->text_len) : std::string();
	doc.add_value(IDX_SLOT_HIT, idx__hit_value(hit, &text));
	size_t i;
	json_t *s;
	json_array_foreach(sources, i, s) {
		const char *src = json_string_value(json_object_get(s, "source"));
		if (!src)
			continue;
		doc.add_boolean_term(idx__term(IDX_P_SOURCE, src));
		doc.add_boolean_term(idx__term(IDX_P_SITE, host_of(src)));
	}
	doc.add_boolean_term(idx__term(IDX_P_TYPE, type_short(r->content_type)));
	if (batch_id)
		doc.add_boolean_term(idx__term(IDX_P_BATCH, batch_id));

	/* Stored data: the record (for show, snippets, export) plus its sources. */
	/* the text lives in the hit slot: a hit reads it without parsing
	 * the record */
	json_t *o = sol_record_to_jansson(r, 0);
	if (!o)
		throw std::bad_alloc();
	json_object_set(o, "sources", sources);
	store_json(doc, o);
	return doc;
}

std::string idx__with_text(const Xapian::Document &doc, json_t *o)
{
	std::string text = idx__doc_text(doc);
	json_object_set_new(o, "text", json_stringn(text.data(), text.size()));
	char *s = json_dumps(o, JSON_COMPACT);
	if (!s)
		throw std::bad_alloc();
	std::string out(s);
	free(s);
	return out;
}

std::string idx__record_json(const Xapian::Document &doc)
{
	json_t *o = idx__doc_json(doc);
	if (!o)
		return doc.get_data();
	try {
		std::string out = idx__with_text(doc, o);
		json_decref(o);
		return out;
	} catch (...) {
		json_decref(o);
		throw;
	}
}

json_t *idx__doc_json(const Xapian::Document &doc)
{
	std::string d = doc.get_data();
	return json_loadb(d.data(), d.size(), 0, NULL);
}

/* Take source out of document did: drop its terms and provenance entry;
 * delete the document when it has no source left. */
static void detach_source(Xapian::WritableDatabase &w, Xapian::docid did, const char *source)
{
	Xapian::Document doc = w.get_document(did);
	json_t *o = idx__doc_json(doc);
	json_t *sources = o ? json_object_get(o, "sources") : NULL;
	json_t *keep = json_array();
	std::string host = host_of(source);
	bool host_kept = false;
	size_t i;
	json_t *s;
	json_array_foreach(sources, i, s) {
		const char *src = json_string_value(json_object_get(s, "source"));
		if (src && strcmp(src, source)) {
			json_array_append(keep, s);
			host_kept = host_kept || host_of(src) == host;
		}
	}
	if (json_array_size(keep) == 0) {
		w.delete_document(did);
	} else {
		/* remove_term throws when the term is absent (a source whose
		 * term was never added); the site term goes only when no other
		 * source of the document shares the host, or site: would miss it. */
		try {
			doc.remove_term(idx__term(IDX_P_SOURCE, source));
		} catch (const Xapian::InvalidArgumentError &) {
		}
		if (!host_kept) {
			try {
				doc.remove_term(idx__term(IDX_P_SITE, host));
			} catch (const Xapian::InvalidArgumentError &) {
			}
		}
		json_object_set(o, "sources", keep);
		json_object_set(o, "source", json_object_get(json_array_get(keep, 0), "source"));
		const char *first = json_string_value(json_object_get(json_array_get(keep, 0), "source"));
		idx_hit_fields hit;
		const std::string v = doc.get_value(IDX_SLOT_HIT);
		size_t text_at;
		if (first && idx__hit_split(v, hit, &text_at)) {
			hit.source = first;
			const std::string text =
				text_at == std::string::npos ? std::string() : v.substr(text_at);
			doc.add_value(IDX_SLOT_HIT, idx__hit_value(hit, text_at == std::string::npos
									? NULL : &text));
		} else if (first) {
			doc.add_value(IDX_SLOT_SOURCE, first); /* a version 2 document */
		}
		char *data = json_dumps(o, JSON_COMPACT);
		if (data) {
			doc.set_data(data);
			free(data);
		}
		w.replace_document(did, doc);
	}
	json_decref(keep);
	json_decref(o);
}

/* Record source as one more provenance of an existing document. */
static void attach_source(Xapian::WritableDatabase &w, Xapian::docid did, const sol_record *r,
			  const char *batch_id)
{
	Xapian::Document doc = w.get_document(did);
	json_t *o = idx__doc_json(doc);
	if (!o)
		throw std::runtime_error("stored document data is not JSON");
	json_t *sources = json_object_get(o, "sources");
	if (!json_is_array(sources)) {
		sources = json_array();
		json_object_set_new(o, "sources", sources);
	}
	json_array_append_new(sources, source_entry(r, batch_id));
	doc.add_boolean_term(idx__term(IDX_P_SOURCE, r->source));
	doc.add_boolean_term(idx__term(IDX_P_SITE, host_of(r->source)));
	store_json(doc, o);
	w.replace_document(did, doc);
}

static void begin(idx_db *db)
{
	if (!db->in_txn) {
		db->wdb->begin_transaction(true);
		db->in_txn = true;
	}
}

/* SOL_OK when r is a document record (not a failure record, and with a
 * source and a content id); otherwise an error naming it. */
static sol_status check_document(const sol_record *r, sol_err *err)
{
	if (!r->source || !r->id || r->error)
		return sol_err_set(err, SOL_ERR_INPUT, "%s: not a document record",
				   r->source ? r->source : "?");
	return SOL_OK;
}

/* The document of a new record: its one source, its terms and data. */
static Xapian::Document new_doc(idx_builder *b, const sol_record *r, const char *batch_id)
{
	json_t *sources = json_array();
	if (!sources)
		throw std::bad_alloc();
	json_array_append_new(sources, source_entry(r, batch_id));
	try {
		Xapian::Document doc = idx__build_doc(b, r, sources, batch_id);
		json_decref(sources);
		return doc;
	} catch (...) {
		json_decref(sources);
		throw;
	}
}

extern "C" sol_status idx_builder_new(idx_builder **out, sol_err *err)
{
	*out = NULL;
	try {
		*out = new idx_builder{idx__cached_stemmer()};
		return SOL_OK;
	} catch (...) {
		return idx__exception(err, "building documents");
	}
}

extern "C" void idx_builder_free(idx_builder *b)
{
	delete b;
}

extern "C" sol_status idx_prepare(idx_builder *b, const sol_record *r, const char *batch_id,
				  idx_prepared **out, sol_err *err)
{
	*out = NULL;
	sol_status bad = check_document(r, err);
	if (bad != SOL_OK)
		return bad;
	try {
		*out = new idx_prepared{new_doc(b, r, batch_id)};
		return SOL_OK;
	} catch (...) {
		std::string what = std::string("preparing ") + r->source;
		return idx__exception(err, what.c_str());
	}
}

extern "C" void idx_prepared_free(idx_prepared *p)
{
	delete p;
}

extern "C" sol_status idx_add(idx_db *db, const sol_record *r, const char *batch_id,
			      idx_outcome *outcome, sol_err *err)
{
	return idx_add_prepared(db, r, NULL, batch_id, outcome, err);
}

/* doc as an index of db's version keeps it. Before version 4 the text
 * is in slot 7 (schema.h): an older Solent reading the index finds it
 * there, where it would misread a version 4 document (no text, and no
 * title or source). solent upgrade moves every text into the hit slot,
 * then marks the index version 4, which an older Solent refuses to read. */
static Xapian::Document in_form(const idx_db *db, Xapian::Document doc)
{
	if (db->schema >= 4)
		return doc;
	const std::string v = doc.get_value(IDX_SLOT_HIT);
	idx_hit_fields hit;
	size_t text_at;
	if (!idx__hit_split(v, hit, &text_at) || text_at == std::string::npos)
		return doc;
	if (text_at < v.size())
		doc.add_value(IDX_SLOT_TEXT, v.substr(text_at));
	doc.add_value(IDX_SLOT_HIT, idx__hit_value(hit, NULL));
	return doc;
}

extern "C" sol_status idx_add_prepared(idx_db *db, const sol_record *r, idx_prepared *p,
				       const char *batch_id, idx_outcome *outcome, sol_err *err)
{
	if (!db->wdb)
		return sol_err_set(err, SOL_ERR_USAGE, "%s: opened read-only", db->path.c_str());
	sol_status bad = check_document(r, err);
	if (bad != SOL_OK)
		return bad;
	try {
		Xapian::WritableDatabase &w = *db->wdb;
		std::string idterm = idx__term(IDX_P_ID, r->id);
		bool updated = false;

		begin(db);
		Xapian::docid old = idx__find(w, idx__term(IDX_P_SOURCE, r->source));
		if (old) {
			Xapian::Document od = w.get_document(old);
			Xapian::TermIterator t = od.termlist_begin();
			t.skip_to(idterm);
			if (t != od.termlist_end() && *t == idterm) {
				*outcome = IDX_UNCHANGED;
				return SOL_OK;
			}
			detach_source(w, old, r->source);
			updated = true;
		}
		Xapian::docid same = idx__find(w, idterm);
		if (same) {
			attach_source(w, same, r, batch_id);
			*outcome = updated ? IDX_UPDATED : IDX_DUPLICATE;
		} else {
			w.add_document(in_form(db, p ? p->doc : new_doc(db->builder, r, batch_id)));
			*outcome = updated ? IDX_UPDATED : IDX_ADDED;
		}
		add_synonyms(w, r);
		return SOL_OK;
	} catch (...) {
		/* name the index (it is what failed, e.g. its disk is full) and
		 * the document in hand */
		std::string what = db->path + " (adding " + r->source + ")";
		return idx__exception(err, what.c_str());
	}
}

extern "C" sol_status idx_commit(idx_db *db, sol_err *err)
{
	if (!db->wdb)
		return SOL_OK;
	try {
		if (db->in_txn) {
			db->in_txn = false;
			db->wdb->commit_transaction();
		} else {
			db->wdb->commit();
		}
		return SOL_OK;
	} catch (...) {
		return idx__exception(err, db->path.c_str());
	}
}

extern "C" sol_status idx_remove(idx_db *db, const char *key, sol_err *err)
{
	if (!db->wdb)
		return sol_err_set(err, SOL_ERR_USAGE, "%s: opened read-only", db->path.c_str());
	try {
		Xapian::WritableDatabase &w = *db->wdb;
		begin(db);
		Xapian::docid did = idx__find(w, idx__term(IDX_P_SOURCE, key));
		if (did) {
			detach_source(w, did, key);
			return SOL_OK;
		}
		did = idx__find(w, idx__term(IDX_P_ID, key));
		if (did) {
			w.delete_document(did);
			return SOL_OK;
		}
		return sol_err_set(err, SOL_ERR_NOTFOUND, "%s: no document with that source or id", key);
	} catch (...) {
		return idx__exception(err, key);
	}
}

/* Does source's provenance entry carry this raw sha256? (may throw) */
static int has_source_sha(idx_db *db, const char *source, const char *sha256)
{
	Xapian::Database &x = idx__rdb(db);
	Xapian::docid did = idx__find(x, idx__term(IDX_P_SOURCE, source));
	if (!did || !sha256)
		return 0;
	json_t *o = idx__doc_json(x.get_document(did));
	size_t i;
	json_t *s;
	int found = 0;
	json_array_foreach(json_object_get(o, "sources"), i, s) {
		const char *src = json_string_value(json_object_get(s, "source"));
		const char *sha = json_string_value(json_object_get(s, "sha256"));
		if (src && sha && !strcmp(src, source) && !strcmp(sha, sha256))
			found = 1;
	}
	json_decref(o);
	return found;
}

extern "C" int idx_has_source_sha(idx_db *db, const char *source, const char *sha256)
{
	try {
		return read_retry(db, [&] { return has_source_sha(db, source, sha256); });
	} catch (...) {
		return 0;
	}
}

extern "C" unsigned long idx_doc_count(idx_db *db)
{
	try {
		return read_retry(db, [&] { return (unsigned long)idx__rdb(db).get_doccount(); });
	} catch (...) {
		return 0;
	}
}

extern "C" sol_status idx_set_metadata(idx_db *db, const char *key, const char *value, sol_err *err)
{
	if (!db->wdb)
		return sol_err_set(err, SOL_ERR_USAGE, "%s: opened read-only", db->path.c_str());
	try {
		begin(db);
		db->wdb->set_metadata(key, value ? value : "");
		return SOL_OK;
	} catch (...) {
		return idx__exception(err, db->path.c_str());
	}
}

extern "C" char *idx_get_metadata(idx_db *db, const char *key)
{
	try {
		std::string v = read_retry(db, [&] { return idx__rdb(db).get_metadata(key); });
		return v.empty() ? NULL : strdup(v.c_str());
	} catch (...) {
		return NULL;
	}
}

extern "C" char **idx_metadata_keys(idx_db *db, const char *prefix)
{
	try {
		std::vector<std::string> keys = read_retry(db, [&] {
			Xapian::Database &x = idx__rdb(db);
			std::vector<std::string> found;
			for (auto k = x.metadata_keys_begin(prefix); k != x.metadata_keys_end(prefix); ++k)
				found.push_back(*k);
			return found;
		});
		char **v = (char **)calloc(keys.size() + 1, sizeof *v);
		if (!v)
			return NULL;
		for (size_t i = 0; i < keys.size(); i++)
			v[i] = strdup(keys[i].c_str());
		return v;
	} catch (...) {
		return NULL;
	}
}

extern "C" void idx_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}
