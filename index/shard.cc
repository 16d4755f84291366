/*
 * shard.cc - one archive over many databases: routing documents to
 * shards, stub files that list local and remote shards (Xapian's own
 * format, so xapian-delve and quest read them too), opening them with
 * some shards down, and compaction into one database.
 */
#include "db_int.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <vector>

extern "C" unsigned idx_shard_of(const char *id, unsigned n)
{
	if (n <= 1 || !id)
		return 0;
	/* The id is hex of a SHA-256: its first 8 digits are uniform. */
	unsigned long v = strtoul(std::string(id, strnlen(id, 8)).c_str(), NULL, 16);
	return (unsigned)(v % n);
}

static bool is_remote(const std::string &s, std::string &host, unsigned &port)
{
	std::string r = s;
	if (r.compare(0, 7, "remote ") == 0)
		r = r.substr(7);
	size_t colon = r.rfind(':');
	if (colon == std::string::npos || r.find('/') != std::string::npos)
		return false;
	char *end = NULL;
	unsigned long p = strtoul(r.c_str() + colon + 1, &end, 10);
	if (!end || *end || p == 0 || p > 65535)
		return false;
	host = colon ? r.substr(0, colon) : "127.0.0.1";
	port = (unsigned)p;
	return true;
}

bool idx__names_remote(const std::string &path)
{
	struct stat sb;
	if (stat(path.c_str(), &sb) != 0 || !S_ISREG(sb.st_mode))
		return false;
	std::ifstream in(path);
	std::string line;
	while (std::getline(in, line))
		if (line.compare(0, 7, "remote ") == 0)
			return true;
	return false;
}

extern "C" sol_status idx_write_stub(const char *stub, const char *const *shards, size_t n,
				     sol_err *err)
{
	std::string body;
	for (size_t i = 0; i < n; i++) {
		std::string host;
		unsigned port;
		if (is_remote(shards[i], host, port)) {
			body += "remote " + host + ":" + std::to_string(port) + "\n";
			continue;
		}
		char abs[PATH_MAX];
		if (!realpath(shards[i], abs))
			return sol_err_set(err, SOL_ERR_IO, "%s: %s", shards[i], strerror(errno));
		body += std::string("auto ") + abs + "\n";
	}
	/* replaced whole: a reader never sees half a stub */
	return sol_write_file(stub, body.data(), body.size(), err);
}

extern "C" sol_status idx_open_partial(const char *stub, idx_db **out, char **warnings,
				       sol_err *err)
{
	*out = NULL;
	*warnings = NULL;
	std::ifstream in(stub);
	if (!in)
		return sol_err_set(err, SOL_ERR_IO, "%s: cannot read stub file", stub);
	idx_db *db = new idx_db();
	db->path = stub;
	db->wdb = NULL;
	db->in_txn = false;
	db->remote = false;
	std::string line, warn;
	unsigned lineno = 0, opened = 0;
	while (std::getline(in, line)) {
		lineno++;
		if (line.empty() || line[0] == '#')
			continue;
		try {
			std::string host;
			unsigned port;
			Xapian::Database part;
			if (is_remote(line, host, port)) {
				part = Xapian::Remote::open(host, port, 10000, 3000);
				db->remote = true;
			} else {
				size_t sp = line.find(' ');
				part = Xapian::Database(sp == std::string::npos ? line : line.substr(sp + 1));
			}
			db->rdb.add_database(part);
			opened++;
		} catch (const Xapian::Error &e) {
			warn += std::string(stub) + ":" + std::to_string(lineno) + ": shard '" + line +
				"' skipped: " + e.get_msg() + "\n";
		}
	}
	if (!warn.empty())
		*warnings = strdup(warn.c_str());
	if (!opened) {
		delete db;
		return sol_err_set(err, SOL_ERR_IO, "%s: no shard could be opened", stub);
	}
	*out = db;
	return SOL_OK;
}

extern "C" sol_status idx_compact(const char *const *sources, size_t n, const char *dest,
				  sol_err *err)
{
	struct stat sb;
	if (stat(dest, &sb) == 0)
		return sol_err_set(err, SOL_ERR_USAGE, "%s: already exists; compaction writes a new database", dest);
	try {
		Xapian::Database all;
		for (size_t i = 0; i < n; i++)
			all.add_database(Xapian::Database(sources[i]));
		/* Multiple shards keep their metadata only from the first; the
		 * schema version is the same in all, batches are per shard. */
		all.compact(dest, Xapian::DBCOMPACT_MULTIPASS);
		return SOL_OK;
	} catch (...) {
		return idx__exception(err, dest);
	}
}
