/*
 * snippet.cc - the words of a query as a text shows them, and a hit's
 * snippet: the passage where they gather most (see snippet.h).
 */
#include "snippet.h"
#include "db_int.h"

#include <algorithm>
#include <cstring>

namespace {

/* Past the first match, how far the passage is looked for, and how many
 * matches are weighed: a long report's snippet costs no more than a
 * short one's. (Before the first match, a text is read to the end or to
 * MAX_SCAN: a word found only on page 80 of a PDF is still shown.) */
const size_t SCAN_AFTER = 8 * 1024;
const size_t MAX_SCAN = 4 * 1024 * 1024;
const size_t MAX_MATCHES = 2048;
/* Xapian indexes no word longer than this; none can match */
const size_t MAX_WORD = 64;

/* ASCII letters, digits and '_': the word bytes of ASCII */
struct WordBytes {
	bool is[256] = {};
	constexpr WordBytes()
	{
		for (int c = 0; c < 128; c++)
			is[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				(c >= '0' && c <= '9') || c == '_';
	}
};
constexpr WordBytes word_bytes;

/* The character at u[at] (not ASCII), its length in bytes in *len (one
 * for a byte that is no UTF-8). */
unsigned wide_char(const unsigned char *u, size_t n, size_t at, size_t *len)
{
	Xapian::Utf8Iterator it; /* (assigned, not constructed: GCC took the
				  * constructor's length-0 case for a path) */
	it.assign((const char *)u + at, n - at);
	unsigned ch = *it;
	++it;
	*len = (size_t)(it.raw() - (const char *)(u + at));
	if (*len == 0)
		*len = 1;
	return ch;
}

/* Is the character at u[at] (not ASCII) a word character? */
bool wide_word(const unsigned char *u, size_t n, size_t at, size_t *len)
{
	return Xapian::Unicode::is_wordchar(wide_char(u, n, at, len));
}

/* Is u[at] a word character, whatever its size? */
bool word_at(const unsigned char *u, size_t n, size_t at)
{
	size_t len;
	return at < n && (u[at] < 0x80 ? word_bytes.is[u[at]] : wide_word(u, n, at, &len));
}

/* The length of the apostrophe at u[at] that goes on a word, as Xapian's
 * TermGenerator takes it ("council's", "children’s" are one word each):
 * ', ’ or ‛ with a word character next. 0 for anything else. */
size_t inner_apostrophe(const unsigned char *u, size_t n, size_t at)
{
	size_t len = 1;
	if (u[at] == '\'')
		return word_at(u, n, at + 1) ? 1 : 0;
	if (u[at] != 0xE2)
		return 0;
	unsigned ch = wide_char(u, n, at, &len);
	return (ch == 0x2019 || ch == 0x201B) && word_at(u, n, at + len) ? len : 0;
}

/* idx__next_word over u[0, n), inlined where the text is read whole:
 * a call a word was a third of the reading. */
inline bool next_word(const unsigned char *u, size_t n, size_t at, size_t *ws, size_t *we)
{
	size_t len;

	while (at < n) {
		if (u[at] < 0x80) {
			if (word_bytes.is[u[at]])
				break;
			at++;
		} else if (wide_word(u, n, at, &len)) {
			break;
		} else {
			at += len;
		}
	}
	if (at >= n)
		return false;
	*ws = at;
	while (at < n) {
		if (word_bytes.is[u[at]]) {
			at++;
		} else if (u[at] >= 0x80 && wide_word(u, n, at, &len)) {
			at += len;
		} else if ((len = inner_apostrophe(u, n, at)) != 0) {
			at += len;
		} else {
			break;
		}
	}
	*we = at;
	return true;
}

/* A byte a cut must not fall after when the next one is also one: any
 * byte of a word, and every byte of a character outside ASCII. */
inline bool cut_byte(unsigned char c)
{
	return word_bytes.is[c] || c == '\'' || c >= 0x80;
}

inline bool blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0;
}

/* The prefixes of the fields whose words a text holds: none (body),
 * title:, and the entity fields (org:, person: ...). Filters' terms
 * (type:, site:, date: ...) are no words of the text. */
bool text_prefix(const std::string &p)
{
	if (p.empty() || p == IDX_P_TITLE)
		return true;
	for (size_t i = 0; i < idx_n_fields; i++)
		if (p == idx_fields[i].prefix)
			return true;
	return false;
}

/* Where, from at, a snippet may start instead: just after a sentence's
 * end (". ", "? ", a line's end) at or before limit. at itself when
 * there is none. */
size_t sentence_start(std::string_view t, size_t at, size_t limit)
{
	for (size_t p = limit; p > at; p--) {
		unsigned char c = (unsigned char)t[p - 1];
		if (c == '\n' || (c == ' ' && p >= 2 && strchr(".!?", t[p - 2]))) {
			while (p < limit && blank((unsigned char)t[p]))
				p++;
			return p;
		}
	}
	return at;
}

/* Are [a, b) of u all punctuation, no byte of a word among them? Only
 * the first 64 bytes are looked at: a longer run counts as a word. */
bool wordless(const unsigned char *u, size_t a, size_t b)
{
	if (b - a > 64)
		return false;
	for (; a < b; a++)
		if (cut_byte(u[a]))
			return false;
	return true;
}

/* A snippet's start moved forward past a cut token, a run of anything
 * but blanks (not past limit, a word's start): "£132.9 million" cut in
 * "132" would read "….9 million", or "…9 million" cut to its next word.
 * A cut after a token's punctuation alone ("(" or a quote) stays. Where
 * no blank comes first, to the next word's start; where no word starts
 * between either, off a cut character. */
size_t word_start(std::string_view t, size_t at, size_t limit)
{
	const unsigned char *u = (const unsigned char *)t.data();
	if (at == 0 || blank(u[at - 1]))
		return at;
	size_t s = at, p = at, ws, we;
	while (s > 0 && at - s <= 64 && !blank(u[s - 1]))
		s--;
	if (wordless(u, s, at) && !cut_byte(u[at - 1]))
		return at;
	while (p < limit && !blank(u[p]))
		p++;
	while (p < limit && blank(u[p]))
		p++;
	if (p < limit)
		return p;
	p = at;
	while (p < limit && cut_byte(u[p]))
		p++;
	if (p < limit && next_word(u, t.size(), p, &ws, &we) && ws <= limit)
		return ws;
	while (at < limit && (u[at] & 0xC0) == 0x80)
		at++;
	return at;
}

/* A snippet's end moved back before a cut token, not before floor (a
 * word's end when floor_ends, else where the snippet starts): "£1,346.79"
 * cut in "346" must not read "£1,346.…". A cut before a token's closing
 * punctuation alone ("Newport," cut before the comma) stays. Where no
 * blank comes between, off a cut word; where no word ends either, the
 * cut stays, on a whole UTF-8 character. */
size_t word_end(std::string_view t, size_t to, size_t floor, bool floor_ends)
{
	const unsigned char *u = (const unsigned char *)t.data();
	size_t p = to, e = to;
	while (e < t.size() && e - to <= 64 && !blank(u[e]))
		e++;
	if (p < t.size() && p > floor && !blank(u[p]) && !blank(u[p - 1]) &&
	    !(wordless(u, p, e) && cut_byte(u[p - 1]))) {
		while (p > floor && !blank(u[p - 1]))
			p--;
		if (p == floor && !floor_ends) {
			p = to;
			while (p > floor && cut_byte(u[p]) && cut_byte(u[p - 1]))
				p--;
			if (p == floor) {
				p = to;
				while (p > floor && (u[p] & 0xC0) == 0x80)
					p--;
			}
		}
	}
	while (p > floor && blank(u[p - 1]))
		p--;
	return p;
}

struct Match {
	size_t s, e;
	int group;
};

/* Where in a text a word of the query may start: the next place one of
 * the bytes they start with stands, each byte found by memchr (many
 * bytes an instruction), rather than every word of the text read and
 * asked (some sixteen instructions a byte: a word found only pages into
 * a long report cost more than the rest of the search). Not used past
 * MAX_LEADS bytes, where the bytes would stand everywhere. */
class Leads {
public:
	static const size_t MAX_LEADS = 8;

