/*
 * v2index - put every document of a Solent index in the schema version 2
 * form (tests/unit/v2form.h), as an older Solent wrote it, for the end-to-end
 * test of `solent upgrade` (t62-upgrade). A test tool, not the product.
 *
 * usage: v2index DIR
 */
#include <cstdio>

#include "v2form.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: v2index DIR\n", stderr);
		return 2;
	}
	try {
		v2form(argv[1], [](Xapian::docid) { return true; });
	} catch (const Xapian::Error &e) {
		fprintf(stderr, "v2index: %s: %s\n", argv[1], e.get_description().c_str());
		return 1;
	} catch (const std::exception &e) {
		fprintf(stderr, "v2index: %s: %s\n", argv[1], e.what());
		return 1;
	}
	return 0;
}
