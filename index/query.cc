/*
 * query.cc - the read side of the index: Solent's query language on top of
 * Xapian's QueryParser, ranked hits with snippets, facets, spelling
 * suggestions, stored records and "more like this".
 */
#include "db_int.h"
#include "facet.h"
#include "rank.h"
#include "snippet.h"

#include <jansson.h>
#include <algorithm>
#include <cstring>
#include <string_view>
#include <memory>
#include <vector>

namespace {

/* What "more like this" compares on: stemmed body words that at least one
 * other document shares (a word found in this document alone cannot find
 * a neighbour, yet the expansion weights rank such words highest). */
class SharedBodyTerms : public Xapian::ExpandDecider {
public:
	explicit SharedBodyTerms(const Xapian::Database &d) : db(d) {}
	bool operator()(const std::string &t) const override
	{
		return t.size() > 4 && t[0] == 'Z' && db.get_termfreq(t) >= 2;
	}

private:
	const Xapian::Database &db;
};

/* A value as a heap string, NULL when empty. */
char *value_dup(const std::string &v)
{
	return v.empty() ? NULL : strdup(v.c_str());
}

/* What a page of hits shows, each slot read for the whole page in docid
 * order: a slot's values lie together in the table, in docid order, and
 * the value cursor keeps the blocks it last read. A version 4 document
 * has it all in one slot (IDX_SLOT_HIT), text included; a version 3 one
 * its text in another (a 10-hit page took 10-16 more block reads so, of
 * some 80 for a whole search); a version 2 one in six, read one after
 * another (a page took some 110). Each hit's text is kept once, in
 * hits[i].text, all of it even past a NUL (its length in text_lens[i]),
 * for the snippet: a page's texts held twice were pages of memory to
 * fault in. */
void read_hit_values(const std::vector<Xapian::Document> &docs, idx_hit *hits,
		     std::vector<size_t> &text_lens)
{
	std::vector<size_t> order(docs.size()), v2, no_text;
	for (size_t i = 0; i < order.size(); i++)
		order[i] = i;
	std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
		return docs[a].get_docid() < docs[b].get_docid();
	});
	text_lens.resize(docs.size());
	auto set_text = [&](size_t i, const char *text, size_t len) {
		hits[i].text = (char *)malloc(len + 1);
		if (!hits[i].text)
			throw std::bad_alloc();
		memcpy(hits[i].text, text, len);
		hits[i].text[len] = '\0';
		text_lens[i] = len;
	};
	for (size_t i : order) {
		idx_hit_fields f;
		size_t text_at;
		const std::string v = docs[i].get_value(IDX_SLOT_HIT);
		if (!idx__hit_split(v, f, &text_at)) {
			v2.push_back(i);
			no_text.push_back(i);
			continue;
		}
		hits[i].id = value_dup(f.id);
		hits[i].title = value_dup(f.title);
		hits[i].source = value_dup(f.source);
		hits[i].date = value_dup(f.date);
		hits[i].content_type = value_dup(f.type);
		if (text_at == std::string::npos)
			no_text.push_back(i);
		else
			set_text(i, v.data() + text_at, v.size() - text_at);
	}
	for (size_t i : v2)
		hits[i].id = value_dup(docs[i].get_value(IDX_SLOT_ID));
	for (size_t i : v2)
		hits[i].title = value_dup(docs[i].get_value(IDX_SLOT_TITLE));
	for (size_t i : v2)
		hits[i].source = value_dup(docs[i].get_value(IDX_SLOT_SOURCE));
	for (size_t i : v2)
		hits[i].date = value_dup(docs[i].get_value(IDX_SLOT_ISODATE));
	for (size_t i : v2)
		hits[i].content_type = value_dup(docs[i].get_value(IDX_SLOT_TYPE));
	for (size_t i : no_text) {
		const std::string text = docs[i].get_value(IDX_SLOT_TEXT);
		set_text(i, text.data(), text.size());
	}
}

