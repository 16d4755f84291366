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

} // namespace

Xapian::Stem idx__cached_stemmer()
{
	/* the Stem handle owns the implementation and deletes it */
	return Xapian::Stem(new CachedStem());
}
