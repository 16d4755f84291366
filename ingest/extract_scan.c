/*
 * extract_scan.c - literal triggers: the one shared pass over a document
 * that tells every rule set where its rules can match at all.
 *
 * A rule set's PCRE2 pattern is expensive per byte (dozens of alternatives
 * tried at every position), and most text holds nothing for it. A set
 * declares words ("trigger-words 80 Council Committee ...") or strings
 * ("trigger-strings 8 0 1 2 ... 9") that every match of its rules has
 * close by; one pass over the text finds all of them for all sets at once
 * (letters skipped eight at a time, a signature filter then a hash probe
 * per word, a table look-up per other byte) and records, per set, the
 * windows [hit - BACK, hit end] where its pattern then runs. Regex
 * triggers ("trigger BACK PATTERN") add their windows to the same lists
 * (run_set in extract.c). The same pass looks capitalised words up in the
 * gazetteer (ing__gaz_at), so the text is read once for both.
 */
#include "extract_int.h"

#include <string.h>

/* Windows closer than this are searched as one: a pcre2_match call costs
 * about as much as scanning this many bytes. */
#define WIN_GAP 16

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

sol_status ing__win_add(ing_winlist *wl, size_t s, size_t e)
{
	/* Hits come in text order, but a nearer BACK can put a later hit's
	 * window start before an earlier one's: merge backwards. */
	while (wl->n && s <= wl->w[wl->n - 1].e + WIN_GAP) {
		ing_win *last = &wl->w[wl->n - 1];
		if (last->s < s)
			s = last->s;
		if (last->e > e)
			e = last->e;
		wl->n--;
	}
	if (wl->n == wl->cap) {
		size_t ncap = wl->cap ? wl->cap * 2 : 64;
		ing_win *w = realloc(wl->w, ncap * sizeof *w);
		if (!w)
			return SOL_ERR_NOMEM;
		wl->w = w;
		wl->cap = ncap;
	}
	wl->w[wl->n].s = s;
	wl->w[wl->n].e = e;
	wl->n++;
	return SOL_OK;
}

/* Is the lower-case word [ws, we) a joiner of set? */
static int is_joiner(const ing_trigs *tg, unsigned set, const char *text, size_t ws, size_t we)
{
	size_t n = we - ws, h = ing__word_sig(text + ws, n) & (ING_JOIN_SLOTS - 1), k;
	uint64_t w = 0;

	/* the word's first bytes folded as jtab holds a joiner's (| 0x20
	 * leaves digits as they are); a longer word that begins as a joiner
	 * of its length passes for it, which only widens a window */
	for (k = 0; k < n && k < ING_JOIN_MAX; k++)
		w |= (uint64_t)((unsigned char)text[ws + k] | 0x20) << (8 * k);
	for (; tg->jtab[h].len; h = (h + 1) & (ING_JOIN_SLOTS - 1))
		if (tg->jtab[h].len == n && tg->jtab[h].word == w)
			return (int)((tg->jtab[h].sets >> set) & 1);
	return 0;
}

size_t ing__lower_back(const ing_trigs *tg, unsigned set, const char *text, size_t s, size_t at)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t p = at, we;

	for (;;) {
		while (p > s && !(tg->cls[u[p - 1]] & 1)) {
			/* words in brackets never stop: back to the opening one
			 * (law.rules: "... (Miscellaneous Provisions) Act") */
			if (u[--p] == ')') {
				while (p > s && u[p - 1] != '(')
					p--;
				if (p == s)
					return s;
				p--;
			}
		}
		we = p;
		while (p > 0 && (tg->cls[u[p - 1]] & 1))
			p--;
		if (p < s || we == p)
			return s;
		if (u[p] >= 'a' && u[p] <= 'z' && p > 0 && (u[p - 1] == ' ' || u[p - 1] == '\t') &&
		    !is_joiner(tg, set, text, p, we))
			return p;
	}
}