	Leads(const idx__QueryWords &words, const unsigned char *u, size_t n) : u(u), n(n)
	{
		const std::vector<unsigned char> *bytes;
		usable = words.first_bytes(&bytes) && bytes->size() <= MAX_LEADS;
		for (unsigned char c : *bytes)
			next_at.push_back(Lead{c, 0, false});
	}

	bool usable;

	/* The first place at or after at where a lead byte stands, or n. */
	size_t next(size_t at)
	{
		size_t best = n;
		for (Lead &l : next_at) {
			if (!l.known || l.at < at) {
				const void *p = at < n ? memchr(u + at, l.c, n - at) : nullptr;
				l.at = p ? (size_t)((const unsigned char *)p - u) : n;
				l.known = true;
			}
			best = std::min(best, l.at);
		}
		return best;
	}

private:
	struct Lead {
		unsigned char c;
		size_t at;
		bool known;
	};
	const unsigned char *u;
	size_t n;
	std::vector<Lead> next_at;
};

/* Does c end every word it follows? ASCII that is no word byte and no
 * apostrophe: from just after one, next_word reads the text's words as
 * it does from the text's start. */
inline bool ends_words(unsigned char c)
{
	return c < 0x80 && !word_bytes.is[c] && c != '\'';
}

/* The passage's score: each group present counts its weight, 256 times
 * over, and each repeat half what the one before did, so that a passage
 * with more of the query's words wins over one repeating fewer. Integer,
 * so that adding and taking off a match leave no rounding behind. */
uint64_t worth(uint32_t weight, uint32_t count)
{
	uint64_t base = (uint64_t)weight << 16;
	return count == 0 ? base << 8 : count < 40 ? base >> count : 0;
}

/* The best passage's first and last matches in *first, *last; false
 * when the text holds none of the words. */
bool best_passage(std::string_view text, idx__QueryWords &words, size_t span,
		  std::vector<Match> &m, size_t *first, size_t *last)
{
	std::vector<uint32_t> count(words.groups());
	size_t have = 0, i = 0, ws, we, at = 0;
	size_t limit = std::min(text.size(), MAX_SCAN);
	uint64_t score = 0, best = 0;

	const unsigned char *u = (const unsigned char *)text.data();
	Leads leads(words, u, text.size());
	while (at < limit) {
		if (leads.usable) {
			/* the word holding the next lead byte, read from where
			 * the words before it end: each byte read once */
			size_t p = leads.next(at);
			if (p >= limit)
				break;
			size_t r = p;
			while (r > at && !ends_words(u[r - 1]))
				r--;
			at = r;
			bool got;
			while ((got = next_word(u, text.size(), at, &ws, &we)) && we <= p)
				at = we;
			if (!got)
				break;
		} else if (!next_word(u, text.size(), at, &ws, &we)) {
			break;
		}
		if (ws >= limit)
			break;
		at = we;
		if (we - ws > MAX_WORD || !words.may_match(text.data() + ws, we - ws))
			continue;
		int g = words.match(text.data() + ws, we - ws);
		if (g < 0)
			continue;
		if (m.empty())
			limit = std::min(text.size(), ws + SCAN_AFTER);
		m.push_back(Match{ws, we, g});
		score += worth(words.weight(g), count[(size_t)g]);
		if (count[(size_t)g]++ == 0)
			have++;
		while (i + 1 < m.size() && m.back().e - m[i].s > span) {
			size_t k = (size_t)m[i++].group;
			score -= worth(words.weight((int)k), --count[k]);
			if (count[k] == 0)
				have--;
		}
		if (score > best) {
			best = score;
			*first = i;
			*last = m.size() - 1;
		}
		/* every word of the query in one passage: the earliest such */
		if (have == words.groups() || m.size() >= MAX_MATCHES)
			break;
	}
	return !m.empty();
}

/* [from, to) of text shown with words marked, blanks as one space;
 * *first_mark is where the first marked word starts, or npos. */
std::string render(std::string_view text, size_t from, size_t to, idx__QueryWords &words,
		   const char *hs, const char *he, size_t *first_mark)
{
	static const char omit[] = "\xe2\x80\xa6";
	std::string out;
	out.reserve(to - from + 64);
	if (from > 0)
		out += omit;
	*first_mark = std::string::npos;
	size_t p = from, ws, we;
	while (p < to) {
		bool word = idx__next_word(text.substr(0, to), p, &ws, &we);
		size_t stop = word ? ws : to;
		for (; p < stop; p++) {
			unsigned char c = (unsigned char)text[p];
			if (!blank(c) && c >= 0x20)
				out += (char)c;
			else if (!out.empty() && out.back() != ' ' && p > from)
				out += ' ';
		}
		if (!word)
			break;
		if (we - ws <= MAX_WORD && words.match(text.data() + ws, we - ws) >= 0) {
			if (*first_mark == std::string::npos)
				*first_mark = ws;
			out += hs;
			out.append(text.data() + ws, we - ws);
			out += he;
		} else {
			out.append(text.data() + ws, we - ws);
		}
		p = we;
	}
	while (!out.empty() && out.back() == ' ')
		out.pop_back();
	if (to < text.size())
		out += omit;
	return out;
}

} // namespace