void fill_snippet(idx_hit *h, std::string_view text, const idx_query *q,
		  idx__QueryWords &words)
{
	unsigned len = q && q->snippet_len ? q->snippet_len : 200;
	size_t mark;
	std::string snip = idx__snippet(text, words, len, q && q->hl_start ? q->hl_start : "\x01",
					q && q->hl_end ? q->hl_end : "\x02", &mark);
	h->snippet_mark = mark == std::string::npos ? -1 : (long long)mark;
	h->snippet = strdup(snip.c_str());
	if (!h->snippet)
		throw std::bad_alloc();
}

/* mset's own page, in its order. */
std::vector<idx_ranked> mset_page(const Xapian::MSet &mset)
{
	std::vector<idx_ranked> page;
	for (Xapian::MSetIterator m = mset.begin(); m != mset.end(); ++m)
		page.push_back(idx_ranked{*m, m.get_weight()});
	return page;
}

/* The hits of page, a page of mset's match (idx__rank_page may order it
 * otherwise than mset does). */
idx_results *results_from_page(Xapian::Database &x, const Xapian::MSet &mset,
			       const std::vector<idx_ranked> &page, const idx_query *q,
			       unsigned offset, const Xapian::Query &query)
{
	idx_results *res = (idx_results *)calloc(1, sizeof *res);
	if (!res)
		throw std::bad_alloc();
	res->matches_estimated = mset.get_matches_estimated();
	res->matches_lower = mset.get_matches_lower_bound();
	res->matches_upper = mset.get_matches_upper_bound();
	res->hits = (idx_hit *)calloc(page.size() ? page.size() : 1, sizeof *res->hits);
	if (!res->hits) {
		free(res);
		throw std::bad_alloc();
	}
	unsigned rank = offset + 1;
	/* one for the page: its hits share most of their words, which it
	 * remembers (snippet.h) */
	idx__QueryWords words(query, &mset);
	try {
		/* reading documents can throw (a recycled revision): free what
		 * was filled, and let the caller's retry run again. Everything
		 * a hit shows comes from value slots: the stored JSON is parsed
		 * only when the caller wants the whole record. */
		std::vector<Xapian::Document> docs;
		docs.reserve(page.size());
		for (const idx_ranked &p : page) {
			/* counted first: a hit half filled when a read throws is
			 * still freed (its unset fields are NULL) */
			idx_hit *h = &res->hits[res->n_hits++];
			h->rank = rank++;
			h->percent = mset.convert_to_percent(p.wt);
			h->weight = p.wt;
			docs.push_back(x.get_document(p.did, Xapian::DOC_ASSUME_VALID));
		}
		std::vector<size_t> text_lens;
		read_hit_values(docs, res->hits, text_lens);
		for (size_t i = 0; i < docs.size(); i++) {
			/* What a hit's record is wanted for is its sources and
			 * entities (the text is the hit's own): the stored data
			 * holds them as they are. idx__record_json, which puts the
			 * text back in, parsed and printed each whole record once
			 * more, and the caller parsed it again with its text: a
			 * --json page was eight times a plain one. */
			if (q && q->want_record)
				res->hits[i].record_json = strdup(docs[i].get_data().c_str());
			fill_snippet(&res->hits[i], std::string_view(res->hits[i].text, text_lens[i]),
				     q, words);
		}
	} catch (...) {
		idx_results_free(res);
		throw;
	}
	return res;
}

void add_facet(idx_results *res, const char *name,
	       idx_counts &vals, unsigned limit)
{
	/* most frequent first, then by name: the same order whatever the
	 * counts were gathered in (shards, hash order) */
	auto before = [](const auto &a, const auto &b) {
		return a.second != b.second ? a.second > b.second : a.first < b.first;
	};
	if (limit && vals.size() > limit) {
		std::partial_sort(vals.begin(), vals.begin() + limit, vals.end(), before);
		vals.resize(limit);
	} else {
		std::sort(vals.begin(), vals.end(), before);
	}
	idx_facet *f = &res->facets[res->n_facets++];
	f->name = strdup(name);
	f->values = (idx_facet_value *)calloc(vals.size() ? vals.size() : 1, sizeof *f->values);
	for (size_t i = 0; f->values && i < vals.size(); i++) {
		f->values[i].value = strdup(vals[i].first.c_str());
		f->values[i].count = vals[i].second;
		f->n_values++;
	}
}


