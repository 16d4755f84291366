/*
 * extract_trig.c - the literal-trigger tables, built once from the trigger
 * lines of the rules files (trigger-words, trigger-strings, trigger-stop,
 * trigger-stop-lower; see docs/rules.md) for the shared pass of
 * extract_scan.c to read: the trigger words by signature, the strings by
 * first byte, the runs of one-byte strings (digits), the stop classes and
 * the joiners.
 */
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int has_upper(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return 1;
	return 0;
}

static sol_status trig_push(ing_trig **arr, size_t *n, size_t *cap, const char *s, size_t len,
			    unsigned set, size_t back)
{
	ing_trig *t;
	size_t i;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		t = realloc(*arr, ncap * sizeof *t);
		if (!t)
			return SOL_ERR_NOMEM;
		*arr = t;
		*cap = ncap;
	}
	t = &(*arr)[*n];
	t->lit = sol_strndup(s, len);
	t->folded = sol_strndup(s, len);
	if (!t->lit || !t->folded) {
		free(t->lit);
		free(t->folded);
		return SOL_ERR_NOMEM;
	}
	for (i = 0; i < len; i++)
		t->folded[i] = (char)lower((unsigned char)t->folded[i]);
	t->len = len;
	/* written without capitals: any case ("council" finds COUNCIL too) */
	t->any_case = !has_upper(s, len);
	t->set = set;
	t->back = back;
	t->next = -1;
	(*n)++;
	return SOL_OK;
}

/* One word of a trigger-words line, its '?' variants already made: it
 * triggers on its first part of two characters or more ("Sub-Committee"
 * on "Sub", "Children's" on "Children"), where a regex trigger's match of
 * the whole word would start. */
static sol_status add_word(ing_extractor *ex, unsigned set, size_t back, const char *w, size_t n)
{
	ing_trigs *tg = &ex->trigs;
	size_t i = 0, j;

	while (i < n) {
		while (i < n && !is_alnum((unsigned char)w[i]))
			i++;
		for (j = i; j < n && is_alnum((unsigned char)w[j]); j++)
			;
		if (j - i >= 2)
			return trig_push(&tg->words, &tg->n_words, &tg->cap_words, w + i, j - i, set,
					 back);
		i = j;
	}
	return SOL_OK;
}

static int word_char(unsigned char c)
{
	return is_alnum(c) || c == '-' || c == '\'' || c >= 0x80;
}

sol_status ing__trig_words(ing_extractor *ex, unsigned set, size_t back, const char *s, size_t n,
			   const char *file, unsigned lno, sol_err *err)
{
	size_t i = 0, count = 0;
	char buf[ING_WORD_MAX * 2 + 2];
	sol_status st;

	/* Words, or {NAME}s (already expanded) whose definition is a list of
	 * words: (?:Road|Street|Recreation\h+Ground|Adventures?). Blanks, |,
	 * (?: ( and ) separate words; "x?" makes the x optional; words joined
	 * by \h+ are one name, found by its first word. */
	int joined = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t ws, k, q;
		if (c == ' ' || c == '\t' || c == '|' || c == '(' || c == ')') {
			joined = 0;
			i++;
			continue;
		}
		if (c == '?' && i + 1 < n && s[i + 1] == ':') {
			i += 2;
			continue;
		}
		if (c == '?' && i > 0 && s[i - 1] == ')') {
			i++; /* an optional group: its words still trigger */
			continue;
		}
		if (c == '\\' && i + 1 < n && s[i + 1] == 'h') {
			joined = 1;
			i += 2;
			while (i < n && (s[i] == '+' || s[i] == '*'))
				i++;
			continue;
		}
		if (!word_char(c))
			return sol_err_set(err, SOL_ERR_PARSE,
					   "%s:%u: trigger-words: '%c' is not part of a word", file,
					   lno, c);
		/* a word; '?' after a character makes that character optional */
		ws = i;
		while (i < n && (word_char((unsigned char)s[i]) || s[i] == '?'))
			i++;
		if (i - ws > ING_WORD_MAX)
			return sol_err_set(err, SOL_ERR_PARSE, "%s:%u: trigger word too long", file,
					   lno);
		for (q = ws; q < i && s[q] != '?'; q++)
			;
		if (q == ws)
			return sol_err_set(err, SOL_ERR_PARSE, "%s:%u: trigger-words: stray '?'",
					   file, lno);
		if (joined)
			continue; /* a later word of a name: its first one triggers */
		if (q == i) {
			st = add_word(ex, set, back, s + ws, i - ws);
		} else {
			/* with and without the character before the first '?'
			 * (a second '?' in one word is kept literally: rare) */
			size_t m = 0;
			for (k = ws; k < i; k++)
				if (k != q)
					buf[m++] = s[k];
			st = add_word(ex, set, back, buf, m);
			if (st == SOL_OK) {
				m = 0;
				for (k = ws; k < i; k++)
					if (k != q && k != q - 1)
						buf[m++] = s[k];
				st = add_word(ex, set, back, buf, m);
			}
		}
		if (st != SOL_OK)
			return sol_err_set(err, st, "rules: out of memory");
		count++;
	}
	if (!count)
		return sol_err_set(err, SOL_ERR_PARSE, "%s:%u: expected: trigger-words BACK WORD...",
				   file, lno);
	return SOL_OK;
}

