/*
 * fuzz_snippet - a hit's snippet (index/snippet.cc) over any text: the
 * input's first line is the query (Xapian's QueryParser, English stems,
 * the title: and org: fields), the rest the text; the first byte picks
 * the snippet's length. fuzz_query reaches the snippets only over its few
 * fixed texts.
 *
 * What every snippet must be: the text's own words in the text's order
 * (the marks and the ellipses taken off, runs of blanks read as one
 * space), at most the length asked for, and valid UTF-8 whenever the
 * text is.
 */
#include "snippet.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

bool blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c < 0x20;
}

/* s with runs of blanks (and control bytes) as one space, none at the ends */
std::string squeeze(const std::string &s)
{
	std::string o;
	for (unsigned char c : s) {
		if (blank(c)) {
			if (!o.empty() && o.back() != ' ')
				o += ' ';
		} else {
			o += (char)c;
		}
	}
	while (!o.empty() && o.back() == ' ')
		o.pop_back();
	return o;
}

/* Strict UTF-8 (RFC 3629): no overlong forms, surrogates or code points
 * past U+10FFFF. A lead byte F5-FF is no UTF-8, and the snippet maker may
 * rightly take it for a character of its own. */
bool valid_utf8(const std::string &s)
{
	for (size_t i = 0; i < s.size();) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 :
			   c >= 0xF0 && c <= 0xF4 ? 3 : 99;
		if (k == 99 || i + k >= s.size() + (k == 0))
			return false;
		for (size_t j = 1; j <= k; j++)
			if (((unsigned char)s[i + j] & 0xC0) != 0x80)
				return false;
		unsigned char d = k ? (unsigned char)s[i + 1] : 0;
		if ((c == 0xE0 && d < 0xA0) || (c == 0xED && d >= 0xA0) || (c == 0xF0 && d < 0x90) ||
		    (c == 0xF4 && d >= 0x90))
			return false;
		i += k + 1;
	}
	return true;
}

[[noreturn]] void fail(const char *what, const std::string &query, const std::string &snip)
{
	fprintf(stderr, "fuzz_snippet: %s\n  query: %s\n  snippet: %s\n", what, query.c_str(), snip.c_str());
	abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const std::string omit = "\xe2\x80\xa6";
	if (size < 2)
		return 0;
	size_t len = 8 + data[0] % 250;
	std::string in((const char *)data + 1, size - 1);
	size_t nl = in.find('\n');
	if (nl == std::string::npos)
		return 0;
	std::string query = in.substr(0, nl), text = in.substr(nl + 1);

	Xapian::Query xq;
	try {
		Xapian::QueryParser qp;
		qp.set_stemmer(Xapian::Stem("english"));
		qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
		qp.add_prefix("title", "S");
		qp.add_prefix("org", "XO");
		qp.add_boolean_prefix("type", "T");
		xq = qp.parse_query(query);
	} catch (const Xapian::Error &) {
		return 0;
	}
	idx__QueryWords words(xq);
	std::string snip = idx__snippet(text, words, len, "\x01", "\x02");

	std::string marked;
	for (char c : snip)
		if (c != '\x01' && c != '\x02')
			marked += c;
	/* the ellipses, at either end, unless the text's own "…" is there */
	const std::string whole = squeeze(text);
	bool ok_words = false, ok_len = false;
	for (int strip = 0; strip < 4; strip++) {
		std::string plain = marked;
		if ((strip & 1) && plain.compare(0, omit.size(), omit) == 0)
			plain.erase(0, omit.size());
		if ((strip & 2) && plain.size() >= omit.size() &&
		    plain.compare(plain.size() - omit.size(), omit.size(), omit) == 0)
			plain.erase(plain.size() - omit.size());
		std::string sq = squeeze(plain);
		if ((strip & 1) && !sq.empty() && sq[0] == ' ')
			sq.erase(0, 1);
		ok_len |= plain.size() <= len;
		ok_words |= whole.find(sq) != std::string::npos && (text.size() > len || sq == whole);
	}
	if (!ok_len)
		fail("longer than asked", query, snip);
	if (!ok_words)
		fail(text.size() > len ? "not the text's own words" : "a short text not shown whole",
		     query, snip);
	if (valid_utf8(text) && !valid_utf8(snip))
		fail("a character cut", query, snip);
	return 0;
}
