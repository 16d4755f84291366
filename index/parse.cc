/*
 * parse.cc - Solent's query language: Xapian's QueryParser with Solent's
 * fields, date ranges, acronym synonyms and archive-wide wildcards, and a
 * lint that names a malformed query's problem and position.
 */
#include "db_int.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

/* date:A..B on the document date slot (YYYYMMDD). Either end may be a
 * year, a month or a day, or be empty ("2012.."); a partial end covers its
 * whole period, so date:2013-06..2013-07 runs from 1 June to 31 July. */
class DateRange : public Xapian::RangeProcessor {
public:
	explicit DateRange(Xapian::Database &x) : Xapian::RangeProcessor(IDX_SLOT_DATE, "date:"), db(x) {}

	Xapian::Query operator()(const std::string &b, const std::string &e) override
	{
		std::string lo, hi;
		if (!b.empty() && !expand(b, false, lo))
			throw Xapian::QueryParserError("date range: '" + b + "' is not YYYY, YYYY-MM or YYYY-MM-DD");
		if (!e.empty() && !expand(e, true, hi))
			throw Xapian::QueryParserError("date range: '" + e + "' is not YYYY, YYYY-MM or YYYY-MM-DD");
		if (lo.empty() && hi.empty())
			throw Xapian::QueryParserError("date range: give at least one end");
		Xapian::Query terms;
		if (by_terms(lo, hi, terms))
			return terms;
		if (lo.empty())
			return Xapian::Query(Xapian::Query::OP_VALUE_LE, IDX_SLOT_DATE, hi);
		if (hi.empty())
			return Xapian::Query(Xapian::Query::OP_VALUE_GE, IDX_SLOT_DATE, lo);
		return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, IDX_SLOT_DATE, lo, hi);
	}

