/* v2form.h - put documents of a Solent index in an older schema version's
 * form, for the tests of `solent upgrade` (test_upgrade.cc,
 * tests/tools/v2index):
 *   version 3: the text in slot 7 of its own, the hit slot (15) without it;
 *   version 2: that, and the hit's fields in slots of their own (3, 5, 6,
 *              8, 9; slot 3, the id, is written by every version), no hit
 *              slot, no id-bucket term;
 * the index marked with that version. Header-only C++; needs schema.h and
 * rank.h. */
#ifndef SOLENT_TEST_V2FORM_H
#define SOLENT_TEST_V2FORM_H

#include <stdexcept>
#include <string>

#include "rank.h"
#include "schema.h"

/* The documents of the index at path that pick(docid) chooses, in the
 * form of version (2 or 3). */
template <typename F>
static void oldform(const char *path, int version, F pick)
{
	Xapian::WritableDatabase w(path, Xapian::DB_OPEN);
	for (auto p = w.postlist_begin(""); p != w.postlist_end(""); ++p) {
		if (!pick(*p))
			continue;
		Xapian::Document doc = w.get_document(*p);
		idx_hit_fields hit;
		size_t text_at;
		const std::string v = doc.get_value(IDX_SLOT_HIT);
		if (!idx__hit_split(v, hit, &text_at) || text_at == std::string::npos)
			throw std::runtime_error("document " + std::to_string(*p) +
						 " is not in the current form");
		doc.add_value(IDX_SLOT_TEXT, v.substr(text_at));
		if (version == 3) {
			doc.add_value(IDX_SLOT_HIT, idx__hit_value(hit, NULL));
		} else {
			doc.add_value(IDX_SLOT_TITLE, hit.title);
			doc.add_value(IDX_SLOT_SOURCE, hit.source);
			doc.add_value(IDX_SLOT_ISODATE, hit.date);
			doc.add_value(IDX_SLOT_TYPE, hit.type);
			doc.remove_value(IDX_SLOT_HIT);
			doc.remove_term(idx__id_bucket(hit.id));
		}
		w.replace_document(*p, doc);
	}
	w.set_metadata("solent:schema", std::to_string(version));
	w.commit();
}

template <typename F>
static void v2form(const char *path, F pick)
{
	oldform(path, 2, pick);
}

#endif
