/*
 * schema.cc - the helpers schema.h declares: the entity fields, what a
 * hit shows in one value, and terms within Xapian's limits. Shared by the
 * write side (db.cc) and the read side (query.cc, parse.cc).
 */
#include "schema.h"

#include <cstring>
#include <initializer_list>

const idx_field idx_fields[] = {
	{ "org", "org", "XO", "KO", IDX_SLOT_FACET0 },
	{ "person", "person", "XP", "KP", IDX_SLOT_FACET0 + 1 },
	{ "place", "place", "XL", "KL", IDX_SLOT_FACET0 + 2 },
	{ "legislation", "act", "XA", "KA", IDX_SLOT_FACET0 + 3 },
	{ "role", "role", "XR", "KR", IDX_SLOT_FACET0 + 4 },
};
const size_t idx_n_fields = sizeof idx_fields / sizeof idx_fields[0];

const idx_field *idx__field_by_name(const std::string &name)
{
	for (size_t i = 0; i < idx_n_fields; i++)
		if (name == idx_fields[i].name || name == idx_fields[i].type)
			return &idx_fields[i];
	return NULL;
}

std::string idx__hit_value(const idx_hit_fields &f, const std::string *text)
{
	std::string v;
	v.reserve(f.id.size() + f.title.size() + f.source.size() + f.date.size() + f.type.size() +
		  (text ? text->size() + 5 : 4));
	for (const std::string *p : { &f.id, &f.title, &f.source, &f.date, &f.type }) {
		if (p != &f.id)
			v += '\0';
		v += *p;
	}
	if (text) {
		v += '\0';
		v += *text;
	}
	return v;
}

bool idx__hit_split(const std::string &v, idx_hit_fields &f, size_t *text_at)
{
	std::string *to[] = { &f.id, &f.title, &f.source, &f.date, &f.type };
	size_t at = 0, k = 0;
	if (text_at)
		*text_at = std::string::npos;
	if (v.empty())
		return false;
	for (; k < 5 && at <= v.size(); k++) {
		size_t end = v.find('\0', at);
		if (end == std::string::npos)
			end = v.size();
		to[k]->assign(v, at, end - at);
		at = end + 1;
	}
	if (k < 5)
		return false;
	/* a NUL after the fifth: the text follows (version 4) */
	if (text_at && at <= v.size())
		*text_at = at;
	return true;
}

std::string idx__doc_text(const Xapian::Document &doc)
{
	std::string v = doc.get_value(IDX_SLOT_HIT);
	idx_hit_fields f;
	size_t at;
	if (idx__hit_split(v, f, &at) && at != std::string::npos)
		return v.erase(0, at); /* in place: a text can be megabytes */
	return doc.get_value(IDX_SLOT_TEXT);
}

std::string idx__term(const char *prefix, const std::string &value)
{
	/* Xapian's limit is 245 bytes for a term in the glass backend. */
	const size_t max = 240;
	std::string t = std::string(prefix) + value;
	if (t.size() <= max)
		return t;
	char hex[65];
	sol_sha256_hex(value.data(), value.size(), hex);
	size_t keep = max - 1 - 16 - strlen(prefix);
	/* cut on a UTF-8 character boundary */
	while (keep > 0 && ((unsigned char)value[keep] & 0xC0) == 0x80)
		keep--;
	return std::string(prefix) + value.substr(0, keep) + "#" + std::string(hex, 16);
}

std::string idx__lower(const std::string &s)
{
	std::string o(s);
	for (auto &c : o)
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
	return o;
}

Xapian::docid idx__find(const Xapian::Database &db, const std::string &term)
{
	Xapian::PostingIterator p = db.postlist_begin(term);
	return p == db.postlist_end(term) ? 0 : *p;
}