/* Does query check positions (a phrase, NEAR, ADJ)? */
bool positional(const Xapian::Query &query)
{
	Xapian::Query::op op = query.get_type();
	if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR)
		return true;
	for (size_t i = 0; i < query.get_num_subqueries(); i++)
		if (positional(query.get_subquery(i)))
			return true;
	return false;
}

/* How a search counts its facets. Over one local database the matches
 * are kept as a bitmap (matched) and each facet counted from it once the
 * match is over, by slot or by term (facet.h); over local shards a spy a
 * facet counts by slot as the match goes; over remote ones, a walk.
 *
 * The bitmap must hold every match, and a match by relevance that sees
 * them all weighs them all: 'council' over 100,000 documents took 11 ms
 * so against 2.3 ms for its top ten alone. Where positions are not
 * checked, the bitmap is filled by a second match of its own ("apart")
 * that weighs nothing, in docid order (3.2 ms), and the ranked match
 * stops early as without facets. A phrase would have its positions
 * checked twice ('"children's services"': 16.2 ms so, 16.7 in one), and
 * a match sorted by date sees every match anyway: those fill the bitmap
 * with a spy on the one match. */
struct Facets {
	std::vector<idx_facet_src> srcs;
	std::unique_ptr<idx__MatchSet> matched;
	std::vector<std::unique_ptr<idx__FacetSpy>> spies;
	bool apart = false;
};

/* f set up for q's facets over enq, a match of query; NULL, or the name
 * of a facet there is none of. */
const char *facets_begin(Facets &f, idx_db *db, Xapian::Database &x, const idx_query *q,
			 Xapian::Enquire &enq, const Xapian::Query &query)
{
	f.srcs.resize(q->n_facets);
	for (size_t i = 0; i < q->n_facets; i++)
		if (!idx__facet_src(q->facets[i], f.srcs[i]))
			return q->facets[i];
	if (!q->n_facets || db->remote)
		return NULL;
	if (x.size() > 1) {
		for (const idx_facet_src &src : f.srcs) {
			f.spies.emplace_back(new idx__FacetSpy(x, src.slot));
			enq.add_matchspy(f.spies.back().get());
		}
		return NULL;
	}
	f.matched.reset(new idx__MatchSet(x.get_lastdocid()));
	f.apart = q->sort == IDX_SORT_RELEVANCE && !q->exact_count && !positional(query);
	if (!f.apart)
		enq.add_matchspy(f.matched.get());
	return NULL;
}

/* The counts of f's facets, once enq's match of query is over. */
std::vector<idx_counts> facets_count(Facets &f, idx_db *db, Xapian::Database &x,
				     Xapian::Enquire &enq, const Xapian::Query &query,
				     unsigned limit)
{
	std::vector<idx_counts> counts(f.srcs.size());
	if (f.srcs.empty())
		return counts;
	if (db->remote) {
		std::vector<Xapian::valueno> slots;
		for (const idx_facet_src &src : f.srcs)
			slots.push_back(src.slot);
		idx__walk_facets(enq, x.get_doccount(), slots, counts);
	} else if (f.matched) {
		if (f.apart) {
			Xapian::Enquire every(x);
			every.set_query(query);
			every.set_weighting_scheme(Xapian::BoolWeight());
			every.set_docid_order(Xapian::Enquire::ASCENDING);
			every.add_matchspy(f.matched.get());
			every.get_mset(0, 0, x.get_doccount());
		}
		for (size_t i = 0; i < f.srcs.size(); i++)
			counts[i] = idx__count_facet(x, f.srcs[i], *f.matched, limit);
	} else {
		for (size_t i = 0; i < f.spies.size(); i++)
			counts[i] = f.spies[i]->counts();
	}
	return counts;
}

/* The match of enq for q, every match seen when check says so. A count
 * alone (solent search --count) is often exact without that: Xapian's
 * bounds meet for a single term, a field or a filter (its frequency), and
 * then the match that counts every document is not run ('council' over
 * 10,000 documents: 0.11 ms against 0.63). */
