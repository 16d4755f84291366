/* suggest.cc - "did you mean" from the index's own vocabulary.
 *
 * Xapian's spelling table would answer this, but feeding it cost a fifth
 * of all indexing time (every word of every document updates trigram
 * fragments, each recompressed at every commit). The vocabulary is
 * already in the index as unprefixed, unstemmed terms with their
 * document frequencies, so a suggestion is a scan of those terms for the
 * nearest frequent word. It is asked for only when a query matched
 * nothing, where a few milliseconds do not matter.
 */
#include "db_int.h"

#include <cstring>
#include <vector>

namespace {

/* Optimal-string-alignment distance (Levenshtein plus adjacent swaps) of
 * a and b, or limit + 1 as soon as it must exceed limit. Bytes, not
 * characters: a non-ASCII letter costs two, which only makes suggestions
 * for such words more cautious. Its three rows are kept between calls:
 * a scan measures thousands of terms, and allocating the rows for each
 * was a third of a suggestion's instructions. */
class EditDistance {
public:
	unsigned operator()(const std::string &a, const std::string &b, unsigned limit)
	{
		size_t n = a.size(), m = b.size();
		if ((n > m ? n - m : m - n) > limit)
			return limit + 1;
		/* every cell read is written first, on this row or an earlier one */
		prev2.resize(m + 1);
		prev.resize(m + 1);
		cur.resize(m + 1);
		for (size_t j = 0; j <= m; j++)
			prev[j] = (unsigned)j;
		for (size_t i = 1; i <= n; i++) {
			cur[0] = (unsigned)i;
			unsigned row_min = cur[0];
			for (size_t j = 1; j <= m; j++) {
				unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
				unsigned d = std::min(std::min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
				if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
					d = std::min(d, prev2[j - 2] + 1);
				cur[j] = d;
				row_min = std::min(row_min, d);
			}
			if (row_min > limit)
				return limit + 1;
			prev2.swap(prev);
			prev.swap(cur);
		}
		return prev[m];
	}

private:
	std::vector<unsigned> prev2, prev, cur;
};

/* How far a word of this many bytes may be from its suggestion: one edit
 * for short words (where two change the word), two for longer ones. */
unsigned max_edits(size_t len)
{
	return len <= 4 ? 1 : 2;
}

struct best_t {
	std::string word;
	unsigned dist = ~0u;
	Xapian::doccount freq = 0;
};

/* Consider the terms beginning with prefix as corrections of w. */
void scan(Xapian::Database &x, const std::string &w, const std::string &prefix, best_t &best)
{
	unsigned limit = max_edits(w.size());
	EditDistance edit_distance;
	for (Xapian::TermIterator t = x.allterms_begin(prefix); t != x.allterms_end(prefix); ++t) {
		const std::string &term = *t;
		if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z'))
			continue;
		unsigned d = edit_distance(w, term, std::min(limit, best.dist));
		if (d > limit || d == 0 || d > best.dist)
			continue;
		Xapian::doccount f = t.get_termfreq();
		if (d < best.dist || f > best.freq) {
			best.word = term;
			best.dist = d;
			best.freq = f;
		}
	}
}

/* Words one edit at the front away, looked up directly: the first letter
 * changed (fredging -> dredging) or one put in front (redging ->
 * dredging). Prefix scans cannot reach these, and scanning the whole
 * vocabulary for them cost 20-30 ms at 100k documents. */
void probe_front(Xapian::Database &x, const std::string &w, best_t &best)
{
	for (char c = 'a'; c <= 'z'; c++) {
		std::string forms[2] = {std::string(1, c) + w.substr(1), std::string(1, c) + w};
		for (const std::string &f : forms) {
			if (f == w)
				continue;
			Xapian::doccount freq = x.get_termfreq(f);
			if (freq && (best.dist > 1 || (best.dist == 1 && freq > best.freq))) {
				best.word = f;
				best.dist = 1;
				best.freq = freq;
			}
		}
	}
}

/* The best correction of one lower-case word, or "" when it is known or
 * nothing is near enough: words sharing its first letter, words starting
 * with its second (a swapped or extra first letter), and the words one
 * edit at the front away. */
std::string correct(Xapian::Database &x, const std::string &w)
{
	if (w.size() < 3 || x.get_termfreq(w) > 0)
		return "";
	best_t best;
	scan(x, w, w.substr(0, 1), best);
	if (w[1] != w[0])
		scan(x, w, w.substr(1, 1), best);
	probe_front(x, w, best);
	return best.word;
}

bool is_operator(const std::string &tok)
{
	static const char *const ops[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
	for (const char *op : ops)
		if (tok == op)
			return true;
	return false;
}

bool word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Which bytes of q belong to a field's value (org:word, org:"a b"):
 * those are names, not words of the vocabulary, and are left alone. */
std::vector<bool> field_values(const std::string &q)
{
	std::vector<bool> in(q.size(), false);
	for (size_t i = 0; i < q.size(); i++) {
		if (q[i] != ':' || i == 0 || !word_byte((unsigned char)q[i - 1]))
			continue;
		size_t j = i + 1;
		if (j < q.size() && q[j] == '"') {
			j++;
			while (j < q.size() && q[j] != '"')
				in[j++] = true;
		} else {
			while (j < q.size() && q[j] != ' ' && q[j] != ')')
				in[j++] = true;
		}
		i = j;
	}
	return in;
}

/* Is q[i, j) a plain word to check? Operators, field names, wildcards and
 * words with digits or non-ASCII letters are left alone. */
bool checkable(const std::string &q, size_t i, size_t j, const std::vector<bool> &in_field)
{
	std::string tok = q.substr(i, j - i);
	if (in_field[i] || is_operator(tok))
		return false;
	if (j < q.size() && (q[j] == ':' || q[j] == '*'))
		return false;
	for (unsigned char c : tok)
		if ((c >= '0' && c <= '9') || c >= 0x80)
			return false;
	return true;
}

} // namespace

/* The query with each unknown word replaced by its nearest frequent word
 * of the index, or "" when nothing was corrected. */
std::string idx__suggest(Xapian::Database &x, const char *text)
{
	std::string q(text), out;
	std::vector<bool> in_field = field_values(q);
	bool changed = false;
	size_t i = 0;
	while (i < q.size()) {
		if (!word_byte((unsigned char)q[i])) {
			out += q[i++];
			continue;
		}
		size_t j = i;
		while (j < q.size() && word_byte((unsigned char)q[j]))
			j++;
		std::string tok = q.substr(i, j - i), fix;
		if (checkable(q, i, j, in_field))
			fix = correct(x, idx__lower(tok));
		if (!fix.empty()) {
			out += fix;
			changed = true;
		} else {
			out += tok;
		}
		i = j;
	}
	return changed ? out : "";
}
