/* db_int.h - index-internal: the handle's layout, shared by db.cc and query.cc. */
#ifndef IDX_DB_INT_H
#define IDX_DB_INT_H

#include "index.h"
#include "schema.h"

struct idx_db {
	std::string path;
	Xapian::Database rdb;          /* what searches read */
	Xapian::WritableDatabase *wdb; /* non-NULL in IDX_WRITE mode */
	bool in_txn;
	bool remote;                   /* some shard is an xapian-tcpsrv server */
};

/* Does this stub file (or directory) name a remote shard? */
bool idx__names_remote(const std::string &path);

#endif
