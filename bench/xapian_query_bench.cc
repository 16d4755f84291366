/*
 * xapian_query_bench.cc - the peer of query_bench for omindex's database:
 * what `quest` does for one query (QueryParser with quest's settings, BM25,
 * top 10, each hit's document data read), but with the database opened
 * once, so that in-process latency compares with query_bench's.
 *
 * QUERIES: KIND<TAB>QUERY a line ('#' comments). Prints KIND, matches
 * (estimated), then WALL/CPU milliseconds of each timed run, tab-separated.
 *
 * usage: xapian_query_bench --db DIR [--repeat N] [--limit N] QUERIES
 */
#include <xapian.h>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

static volatile size_t sink;   // keeps the data reads from being optimised out

static double cpu_now()
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static double run_one(Xapian::Database &db, const std::string &text, unsigned limit,
		      Xapian::doccount *matches, double *cpu_ms)
{
	auto t0 = std::chrono::steady_clock::now();
	double c0 = cpu_now();
	Xapian::QueryParser qp;
	qp.set_database(db);
	qp.set_stemmer(Xapian::Stem("english"));
	qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
	qp.set_default_op(Xapian::Query::OP_AND);
	qp.add_prefix("title", "S");
	qp.add_boolean_prefix("site", "H");
	qp.add_boolean_prefix("type", "T");
	Xapian::Query q = qp.parse_query(text, Xapian::QueryParser::FLAG_DEFAULT |
					 Xapian::QueryParser::FLAG_WILDCARD);
	Xapian::Enquire enq(db);
	enq.set_query(q);
	Xapian::MSet ms = enq.get_mset(0, limit);
	size_t bytes = 0;
	for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it)
		bytes += it.get_document().get_data().size();
	auto t1 = std::chrono::steady_clock::now();
	*cpu_ms = cpu_now() - c0;
	*matches = ms.get_matches_estimated();
	sink += bytes;
	return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

int main(int argc, char **argv)
{
	const char *db_path = nullptr, *file = nullptr;
	unsigned repeat = 5, limit = 10;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db_path = argv[++i];
		else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			repeat = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--limit") && i + 1 < argc)
			limit = (unsigned)atoi(argv[++i]);
		else
			file = argv[i];
	}
	if (!db_path || !file) {
		std::cerr << "usage: xapian_query_bench --db DIR [--repeat N] [--limit N] QUERIES\n";
		return 2;
	}
	std::vector<std::pair<std::string, std::string>> qs;
	std::ifstream in(file);
	std::string line;
	while (std::getline(in, line)) {
		if (line.empty() || line[0] == '#')
			continue;
		size_t tab = line.find('\t');
		if (tab == std::string::npos)
			continue;
		size_t tab2 = line.find('\t', tab + 1);
		qs.emplace_back(line.substr(0, tab), line.substr(tab + 1, tab2 == std::string::npos
								  ? std::string::npos : tab2 - tab - 1));
	}
	try {
		Xapian::Database db(db_path);
		Xapian::doccount matches;
		double cpu_ms;
		for (auto &q : qs)
			run_one(db, q.second, limit, &matches, &cpu_ms);   // warm-up
		for (auto &q : qs) {
			std::printf("%s", q.first.c_str());
			for (unsigned r = 0; r < repeat; r++) {
				double ms = run_one(db, q.second, limit, &matches, &cpu_ms);
				if (r == 0)
					std::printf("\t%u", (unsigned)matches);
				std::printf("\t%.4f/%.4f", ms, cpu_ms);
			}
			std::printf("\n");
		}
	} catch (const Xapian::Error &e) {
		std::cerr << "xapian_query_bench: " << e.get_description() << "\n";
		return 3;
	}
	return 0;
}