idx__QueryWords::idx__QueryWords(const Xapian::Query &query, const Xapian::MSet *mset)
	: stem(idx__cached_stemmer())
{
	add_query(query, mset, -1);
	/* A word and another's stem are one group ("planning" and "plan"):
	 * a text's "planning" answers for both. */
	std::vector<int> to(raw.size());
	for (size_t g = 0; g < to.size(); g++)
		to[g] = (int)g;
	for (auto &p : plain) {
		auto s = stems.find(stem(p.first));
		if (s != stems.end() && s->second != p.second) {
			raw[(size_t)s->second] = std::max(raw[(size_t)s->second], raw[(size_t)p.second]);
			to[(size_t)p.second] = s->second;
		}
	}
	std::vector<int> renum(raw.size(), -1);
	double top = 0;
	for (size_t g = 0; g < raw.size(); g++)
		if (to[g] == (int)g) {
			renum[g] = (int)weights.size();
			top = std::max(top, raw[g]);
			weights.push_back(0);
		}
	for (size_t g = 0; g < raw.size(); g++)
		if (to[g] == (int)g)
			weights[(size_t)renum[g]] = raw[g] > 0 && top > 0
				? std::max<uint32_t>(1, (uint32_t)(raw[g] / top * (1u << 20)))
				: 1u << 20; /* no weight known: as much as the most */
	for (auto *map : {&plain, &stems})
		for (auto &p : *map)
			p.second = renum[(size_t)to[(size_t)p.second]];
	note_leads();
}