static sol_status hit(ing_extractor *ex, const ing_trig *t, const char *text, size_t at,
		      size_t end)
{
	ing_winlist *wl = &ex->wins[t->set];
	size_t s = at > t->back ? at - t->back : 0;

	/* 0 for a set without trigger-stop: no bound */
	if (s < ex->trigs.stop_at[ex->trigs.set_cls[t->set]])
		s = ex->trigs.stop_at[ex->trigs.set_cls[t->set]];
	if (t->set < 64 && ((ex->trigs.lower_sets >> t->set) & 1))
		s = ing__lower_back(&ex->trigs, t->set, text, s, at);

	/* the common case, the next digit of a number: widen the last window */
	if (wl->n && s >= wl->w[wl->n - 1].s && s <= wl->w[wl->n - 1].e + WIN_GAP) {
		if (end > wl->w[wl->n - 1].e)
			wl->w[wl->n - 1].e = end;
		return SOL_OK;
	}
	return ing__win_add(wl, s, end);
}

/* The trigger words that [ws, we) is (at most ING_WORD_MAX bytes long; its
 * signature passed the filter). */
static sol_status word_hit(ing_extractor *ex, const char *text, size_t ws, size_t we,
			   unsigned sig)
{
	const ing_trigs *tg = &ex->trigs;
	size_t n = we - ws, i;
	int k;

	/* buckets by signature (ing__trig_finish), so nothing is hashed
	 * again; the word is letters and digits, so | 0x20 folds its case */
	for (k = tg->slots[sig & (tg->n_slots - 1)]; k >= 0; k = tg->words[k].next) {
		const ing_trig *t = &tg->words[k];
		if (t->len != n)
			continue;
		for (i = 0; i < n && ((unsigned char)text[ws + i] | 0x20) ==
					     (unsigned char)t->folded[i];
		     i++)
			;
		if (i < n)
			continue;
		if (!t->any_case && memcmp(t->lit, text + ws, n) != 0)
			continue;
		if (hit(ex, t, text, ws, we) != SOL_OK)
			return SOL_ERR_NOMEM;
	}
	return SOL_OK;
}

static int str_at(const ing_trig *t, const char *text, size_t len, size_t at)
{
	size_t i;

	if (len - at < t->len)
		return 0;
	if (!t->any_case)
		return memcmp(t->lit, text + at, t->len) == 0;
	for (i = 0; i < t->len; i++)
		if (lower((unsigned char)text[at + i]) != (unsigned char)t->folded[i])
			return 0;
	return 1;
}

static sol_status strings_at(ing_extractor *ex, const char *text, size_t len, size_t at)
{
	const ing_trigs *tg = &ex->trigs;
	uint64_t m = tg->str_first[(unsigned char)text[at]];

	while (m) {
		unsigned k = (unsigned)__builtin_ctzll(m);
		m &= m - 1;
		if (str_at(&tg->strs[k], text, len, at) &&
		    hit(ex, &tg->strs[k], text, at, at + tg->strs[k].len) != SOL_OK)
			return SOL_ERR_NOMEM;
	}
	return SOL_OK;
}

/* The end of the run of ASCII letters from at, eight bytes at a time where
 * the machine allows: a word is found by its end, and most bytes of a text
 * are letters. Nothing inside the run is looked at, which is why a trigger
 * string may not start with a letter (ing__trig_strings refuses it). */
static inline __attribute__((always_inline)) size_t letters_end(const unsigned char *u, size_t len,
								  size_t at)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;

	while (at + 8 <= len) {
		uint64_t x, t, letter, other;
		memcpy(&x, u + at, 8);
		/* fold case, then per byte (no carries): >= 'a' and not > 'z' */
		t = (x | 0x20 * ones) & ~high;
		letter = ((t + 0x1f * ones) & ~(t + 0x05 * ones) & ~x) & high;
		other = ~letter & high;
		if (other)
			return at + (size_t)(__builtin_ctzll(other) >> 3);
		at += 8;
	}
