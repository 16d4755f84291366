/*
 * facet.cc - a facet's names counted over every document a query matched:
 * by slot or by term, whichever costs less (facet.h says how each goes).
 */
#include "facet.h"
#include "schema.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace {

/* Counting by name without copying names: hashed, not ordered (a facet
 * query at 100k documents spent half its time comparing names in a
 * std::map); the table's keys view names kept once in an arena, and a
 * lookup views the value being read. */
class NameCounter {
public:
	NameCounter() { counts.reserve(1024); }

	/* The count of name, created at 0; the reference stays valid (the
	 * table's nodes do not move when it grows). */
	unsigned long &counter(std::string_view name)
	{
		auto it = counts.find(name);
		if (it != counts.end())
			return it->second;
		arena.emplace_back(name);
		return counts.emplace(std::string_view(arena.back()), 0).first->second;
	}

	void add(std::string_view name)
	{
		auto it = counts.find(name);
		if (it != counts.end()) {
			it->second++;
			return;
		}
		arena.emplace_back(name);
		counts.emplace(std::string_view(arena.back()), 1);
	}

	/* Each name of a facet slot's value: entity slots hold several
	 * joined by IDX_FACET_SEP, the year slot one. Documents of a site
	 * name the same bodies and places (at 10k documents 385 distinct
	 * org values among 9,871), so a joined value seen before adds
	 * through the counters it gave last time, one look-up instead of
	 * one a name: the planning query's org and place facets spent 11.7M
	 * instructions in this function, most of them hashing names. Where
	 * values repeat less (person: 6,552 of 8,799) the memo costs more
	 * than it saves, so it stops once two in three are not repeats. */
	void add_value(std::string_view v)
	{
		if (memo_on && v.find(IDX_FACET_SEP) != std::string_view::npos) {
			auto it = seen.find(v);
			if (it != seen.end()) {
				hits++;
				for (unsigned long *c : it->second)
					(*c)++;
				return;
			}
			if (++misses > 256 && hits < 2 * misses) {
				memo_on = false;
			} else {
				arena.emplace_back(v);
				std::vector<unsigned long *> &cs = seen[std::string_view(arena.back())];
				for_each_name(v, [&](std::string_view name) {
					unsigned long &c = counter(name);
					c++;
					cs.push_back(&c);
				});
				return;
			}
		}
		for_each_name(v, [&](std::string_view name) { add(name); });
	}

	idx_counts result() const
	{
		return idx_counts(counts.begin(), counts.end());
	}

private:
	template <typename F>
	static void for_each_name(std::string_view v, F f)
	{
		while (!v.empty()) {
			size_t to = v.find(IDX_FACET_SEP);
			std::string_view name = v.substr(0, to);
			if (!name.empty())
				f(name);
			if (to == std::string_view::npos)
				break;
			v.remove_prefix(to + 1);
		}
	}

	std::deque<std::string> arena; /* stable addresses for the views */
	std::unordered_map<std::string_view, unsigned long> counts;
	/* joined values seen, with the counters of their names in order */
	std::unordered_map<std::string_view, std::vector<unsigned long *>> seen;
	unsigned long hits = 0, misses = 0;
	bool memo_on = true;
};

/* Reads a facet's slot for documents given in docid order, as one value
 * stream moving forward: Document::get_value looked each value up from
 * the root of the table and decoded its chunk from the start (3.9M
 * instructions for 'council''s 9,802 documents, 2.4M so). A document out
 * of that order (never seen, but nothing promises it) is read on its own. */
struct SlotReader {
	SlotReader(const Xapian::Database &d, Xapian::valueno s) : db(d), slot(s) {}

	void add(Xapian::docid did, const Xapian::Document *doc)
	{
		if (did <= last) {
			names.add_value(doc ? doc->get_value(slot) : db.get_document(did).get_value(slot));
			return;
		}
		if (!last)
			stream = db.valuestream_begin(slot);
		last = did;
		if (stream == Xapian::ValueIterator())
			return; /* past the last document with a value in the slot */
		stream.skip_to(did);
		if (stream != Xapian::ValueIterator() && stream.get_docid() == did)
			names.add_value(*stream);
	}

