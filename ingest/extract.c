/*
 * extract.c - the extractor's lifecycle and the per-document driver: find
 * the triggers, run every rule set in its windows, scan the gazetteer,
 * resolve acronyms, settle overlapping spans, write the record, choose the
 * document date.
 */
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>

/* bench/extract-bench --profile builds with ING_PROFILE: cycles by stage
 * (ing_prof_phase: scan, sets, acronyms, resolve, emit, docdate, and within
 * sets normalising and regex windows) and by rule set (calls, calls that
 * found a match, window bytes, cycles). Without it these are no code at all. */
#ifdef ING_PROFILE
#include <x86intrin.h>
unsigned long long ing_prof_cycles[256], ing_prof_calls[256], ing_prof_bytes[256],
	ing_prof_found[256];
unsigned long long ing_prof_phase[8];
#define PROF_START(v) unsigned long long v = __rdtsc()
#define PROF_STOP(v, sum) ((sum) += __rdtsc() - (v))
#define PROF_CALL(set, bytes) (ing_prof_calls[set]++, ing_prof_bytes[set] += (bytes))
#define PROF_FOUND(set) (ing_prof_found[set]++)
#define PHASE_START PROF_START(ph0)
#define PHASE(k) do { PROF_STOP(ph0, ing_prof_phase[k]); ph0 = __rdtsc(); } while (0)
#else
#define PROF_START(v) do {} while (0)
#define PROF_STOP(v, sum) do {} while (0)
#define PROF_CALL(set, bytes) do {} while (0)
#define PROF_FOUND(set) do {} while (0)
#define PHASE_START do {} while (0)
#define PHASE(k) do {} while (0)
#endif

/* rs->first: see ing_ruleset. A first code unit that is a letter may be
 * caseless, and PCRE2 does not say what its other cases are (in UTF mode
 * 'k' is also the Kelvin sign): then there is no filter. The start bitmap
 * holds the other cases' first bytes (PCRE2 skips by it itself). */