private:
	/* A range as date terms rather than a value range: the same documents,
	 * found from posting lists instead of by reading the date of every
	 * candidate ('council date:2010..2015' at 100,000 documents: 19.8 ms
	 * so, 12.0 ms by terms), with a closer estimate of the matches, and
	 * percentages that follow the weights (with a value range Xapian
	 * showed every hit at 100%). Whole years are their year terms
	 * (D2013), whole months within a partial year their month terms
	 * (D2013-06), the days of a partial month their day terms. A document
	 * dated only by its year or month sorts as its first day (the slot
	 * holds 20130101 for "2013") and has no term below its precision, so
	 * where a range takes in the first day of a partial year or month,
	 * that period's term is added filtered to documents whose date key is
	 * that first day: a value read for that period's documents alone. The
	 * years run between the dates the index holds, at most MAX_YEARS of
	 * them. Weightless, as a filter. */
	bool by_terms(const std::string &lo_in, const std::string &hi_in, Xapian::Query &out)
	{
		const int MAX_YEARS = 200;
		std::string least = db.get_value_lower_bound(IDX_SLOT_DATE);
		std::string most = db.get_value_upper_bound(IDX_SLOT_DATE);
		if (least.size() < 8 || most.size() < 8) {
			out = Xapian::Query::MatchNothing; /* nothing dated */
			return true;
		}
		const std::string lo = lo_in.empty() ? "00000000" : lo_in;
		const std::string hi = hi_in.empty() ? "99999999" : hi_in;
		int from = atoi(std::max(lo, least).substr(0, 4).c_str());
		int to = atoi(std::min(hi, most).substr(0, 4).c_str());
		if (to - from >= MAX_YEARS)
			return false;
		std::vector<Xapian::Query> parts;
		for (int y = from; y <= to && lo <= hi; y++)
			add_year(y, lo, hi, parts);
		if (parts.empty()) {
			out = Xapian::Query::MatchNothing;
			return true;
		}
		out = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
				    Xapian::Query(Xapian::Query::OP_SYNONYM, parts.begin(), parts.end()), 0.0);
		return true;
	}

	static std::string key(int y, int m, int d)
	{
		char k[40];
		snprintf(k, sizeof k, "%04d%02d%02d", y, m, d);
		return k;
	}

	static std::string term(int y, int m = 0, int d = 0)
	{
		char t[48];
		if (d)
			snprintf(t, sizeof t, "%s%04d-%02d-%02d", IDX_P_DATE, y, m, d);
		else if (m)
			snprintf(t, sizeof t, "%s%04d-%02d", IDX_P_DATE, y, m);
		else
			snprintf(t, sizeof t, "%s%04d", IDX_P_DATE, y);
		return t;
	}

	static int days_in(int y, int m)
	{
		static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		return m == 2 && leap ? 29 : days[m - 1];
	}

	/* The documents of a period whose date key is its first day. */
	static Xapian::Query first_day(const std::string &period, const std::string &k)
	{
		return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(period),
				     Xapian::Query(Xapian::Query::OP_VALUE_RANGE, IDX_SLOT_DATE, k, k));
	}

	/* Year y's part of [lo, hi] (date keys, inclusive). */
	static void add_year(int y, const std::string &lo, const std::string &hi,
			     std::vector<Xapian::Query> &parts)
	{
		std::string first = key(y, 1, 1), last = key(y, 12, 31);
		if (hi < first || lo > last)
			return;
		if (lo <= first && hi >= last) {
			parts.emplace_back(term(y));
			return;
		}
		if (lo <= first)
			parts.push_back(first_day(term(y), first));
		for (int m = 1; m <= 12; m++) {
			std::string mfirst = key(y, m, 1), mlast = key(y, m, days_in(y, m));
			if (hi < mfirst || lo > mlast)
				continue;
			if (lo <= mfirst && hi >= mlast) {
				parts.emplace_back(term(y, m));
				continue;
			}
			if (lo <= mfirst)
				parts.push_back(first_day(term(y, m), mfirst));
			for (int d = 1; d <= days_in(y, m); d++) {
				std::string k = key(y, m, d);
				if (k >= lo && k <= hi)
					parts.emplace_back(term(y, m, d));
			}
		}
	}

	static bool digits(const std::string &s, size_t at, size_t n)
	{
		for (size_t i = at; i < at + n; i++)
			if (i >= s.size() || s[i] < '0' || s[i] > '9')
				return false;
		return true;
	}

	static bool expand(const std::string &s, bool upper, std::string &out)
	{
		if (s.size() == 4 && digits(s, 0, 4)) {
			out = s + (upper ? "1231" : "0101");
		} else if (s.size() == 7 && digits(s, 0, 4) && s[4] == '-' && digits(s, 5, 2)) {
			out = s.substr(0, 4) + s.substr(5, 2) + (upper ? "31" : "01");
		} else if (s.size() == 10 && digits(s, 0, 4) && s[4] == '-' && digits(s, 5, 2) &&
			   s[7] == '-' && digits(s, 8, 2)) {
			out = s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2);
		} else {
			return false;
		}
		int month = atoi(out.substr(4, 2).c_str()), day = atoi(out.substr(6, 2).c_str());
		return month >= 1 && month <= 12 && day >= 1 && day <= 31;
	}

	Xapian::Database &db;
};

void configure_parser(Xapian::QueryParser &qp, Xapian::Database &db, DateRange *dr)
{
	qp.set_database(db);
	qp.set_stemmer(Xapian::Stem("english"));
	qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
	qp.set_default_op(Xapian::Query::OP_AND);
	qp.add_prefix("title", IDX_P_TITLE);
	for (size_t i = 0; i < idx_n_fields; i++)
		qp.add_prefix(idx_fields[i].name, idx_fields[i].prefix);
	qp.add_boolean_prefix("site", IDX_P_SITE);
	qp.add_boolean_prefix("type", IDX_P_TYPE);
	qp.add_boolean_prefix("id", IDX_P_ID);
	qp.add_boolean_prefix("source", IDX_P_SOURCE);
	qp.add_boolean_prefix("batch", IDX_P_BATCH);
	qp.add_boolean_prefix("date", IDX_P_DATE);
	qp.add_boolean_prefix("mentions", IDX_P_MENTION);
	qp.add_rangeprocessor(dr);
}

