/* v2form.h - put documents of a Solent index in the schema version 2 form,
 * for the tests of `solent upgrade` (test_upgrade.cc, tests/tools/v2index):
 * the hit's fields in slots of their own (3, 5, 6, 8, 9; slot 3, the id, is
 * written by both versions), no hit slot (15), no id-bucket term; the index
 * marked version 2. Header-only C++; needs schema.h and rank.h. */
#ifndef SOLENT_TEST_V2FORM_H
#define SOLENT_TEST_V2FORM_H

#include <stdexcept>
#include <string>

#include "rank.h"
#include "schema.h"

/* The documents of the index at path that pick(docid) chooses. */
template <typename F>
static void v2form(const char *path, F pick)
{
	Xapian::WritableDatabase w(path, Xapian::DB_OPEN);
	for (auto p = w.postlist_begin(""); p != w.postlist_end(""); ++p) {
		if (!pick(*p))
			continue;
		Xapian::Document doc = w.get_document(*p);
		idx_hit_fields hit;
		if (!idx__hit_split(doc.get_value(IDX_SLOT_HIT), hit))
			throw std::runtime_error("document " + std::to_string(*p) + " has no hit slot");
		doc.add_value(IDX_SLOT_TITLE, hit.title);
		doc.add_value(IDX_SLOT_SOURCE, hit.source);
		doc.add_value(IDX_SLOT_ISODATE, hit.date);
		doc.add_value(IDX_SLOT_TYPE, hit.type);
		doc.remove_value(IDX_SLOT_HIT);
		doc.remove_term(idx__id_bucket(hit.id));
		w.replace_document(*p, doc);
	}
	w.set_metadata("solent:schema", "2");
	w.commit();
}

#endif