static void first_bytes(ing_ruleset *rs)
{
	uint32_t type = 0, unit = 0;
	const uint8_t *bits = NULL;

	unsigned c;

	rs->has_first = 0;
	memset(rs->first, 1, sizeof rs->first);
	if (pcre2_pattern_info(rs->code, PCRE2_INFO_FIRSTCODETYPE, &type) != 0)
		return;
	if (type == 1 && pcre2_pattern_info(rs->code, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 &&
	    unit < 128 && !((unit | 0x20) >= 'a' && (unit | 0x20) <= 'z')) {
		memset(rs->first, 0, sizeof rs->first);
		rs->first[unit] = 1;
		rs->has_first = 1;
	} else if (type == 0 && pcre2_pattern_info(rs->code, PCRE2_INFO_FIRSTBITMAP, &bits) == 0 &&
		   bits) {
		for (c = 0; c < 256; c++)
			rs->first[c] = (bits[c / 8] >> (c % 8)) & 1;
		rs->has_first = 1;
	}
}

ing_extractor *ing_extractor_new(const char *rules_dir, sol_err *err)
{
	ing_extractor *ex = calloc(1, sizeof *ex);
	size_t i;

	if (!ex) {
		sol_err_set(err, SOL_ERR_NOMEM, "extractor: out of memory");
		return NULL;
	}
	/* Norms are short; a cap keeps a hostile document from growing the
	 * arena without bound (the document itself is already capped). */
	sol_buf_init(&ex->arena, 0);
	sol_buf_init(&ex->scratch, 0);
	sol_buf_init(&ex->nbuf, 0);
	if (ing__rules_load(ex, rules_dir, err) != SOL_OK) {
		ing_extractor_free(ex);
		return NULL;
	}
	for (i = 0; i < ex->n_sets; i++) {
		ing_ruleset *rs = &ex->sets[i];
		first_bytes(rs);
		if ((rs->has_first && !rs->looks_back &&
		     !(rs->pair = calloc(128, sizeof *rs->pair))) ||
		    (rs->trigger_digits && !rs->trigger_looks_back &&
		     !(rs->trigger_pair = calloc(128, sizeof *rs->trigger_pair)))) {
			sol_err_set(err, SOL_ERR_NOMEM, "extractor: out of memory");
			ing_extractor_free(ex);
			return NULL;
		}
	}
	return ex;
}

void ing_extractor_free(ing_extractor *ex)
{
	if (!ex)
		return;
	ing__rules_free(ex);
	ing__gaz_free(&ex->gaz);
	ing__wordmap_free(&ex->stop);
	ing__wordmap_free(&ex->stop_org);
	ing__wordmap_free(&ex->fix);
	ing__wordmap_free(&ex->hon);
	free(ex->cands);
	free(ex->sorted);
	sol_buf_release(&ex->arena);
	sol_buf_release(&ex->scratch);
	sol_buf_release(&ex->nbuf);
	free(ex);
}

sol_status ing__cand_add(ing_extractor *ex, ing_type type, size_t start, size_t end,
			 const char *norm, size_t norm_len, unsigned rank)
{
	ing_cand *c;

	if (end <= start)
		return SOL_OK;
	/* offsets into the arena are 32-bit: a text whose norms pass 4 GiB
	 * (no document under the size cap comes near) keeps those before */
	if (ex->arena.len + norm_len + 1 > UINT32_MAX)
		return SOL_OK;
	if (ex->n_cands == ex->cap_cands) {
		size_t ncap = ex->cap_cands ? ex->cap_cands * 2 : 256;
		c = realloc(ex->cands, ncap * sizeof *c);
		if (!c)
			return SOL_ERR_NOMEM;
		ex->cands = c;
		ex->cap_cands = ncap;
	}
	c = &ex->cands[ex->n_cands];
	c->type = type;
	c->start = start;
	c->end = end;
	c->norm_off = (uint32_t)ex->arena.len;
	c->norm_len = (uint32_t)norm_len;
	c->rank = rank;
	c->drop = 0;
	/* NUL after each norm so a norm can be handed on as a C string. */
	if (sol_buf_add(&ex->arena, norm, norm_len) != SOL_OK ||
	    sol_buf_addc(&ex->arena, '\0') != SOL_OK)
		return SOL_ERR_NOMEM;
	ex->n_cands++;
	return SOL_OK;
}

/* Past the UTF-8 character at off (bytes that are not a lead byte count
 * as one each, so invalid input still advances). */
static size_t next_char(const char *text, size_t len, size_t off)
{
	off++;
	while (off < len && ((unsigned char)text[off] & 0xC0) == 0x80)
		off++;
	return off;
}

/* ASCII letters and digits, after which no rule starts */
#define A16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char alnum_tab[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
	['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = A16, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* A-Z */
	['a'] = A16, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* a-z */
};
#undef A16

/* Can a match of code start with the ASCII bytes a b, after nothing or
 * after '_'? PCRE2 says, matching "ab" anchored with PCRE2_PARTIAL_HARD:
 * a partial match means more text could complete one. The start of a
 * window's search is then moved past pairs that start none (most of what
 * the first-byte test lets through: "Th" for a postcode), and a window
 * left with no start costs no pcre2_jit_match call; so for a digit run and
 * a regex trigger ("12 " starts no year). Exact: what a pattern reads
 * before its start is the byte before (\b, \B: "_" stands for every word
 * byte, nothing for every other) or a negative look-behind, which only lets
 * more through with less text before it; a pattern with a positive
 * look-behind gets no pair table (rs->looks_back, trigger_looks_back). */
static int pair_can_start(ing_extractor *ex, const pcre2_code *code, unsigned a, unsigned b)
{
	const unsigned char subject[3] = { '_', (unsigned char)a, (unsigned char)b };
	int k;

	for (k = 0; k < 2; k++)
		if (pcre2_match(code, subject + 1 - k, (PCRE2_SIZE)(2 + k), (PCRE2_SIZE)k,
				PCRE2_ANCHORED | PCRE2_PARTIAL_HARD | PCRE2_NO_JIT, ex->pmd,
				NULL) != PCRE2_ERROR_NOMATCH)
			return 1;
	return 0;
}

/* Can a match of code start at off, by its first two bytes (pair_can_start,
 * asked once a pair and remembered in pair)? Yes when they are not both
 * ASCII, or there is no table. */
static inline int pair_ok(ing_extractor *ex, const pcre2_code *code, unsigned char (*pair)[128],
			  const unsigned char *u, size_t len, size_t off)
{
	unsigned a = u[off], b;

	if (!pair || a >= 128 || off + 1 >= len || (b = u[off + 1]) >= 128)
		return 1;
	if (!pair[a][b])
		pair[a][b] = pair_can_start(ex, code, a, b) ? 2 : 1;
	return pair[a][b] == 2;
}

/* The rule a match took: the N of the (*MARK:N) that ends each rule
 * (extract_rules.c); none (never seen) reads as past the last rule. */
static size_t mark_rule(PCRE2_SPTR mark)
{
	size_t k = 0;

	if (!mark || !*mark)
		return (size_t)-1;
	for (; *mark >= '0' && *mark <= '9'; mark++)
		k = k * 10 + (size_t)(*mark - '0');
	return k;
}

/* The next match of the group rs at or after off, in its windows (in all
 * the text when it has no trigger): 1 found (rs->md, rs->next_rule), 0
 * none left, -1 error (err set). */
static int next_match(ing_extractor *ex, ing_ruleset *rs, const ing_winlist *wl,
		      const char *text, size_t len, size_t off, sol_err *err)
{
	int whole = !rs->trigger && !rs->literal_triggers;
	int rc;

	if (rs->next_pos > off)
		off = rs->next_pos;
	for (;;) {
		size_t limit = len;
		if (!whole) {
			/* each window is searched once, never again behind a match taken */
			while (rs->next_win < wl->n && wl->w[rs->next_win].e < off)
				rs->next_win++;
			if (rs->next_win == wl->n)
				return 0;
			if (off < wl->w[rs->next_win].s)
				off = wl->w[rs->next_win].s;
			limit = wl->w[rs->next_win].e;
		}
		/* Every pattern starts with (?<![A-Za-z0-9]) (finish_group in
		 * extract_rules.c): no match starts right after an ASCII letter
		 * or digit, nor at a byte no match starts with. Step over such
		 * positions of a window here; when they fill the rest of it (a
		 * year that starts no phone number, the end of a date) the call
		 * is not made, and a call costs more than a window's bytes. */
		if (!whole) {
			const unsigned char *u = (const unsigned char *)text;
			size_t stop = limit < len ? limit + 1 : len;
			while (off < stop &&
			       !(rs->first[u[off]] && (off == 0 || !alnum_tab[u[off - 1]]) &&
				 pair_ok(ex, rs->code, rs->pair, u, len, off)))
				off++;
			/* at the end of the text only an empty match could start,
			 * and a pattern with first bytes has none */
			if (off == stop && (stop > limit || rs->has_first ||
					    (off > 0 && alnum_tab[u[off - 1]]))) {
				rs->next_win++;
				continue;
			}
		}
		if (off > len)
			return 0;
		pcre2_set_offset_limit(ex->mctx, whole ? PCRE2_UNSET : limit);
		/* The JIT entry point skips pcre2_match's argument checks (a
		 * window is a few dozen bytes, so they showed); limits, the JIT
		 * stack and PCRE2_MATCH_INVALID_UTF hold the same. */
		PROF_CALL(rs - ex->sets, (whole ? len : limit) - off);
		PROF_START(t0);
		rc = rs->jit ? pcre2_jit_match(rs->code, (PCRE2_SPTR)text, len, off, 0, rs->md,
					       ex->mctx)
			     : pcre2_match(rs->code, (PCRE2_SPTR)text, len, off, 0, rs->md, ex->mctx);
		PROF_STOP(t0, ing_prof_cycles[rs - ex->sets]);
		if (rc == PCRE2_ERROR_NOMATCH) {
			if (whole)
				return 0;
			rs->next_win++;
			continue;
		}
		if (rc < 0) {
			/* A limit was hit somewhere at or after off: skip this line
			 * (at most 4 KiB of it) for this group and go on, so the
			 * cost of any input stays proportional to its size. */
			const char *nl;
			size_t stop = len - off < 4096 ? len : off + 4096;
			if (rc != PCRE2_ERROR_MATCHLIMIT && rc != PCRE2_ERROR_DEPTHLIMIT &&
			    rc != PCRE2_ERROR_JIT_STACKLIMIT && rc != PCRE2_ERROR_HEAPLIMIT &&
			    rc != PCRE2_ERROR_NOMEMORY) {
				sol_err_set(err, SOL_ERR_INPUT, "%s: match error %d", rs->name, rc);
				return -1;
			}
			if (off >= len)
				return 0;
			nl = memchr(text + off, '\n', stop - off);
			off = nl ? (size_t)(nl - text) + 1 : next_char(text, len, stop - 1);
			rs->next_pos = off;
			continue;
		}
		PROF_FOUND(rs - ex->sets);
		rs->next_rule = mark_rule(pcre2_get_mark(rs->md));
		return 1;
	}
}

/* The windows of a regex trigger ("trigger BACK PATTERN"), merged into
 * those the literal triggers left in wl (both lists are in text order). */
static sol_status regex_windows(ing_extractor *ex, const ing_ruleset *rs, size_t set_index,
				ing_winlist *wl, const char *text, size_t len)
{
	const uint64_t *stop = ex->trigs.stop_sets, bit = set_index < 64 ? 1ull << set_index : 0;
	size_t toff = 0, i = 0, j = 0;
	PCRE2_SIZE *tov = pcre2_get_ovector_pointer(ex->tmd);
	ing_winlist mine = { NULL, 0, 0 }, both = { NULL, 0, 0 };
	sol_status st = SOL_OK;

	size_t run = 0;
	int by_runs = rs->trigger_digits && ex->trigs.lists_digits;
	const unsigned char *u = (const unsigned char *)text;

	pcre2_set_offset_limit(ex->mctx, PCRE2_UNSET);
	while (toff <= len) {
		int rc;
		size_t s, at;
		if (by_runs) {
			/* only a digit can start a hit: look in the digit runs */
			const ing_winlist *dr = &ex->digits;
			while (run < dr->n && dr->w[run].e <= toff)
				run++;
			if (run == dr->n)
				break;
			if (toff < dr->w[run].s)
				toff = dr->w[run].s;
			/* the run's positions no hit starts at (pair_ok): a
			 * run with none left costs no call */
			while (toff < dr->w[run].e &&
			       !(u[toff] >= '0' && u[toff] <= '9' &&
				 pair_ok(ex, rs->trigger, rs->trigger_pair, u, len, toff)))
				toff++;
			if (toff == dr->w[run].e)
				continue;
			pcre2_set_offset_limit(ex->mctx, dr->w[run].e - 1);
		}
		/* the JIT entry point: pcre2_match's checks cost more than a
		 * short run's search (see next_match) */
		rc = rs->trigger_jit ? pcre2_jit_match(rs->trigger, (PCRE2_SPTR)text, len, toff, 0,
						       ex->tmd, ex->mctx)
				     : pcre2_match(rs->trigger, (PCRE2_SPTR)text, len, toff, 0,
						   ex->tmd, ex->mctx);
		if (rc == PCRE2_ERROR_NOMATCH && by_runs) {
			toff = ex->digits.w[run++].e;
			continue;
		}
		if (rc < 0)
			break;
		s = tov[0] > rs->trigger_back ? tov[0] - rs->trigger_back : 0;
		at = tov[0];
		/* trigger-stop-lower first: its word is most often near, and
		 * the stop bytes are then looked for only after it */
		if (ex->trigs.lower_sets & bit)
			s = ing__lower_back(&ex->trigs, (unsigned)set_index, text, s, at);
		/* trigger-stop: back from the hit to the nearest stop (BACK
		 * bytes at most, and hits are few) */
		while (at > s && !(stop[(unsigned char)text[at - 1]] & bit))
			at--;
		st = ing__win_add(&mine, at, tov[1]);
		if (st != SOL_OK)
			goto out;
		toff = tov[1] > tov[0] ? tov[1] : next_char(text, len, tov[0]);
	}
	/* merge by start; ing__win_add joins what overlaps */
	while (i < wl->n || j < mine.n) {
		const ing_win *w = j == mine.n || (i < wl->n && wl->w[i].s <= mine.w[j].s)
					   ? &wl->w[i++]
					   : &mine.w[j++];
		if ((st = ing__win_add(&both, w->s, w->e)) != SOL_OK)
			goto out;
	}
	free(wl->w);
	*wl = both;
	both.w = NULL;
out:
	free(mine.w);
	free(both.w);
	return st;
}

/* The n groups of one rules file, from sets[first], as if they were one
 * alternation: the leftmost match of any group is taken, a tie going to
 * the group listed first (whose rules come first in the file), and the
 * search goes on after it. A group's match stays pending until the search
 * passes its start, so each group is asked again only when the match
 * taken overlapped its own. */
static sol_status run_file(ing_extractor *ex, size_t first, size_t n, const char *text,
			   size_t len, sol_err *err)
{
	size_t off = 0, g;
	sol_status st;

	for (g = first; g < first + n; g++) {
		ing_ruleset *rs = &ex->sets[g];
		rs->next_win = rs->next_pos = 0;
		rs->next_state = 0;
		PROF_START(r0);
		if (rs->trigger &&
		    (st = regex_windows(ex, rs, g, &ex->wins[g], text, len)) != SOL_OK)
			return sol_err_set(err, st, "extract: out of memory");
		PROF_STOP(r0, ing_prof_phase[7]);
	}
	for (;;) {
		ing_ruleset *best = NULL;
		const PCRE2_SIZE *ov;
		for (g = first; g < first + n; g++) {
			ing_ruleset *rs = &ex->sets[g];
			if (rs->next_state == 1 && rs->ov[0] < off)
				rs->next_state = 0;
			if (rs->next_state == 0) {
				int rc = next_match(ex, rs, &ex->wins[g], text, len, off, err);
				if (rc < 0)
					return SOL_ERR_INPUT;
				rs->next_state = rc ? 1 : 2;
			}
			if (rs->next_state == 1 &&
			    (!best || rs->ov[0] < best->ov[0]))
				best = rs;
		}
		if (!best)
			break;
		ov = best->ov;
		if (best->next_rule < best->n_rules &&
		    best->rules[best->next_rule].type != ING_T_SKIP) {
			unsigned rank =
				(best->file_no + 1) * 1000 + best->first_rule + (unsigned)best->next_rule;
			PROF_START(n0);
			st = ing__normalise(ex, best, &best->rules[best->next_rule], rank, text, len,
					    ov);
			PROF_STOP(n0, ing_prof_phase[6]);
			if (st != SOL_OK)
				return sol_err_set(err, st, "extract: out of memory");
		}
		off = ov[1] > ov[0] ? ov[1] : next_char(text, len, ov[0]);
		best->next_state = 0;
	}
	return SOL_OK;
}

/* Does x sort after y: by start, then longest, then rank? */
static int cand_after(const ing_cand *x, const ing_cand *y)
{
	if (x->start != y->start)
		return x->start > y->start;
	if (x->end != y->end)
		return x->end < y->end;
	return x->rank > y->rank;
}

/* Sort the candidates, stable: ties keep the order they were added in,
 * as glibc's qsort (a merge sort) left them. The sets add theirs in text
 * order, so the list is a few sorted runs: runs found as they are, then
 * merged pairwise, with no call per comparison and no allocation once the
 * buffer has grown. */
static sol_status sort_cands(ing_extractor *ex)
{
	size_t n = ex->n_cands, width, i, cap;
	ing_cand *a = ex->cands, *b;

	if (n < 2)
		return SOL_OK;
	if (ex->cap_sorted < n) {
		b = realloc(ex->sorted, n * sizeof *b);
		if (!b)
			return SOL_ERR_NOMEM;
		ex->sorted = b;
		ex->cap_sorted = n;
	}
	b = ex->sorted;
	/* insertion sort in blocks of 8: cheap on nearly sorted input */
	for (i = 0; i < n; i += 8) {
		size_t e = i + 8 < n ? i + 8 : n, j, k;
		for (j = i + 1; j < e; j++) {
			ing_cand t = a[j];
			for (k = j; k > i && cand_after(&a[k - 1], &t); k--)
				a[k] = a[k - 1];
			a[k] = t;
		}
	}
	for (width = 8; width < n; width *= 2) {
		for (i = 0; i < n; i += 2 * width) {
			size_t m = i + width < n ? i + width : n, e = i + 2 * width < n ? i + 2 * width : n;
			size_t l = i, r = m, o = i;
			if (m == e || !cand_after(&a[m - 1], &a[m])) {
				/* already in order (the common case): copy */
				memcpy(b + i, a + i, (e - i) * sizeof *a);
				continue;
			}
			while (l < m && r < e)
				b[o++] = cand_after(&a[l], &a[r]) ? a[r++] : a[l++];
			while (l < m)
				b[o++] = a[l++];
			while (r < e)
				b[o++] = a[r++];
		}
		/* swap the buffers: the list is now in b */
		cap = ex->cap_sorted;
		ex->cap_sorted = ex->cap_cands;
		ex->cap_cands = cap;
		ex->sorted = a;
		ex->cands = b;
		a = b;
		b = ex->sorted;
	}
	return SOL_OK;
}

/* blocks[T] = the types whose spans suppress an overlapping T. Types are
 * settled in `order`, so a blocker is always final before it is used. */
#define B(t) (1u << (t))
static const unsigned blocks[ING_T_COUNT] = {
	[ING_T_DATE] = B(ING_T_LEGISLATION) | B(ING_T_REFERENCE) | B(ING_T_URL) |
		       B(ING_T_EMAIL) | B(ING_T_PHONE) | B(ING_T_POSTCODE) | B(ING_T_MONEY),
	[ING_T_PLACE] = B(ING_T_ORG) | B(ING_T_ROLE) | B(ING_T_LEGISLATION) | B(ING_T_PERSON) |
			B(ING_T_URL) | B(ING_T_EMAIL) | B(ING_T_POSTCODE),
	[ING_T_REFERENCE] = B(ING_T_URL) | B(ING_T_EMAIL) | B(ING_T_PHONE) | B(ING_T_POSTCODE) |
			    B(ING_T_MONEY) | B(ING_T_LEGISLATION),
	[ING_T_PERSON] = B(ING_T_URL) | B(ING_T_EMAIL) | B(ING_T_ORG),
	[ING_T_ORG] = B(ING_T_URL) | B(ING_T_EMAIL) | B(ING_T_LEGISLATION),
	[ING_T_ROLE] = B(ING_T_URL) | B(ING_T_EMAIL),
	[ING_T_PHONE] = B(ING_T_URL) | B(ING_T_EMAIL),
	[ING_T_POSTCODE] = B(ING_T_URL) | B(ING_T_EMAIL),
	[ING_T_MONEY] = B(ING_T_URL),
	[ING_T_LEGISLATION] = B(ING_T_URL),
	[ING_T_URL] = B(ING_T_EMAIL),
};
static const ing_type order[] = {
	ING_T_EMAIL, ING_T_URL, ING_T_PHONE, ING_T_POSTCODE, ING_T_MONEY, ING_T_LEGISLATION,
	ING_T_REFERENCE, ING_T_ORG, ING_T_ROLE, ING_T_PERSON, ING_T_DATE, ING_T_PLACE,
	ING_T_DOCDATE,
};

static sol_status resolve(ing_extractor *ex)
{
	size_t i, j, k, n = ex->n_cands;
	size_t lastend[ING_T_COUNT];
	unsigned present = 0;
	ing_cand *c;

	if (sort_cands(ex) != SOL_OK)
		return SOL_ERR_NOMEM;
	c = ex->cands;
	/* Same type: leftmost, then longest, wins. Dates may share a start
	 * only when they are identical, which the sort makes adjacent. */
	memset(lastend, 0, sizeof lastend);
	for (i = 0; i < n; i++) {
		present |= B(c[i].type);
		if (c[i].drop)
			continue;
		if (c[i].start < lastend[c[i].type]) {
			c[i].drop = 1;
			continue;
		}
		lastend[c[i].type] = c[i].end;
	}
	for (k = 0; k < sizeof order / sizeof order[0]; k++) {
		ing_type t = order[k];
		unsigned mask = blocks[t] & present;
		size_t maxend = 0;
		/* a pass over the list only for a type that is there and that
		 * a type that is there can block (most documents hold no URL,
		 * e-mail, phone number or postcode) */
		if (!mask || !(present & B(t)))
			continue;
		for (i = 0; i < n; i++) {
			if (c[i].drop)
				continue;
			if (c[i].type != t) {
				if ((mask & B(c[i].type)) && c[i].end > maxend)
					maxend = c[i].end;
				continue;
			}
			if (maxend > c[i].start) {
				c[i].drop = 1;
				continue;
			}
			for (j = i + 1; j < n && c[j].start < c[i].end; j++)
				if (!c[j].drop && (mask & B(c[j].type))) {
					c[i].drop = 1;
					break;
				}
		}
	}
	return SOL_OK;
}

/* A mention counter's slot: the first candidate of an entity or date
 * (its type and normalised name are the key) and how many were met. */
typedef struct mention_slot {
	size_t first; /* index into ex->cands + 1; 0: empty */
	size_t seen;
} mention_slot;

static int same_mention(const ing_extractor *ex, const ing_cand *a, const ing_cand *b)
{
	return a->type == b->type && a->norm_len == b->norm_len &&
	       memcmp(ex->arena.data + a->norm_off, ex->arena.data + b->norm_off, a->norm_len) == 0;
}

/* The slot of c's entity or date in tab (n slots, a power of two, more
 * than the candidates): FNV-1a of type and name, then the next slots. */
static mention_slot *mention_of(const ing_extractor *ex, mention_slot *tab, size_t n,
				const ing_cand *c)
{
	uint64_t h = 14695981039346656037ULL ^ c->type;
	const unsigned char *p = (const unsigned char *)ex->arena.data + c->norm_off;
	size_t i;

	for (i = 0; i < c->norm_len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	for (i = (size_t)h & (n - 1);; i = (i + 1) & (n - 1))
		if (!tab[i].first || same_mention(ex, &ex->cands[tab[i].first - 1], c))
			return &tab[i];
}

/* Drop each mention past the first ING_MENTIONS_MAX of its entity or date,
 * counting them in r->mentions_omitted. A document with no more
 * candidates than that has nothing to drop and is not looked at. */
static sol_status cap_mentions(ing_extractor *ex, sol_record *r)
{
	size_t n = 1, i;
	mention_slot *tab;

	if (ex->n_cands <= ING_MENTIONS_MAX)
		return SOL_OK;
	while (n < 2 * ex->n_cands)
		n <<= 1;
	if (!(tab = calloc(n, sizeof *tab)))
		return SOL_ERR_NOMEM;
	for (i = 0; i < ex->n_cands; i++) {
		ing_cand *c = &ex->cands[i];
		if (c->drop || c->type == ING_T_DOCDATE)
			continue;
		mention_slot *m = mention_of(ex, tab, n, c);
		if (!m->first)
			m->first = i + 1;
		if (++m->seen > ING_MENTIONS_MAX) {
			c->drop = 1;
			r->mentions_omitted++;
		}
	}
	free(tab);
	return SOL_OK;
}

static sol_status emit(ing_extractor *ex, sol_record *r)
{
	size_t i;
	sol_status st;

	if ((st = cap_mentions(ex, r)) != SOL_OK)
		return st;
	for (i = 0; i < ex->n_cands; i++) {
		const ing_cand *c = &ex->cands[i];
		const char *norm = ex->arena.data + c->norm_off;
		if (c->drop || c->type == ING_T_DOCDATE)
			continue;
		if (c->type == ING_T_DATE)
			st = sol_record_add_date_n(r, r->text + c->start, c->end - c->start, norm,
						   c->norm_len, c->start, c->end);
		else
			st = sol_record_add_entity_n(r, ing__type_names[c->type], r->text + c->start,
						     c->end - c->start, norm, c->norm_len, c->start,
						     c->end);
		if (st != SOL_OK)
			return st;
	}
	return SOL_OK;
}

sol_status ing_extract(ing_extractor *ex, sol_record *r, sol_err *err)
{
	size_t i, n;
	sol_status st;

	if (!ex || !r)
		return sol_err_set(err, SOL_ERR_USAGE, "ing_extract: no extractor or record");
	if (!r->text || !r->text_len)
		return SOL_OK;
	ex->n_cands = 0;
	sol_buf_reset(&ex->arena);
	PHASE_START;
	if ((st = ing__scan(ex, r->text, r->text_len)) != SOL_OK)
		return sol_err_set(err, st, "extract: out of memory");
	PHASE(0);
	for (i = 0; i < ex->n_sets; i += n) {
		for (n = 1; i + n < ex->n_sets && ex->sets[i + n].cont; n++)
			;
		if ((st = run_file(ex, i, n, r->text, r->text_len, err)) != SOL_OK)
			return st;
	}
	PHASE(1);
	if ((st = ing__acronyms(ex, r)) != SOL_OK)
		return sol_err_set(err, st, "extract: out of memory");
	PHASE(2);
	if ((st = resolve(ex)) != SOL_OK)
		return sol_err_set(err, st, "extract: out of memory");
	PHASE(3);
	if ((st = emit(ex, r)) != SOL_OK)
		return sol_err_set(err, st, "extract: out of memory");
	PHASE(4);
	/* Metadata dates stand; a date the cleaner guessed from the text gives
	 * way to a label rule here (which knows that a decision record's
	 * publication date beats its decision date). */
	if ((!r->date || (r->date_from && strcmp(r->date_from, "text") == 0)) &&
	    (st = ing__doc_date(ex, r)) != SOL_OK)
		return sol_err_set(err, st, "extract: out of memory");
	PHASE(5);
	return SOL_OK;
}
