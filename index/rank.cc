/*
 * rank.cc - the order of a page of hits: ties broken by content id without
 * reading every tied document's id (rank.h says why). The id-order table
 * that spares even that is idorder.cc's.
 */
#include "rank.h"

#include <algorithm>
#include <string_view>

namespace {

typedef std::vector<Xapian::docid> docids_t;

/* A run this long or shorter has its members' ids read; a longer one is
 * walked in id order through the bucket terms. Reading an id costs about
 * a block read where the run is sparse in docid order; a bucket costs
 * one or two, and a long run has members in the first few. */
const size_t READ_IDS_UP_TO = 64;

/* The members of run (sorted by docid) in content-id order, then docid
 * order, as Xapian sorts by the id slot, each id read from its slot. */
docids_t order_by_read_ids(Xapian::Database &x, const docids_t &run)
{
	std::vector<std::pair<std::string, Xapian::docid>> keyed;
	keyed.reserve(run.size());
	Xapian::ValueIterator v = x.valuestream_begin(IDX_SLOT_ID);
	for (Xapian::docid did : run) {
		/* in docid order, so the stream's cursor goes forward only */
		if (v != x.valuestream_end(IDX_SLOT_ID))
			v.skip_to(did);
		bool has = v != x.valuestream_end(IDX_SLOT_ID) && v.get_docid() == did;
		keyed.emplace_back(has ? *v : std::string(), did);
	}
	std::sort(keyed.begin(), keyed.end());
	docids_t out;
	out.reserve(keyed.size());
	for (auto &k : keyed)
		out.push_back(k.second);
	return out;
}

/* The first `need` members of run (sorted by docid) in content-id order.
 * Buckets come in id order, so once the buckets walked hold `need`
 * members, no member of a later bucket can come before them. */
docids_t first_by_buckets(Xapian::Database &x, const docids_t &run, size_t need)
{
	docids_t found;
	for (auto t = x.allterms_begin(IDX_P_ID_BUCKET); t != x.allterms_end(IDX_P_ID_BUCKET); ++t) {
		auto r = run.begin();
		const std::string bucket = *t;
		for (auto p = x.postlist_begin(bucket); p != x.postlist_end(bucket) && r != run.end(); ++p) {
			r = std::lower_bound(r, run.end(), *p);
			if (r != run.end() && *r == *p)
				found.push_back(*p);
		}
		if (found.size() >= need)
			break;
	}
	std::sort(found.begin(), found.end());
	docids_t out = order_by_read_ids(x, found);
	if (out.size() > need)
		out.resize(need);
	return out;
}

/* The first `need` members of run (sorted by docid) in rank order. */
docids_t order_run(Xapian::Database &x, const docids_t &run, size_t need,
		   const idx_id_order *table, bool buckets)
{
	if (table) {
		docids_t out(run);
		auto rank = [table](Xapian::docid d) {
			return d < table->n ? table->rank[d] : 0;
		};
		/* the first `need` only: a run of ties can be thousands long */
		size_t k = std::min(need, out.size());
		std::partial_sort(out.begin(), out.begin() + (std::ptrdiff_t)k, out.end(),
				  [&](Xapian::docid a, Xapian::docid b) {
					  uint32_t ra = rank(a), rb = rank(b);
					  return ra != rb ? ra < rb : a < b;
				  });
		out.resize(k);
		return out;
	}
	if (run.size() > READ_IDS_UP_TO && buckets)
		return first_by_buckets(x, run, need);
	docids_t out = order_by_read_ids(x, run);
	out.resize(std::min(need, out.size()));
	return out;
}

} // namespace

bool idx__rank_page(Xapian::Database &x, const Xapian::MSet &mset, idx__Weighed &spy,
		    unsigned offset, const idx_id_order *table, bool buckets,
		    std::vector<idx_ranked> &page)
{
	page.clear();
	if (mset.empty())
		return true;
	if (mset.get_max_possible() == 0)
		return false; /* all weights 0: the match stopped at the page */
	/* Every document ranked down to the page's last hit weighs at least
	 * what it weighs, and the spy saw them all: those weighing more
	 * rank above it (fewer than the page's end), those weighing the
	 * same are its run. One pass over what the spy saw, which is every
	 * match when facets are counted. */
	double last = mset.back().get_weight();
	size_t end = (size_t)offset + mset.size();
	std::vector<std::pair<double, Xapian::docid>> above;
	docids_t tied;
	for (const auto &s : spy.seen) {
		if (s.first > last)
			above.push_back(s);
		else if (s.first == last)
			tied.push_back(s.second);
	}
	if (above.size() >= end)
		return false;
	std::sort(above.begin(), above.end(), [](const auto &a, const auto &b) {
		return a.first != b.first ? a.first > b.first : a.second < b.second;
	});
	/* the matcher weighs candidates in docid order */
	if (!std::is_sorted(tied.begin(), tied.end()))
		std::sort(tied.begin(), tied.end());
	size_t rank = 0;
	/* the runs of equal weight above, then the last hit's run */
	for (size_t i = 0; i <= above.size() && rank < end;) {
		size_t j = i;
		docids_t run;
		double wt = last;
		if (i < above.size()) {
			wt = above[i].first;
			while (j < above.size() && above[j].first == wt)
				run.push_back(above[j++].second);
		} else {
			run.swap(tied);
			j = i + 1;
		}
		if (rank + run.size() > offset) {
			size_t from = offset > rank ? offset - rank : 0;
			size_t need = std::min(run.size(), end - rank);
			docids_t order = run.size() == 1 ? run : order_run(x, run, need, table, buckets);
			for (size_t k = from; k < need && k < order.size(); k++)
				page.push_back(idx_ranked{order[k], wt});
		}
		rank += run.size();
		i = j;
	}
	/* what Xapian matched and what the spy saw must agree on the page */
	return page.size() == mset.size();
}

std::string idx__id_bucket(const std::string &id)
{
	static const char hex[] = "0123456789abcdef";
	std::string t = IDX_P_ID_BUCKET;
	for (size_t i = 0; i < id.size() && i < 2; i++) {
		t += hex[(unsigned char)id[i] >> 4];
		t += hex[(unsigned char)id[i] & 15];
	}
	return t;
}