Xapian::MSet exact_count_alone(Xapian::Enquire &enq, const idx_query *q, Xapian::doccount check)
{
	if (q->exact_count && !q->limit && !q->n_facets) {
		Xapian::MSet bounds = enq.get_mset(q->offset, 0);
		if (bounds.get_matches_lower_bound() == bounds.get_matches_upper_bound())
			return bounds;
	}
	return enq.get_mset(q->offset, q->limit, check);
}

} // namespace

static sol_status search_once(idx_db *db, const idx_query *q, idx_results **out, sol_err *err)
{
	*out = NULL;
	if (!q->text || !*q->text)
		return sol_err_set(err, SOL_ERR_PARSE, "empty query");
	idx_results *res = NULL;
	try {
		Xapian::Database &x = idx__rdb(db);
		std::string problem = idx__lint_query(q->text);
		if (!problem.empty())
			return sol_err_set(err, SOL_ERR_PARSE, "%s", problem.c_str());
		Xapian::Enquire enq(x);
		Xapian::Query query = idx__parse(x, q->text);
		enq.set_query(query);
		/* Ties are broken by content id rather than by docid, so the
		 * order is the same however the archive is sharded: by
		 * idx__rank_page from what the spy saw of a match by weight
		 * alone, or by Xapian from the id slot over shards, whose
		 * docids a spy cannot see (rank.h). */
		std::shared_ptr<const idx_id_order> table = idx__id_order(db, x);
		bool by_rank = q->sort == IDX_SORT_RELEVANCE && x.size() == 1 && !db->remote;
		idx__Weighed weighed;
		if (by_rank)
			enq.add_matchspy(&weighed);
		else if (q->sort == IDX_SORT_RELEVANCE)
			enq.set_sort_by_relevance_then_value(IDX_SLOT_ID, false);
		else
			enq.set_sort_by_value(IDX_SLOT_DATE_ID, q->sort == IDX_SORT_DATE_DESC);

		Facets facets;
		const char *unknown = facets_begin(facets, db, x, q, enq, query);
		if (unknown)
			return sol_err_set(err, SOL_ERR_USAGE,
				"unknown facet '%s' (org, person, place, act, role, year)", unknown);
		/* Facets count the whole matching set, so a match for them must
		 * see it all (Xapian's matcher stops early otherwise). */
		Xapian::doccount all = x.get_doccount();
		Xapian::doccount check = (q->n_facets && !facets.apart) || q->exact_count ? all : 0;
		Xapian::MSet mset = exact_count_alone(enq, q, check);
		unsigned limit = q->facet_limit ? q->facet_limit : 10;
		std::vector<idx_counts> counts = facets_count(facets, db, x, enq, query, limit);
		std::vector<idx_ranked> page;
		if (by_rank && !idx__rank_page(x, mset, weighed, q->offset, table.get(),
					       db->schema >= 3, page)) {
			/* the spy could not tell: let Xapian read the ids (the
			 * facets are counted: the same documents match) */
			enq.clear_matchspies();
			enq.set_sort_by_relevance_then_value(IDX_SLOT_ID, false);
			mset = enq.get_mset(q->offset, q->limit, check);
			by_rank = false;
		}
		if (!by_rank)
			page = mset_page(mset);

		res = results_from_page(x, mset, page, q, q->offset, query);
		if (facets.apart) /* the facets' match counted them all */
			res->matches_estimated = res->matches_lower = res->matches_upper =
				facets.matched->size();
		if (mset.get_matches_upper_bound() == 0) {
			std::string corr = idx__suggest(x, q->text);
			if (!corr.empty())
				res->corrected = strdup(corr.c_str());
		}
		res->facets = (idx_facet *)calloc(q->n_facets ? q->n_facets : 1, sizeof *res->facets);
		for (size_t i = 0; res->facets && i < q->n_facets; i++) {
			add_facet(res, q->facets[i], counts[i], limit);
		}
		*out = res;
		return SOL_OK;
	} catch (const Xapian::DatabaseModifiedError &) {
		idx_results_free(res);
		throw;
	} catch (...) {
		idx_results_free(res);
		return idx__exception(err, db->path.c_str());
	}
}

