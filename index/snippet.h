/* snippet.h - index-internal: the words of a query as a text shows them,
 * and the snippet of a hit's text built from them (snippet.cc).
 *
 * A hit's snippet is the passage of its text where the query's words
 * gather most, those words highlighted. Xapian's MSet::snippet was a
 * fifth of a search's instructions ('council' over 10,000 documents:
 * 1.17M of 5.28M, some 1,700 for each word of the windows it weighed,
 * every one of them stemmed), so it was given only a window near the
 * first match, and a field's words (org:"...") it never marked. Here the
 * text is read once, a few instructions a byte, and only words starting
 * as a query word does are stemmed; the choice of passage costs a few
 * instructions a match. The stemming and the Unicode rules are Xapian's.
 */
#ifndef IDX_SNIPPET_H
#define IDX_SNIPPET_H

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

/* ASCII letters lower-case, other bytes as they are. */
inline unsigned char idx__fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* The words a query looks for, each in a group: the terms of one
 * wildcard's expansion are one group, as are a word's stemmed and plain
 * forms. Field words (title:, org:, person: ...) are looked for in the
 * text too, as that is where a researcher wants to see them; filters
 * (type:, site:, date: ...) and words under NOT are not. */
class idx__QueryWords {
public:
	/* mset, when given, weighs each group by its terms' maximum weight
	 * in that match (rarer words count for more); else all weigh 1. */
	explicit idx__QueryWords(const Xapian::Query &query, const Xapian::MSet *mset = nullptr);

	/* No word to look for (a query of filters alone). */
	bool empty() const { return weights.empty(); }
	size_t groups() const { return weights.size(); }
	/* a group's weight: a positive integer, halved for each repeat */
	uint32_t weight(int group) const { return weights[(size_t)group]; }

	/* The group of the word [w, w + n) of a text, or -1. Words are
	 * compared lower-case, as they are and by their English stem. */
	int match(const char *w, size_t n);

	/* Can the word [w, w + n) be one of the query's? false for most
	 * words, at once: those not starting as any query word does. */
	bool may_match(const char *w, size_t n) const
	{
		if (n == 0 || weights.empty())
			return false;
		unsigned char a = idx__fold((unsigned char)w[0]);
		unsigned char b = n > 1 ? idx__fold((unsigned char)w[1]) : 0;
		if (a >= 0x80 || b >= 0x80)
			return wide_start;
		return (pairs[a][b >> 6] >> (b & 63)) & 1;
	}

	/* The bytes a word of the query may start with, both cases of a
	 * letter; false when some word starts outside ASCII (any byte may). */
	bool first_bytes(const std::vector<unsigned char> **out) const
	{
		*out = &leads;
		return !wide_start;
	}

private:
	void add_query(const Xapian::Query &q, const Xapian::MSet *mset, int group);
	void add_term(const std::string &term, const Xapian::MSet *mset, int group);

	std::unordered_map<std::string, int> plain, stems; /* word -> group */
	std::vector<double> raw;       /* each group's weight as found */
	std::vector<uint32_t> weights; /* scaled to integers (finish) */
	void note_start(const std::string &word);
	void note_leads();

	uint64_t pairs[128][2] = {};   /* first two bytes of the words looked for, as bits */
	bool wide_start = false;       /* some word starts outside ASCII */
	std::vector<unsigned char> leads; /* first_bytes, from pairs */
	Xapian::Stem stem;
	std::unordered_map<std::string, int> memo; /* a page's words, answered */
	std::string key;
};

/* The next word of text at or after at: [*ws, *we), false at the end.
 * A word is a run of letters, digits, marks and '_' (Xapian's word
 * characters), and of apostrophes with one of those next ("children’s"),
 * as Xapian's TermGenerator makes its words. */
bool idx__next_word(std::string_view text, size_t at, size_t *ws, size_t *we);

/* The snippet of text for words: at most len bytes of it (whole words,
 * runs of blanks as one space), each word of words marked hl_start ...
 * hl_end, with "…" where the text goes on before or after. The passage
 * is the one, of len bytes, where the groups gather most (each group's
 * weight counted once, and halved for each repeat), the earliest of
 * equals; it starts at a sentence when one starts shortly before. With
 * no word found, the text's opening. *first_mark, when given, is where
 * in text the first word it marks starts (npos when it marks none). */
std::string idx__snippet(std::string_view text, idx__QueryWords &words, size_t len,
			 const char *hl_start, const char *hl_end, size_t *first_mark = nullptr);

#endif
