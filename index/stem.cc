/* stem.cc - an English stemmer that remembers its answers.
 *
 * Stemming was a tenth of indexing time, and the words of council
 * documents repeat (Zipf): most of what a batch stems it has stemmed
 * before. The cache is bounded so memory stays flat however large the
 * batch; when full it is simply emptied, which keeps the frequent words
 * (they come straight back) without the bookkeeping of an LRU.
 */
#include "db_int.h"

#include <unordered_map>
#include <vector>

namespace {

class CachedStem : public Xapian::StemImplementation {
	Xapian::Stem inner{"english"};
	std::unordered_map<std::string, std::string> memo;
	static const size_t max_words = 1 << 16; /* a few MB at most */

public:
	std::string operator()(const std::string &word) override
	{
		auto it = memo.find(word);
		if (it != memo.end())
			return it->second;
		if (memo.size() >= max_words)
			memo.clear();
		std::string s = inner(word);
		memo.emplace(word, s);
		return s;
	}

	std::string get_description() const override
	{
		return "cached " + inner.get_description();
	}
};

/* For MSet::snippet, which stems every word of the text only to ask
 * whether "Z" + its stem is a term of the query. English stemming keeps
 * a word's first letter or digit (it only ever drops a leading
 * apostrophe), so a word that starts with a letter or digit no needle
 * starts with cannot stem to a query term: it gets an empty stem ("Z" is
 * no term) without the stemmer running. Most words of a snippet window
 * are such words. */
class SnippetStem : public Xapian::StemImplementation {
	Xapian::Stem inner{new CachedStem()};
	bool initial[256] = {};

public:
	explicit SnippetStem(const std::vector<std::string> &needles)
	{
		for (const auto &n : needles)
			if (!n.empty())
				initial[(unsigned char)n[0]] = true;
	}

	std::string operator()(const std::string &word) override
	{
		unsigned char c = word.empty() ? 0 : (unsigned char)word[0];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (alnum && !initial[c])
			return std::string();
		return inner(word);
	}

	std::string get_description() const override
	{
		return "snippet " + inner.get_description();
	}
};

} // namespace

Xapian::Stem idx__cached_stemmer()
{
	/* the Stem handle owns the implementation and deletes it */
	return Xapian::Stem(new CachedStem());
}

Xapian::Stem idx__snippet_stemmer(const std::vector<std::string> &needles)
{
	return Xapian::Stem(new SnippetStem(needles));
}