const unsigned PARSE_FLAGS = Xapian::QueryParser::FLAG_DEFAULT;

bool is_op(const std::string &w)
{
	return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR" || w == "ADJ";
}

} // namespace

/* Xapian's parser forgives much (it drops a stray bracket or operator);
 * a researcher should be told instead, with the position, since a
 * silently changed query gives silently wrong counts. Returns an empty
 * string when the query is well formed. */
std::string idx__lint_query(const std::string &q)
{
	std::vector<size_t> open;
	size_t quote_at = std::string::npos;
	std::string prev_word;
	size_t prev_at = 0;
	bool expect_operand = true;
	for (size_t i = 0; i < q.size();) {
		char c = q[i];
		if (c == '"') {
			if (quote_at == std::string::npos)
				quote_at = i;
			else
				quote_at = std::string::npos;
			expect_operand = false;
			i++;
			continue;
		}
		if (quote_at != std::string::npos || c == ' ' || c == '\t') {
			i++;
			continue;
		}
		if (c == '(') {
			open.push_back(i);
			expect_operand = true;
			i++;
			continue;
		}
		if (c == ')') {
			if (open.empty())
				return "unmatched ')' at position " + std::to_string(i + 1);
			if (expect_operand && is_op(prev_word))
				return "'" + prev_word + "' at position " + std::to_string(prev_at + 1) +
					" has nothing after it";
			open.pop_back();
			expect_operand = false;
			i++;
			continue;
		}
		size_t j = i;
		while (j < q.size() && q[j] != ' ' && q[j] != '\t' && q[j] != '(' && q[j] != ')' && q[j] != '"')
			j++;
		std::string w = q.substr(i, j - i);
		if (is_op(w)) {
			bool and_not = w == "NOT" && prev_word == "AND";
			if (expect_operand && !and_not && !(w == "NOT" && !is_op(prev_word)))
				return "'" + w + "' at position " + std::to_string(i + 1) +
					" has nothing before it";
			expect_operand = true;
		} else {
			expect_operand = false;
		}
		prev_word = w;
		prev_at = i;
		i = j;
	}
	if (quote_at != std::string::npos)
		return "unterminated phrase: '\"' at position " + std::to_string(quote_at + 1) + " is never closed";
	if (!open.empty())
		return "unmatched '(' at position " + std::to_string(open.back() + 1);
	if (expect_operand && is_op(prev_word))
		return "'" + prev_word + "' at position " + std::to_string(prev_at + 1) +
			" has nothing after it";
	return "";
}