sol_status ing__trig_strings(ing_extractor *ex, unsigned set, size_t back, const char *s,
			     size_t n, const char *file, unsigned lno, sol_err *err)
{
	ing_trigs *tg = &ex->trigs;
	size_t i = 0, count = 0;
	sol_status st;

	while (i < n) {
		size_t ws;
		if (s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		for (ws = i; i < n && s[i] != ' ' && s[i] != '\t'; i++)
			;
		/* the shared pass skips letters eight at a time: a string that
		 * starts with one is a word (trigger-words) */
		if (((s[ws] | 0x20) >= 'a' && (s[ws] | 0x20) <= 'z'))
			return sol_err_set(err, SOL_ERR_PARSE,
					   "%s:%u: trigger-strings: '%.*s' starts with a letter "
					   "(use trigger-words)",
					   file, lno, (int)(i - ws), s + ws);
		if (tg->n_strs >= ING_MAX_TRIG_STRINGS)
			return sol_err_set(err, SOL_ERR_PARSE,
					   "%s:%u: more than %d trigger strings in all", file, lno,
					   ING_MAX_TRIG_STRINGS);
		if ((st = trig_push(&tg->strs, &tg->n_strs, &tg->cap_strs, s + ws, i - ws, set,
				    back)) != SOL_OK)
			return sol_err_set(err, st, "rules: out of memory");
		count++;
	}
	if (!count)
		return sol_err_set(err, SOL_ERR_PARSE,
				   "%s:%u: expected: trigger-strings BACK STRING...", file, lno);
	return SOL_OK;
}

sol_status ing__trig_stop(ing_extractor *ex, unsigned set, const char *s, size_t n,
			  const char *file, unsigned lno, sol_err *err)
{
	ing_trigs *tg = &ex->trigs;
	size_t i;

	/* a set is one bit of stop_sets[] */
	if (set >= 64)
		return sol_err_set(err, SOL_ERR_PARSE, "%s:%u: trigger-stop in more than 64 files",
				   file, lno);
	tg->stop_sets['\n'] |= 1ull << set;
	tg->stop_sets['\r'] |= 1ull << set;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t')
			continue;
		/* letters and digits are skipped in bulk by the shared pass,
		 * and a stop inside a UTF-8 sequence would cut it */
		if (is_alnum(c) || c < 0x21 || c > 0x7e)
			return sol_err_set(err, SOL_ERR_PARSE,
					   "%s:%u: trigger-stop: '%c' is not ASCII punctuation", file,
					   lno, c);
		tg->stop_sets[c] |= 1ull << set;
	}
	return SOL_OK;
}