#endif
	while (at < len && (((u[at] | 0x20) >= 'a' && (u[at] | 0x20) <= 'z')))
		at++;
	return at;
}

/* The shared pass: literal triggers of every set and gazetteer names. */
sol_status ing__scan(ing_extractor *ex, const char *text, size_t len)
{
	const ing_trigs *tg = &ex->trigs;
	const unsigned char *u = (const unsigned char *)text;
	size_t i = 0, j, gaz_next = 0;
	unsigned sig;
	sol_status st;

	for (j = 0; j < ex->n_sets; j++)
		ex->wins[j].n = 0;
	ex->digits.n = 0;
	for (j = 0; j < tg->n_cls; j++)
		tg->stop_at[j] = 0;
	while (i < len) {
		unsigned c = tg->cls[u[i]];
		if (!c) {
			i++; /* blanks and punctuation: the common case */
			continue;
		}
		if (!(c & 1)) {
			if (c & 8) {
				uint64_t m = tg->stop_cls[u[i]];
				while (m) {
					tg->stop_at[__builtin_ctzll(m)] = i + 1;
					m &= m - 1;
				}
			}
			if ((c & 2) && strings_at(ex, text, len, i) != SOL_OK)
				return SOL_ERR_NOMEM;
			i++;
			continue;
		}
		/* a word [i, j): strings may start inside it (digits). Most
		 * words are letters only, ended by a blank or punctuation: one
		 * skip over the letters and one look at the byte after. */
		j = i;
		if ((c & 3) == 1) {
			j = letters_end(u, len, i + 1);
			if (j == len || !(tg->cls[u[j]] & 1))
				goto word_done;
		}
		while (j < len) {
			unsigned k = tg->cls[u[j]];
			if ((k & 3) == 1) {
				j = letters_end(u, len, j + 1);
				continue;
			}
			if (!(k & 1))
				break;
			if ((k & 2) && tg->run_id[u[j]]) {
				/* a number: one hit from its first digit to its end */
				size_t r = j + 1;
				uint64_t m = tg->str_first[u[j]];
				while (r < len && tg->run_id[u[r]] == tg->run_id[u[j]])
					r++;
				if (tg->lists_digits && u[j] >= '0' && u[j] <= '9' &&
				    ing__win_add(&ex->digits, j, r) != SOL_OK)
					return SOL_ERR_NOMEM;
				for (; m; m &= m - 1)
					if (hit(ex, &tg->strs[__builtin_ctzll(m)], text, j, r) != SOL_OK)
						return SOL_ERR_NOMEM;
				j = r;
				continue;
			}
			if ((k & 2) && strings_at(ex, text, len, j) != SOL_OK)
				return SOL_ERR_NOMEM;
			j++;
		}
word_done:
		sig = ing__word_sig(text + i, j - i);
		/* most words are no trigger: their signature says so here */
		if (j - i <= ING_WORD_MAX && ing__sig_has(tg->word_sig, sig) &&
		    word_hit(ex, text, i, j, sig) != SOL_OK)
			return SOL_ERR_NOMEM;
		/* a capital: a gazetteer name may start here. Most such words
		 * start none, and when the word ends at a byte that cannot go on
		 * with it ("King's", "Stoke-on-Trent" can) its signature, the
		 * one ing__gaz_at would ask, says so without the call. */
		if ((c & 4) && i >= gaz_next &&
		    ((j < len && (u[j] >= 0x80 || u[j] == '-' || u[j] == '\'' || u[j] == '&')) ||
		     ing__sig_has(ex->gaz.first_sig, sig))) {
			size_t end = ing__gaz_at(ex, text, len, i, j, sig, &st);
			if (st != SOL_OK)
				return st;
			if (end > i)
				gaz_next = end;
		}
		i = j;
	}
	return SOL_OK;
}