void idx__QueryWords::add_query(const Xapian::Query &q, const Xapian::MSet *mset, int group)
{
	switch (q.get_type()) {
	case Xapian::Query::LEAF_TERM:
		for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
			add_term(*t, mset, group);
		return;
	case Xapian::Query::OP_AND_NOT:
		/* what a hit must not hold, it does not */
		if (q.get_num_subqueries() > 0)
			add_query(q.get_subquery(0), mset, group);
		return;
	case Xapian::Query::OP_SYNONYM:
		if (group < 0) {
			/* a wildcard's expansion: any of its words will do */
			size_t before = plain.size() + stems.size();
			raw.push_back(0);
			group = (int)raw.size() - 1;
			for (size_t i = 0; i < q.get_num_subqueries(); i++)
				add_query(q.get_subquery(i), mset, group);
			if (plain.size() + stems.size() == before)
				raw.pop_back();
			return;
		}
		break;
	default:
		break;
	}
	for (size_t i = 0; i < q.get_num_subqueries(); i++)
		add_query(q.get_subquery(i), mset, group);
}

void idx__QueryWords::add_term(const std::string &term, const Xapian::MSet *mset, int group)
{
	size_t p = term.size() > 1 && term[0] == 'Z' ? 1 : 0, q = p;
	while (q < term.size() && term[q] >= 'A' && term[q] <= 'Z')
		q++;
	if (q == term.size() || !text_prefix(term.substr(p, q - p)))
		return;
	std::string word = term.substr(q);
	double w = 0;
	if (mset) {
		try {
			w = mset->get_termweight(term);
		} catch (const Xapian::Error &) {
			/* a term inside a synonym has no weight of its own */
		}
	}
	auto &map = p ? stems : plain, &other = p ? plain : stems;
	auto known = map.find(word);
	if (known == map.end())
		known = other.find(word);
	int g = known != other.end() && known != map.end() ? known->second : group;
	if (g < 0) {
		raw.push_back(0);
		g = (int)raw.size() - 1;
	}
	map.emplace(word, g);
	raw[(size_t)g] = std::max(raw[(size_t)g], w);
	note_start(word);
}