namespace {

bool alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Find needle (lower-case words) in lower-case hay at word boundaries. */
size_t find_words(const std::string &hay, const std::string &needle, size_t from)
{
	for (size_t at = hay.find(needle, from); at != std::string::npos; at = hay.find(needle, at + 1)) {
		size_t end = at + needle.size();
		if ((at == 0 || !alnum(hay[at - 1])) && (end >= hay.size() || !alnum(hay[end])))
			return at;
	}
	return std::string::npos;
}

/* Acronym definitions are stored as synonyms both ways. Xapian's own
 * expansion maps onto single terms, which cannot express "HCC means the
 * phrase Hampshire County Council", so the query text is rewritten:
 * a bare word with a synonym becomes (word OR "its expansion"), and a
 * spelled-out name (quoted or not) becomes (name OR ACRONYM). Words inside
 * quotes or after a field prefix are left alone. */
std::string expand_synonyms(Xapian::Database &db, const std::string &q)
{
	std::string lower = idx__lower(q);
	std::vector<std::pair<size_t, size_t>> spans;   /* [start, end) */
	std::vector<std::string> repl;

	/* spelled-out names: keys with a space */
	for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k) {
		const std::string key = *k;
		if (key.find(' ') == std::string::npos)
			continue;
		for (size_t at = find_words(lower, key, 0); at != std::string::npos;
		     at = find_words(lower, key, at + key.size())) {
			size_t b = at, e = at + key.size();
			bool quoted = b > 0 && q[b - 1] == '"' && e < q.size() && q[e] == '"';
			size_t before = quoted ? b - 1 : b;
			if (before > 0 && q[before - 1] == ':')
				continue; /* a field search (org:"...") means that field only */
			if (quoted) {
				b--;
				e++;
			}
			std::string alt;
			for (auto v = db.synonyms_begin(key); v != db.synonyms_end(key); ++v)
				alt += " OR " + *v;
			spans.emplace_back(b, e);
			repl.push_back("(\"" + q.substr(at, key.size()) + "\"" + alt + ")");
		}
	}
	/* bare acronyms */
	bool in_quote = false;
	for (size_t i = 0; i < q.size();) {
		if (q[i] == '"') {
			in_quote = !in_quote;
			i++;
			continue;
		}
		if (in_quote || !alnum(q[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < q.size() && (alnum(q[j]) || q[j] == ':' || q[j] == '*'))
			j++;
		std::string w = lower.substr(i, j - i);
		bool overlaps = false;
		for (auto &sp : spans)
			overlaps |= i < sp.second && j > sp.first;
		if (!overlaps && w.find(':') == std::string::npos && w.find('*') == std::string::npos &&
		    !is_op(q.substr(i, j - i))) {
			std::string alt;
			for (auto v = db.synonyms_begin(w); v != db.synonyms_end(w); ++v)
				alt += " OR \"" + *v + "\"";
			if (!alt.empty()) {
				spans.emplace_back(i, j);
				repl.push_back("(" + q.substr(i, j - i) + alt + ")");
			}
		}
		i = j;
	}
	if (spans.empty())
		return q;
	/* apply right to left so earlier offsets stay valid */
	std::vector<size_t> order(spans.size());
	for (size_t i = 0; i < order.size(); i++)
		order[i] = i;
	std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
		return spans[a].first > spans[b].first;
	});
	std::string out = q;
	size_t limit = std::string::npos;
	for (size_t idx : order) {
		if (spans[idx].second > limit)
			continue; /* overlapping match: keep the later one */
		out.replace(spans[idx].first, spans[idx].second - spans[idx].first, repl[idx]);
		limit = spans[idx].first;
	}
	return out;
}

/* Trailing wildcards, expanded here against the whole archive rather
 * than by Xapian at match time: a sharded archive would otherwise expand
 * each shard on its own and rank differently from the merged one. Each
 * word* (or field:word*) is taken out of the text and replaced by a
 * WILDCARD_FIELD:N token, which the parser hands back to this object for
 * its expansion N: one OP_SYNONYM over at most 'max' of the most
 * frequent terms it matches, as written (Xapian's own wildcard; spelled
 * out as "t1 OR t2 ..." the parser stemmed and weighed each term on its
 * own, and consult* cost eight times what quest's did). None matching
 * gives a query that matches nothing. */
const char WILDCARD_FIELD[] = "xxsolentwildcard";

class Wildcards : public Xapian::FieldProcessor {
public:
	Xapian::Query operator()(const std::string &str) override
	{
		size_t n = strtoul(str.c_str(), NULL, 10);
		return n < expansions.size() ? expansions[n] : Xapian::Query::MatchNothing;
	}