sol_status ing__trig_stop_lower(ing_extractor *ex, unsigned set, const char *s, size_t n,
				const char *file, unsigned lno, sol_err *err)
{
	ing_trigs *tg = &ex->trigs;
	size_t i = 0, ws, k;

	if (set >= 64)
		return sol_err_set(err, SOL_ERR_PARSE,
				   "%s:%u: trigger-stop-lower in more than 64 files", file, lno);
	tg->lower_sets |= 1ull << set;
	while (i < n) {
		ing_joiner *jn;
		if (s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		for (ws = i; i < n && s[i] != ' ' && s[i] != '\t'; i++)
			if (!is_alnum((unsigned char)s[i]))
				return sol_err_set(err, SOL_ERR_PARSE,
						   "%s:%u: trigger-stop-lower: '%c' is not part of a word",
						   file, lno, s[i]);
		/* joiners are found in any case: a word said again (another
		 * line, another file) is one entry with one more set */
		for (k = 0; k < tg->n_joiners; k++)
			if (tg->joiners[k].len == i - ws &&
			    !strncasecmp(tg->joiners[k].word, s + ws, i - ws))
				break;
		if (k == tg->n_joiners) {
			if (tg->n_joiners >= ING_JOIN_SLOTS / 2)
				return sol_err_set(err, SOL_ERR_PARSE,
						   "%s:%u: more than %d trigger-stop-lower words in all",
						   file, lno, ING_JOIN_SLOTS / 2);
			jn = realloc(tg->joiners, (tg->n_joiners + 1) * sizeof *jn);
			if (!jn)
				return sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
			tg->joiners = jn;
			jn = &jn[tg->n_joiners];
			jn->word = sol_strndup(s + ws, i - ws);
			if (!jn->word)
				return sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
			for (k = 0; k < i - ws; k++)
				jn->word[k] = (char)lower((unsigned char)jn->word[k]);
			jn->len = i - ws;
			jn->sets = 0;
			k = tg->n_joiners++;
		}
		tg->joiners[k].sets |= 1ull << set;
	}
	return SOL_OK;
}

void ing__trig_stop_copy(ing_extractor *ex, unsigned set)
{
	ing_trigs *tg = &ex->trigs;
	uint64_t from, to;
	size_t c;

	if (set == 0 || set >= 64)
		return;
	from = 1ull << (set - 1);
	to = 1ull << set;
	for (c = 0; c < 256; c++)
		if (tg->stop_sets[c] & from)
			tg->stop_sets[c] |= to;
	if (tg->lower_sets & from)
		tg->lower_sets |= to;
	for (c = 0; c < tg->n_joiners; c++)
		if (tg->joiners[c].sets & from)
			tg->joiners[c].sets |= to;
}

void ing__trig_drop_set(ing_extractor *ex, unsigned set)
{
	ing_trigs *tg = &ex->trigs;
	size_t c;

	if (set < 64) {
		for (c = 0; c < 256; c++)
			tg->stop_sets[c] &= ~(1ull << set);
		tg->lower_sets &= ~(1ull << set);
		for (c = 0; c < tg->n_joiners; c++)
			tg->joiners[c].sets &= ~(1ull << set);
	}

	while (tg->n_words && tg->words[tg->n_words - 1].set == set) {
		tg->n_words--;
		free(tg->words[tg->n_words].lit);
		free(tg->words[tg->n_words].folded);
	}
	while (tg->n_strs && tg->strs[tg->n_strs - 1].set == set) {
		tg->n_strs--;
		free(tg->strs[tg->n_strs].lit);
		free(tg->strs[tg->n_strs].folded);
	}
}

/* Does set a (< 64) stop at some byte; at the same bytes as set b? */
static int has_stops(const ing_trigs *tg, size_t a)
{
	size_t c;

	for (c = 0; c < 256; c++)
		if ((tg->stop_sets[c] >> a) & 1)
			return 1;
	return 0;
}

static int same_stops(const ing_trigs *tg, size_t a, size_t b)
{
	size_t c;

	for (c = 0; c < 256; c++)
		if (((tg->stop_sets[c] >> a) & 1) != ((tg->stop_sets[c] >> b) & 1))
			return 0;
	return 1;
}

/* Do the one-byte strings starting with bytes a and b hit the same
 * (set, BACK) pairs, as many times each? */
static int same_hits(const ing_trigs *tg, unsigned a, unsigned b)
{
	uint64_t ma = tg->str_first[a], mb = tg->str_first[b], m;

	if (__builtin_popcountll(ma) != __builtin_popcountll(mb))
		return 0;
	for (m = ma; m; m &= m - 1) {
		const ing_trig *t = &tg->strs[__builtin_ctzll(m)];
		uint64_t k;
		int na = 0, nb = 0;
		for (k = ma; k; k &= k - 1)
			na += tg->strs[__builtin_ctzll(k)].set == t->set &&
			      tg->strs[__builtin_ctzll(k)].back == t->back;
		for (k = mb; k; k &= k - 1)
			nb += tg->strs[__builtin_ctzll(k)].set == t->set &&
			      tg->strs[__builtin_ctzll(k)].back == t->back;
		if (na != nb)
			return 0;
	}
	return 1;
}

/* run_id[]: see ing_trigs. A stop byte is never in a run (its stop must
 * fall between the hits before and after it). */
static void number_runs(ing_trigs *tg)
{
	unsigned c, d, next = 1;
	uint64_t m;

	memset(tg->run_id, 0, sizeof tg->run_id);
	for (c = 0; c < 256 && next < 256; c++) {
		if (!tg->str_first[c] || tg->stop_sets[c])
			continue;
		for (m = tg->str_first[c]; m; m &= m - 1)
			if (tg->strs[__builtin_ctzll(m)].len != 1)
				break;
		if (m)
			continue;
		for (d = 0; d < c; d++)
			if (tg->run_id[d] && same_hits(tg, c, d)) {
				tg->run_id[c] = tg->run_id[d];
				break;
			}
		if (!tg->run_id[c])
			tg->run_id[c] = (unsigned char)next++;
	}
}

sol_status ing__trig_finish(ing_extractor *ex)
{
	ing_trigs *tg = &ex->trigs;
	size_t i, ns = 16;

	while (ns < tg->n_words * 2)
		ns *= 2;
	tg->slots = malloc(ns * sizeof *tg->slots);
	ex->wins = calloc(ex->n_sets ? ex->n_sets : 1, sizeof *ex->wins);
	tg->stop_at = calloc(ex->n_sets + 1, sizeof *tg->stop_at);
	tg->set_cls = calloc(ex->n_sets + 1, sizeof *tg->set_cls);
	if (!tg->slots || !ex->wins || !tg->stop_at || !tg->set_cls)
		return SOL_ERR_NOMEM;
	/* stop classes: a set joins the first earlier set that stops at the
	 * same bytes; one without stops reads stop_at[n_sets], never set */
	tg->n_cls = 0;
	memset(tg->stop_cls, 0, sizeof tg->stop_cls);
	for (i = 0; i < ex->n_sets; i++) {
		size_t j;
		tg->set_cls[i] = (unsigned)ex->n_sets;
		if (i >= 64 || !has_stops(tg, i))
			continue;
		for (j = 0; j < i; j++)
			if (tg->set_cls[j] < ex->n_sets && same_stops(tg, i, j))
				break;
		if (j < i) {
			tg->set_cls[i] = tg->set_cls[j];
			continue;
		}
		tg->set_cls[i] = tg->n_cls;
		for (j = 0; j < 256; j++)
			if ((tg->stop_sets[j] >> i) & 1)
				tg->stop_cls[j] |= 1ull << tg->n_cls;
		tg->n_cls++;
	}
	memset(tg->jtab, 0, sizeof tg->jtab);
	for (i = 0; i < tg->n_joiners; i++) {
		const ing_joiner *jn = &tg->joiners[i];
		size_t h = ing__word_sig(jn->word, jn->len) & (ING_JOIN_SLOTS - 1), k;
		while (tg->jtab[h].len)
			h = (h + 1) & (ING_JOIN_SLOTS - 1);
		for (k = 0; k < jn->len && k < ING_JOIN_MAX; k++)
			tg->jtab[h].word |= (uint64_t)(unsigned char)jn->word[k] << (8 * k);
		tg->jtab[h].sets = jn->sets;
		tg->jtab[h].len = jn->len;
	}
	tg->n_slots = ns;
	for (i = 0; i < ns; i++)
		tg->slots[i] = -1;
	/* chains by bucket, in file order */
	for (i = tg->n_words; i-- > 0;) {
		uint32_t b = ing__word_sig(tg->words[i].folded, tg->words[i].len) & (uint32_t)(ns - 1);
		tg->words[i].next = tg->slots[b];
		tg->slots[b] = (int)i;
	}
	memset(tg->str_first, 0, sizeof tg->str_first);
	for (i = 0; i < tg->n_strs; i++) {
		unsigned char c = (unsigned char)tg->strs[i].lit[0];
		tg->str_first[c] |= 1ull << i;
		if (tg->strs[i].any_case && c >= 'a' && c <= 'z')
			tg->str_first[c - 32] |= 1ull << i;
	}
	number_runs(tg);
	tg->lists_digits = 1;
	for (i = '0'; i <= '9'; i++)
		if (!tg->run_id[i])
			tg->lists_digits = 0;
	memset(tg->word_sig, 0, sizeof tg->word_sig);
	for (i = 0; i < tg->n_words; i++)
		ing__sig_add(tg->word_sig, ing__word_sig(tg->words[i].folded, tg->words[i].len));
	for (i = 0; i < 256; i++)
		tg->cls[i] = (unsigned char)((is_alnum((unsigned char)i) ? 1 : 0) |
					     (tg->str_first[i] ? 2 : 0) |
					     (i >= 'A' && i <= 'Z' && ex->gaz.n_used ? 4 : 0) |
					     (tg->stop_sets[i] ? 8 : 0));
	return SOL_OK;
}

void ing__trig_free(ing_extractor *ex)
{
	ing_trigs *tg = &ex->trigs;
	size_t i;

	for (i = 0; i < tg->n_words; i++) {
		free(tg->words[i].lit);
		free(tg->words[i].folded);
	}
	for (i = 0; i < tg->n_strs; i++) {
		free(tg->strs[i].lit);
		free(tg->strs[i].folded);
	}
	for (i = 0; i < tg->n_joiners; i++)
		free(tg->joiners[i].word);
	free(tg->joiners);
	free(tg->words);
	free(tg->strs);
	free(tg->slots);
	free(tg->stop_at);
	free(tg->set_cls);
	memset(tg, 0, sizeof *tg);
	if (ex->wins)
		for (i = 0; i < ex->n_sets; i++)
			free(ex->wins[i].w);
	free(ex->wins);
	ex->wins = NULL;
	free(ex->digits.w);
	memset(&ex->digits, 0, sizeof ex->digits);
}
