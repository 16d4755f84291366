/*
 * explore.cc - reading across the index rather than ranking it: keyword in
 * context lines, and the most frequent entities.
 */
#include "db_int.h"
#include "snippet.h"

#include <jansson.h>
#include <algorithm>
#include <cstring>
#include <vector>

namespace {

/* Cut s to at most n bytes without splitting a UTF-8 character, from the
 * front (keep_end) or the back. Newlines and tabs become spaces. */
std::string context(const std::string &text, size_t from, size_t to)
{
	while (from > 0 && from < text.size() && ((unsigned char)text[from] & 0xC0) == 0x80)
		from++;
	while (to < text.size() && ((unsigned char)text[to] & 0xC0) == 0x80)
		to--;
	std::string s = text.substr(from, to > from ? to - from : 0);
	for (auto &c : s)
		if (c == '\n' || c == '\t' || c == '\r')
			c = ' ';
	return s;
}

} // namespace

extern "C" sol_status idx_kwic_run(idx_db *db, const char *query, unsigned max_docs,
				   unsigned max_lines, unsigned width, idx_kwic **out, sol_err *err)
{
	*out = NULL;
	idx_kwic *k = (idx_kwic *)calloc(1, sizeof *k);
	if (!k)
		return sol_err_set(err, SOL_ERR_NOMEM, "out of memory");
	try {
		idx_query q;
		memset(&q, 0, sizeof q);
		q.text = query;
		Xapian::Database &x = idx__rdb(db);
		/* the words as the search matches them, and as its snippets
		 * mark them (snippet.h) */
		idx__QueryWords words(idx__parse(x, query));

		idx_results *res = NULL;
		q.limit = max_docs ? max_docs : 20;
		sol_status st = idx_search(db, &q, &res, err);
		if (st != SOL_OK) {
			free(k);
			return st;
		}
		std::vector<idx_kwic_line> lines;
		for (size_t h = 0; h < res->n_hits && lines.size() < max_lines; h++) {
			std::string text = res->hits[h].text ? res->hits[h].text : "";
			size_t ws, we;
			for (size_t i = 0; lines.size() < max_lines &&
					   idx__next_word(text, i, &ws, &we); i = we) {
				if (words.match(text.data() + ws, we - ws) < 0)
					continue;
				idx_kwic_line l;
				l.source = strdup(res->hits[h].source ? res->hits[h].source : "");
				l.left = strdup(context(text, ws > width ? ws - width : 0, ws).c_str());
				l.match = strdup(text.substr(ws, we - ws).c_str());
				l.right = strdup(context(text, we, std::min(text.size(), (size_t)we + width)).c_str());
				lines.push_back(l);
			}
		}
		idx_results_free(res);
		k->lines = (idx_kwic_line *)calloc(lines.size() ? lines.size() : 1, sizeof *k->lines);
		if (!k->lines)
			throw std::bad_alloc();
		std::copy(lines.begin(), lines.end(), k->lines);
		k->n_lines = lines.size();
		*out = k;
		return SOL_OK;
	} catch (...) {
		idx_kwic_free(k);
		return idx__exception(err, db->path.c_str());
	}
}

extern "C" void idx_kwic_free(idx_kwic *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n_lines; i++) {
		free(k->lines[i].source);
		free(k->lines[i].left);
		free(k->lines[i].match);
		free(k->lines[i].right);
	}
	free(k->lines);
	free(k);
}

extern "C" sol_status idx_top_entities(idx_db *db, const char *field, unsigned limit,
				       idx_facet **out, sol_err *err)
{
	*out = NULL;
	const idx_field *f = idx__field_by_name(field ? field : "");
	if (!f)
		return sol_err_set(err, SOL_ERR_USAGE,
				   "unknown entity type '%s' (org, person, place, act, role)",
				   field ? field : "");
	try {
		Xapian::Database &x = idx__rdb(db);
		std::vector<std::pair<std::string, unsigned long>> vals;
		std::string prefix = f->facet;
		for (auto t = x.allterms_begin(prefix); t != x.allterms_end(prefix); ++t)
			vals.emplace_back((*t).substr(prefix.size()), t.get_termfreq());
		std::stable_sort(vals.begin(), vals.end(), [](const auto &a, const auto &b) {
			return a.second > b.second;
		});
		if (limit && vals.size() > limit)
			vals.resize(limit);
		idx_facet *fc = (idx_facet *)calloc(1, sizeof *fc);
		if (!fc)
			throw std::bad_alloc();
		fc->name = strdup(f->name);
		fc->values = (idx_facet_value *)calloc(vals.size() ? vals.size() : 1, sizeof *fc->values);
		for (size_t i = 0; fc->values && i < vals.size(); i++) {
			fc->values[i].value = strdup(vals[i].first.c_str());
			fc->values[i].count = vals[i].second;
			fc->n_values++;
		}
		*out = fc;
		return SOL_OK;
	} catch (...) {
		return idx__exception(err, db->path.c_str());
	}
}

extern "C" void idx_facet_free(idx_facet *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_values; i++)
		free(f->values[i].value);
	free(f->values);
	free(f->name);
	free(f);
}