	/* q with its wildcards replaced by tokens for this processor */
	std::string take(Xapian::Database &db, const std::string &q, size_t max)
	{
		/* the tokens' field is ours alone: typed in, it reached the
		 * parser's crash below all the same */
		if (q.find(WILDCARD_FIELD) != std::string::npos)
			throw Xapian::QueryParserError(std::string("'") + WILDCARD_FIELD +
						       "' is a word Solent keeps for its own use");
		std::string out;
		bool in_quote = false;
		for (size_t i = 0; i < q.size();) {
			char c = q[i];
			if (c == '"')
				in_quote = !in_quote;
			if (in_quote || !alnum(c) || (i > 0 && (alnum(q[i - 1]) || q[i - 1] == ':'))) {
				out += c;
				i++;
				continue;
			}
			size_t j = i;
			while (j < q.size() && (alnum(q[j]) || q[j] == ':'))
				j++;
			if (j >= q.size() || q[j] != '*') {
				out += q.substr(i, j - i);
				i = j;
				continue;
			}
			out += std::string(WILDCARD_FIELD) + ":" + std::to_string(expansions.size());
			expansions.push_back(expand(db, q.substr(i, j - i), max));
			i = j + 1;
			/* A token stands alone: Xapian 1.4's parser crashed (a
			 * null Query in operator|=) on a field processor's
			 * token with another glued on after a NOT, as
			 * "-i -p*p*" gave ("...:0xxsolentwildcard:1"; found by
			 * fuzz_query). "p*p*" is two wildcards, as "p* p*". */
			if (i < q.size() && q[i] != ' ' && q[i] != ')')
				out += ' ';
		}
		return out;
	}

private:
	static Xapian::Query expand(Xapian::Database &db, const std::string &tok, size_t max)
	{
		std::string field, stem = tok;
		size_t colon = tok.rfind(':');
		const char *prefix = "";
		if (colon != std::string::npos) {
			field = tok.substr(0, colon);
			stem = tok.substr(colon + 1);
			const idx_field *f = idx__field_by_name(field);
			prefix = field == "title" ? IDX_P_TITLE : f ? f->prefix : NULL;
			if (!prefix)
				throw Xapian::QueryParserError("'" + field + ":' does not take a wildcard");
		}
		std::string p = std::string(prefix) + idx__lower(stem);
		std::vector<std::pair<Xapian::doccount, std::string>> terms;
		for (auto t = db.allterms_begin(p); t != db.allterms_end(p); ++t)
			terms.emplace_back(t.get_termfreq(), *t);
		std::stable_sort(terms.begin(), terms.end(), [](const auto &a, const auto &b) {
			return a.first > b.first;
		});
		if (terms.size() > max)
			terms.resize(max);
		std::vector<std::string> names;
		for (auto &t : terms)
			names.push_back(t.second);
		std::sort(names.begin(), names.end());
		if (names.empty())
			return Xapian::Query::MatchNothing;
		return Xapian::Query(Xapian::Query::OP_SYNONYM, names.begin(), names.end());
	}

	std::vector<Xapian::Query> expansions;
};

} // namespace

Xapian::Query idx__parse(Xapian::Database &x, const char *text)
{
	Xapian::QueryParser qp;
	DateRange dr(x);
	Wildcards wild;
	configure_parser(qp, x, &dr);
	qp.add_prefix(WILDCARD_FIELD, &wild);
	std::string rewritten = expand_synonyms(x, wild.take(x, text, 500));
	try {
		return qp.parse_query(rewritten, PARSE_FLAGS);
	} catch (const Xapian::UnimplementedError &) {
		/* Xapian 1.4 builds a phrase or NEAR/ADJ of single words only,
		 * and a wildcard's expansion is a group of them: it refuses
		 * "counc* NEAR budget" as it builds it. That was reported as a
		 * database error (exit status 3), not as a query to mend.
		 * Found by fuzz_query. */
		throw Xapian::QueryParserError(
			"a wildcard (word*) cannot be part of a phrase or of NEAR/ADJ, where "
			"only whole words can stand: write out the forms wanted, e.g. "
			"(council NEAR budget) OR (councils NEAR budget)");
	}
}