extern "C" sol_status idx_search(idx_db *db, const idx_query *q, idx_results **out, sol_err *err)
{
	return idx__read_retry(db, err, [&] { return search_once(db, q, out, err); });
}

extern "C" void idx_results_free(idx_results *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->n_hits; i++) {
		idx_hit *h = &res->hits[i];
		free(h->id);
		free(h->title);
		free(h->source);
		free(h->date);
		free(h->snippet);
		free(h->content_type);
		free(h->text);
		free(h->record_json);
	}
	free(res->hits);
	for (size_t i = 0; i < res->n_facets; i++) {
		for (size_t k = 0; k < res->facets[i].n_values; k++)
			free(res->facets[i].values[k].value);
		free(res->facets[i].values);
		free(res->facets[i].name);
	}
	free(res->facets);
	free(res->corrected);
	free(res);
}

static Xapian::docid find_doc(Xapian::Database &x, const char *key)
{
	Xapian::docid did = idx__find(x, idx__term(IDX_P_ID, key));
	return did ? did : idx__find(x, idx__term(IDX_P_SOURCE, key));
}

static sol_status get_record_once(idx_db *db, const char *key, char **json_out, sol_err *err)
{
	*json_out = NULL;
	try {
		Xapian::Database &x = idx__rdb(db);
		Xapian::docid did = find_doc(x, key);
		if (!did)
			return sol_err_set(err, SOL_ERR_NOTFOUND, "%s: no document with that id or source", key);
		*json_out = strdup(idx__record_json(x.get_document(did)).c_str());
		return *json_out ? SOL_OK : sol_err_set(err, SOL_ERR_NOMEM, "out of memory");
	} catch (const Xapian::DatabaseModifiedError &) {
		throw;
	} catch (...) {
		return idx__exception(err, key);
	}
}

extern "C" sol_status idx_get_record(idx_db *db, const char *key, char **json_out, sol_err *err)
{
	return idx__read_retry(db, err, [&] { return get_record_once(db, key, json_out, err); });
}

static sol_status similar_once(idx_db *db, const char *key, unsigned limit,
				idx_results **out, sol_err *err)
{
	*out = NULL;
	try {
		Xapian::Database &x = idx__rdb(db);
		Xapian::docid did = find_doc(x, key);
		if (!did)
			return sol_err_set(err, SOL_ERR_NOTFOUND, "%s: no document with that id or source", key);
		Xapian::Enquire enq(x);
		Xapian::RSet rset;
		rset.add_document(did);
		SharedBodyTerms decider(x);
		Xapian::ESet eset = enq.get_eset(40, rset, &decider);
		std::vector<std::string> terms(eset.begin(), eset.end());
		/* The document itself will rank first; it is dropped below. */
		enq.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
		Xapian::MSet mset = enq.get_mset(0, (limit ? limit : 10) + 1);
		idx_query iq;
		memset(&iq, 0, sizeof iq);
		iq.want_record = 1;
		idx_results *res = results_from_page(x, mset, mset_page(mset), &iq, 0,
						     enq.get_query());
		/* drop the source document and renumber */
		size_t w = 0;
		for (size_t i = 0; i < res->n_hits; i++) {
			idx_hit h = res->hits[i];
			Xapian::MSetIterator m = mset[(Xapian::doccount)i];
			if (*m == did || w >= (limit ? limit : 10)) {
				free(h.id); free(h.title); free(h.source); free(h.date);
				free(h.snippet); free(h.content_type); free(h.text);
				free(h.record_json);
				continue;
			}
			h.rank = (unsigned)(w + 1);
			res->hits[w++] = h;
		}
		res->n_hits = w;
		*out = res;
		return SOL_OK;
	} catch (const Xapian::DatabaseModifiedError &) {
		throw;
	} catch (...) {
		return idx__exception(err, key);
	}
}

extern "C" sol_status idx_similar(idx_db *db, const char *key, unsigned limit,
				  idx_results **out, sol_err *err)
{
	return idx__read_retry(db, err, [&] { return similar_once(db, key, limit, out, err); });
}
