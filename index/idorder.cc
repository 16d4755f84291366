/*
 * idorder.cc - the id-order table (rank.h): each document's place in
 * content-id order, which breaks rank ties without reading ids.
 *
 * A handle that serves many searches builds it in memory. A writer also
 * saves it beside the index when it is done (idx_save_id_order), as the
 * file solent-idorder, so that the CLI's one search maps it instead of
 * walking the id buckets: at 10,000 documents that walk was half the
 * block reads of `solent search budget` (35 of 71).
 *
 * The file is a cache. It is trusted only for the revision and the index
 * (UUID) it names, is replaced whole by a rename, and a search that finds
 * it missing, stale or malformed orders ties as before. Layout, in the
 * writer's byte order (a reader of the other order ignores the file):
 *
 *   struct file_head    72 bytes, below
 *   uint32_t rank[n]    by docid, from docid 0
 */
#include "rank.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

const char FILE_NAME[] = "solent-idorder";
const char MAGIC[8] = { 'S', 'O', 'L', 'I', 'D', 'O', 'R', 'D' };
const uint32_t FILE_VERSION = 1;
const uint32_t BOM = 0x01020304;

struct file_head {
	char magic[8];
	uint32_t version;
	uint32_t bom;      /* BOM as the writer stores it */
	uint64_t revision; /* of the index the ranks were read from */
	uint32_t n;        /* entries: its last docid + 1 */
	uint32_t docs;     /* its documents (a check on n) */
	char uuid[40];     /* its UUID, NUL-padded */
};
static_assert(sizeof(file_head) == 72, "the file's header is 72 bytes");

/* What a table's header says of the index it is for. */
struct index_state {
	uint64_t revision, n, docs;
	std::string uuid;
	explicit index_state(Xapian::Database &x)
		: revision(x.get_revision()), n((uint64_t)x.get_lastdocid() + 1),
		  docs(x.get_doccount()), uuid(x.get_uuid())
	{
	}
};

/* Is h the header of a table for the index as it is now? */
bool head_matches(const file_head &h, const index_state &now)
{
	return memcmp(h.magic, MAGIC, sizeof MAGIC) == 0 && h.version == FILE_VERSION &&
	       h.bom == BOM && h.revision == now.revision && h.n == now.n && h.docs == now.docs &&
	       now.uuid.size() < sizeof h.uuid &&
	       strncmp(h.uuid, now.uuid.c_str(), sizeof h.uuid) == 0;
}

std::string file_of(const idx_db *db)
{
	return db->path + "/" + FILE_NAME;
}

/* The table of x, read from its id slot, or NULL where it is not worth
 * having. It takes 4 bytes a document (0.4 MB at 100,000; at most 16 MB,
 * at four million), by docid: not for an archive of millions, nor one
 * whose docids deletions have left sparse. */
std::shared_ptr<idx_id_order> build(Xapian::Database &x)
{
	Xapian::docid last = x.get_lastdocid();
	if (last > (4u << 20) || last > 2 * x.get_doccount() + 1024)
		return NULL;
	/* the ids as read (docid order), end to end, then sorted as views */
	struct Read {
		size_t from, len;
		Xapian::docid did;
	};
	std::string bytes;
	std::vector<Read> ids;
	ids.reserve(x.get_doccount());
	for (auto v = x.valuestream_begin(IDX_SLOT_ID); v != x.valuestream_end(IDX_SLOT_ID); ++v) {
		const std::string id = *v;
		ids.push_back(Read{ bytes.size(), id.size(), v.get_docid() });
		bytes += id;
	}
	auto view = [&bytes](const Read &r) { return std::string_view(bytes).substr(r.from, r.len); };
	std::sort(ids.begin(), ids.end(), [&](const Read &a, const Read &b) {
		int c = view(a).compare(view(b));
		return c != 0 ? c < 0 : a.did < b.did;
	});
	auto t = std::make_shared<idx_id_order>();
	t->built.assign((size_t)last + 1, 0);
	for (size_t i = 0; i < ids.size(); i++)
		t->built[ids[i].did] = (uint32_t)(i + 1);
	t->rank = t->built.data();
	t->n = t->built.size();
	return t;
}