	const Xapian::Database &db;
	Xapian::valueno slot;
	Xapian::ValueIterator stream;
	Xapian::docid last = 0;
	NameCounter names;
};

idx_counts count_by_slot(const Xapian::Database &x, Xapian::valueno slot, const idx__MatchSet &set)
{
	SlotReader r(x, slot);
	const std::vector<uint64_t> &w = set.words();
	for (size_t i = 0; i < w.size(); i++)
		for (uint64_t m = w[i]; m; m &= m - 1)
			r.add((Xapian::docid)(i * 64 + (size_t)__builtin_ctzll(m)), NULL);
	return r.names.result();
}

/* Costs in postings read (about 300 instructions, 17-25 ns, each in
 * Xapian 1.4's posting iterator), as measured over the bench's 10,000 and
 * 100,000 documents: reading one name of the facet's vocabulary with its
 * frequency; opening a name's posting list (4,500 instructions); reading
 * a matching document's slot, whose cost grows with the names it holds
 * (a year, one name: 60 ns; places, five on average: 400 ns), since
 * each is hashed and counted. */
const double NAME_COST = 20;
const double OPEN_COST = 50;
const double SLOT_BASE = 1;
const double SLOT_PER_NAME = 4.5;

struct Name {
	std::string term;
	Xapian::doccount freq;
};

/* The facet's names with their document frequencies, or false when they
 * are more than `most`. A name of a fixed length (a year, D2013) is
 * stepped to past its longer neighbours (D2013-06, D2013-06-12). */
bool facet_names(const Xapian::Database &x, const idx_facet_src &src, size_t most,
		 std::vector<Name> &out)
{
	size_t want = src.name_len ? src.prefix.size() + src.name_len : 0;
	for (auto t = x.allterms_begin(src.prefix); t != x.allterms_end(src.prefix);) {
		std::string term = *t;
		if (want && term.size() != want) {
			if (term.size() < want)
				++t;
			else
				t.skip_to(term.substr(0, want) + '\xff');
			continue;
		}
		if (out.size() == most)
			return false;
		out.push_back(Name{term, t.get_termfreq()});
		if (want)
			t.skip_to(term + '\xff');
		else
			++t;
	}
	return true;
}

/* The first of names (most frequent first) less frequent than freq. */
size_t first_below(const std::vector<Name> &names, double freq)
{
	return (size_t)(std::partition_point(names.begin(), names.end(),
					     [freq](const Name &n) { return n.freq >= freq; }) -
			names.begin());
}

/* Counting by term (facet.h): names are the facet's, most frequent first.
 * False, having given up, when it would cost more than budget postings:
 * the reading stops at the first name less frequent than the limit-th
 * best count, which is guessed at first (that name's share of the
 * matches; a name the query is about counts more, which only stops the
 * reading sooner) and known once `limit` names are counted. */
bool count_by_term(const Xapian::Database &x, const idx_facet_src &src, const idx__MatchSet &set,
		   const std::vector<Name> &names, unsigned limit, double budget, idx_counts &out)
{
	std::vector<double> upto(names.size() + 1); /* the cost of reading names [0, i) */
	upto[0] = (double)names.size() * NAME_COST;
	for (size_t i = 0; i < names.size(); i++)
		upto[i + 1] = upto[i] + OPEN_COST + names[i].freq;
	size_t stop = names.size();
	if (limit && names.size() > limit && x.get_doccount())
		stop = first_below(names, (double)names[limit - 1].freq * (double)set.size() /
						  (double)x.get_doccount());
	/* A name's count is at most its frequency, so once the limit-th best
	 * count so far exceeds a name's frequency, no name from there on can
	 * be shown; one as frequent might, by its name. */
	std::vector<unsigned long> best; /* a min-heap of the best `limit` counts */
	for (size_t i = 0; i < names.size(); i++) {
		if (limit && best.size() == limit) {
			if (names[i].freq < best.front())
				break;
			stop = first_below(names, (double)best.front());
		}
		if (upto[std::max(stop, i + 1)] > budget)
			return false;
		unsigned long n = 0;
		for (auto p = x.postlist_begin(names[i].term); p != x.postlist_end(names[i].term); ++p)
			n += set.has(*p);
		if (!n)
			continue;
		out.emplace_back(names[i].term.substr(src.prefix.size()), n);
		if (!limit)
			continue;
		if (best.size() < limit) {
			best.push_back(n);
			std::push_heap(best.begin(), best.end(), std::greater<unsigned long>());
		} else if (n > best.front()) {
			std::pop_heap(best.begin(), best.end(), std::greater<unsigned long>());
			best.back() = n;
			std::push_heap(best.begin(), best.end(), std::greater<unsigned long>());
		}
	}
	return true;
}

} // namespace

