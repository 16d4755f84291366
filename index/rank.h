/*
 * rank.h - index-internal (C++ only): the order of a page of hits.
 *
 * A search by relevance ranks documents by weight, and breaks a tie by
 * content id, then by docid: the order does not depend on docids, so a
 * sharded archive and its compacted copy rank alike (docs/scale.md).
 * Xapian can sort so itself (set_sort_by_relevance_then_value on the id
 * slot), but then its matcher reads the id of every candidate that could
 * still reach the page, and templated documents (one form, one length)
 * tie by the thousand: at 100,000 documents a word query read the id
 * stream nearly whole, four fifths of its block reads.
 *
 * So a search matches by relevance alone, with an idx__Weighed spy that
 * notes each candidate's weight, and idx__rank_page then orders the page
 * itself: only a run of equal weights that crosses the page's edge needs
 * ids, and a long one is walked in id order through the id-bucket terms
 * (schema.h, prefix Y) instead of having every member's id read.
 */
#ifndef IDX_RANK_H
#define IDX_RANK_H

#include "db_int.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

/* Per document, by docid, its place in content-id order (from 1; 0: no
 * id), for one revision of one local index (idorder.cc): built in memory
 * by a handle that serves many searches, or mapped from the file a writer
 * leaves beside the index (idx_save_id_order), so that a process that
 * runs one search (the CLI) has it too. */
struct idx_id_order {
	const uint32_t *rank = nullptr;
	size_t n = 0;                /* entries: the last docid + 1 */
	std::vector<uint32_t> built; /* what rank points into, when built */
	void *map = nullptr;         /* or the file's mapping */
	size_t map_len = 0;

	idx_id_order() = default;
	idx_id_order(const idx_id_order &) = delete;
	idx_id_order &operator=(const idx_id_order &) = delete;
	~idx_id_order();
};

/* The table for the revision x holds, or NULL where there is none worth
 * having: the file's when it is of this revision, else one built in
 * memory from a handle's second search on (building reads every id: more
 * than a search costs). Kept in db until the handle moves to another
 * revision. Only for one local database read-only: a writer's revision
 * moves under it, and several shards have no single revision. */
std::shared_ptr<const idx_id_order> idx__id_order(idx_db *db, Xapian::Database &x);

/* One hit of a page: its document and weight. */
struct idx_ranked {
	Xapian::docid did;
	double wt;
};

/* Notes every candidate the matcher weighs at or above its running
 * minimum. That is every document that can rank above the page's last:
 * the minimum only rises to that document's weight, and a document is
 * passed over only below it. */
class idx__Weighed : public Xapian::MatchSpy {
public:
	void operator()(const Xapian::Document &doc, double wt) override
	{
		seen.emplace_back(wt, doc.get_docid());
	}
	std::vector<std::pair<double, Xapian::docid>> seen;
};

/* The page of mset, a match by relevance alone (docid order) over one
 * database whose candidates spy saw, in the order weight, content id,
 * docid; table gives the id order when the handle has one, and buckets
 * says every document has an id bucket (a version 3 index). False when
 * the page cannot be told from what spy saw (a match without weights
 * stops at the page, having seen no more), and the caller must sort by
 * the id slot. Not for shards: a spy sees each shard's own docids. */
bool idx__rank_page(Xapian::Database &x, const Xapian::MSet &mset, idx__Weighed &spy,
		    unsigned offset, const idx_id_order *table, bool buckets,
		    std::vector<idx_ranked> &page);

/* The id-bucket term of a document with content id id (schema.h). */
std::string idx__id_bucket(const std::string &id);

#endif