/* Closes its descriptor however the scope is left. */
struct fd_closer {
	int fd;
	~fd_closer()
	{
		if (fd >= 0)
			close(fd);
	}
};

/* The saved table, when it is x's as x is now; else NULL. Mapped, not
 * read: a page of ties touches a few of its pages. */
std::shared_ptr<const idx_id_order> load(const idx_db *db, Xapian::Database &x)
{
	const index_state now(x);
	fd_closer f{ open(file_of(db).c_str(), O_RDONLY | O_CLOEXEC) };
	if (f.fd < 0)
		return NULL; /* none, or the index is a stub file, not a folder */
	struct stat st;
	file_head h;
	if (fstat(f.fd, &st) != 0 || pread(f.fd, &h, sizeof h, 0) != (ssize_t)sizeof h ||
	    !head_matches(h, now) || (uint64_t)st.st_size != sizeof h + (uint64_t)h.n * 4)
		return NULL;
	auto t = std::make_shared<idx_id_order>(); /* before the mapping: it may throw */
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, f.fd, 0);
	if (m == MAP_FAILED)
		return NULL;
	t->map = m;
	t->map_len = (size_t)st.st_size;
	t->rank = (const uint32_t *)((const char *)m + sizeof h);
	t->n = h.n;
	return t;
}

/* Save t, the table of x, as the file, replaced whole (sol_write_file):
 * a reader maps the old file or the new one, never half of one. */
sol_status save(const idx_db *db, Xapian::Database &x, const idx_id_order &t, sol_err *err)
{
	const index_state now(x);
	file_head h;
	if (now.uuid.size() >= sizeof h.uuid || now.n != t.n)
		return SOL_OK; /* not the UUID Xapian writes, or t is not of x */
	memset(&h, 0, sizeof h);
	memcpy(h.magic, MAGIC, sizeof MAGIC);
	h.version = FILE_VERSION;
	h.bom = BOM;
	h.revision = now.revision;
	h.n = (uint32_t)now.n;
	h.docs = (uint32_t)now.docs;
	memcpy(h.uuid, now.uuid.data(), now.uuid.size());
	std::string bytes((const char *)&h, sizeof h);
	bytes.append((const char *)t.rank, t.n * 4);
	return sol_write_file(file_of(db).c_str(), bytes.data(), bytes.size(), err);
}

} // namespace

idx_id_order::~idx_id_order()
{
	if (map)
		munmap(map, map_len);
}

std::shared_ptr<const idx_id_order> idx__id_order(idx_db *db, Xapian::Database &x)
{
	if (db->wdb || db->remote || x.size() != 1)
		return NULL;
	Xapian::rev rev = x.get_revision();
	if (db->id_order && db->id_order_rev == rev)
		return db->id_order;
	db->id_order.reset();
	std::shared_ptr<const idx_id_order> t = load(db, x);
	if (!t && ++db->searches >= 2)
		t = build(x);
	if (t) {
		db->id_order = t;
		db->id_order_rev = rev;
	}
	return t;
}

extern "C" sol_status idx_save_id_order(idx_db *db, sol_err *err)
{
	if (!db->wdb || db->remote)
		return SOL_OK;
	try {
		Xapian::Database &x = *db->wdb;
		if (x.size() != 1 || load(db, x))
			return SOL_OK; /* shards, or saved for this revision already */
		std::shared_ptr<idx_id_order> t = build(x);
		if (t)
			return save(db, x, *t, err);
		/* not worth one now: nor is an older one worth keeping */
		if (unlink(file_of(db).c_str()) != 0 && errno != ENOENT)
			return sol_err_set(err, SOL_ERR_IO, "%s: %s", file_of(db).c_str(),
					   strerror(errno));
		return SOL_OK;
	} catch (...) {
		return idx__exception(err, db->path.c_str());
	}
}