bool idx__facet_src(const std::string &name, idx_facet_src &src)
{
	if (name == "year") {
		src = idx_facet_src{IDX_SLOT_YEAR, IDX_P_DATE, 4};
		return true;
	}
	const idx_field *f = idx__field_by_name(name);
	if (!f)
		return false;
	src = idx_facet_src{f->slot, f->facet, 0};
	return true;
}

void idx__MatchSet::operator()(const Xapian::Document &doc, double)
{
	Xapian::docid did = doc.get_docid();
	if ((size_t)did / 64 >= bits.size())
		bits.resize((size_t)did / 64 + 1);
	uint64_t bit = 1ull << (did % 64);
	if (!(bits[did / 64] & bit))
		n++;
	bits[did / 64] |= bit;
}

idx_counts idx__count_facet(const Xapian::Database &x, const idx_facet_src &src,
			    const idx__MatchSet &set, unsigned limit)
{
	/* Counting by slot costs per match, more for more names in a slot:
	 * counting by term is tried when it should cost less, and given up
	 * once it would cost more (at worst a facet then costs twice what
	 * counting by slot does). Reading the vocabulary is part of its
	 * cost: a facet of more names than a slot of one would cost is
	 * counted by slot at once. */
	double m = (double)set.size();
	std::vector<Name> names;
	idx_counts out;
	if (facet_names(x, src, (size_t)(m * (SLOT_BASE + SLOT_PER_NAME) / NAME_COST), names)) {
		double postings = 0;
		for (const Name &nm : names)
			postings += nm.freq;
		double per_doc = x.get_doccount() ? postings / x.get_doccount() : 1;
		std::stable_sort(names.begin(), names.end(),
				 [](const Name &a, const Name &b) { return a.freq > b.freq; });
		if (count_by_term(x, src, set, names, limit, m * (SLOT_BASE + SLOT_PER_NAME * per_doc),
				  out))
			return out;
		out.clear();
	}
	return count_by_slot(x, src.slot, set);
}

struct idx__FacetSpy::Reader : SlotReader {
	using SlotReader::SlotReader;
};

idx__FacetSpy::idx__FacetSpy(const Xapian::Database &d, Xapian::valueno s)
	: r(new Reader(d, s))
{
}

idx__FacetSpy::~idx__FacetSpy() = default;

void idx__FacetSpy::operator()(const Xapian::Document &doc, double)
{
	r->add(doc.get_docid(), &doc);
}

idx_counts idx__FacetSpy::counts() const
{
	return r->names.result();
}

void idx__walk_facets(Xapian::Enquire &enq, Xapian::doccount all,
		      const std::vector<Xapian::valueno> &slots, std::vector<idx_counts> &counts)
{
	enq.clear_matchspies();
	Xapian::MSet every = enq.get_mset(0, all);
	every.fetch(); /* one request per shard for all documents, not one each */
	std::vector<NameCounter> names(slots.size());
	for (auto m = every.begin(); m != every.end(); ++m) {
		Xapian::Document doc = m.get_document();
		for (size_t i = 0; i < slots.size(); i++)
			names[i].add_value(doc.get_value(slots[i]));
	}
	for (size_t i = 0; i < slots.size(); i++)
		counts[i] = names[i].result();
}
