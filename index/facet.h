/*
 * facet.h - index-internal (C++ only): a facet's names counted over every
 * document a query matched (facet.cc).
 *
 * A facet is counted two ways, the cheaper for the query:
 *
 *   by slot   each matching document's facet slot is read and its names
 *             counted: about 1,150 instructions a document (the value
 *             stream's skip_to, hashing the names). Cheap for a few
 *             hundred matches, and the whole of a facet query's extra
 *             cost at tens of thousands ('council' at 100,000 documents
 *             read 100,000 values to count fifteen years).
 *   by term   each name is a boolean term (KO..., D<year>) whose posting
 *             list says which documents name it: the matches are kept as
 *             a bitmap, and a name's count is its postings that are set.
 *             Names are taken most frequent first, and a name as rare as
 *             the facet's last shown count cannot be shown, so most are
 *             never read. Cheap when the matches outnumber the names.
 *
 * Both give the same counts: a document's slot holds exactly the names of
 * its facet terms (db.cc, index_entities), and its year slot the year of
 * its D term.
 */
#ifndef IDX_FACET_H
#define IDX_FACET_H

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

/* A facet's names and counts, in no order. */
typedef std::vector<std::pair<std::string, unsigned long>> idx_counts;

/* Where a facet's names are: its value slot, and its terms (prefix, and
 * the length of a name after it, 0 for any). */
struct idx_facet_src {
	Xapian::valueno slot;
	std::string prefix;
	size_t name_len;
};

/* The facet called name ("org", ..., "year"); false for no such facet. */
bool idx__facet_src(const std::string &name, idx_facet_src &src);

/* The documents a match saw, a bit each by docid: one local database
 * only (a spy over shards sees each shard's own docids). */
class idx__MatchSet : public Xapian::MatchSpy {
public:
	explicit idx__MatchSet(Xapian::docid last) : bits((size_t)last / 64 + 1) {}
	void operator()(const Xapian::Document &doc, double) override;
	bool has(Xapian::docid did) const
	{
		return (size_t)did / 64 < bits.size() && ((bits[did / 64] >> (did % 64)) & 1);
	}
	size_t size() const { return n; }
	const std::vector<uint64_t> &words() const { return bits; }

private:
	std::vector<uint64_t> bits;
	size_t n = 0;
};

/* The counts of src's names over set, whichever way is cheaper (above).
 * Exact for the `limit` most frequent names (ties by name) and for any
 * name listed; a name that cannot be among those may be left out. */
idx_counts idx__count_facet(const Xapian::Database &x, const idx_facet_src &src,
			    const idx__MatchSet &set, unsigned limit);

/* Counts one facet as the match goes, from its slot: for local shards,
 * whose docids a bitmap cannot hold. */
class idx__FacetSpy : public Xapian::MatchSpy {
public:
	idx__FacetSpy(const Xapian::Database &d, Xapian::valueno s);
	~idx__FacetSpy() override;
	void operator()(const Xapian::Document &doc, double) override;
	idx_counts counts() const;

private:
	struct Reader;
	std::unique_ptr<Reader> r;
};

/* Counts by walking every match of enq on this side: for remote shards,
 * since xapian-tcpsrv cannot run our spies (and its merged value counts
 * were seen to over-count). Slower than spies, but exact. */
void idx__walk_facets(Xapian::Enquire &enq, Xapian::doccount all,
		      const std::vector<Xapian::valueno> &slots, std::vector<idx_counts> &counts);

#endif