/* The first two bytes of word, noted for match's filter. English stemming
 * keeps a word's first letter, and its second but in "dying", "lying"
 * and "tying" (stems "die", "lie", "tie"): a stem's second 'i' may stand
 * for a word's 'y'. A byte outside ASCII is not filtered on. */
void idx__QueryWords::note_start(const std::string &word)
{
	unsigned char a = (unsigned char)word[0], b = word.size() > 1 ? (unsigned char)word[1] : 0;
	if (a >= 0x80 || b >= 0x80) {
		wide_start = true;
		return;
	}
	pairs[a][b >> 6] |= 1ull << (b & 63);
	if (b == 'i')
		pairs[a]['y' >> 6] |= 1ull << ('y' & 63);
}

void idx__QueryWords::note_leads()
{
	for (unsigned c = 1; c < 128; c++) {
		if (!pairs[c][0] && !pairs[c][1])
			continue;
		leads.push_back((unsigned char)c);
		if (c >= 'a' && c <= 'z')
			leads.push_back((unsigned char)(c - 'a' + 'A'));
	}
}

int idx__QueryWords::match(const char *w, size_t n)
{
	if (!may_match(w, n))
		return -1;
	key.assign(w, n);
	bool ascii = true;
	for (auto &ch : key) {
		if ((unsigned char)ch >= 0x80)
			ascii = false;
		ch = (char)idx__fold((unsigned char)ch);
	}
	if (!ascii) {
		key = Xapian::Unicode::tolower(key);
		/* ’ and ‛ inside a word are ' in its terms, as TermGenerator has them */
		for (size_t at; (at = key.find("\xe2\x80\x99")) != std::string::npos ||
				(at = key.find("\xe2\x80\x9b")) != std::string::npos;)
			key.replace(at, 3, "'");
	}
	auto m = memo.find(key);
	if (m != memo.end())
		return m->second;
	int g = -1;
	auto p = plain.find(key);
	if (p != plain.end()) {
		g = p->second;
	} else if (!stems.empty()) {
		auto s = stems.find(stem(key));
		if (s != stems.end())
			g = s->second;
	}
	if (memo.size() >= (1u << 14))
		memo.clear(); /* bounded: a page's words, not an archive's */
	memo.emplace(key, g);
	return g;
}

bool idx__next_word(std::string_view text, size_t at, size_t *ws, size_t *we)
{
	return next_word((const unsigned char *)text.data(), text.size(), at, ws, we);
}

std::string idx__snippet(std::string_view text, idx__QueryWords &words, size_t len,
			 const char *hs, const char *he, size_t *first_mark)
{
	size_t ignored;
	const size_t n = text.size();
	std::vector<Match> m;
	size_t first = 0, last = 0, from = 0, to = n;

	if (len == 0)
		len = 1;
	/* a fifth of the snippet is kept for what comes before the words */
	bool found = !words.empty() && best_passage(text, words, len - len / 5, m, &first, &last);
	if (n > len && found) {
		size_t cs = m[first].s, ce = m[last].e;
		size_t slack = len > ce - cs ? len - (ce - cs) : 0;
		from = cs > slack / 3 ? cs - slack / 3 : 0;
		if (from + len > n)
			from = n - len; /* near the end: the text's last len bytes */
		if (from > 0) /* else it starts with the text */
			from = word_start(text, sentence_start(text, from, cs), cs);
		bool fits = ce <= from + len;
		to = word_end(text, std::min(n, from + len), fits ? ce : from, fits);
	} else if (n > len) {
		to = word_end(text, len, 0, false);
	}
	return render(text, from, to, words, hs, he, first_mark ? first_mark : &ignored);
}
