/*
 * extract_gaz.c - the gazetteer (names from *.list files looked up word
 * by word, not as one giant regex alternation: a hash lookup per
 * capitalised word keeps the scan fast however long the lists grow), the
 * small word maps (stop words, fixes, honorifics), and the post-pass that
 * needs the whole document: acronym definitions and their later uses,
 * and "the County Council" resolved to the council the text names.
 */
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KEY_MAX 160
#define MAX_WORDS 8

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* FNV-1a, byte by byte: a key's hash goes on from its first part's, so
 * ing__gaz_at extends it a word at a time instead of hashing again. */
#define HASH_START 1469598103934665603ULL
static inline uint64_t hash_byte(uint64_t h, unsigned char c)
{
	return (h ^ c) * 1099511628211ULL;
}

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = HASH_START;
	size_t i;

	for (i = 0; i < n; i++)
		h = hash_byte(h, (unsigned char)s[i]);
	return h;
}

/* A byte that belongs inside a name word: letters, digits, UTF-8, and the
 * joiners of "Stoke-on-Trent" and "King's Lynn". A table, not a chain of
 * comparisons: it is asked of every byte of every capitalised word. */
static const unsigned char word_tab[256] = {
	['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['0' ... '9'] = 1, [0x80 ... 0xFF] = 1,
	['-'] = 1, ['\''] = 1, ['&'] = 1,
};

static inline int word_byte(unsigned char c)
{
	return word_tab[c];
}

int ing__gaz_word_byte(unsigned char c)
{
	return word_byte(c);
}

static void filter_add(uint64_t *first_sig, const char *key, size_t k)
{
	const char *sp = memchr(key, ' ', k);
	size_t n = sp ? (size_t)(sp - key) : k;

	ing__sig_add(first_sig, ing__word_sig(key, n));
}

/* Fold a name into a key: ASCII lower case, ’ as ', blanks as one space. */
static size_t fold_key(const char *s, size_t n, char *key, size_t max, unsigned *nwords)
{
	size_t i, k = 0;
	int sp = 0;

	*nwords = 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t') {
			sp = k > 0;
			continue;
		}
		if (sp || k == 0) {
			if (sp) {
				if (k + 1 >= max)
					return 0;
				key[k++] = ' ';
			}
			(*nwords)++;
			sp = 0;
		}
		if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] == 0x99) {
			c = '\'';
			i += 2;
		}
		if (k + 1 >= max)
			return 0;
		key[k++] = (char)lower(c);
	}
	return k;
}

static sol_status gaz_grow(ing_gazetteer *gz)
{
	size_t ncap = gz->n_slots ? gz->n_slots * 2 : 1024, i;
	ing_gaz_entry *slots = calloc(ncap, sizeof *slots);

	if (!slots)
		return SOL_ERR_NOMEM;
	for (i = 0; i < gz->n_slots; i++) {
		ing_gaz_entry *e = &gz->slots[i];
		size_t h;
		if (!e->key)
			continue;
		h = hash(e->key, strlen(e->key)) & (ncap - 1);
		while (slots[h].key)
			h = (h + 1) & (ncap - 1);
		slots[h] = *e;
	}
	free(gz->slots);
	gz->slots = slots;
	gz->n_slots = ncap;
	return SOL_OK;
}

/* The entry for key (n bytes, hash(key, n) is kh), or NULL. */
static const ing_gaz_entry *gaz_get(const ing_gazetteer *gz, const char *key, size_t n,
				    uint64_t kh)
{
	size_t h;

	if (!gz->n_slots)
		return NULL;
	h = kh & (gz->n_slots - 1);
	while (gz->slots[h].key) {
		if (strncmp(gz->slots[h].key, key, n) == 0 && gz->slots[h].key[n] == '\0')
			return &gz->slots[h];
		h = (h + 1) & (gz->n_slots - 1);
	}
	return NULL;
}

/* Slot for key: its entry, or the empty slot where it would go. */
static ing_gaz_entry *gaz_slot(ing_gazetteer *gz, const char *key, size_t k)
{
	size_t h = hash(key, k) & (gz->n_slots - 1);

	while (gz->slots[h].key) {
		if (strncmp(gz->slots[h].key, key, k) == 0 && gz->slots[h].key[k] == '\0')
			break;
		h = (h + 1) & (gz->n_slots - 1);
	}
	return &gz->slots[h];
}

sol_status ing__gaz_add(ing_gazetteer *gz, const char *name, size_t nlen, const char *norm,
			size_t normlen, ing_type type)
{
	char key[KEY_MAX];
	unsigned nw;
	size_t k = fold_key(name, nlen, key, sizeof key, &nw), h, p;
	ing_gaz_entry *e;

	if (!k || nw > MAX_WORDS)
		return SOL_ERR_PARSE;
	/* Every leading part of a name ("isle", "isle of") is entered as a
	 * prefix (type ING_T_COUNT), so the scan stops extending a key as soon
	 * as no name can continue it. */
	for (p = 1; p < k; p++) {
		if (key[p] != ' ')
			continue;
		if (gz->n_used * 2 >= gz->n_slots && gaz_grow(gz) != SOL_OK)
			return SOL_ERR_NOMEM;
		e = gaz_slot(gz, key, p);
		if (e->key)
			continue;
		e->key = sol_strndup(key, p);
		if (!e->key)
			return SOL_ERR_NOMEM;
		e->norm = NULL;
		e->type = ING_T_COUNT;
		gz->n_used++;
	}
	if (gz->n_used * 2 >= gz->n_slots && gaz_grow(gz) != SOL_OK)
		return SOL_ERR_NOMEM;
	h = hash(key, k) & (gz->n_slots - 1);
	while (gz->slots[h].key) {
		/* a later line for the same name replaces the earlier one */
		if (strncmp(gz->slots[h].key, key, k) == 0 && gz->slots[h].key[k] == '\0')
			break;
		h = (h + 1) & (gz->n_slots - 1);
	}
	e = &gz->slots[h];
	if (e->key) {
		free(e->norm);
		e->norm = NULL;
	} else {
		e->key = sol_strndup(key, k);
		if (!e->key)
			return SOL_ERR_NOMEM;
		gz->n_used++;
	}
	e->norm = sol_strndup(norm, normlen);
	if (!e->norm)
		return SOL_ERR_NOMEM;
	e->type = type;
	e->nwords = nw;
	filter_add(gz->first_sig, key, k);
	if (nw > gz->max_words)
		gz->max_words = nw;
	return SOL_OK;
}

void ing__gaz_free(ing_gazetteer *gz)
{
	size_t i;

	for (i = 0; i < gz->n_slots; i++) {
		free(gz->slots[i].key);
		free(gz->slots[i].norm);
	}
	free(gz->slots);
	memset(gz, 0, sizeof *gz);
}

size_t ing__gaz_at(ing_extractor *ex, const char *text, size_t len, size_t at, size_t end,
		   unsigned sig, sol_status *st)
{
	const ing_gazetteer *gz = &ex->gaz;
	char key[KEY_MAX];
	size_t p = end, k = 0, best_end = 0, wend, n;
	const ing_gaz_entry *best = NULL;
	uint64_t kh = HASH_START; /* hash(key, k) */
	unsigned w;

	*st = SOL_OK;
	if (!gz->n_used || (at > 0 && word_byte((unsigned char)text[at - 1])))
		return at;
	/* Most capitalised words begin no name: the first word's signature
	 * rules them out before any hashing. The caller's word ends at a byte
	 * that is not a letter or digit; a name word may go on ("King's"). */
	if (p < len && word_byte((unsigned char)text[p])) {
		while (p < len && word_byte((unsigned char)text[p]))
			p++;
		sig = ing__word_sig(text + at, p - at);
	}
	n = p - at;
	if (!ing__sig_has(gz->first_sig, sig) &&
	    !(n > 2 && text[p - 2] == '\'' && (text[p - 1] | 0x20) == 's' &&
	      ing__sig_has(gz->first_sig, ing__word_sig(text + at, n - 2))))
		return at;
	p = at;
	for (w = 0; w < gz->max_words && p < len; w++) {
		const ing_gaz_entry *e;
		size_t ws = p;
		uint64_t h2 = 0; /* the hash of key but its last two bytes */
		while (p < len && word_byte((unsigned char)text[p]))
			p++;
		if (p == ws || k + (p - ws) + 2 >= sizeof key)
			break;
		if (k)
			kh = hash_byte(kh, (unsigned char)(key[k++] = ' '));
		for (; ws < p; ws++) {
			unsigned char b = (unsigned char)lower((unsigned char)text[ws]);
			if (ws + 2 == p)
				h2 = kh;
			key[k++] = (char)b;
			kh = hash_byte(kh, b);
		}
		wend = p;
		e = gaz_get(gz, key, k, kh);
		/* "Hampshire's": try the name without the possessive */
		if ((!e || e->type == ING_T_COUNT) && k > 2 && key[k - 1] == 's' &&
		    key[k - 2] == '\'') {
			const ing_gaz_entry *e2 = gaz_get(gz, key, k - 2, h2);
			if (e2 && e2->type != ING_T_COUNT) {
				best = e2;
				best_end = p - 2;
			}
		}
		if (!e)
			break; /* no name goes on from here */
		if (e->type != ING_T_COUNT) {
			best = e;
			best_end = wend;
		}
		/* next word: one space (not a line break) between words */
		if (p + 1 < len && text[p] == ' ' && word_byte((unsigned char)text[p + 1]))
			p++;
		else
			break;
	}
	if (!best)
		return at;
	if ((*st = ing__cand_add(ex, best->type, at, best_end, best->norm, strlen(best->norm), 0)) !=
	    SOL_OK)
		return 0;
	return best_end;
}

sol_status ing__wordmap_add(ing_wordmap *wm, const char *from, size_t flen, const char *to,
			    size_t tlen)
{
	if (wm->n == wm->cap) {
		size_t ncap = wm->cap ? wm->cap * 2 : 32;
		char **f = realloc(wm->from, ncap * sizeof *f);
		char **t;
		if (!f)
			return SOL_ERR_NOMEM;
		wm->from = f;
		t = realloc(wm->to, ncap * sizeof *t);
		if (!t)
			return SOL_ERR_NOMEM;
		wm->to = t;
		wm->cap = ncap;
	}
	wm->from[wm->n] = sol_strndup(from, flen);
	wm->to[wm->n] = sol_strndup(to, tlen);
	if (!wm->from[wm->n] || !wm->to[wm->n]) {
		free(wm->from[wm->n]);
		free(wm->to[wm->n]);
		return SOL_ERR_NOMEM;
	}
	ing__sig_add(wm->sig, ing__word_sig(from, flen) & 4095);
	wm->n++;
	return SOL_OK;
}

void ing__wordmap_free(ing_wordmap *wm)
{
	size_t i;

	for (i = 0; i < wm->n; i++) {
		free(wm->from[i]);
		free(wm->to[i]);
	}
	free(wm->from);
	free(wm->to);
	memset(wm, 0, sizeof *wm);
}

const char *ing__wordmap_get(const ing_wordmap *wm, const char *w, size_t n)
{
	size_t i, k;

	/* the signature folds case as lower() does (and more): a word
	 * equal to a from has its bit */
	if (!n || !ing__sig_has(wm->sig, ing__word_sig(w, n) & 4095))
		return NULL;
	for (i = 0; i < wm->n; i++) {
		const char *f = wm->from[i];
		for (k = 0; k < n && f[k]; k++)
			if (lower((unsigned char)f[k]) != lower((unsigned char)w[k]))
				break;
		if (k == n && f[k] == '\0')
			return wm->to[i];
	}
	return NULL;
}

/* ---- the post-pass ---- */

/* Do the capitals of acr follow the initials of the words of name, in
 * order, starting with the first? "IWC" for "Isle of Wight Council". */
static int initials_fit(const char *acr, size_t an, const char *name, size_t nn)
{
	size_t i = 0, a = 0;
	int first = 1;

	while (i < nn && a < an) {
		while (i < nn && (name[i] == ' ' || name[i] == '-'))
			i++;
		if (i >= nn)
			break;
		if (lower((unsigned char)name[i]) == lower((unsigned char)acr[a]))
			a++;
		else if (first)
			return 0;
		first = 0;
		while (i < nn && name[i] != ' ' && name[i] != '-')
			i++;
	}
	return a == an;
}

typedef struct acro {
	size_t at, n;       /* the acronym in the text */
	size_t norm_off;    /* its org norm in the arena */
	size_t norm_len;
} acro;

/* The first ASCII capital at or after at (len if none), eight bytes at a
 * time: an acronym's uses are looked for at capitals only, and most bytes
 * of a text are not. */
static size_t next_capital(const unsigned char *u, size_t len, size_t at)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;

	while (at + 8 <= len) {
		uint64_t x, t, cap;
		memcpy(&x, u + at, 8);
		/* per byte, without carries: >= 'A' and not > 'Z', high bit clear */
		t = x & ~high;
		cap = (t + (0x80 - 'A') * ones) & ~(t + (0x80 - 'Z' - 1) * ones) & ~x & high;
		if (cap)
			return at + (size_t)(__builtin_ctzll(cap) >> 3);
		at += 8;
	}
#endif
	while (at < len && !(u[at] >= 'A' && u[at] <= 'Z'))
		at++;
	return at;
}

sol_status ing__acronyms(ing_extractor *ex, sol_record *r)
{
	const char *text = r->text;
	size_t len = r->text_len, n0 = ex->n_cands, i, j, k;
	acro *defs = NULL;
	size_t n_defs = 0;
	sol_status st = SOL_OK;

	for (i = 0; i < n0; i++) {
		ing_cand *c = &ex->cands[i];
		size_t p = c->end, as;
		acro *d;
		if (c->type != ING_T_ORG)
			continue;
		while (p < len && text[p] == ' ')
			p++;
		if (p >= len || text[p] != '(')
			continue;
		as = ++p;
		while (p < len && p - as < 10 &&
		       ((text[p] >= 'A' && text[p] <= 'Z') || (text[p] >= 'a' && text[p] <= 'z') ||
			text[p] == '&'))
			p++;
		if (p >= len || text[p] != ')' || p - as < 2 || !(text[as] >= 'A' && text[as] <= 'Z'))
			continue;
		if (!initials_fit(text + as, p - as, ex->arena.data + c->norm_off, c->norm_len))
			continue;
		d = realloc(defs, (n_defs + 1) * sizeof *d);
		if (!d) {
			st = SOL_ERR_NOMEM;
			goto out;
		}
		defs = d;
		defs[n_defs].at = as;
		defs[n_defs].n = p - as;
		defs[n_defs].norm_off = c->norm_off;
		defs[n_defs].norm_len = c->norm_len;
		n_defs++;
		sol_buf_reset(&ex->scratch);
		if (sol_buf_add(&ex->scratch, text + as, p - as) != SOL_OK ||
		    sol_buf_addc(&ex->scratch, '\0') != SOL_OK ||
		    sol_record_add_alias(r, ex->scratch.data, ex->arena.data + c->norm_off) != SOL_OK) {
			st = SOL_ERR_NOMEM;
			goto out;
		}
	}
	/* Uses of a defined acronym, from its definition on: whole words only
	 * (so the text before the first definition is not read). */
	if (n_defs) {
		size_t from = defs[0].at;
		unsigned char first[256] = { 0 }; /* the first letters of the acronyms */
		for (k = 0; k < n_defs; k++) {
			if (defs[k].at < from)
				from = defs[k].at;
			first[(unsigned char)text[defs[k].at]] = 1;
		}
		for (i = from; (i = next_capital((const unsigned char *)text, len, i)) < len; i++) {
			if (i > 0 && word_byte((unsigned char)text[i - 1]) && text[i - 1] != '\'')
				continue;
			/* most capitals start no acronym defined here: no need to
			 * find the word's end (a capital inside it is passed over
			 * by the test above) */
			if (!first[(unsigned char)text[i]])
				continue;
			for (j = i; j < len && word_byte((unsigned char)text[j]) && text[j] != '\''; j++)
				;
			for (k = 0; k < n_defs; k++) {
				if (defs[k].n == j - i && defs[k].at <= i &&
				    memcmp(text + i, text + defs[k].at, j - i) == 0) {
					/* copy: the arena may move while we add */
					size_t off = defs[k].norm_off, nl = defs[k].norm_len;
					sol_buf_reset(&ex->nbuf);
					if (sol_buf_add(&ex->nbuf, ex->arena.data + off, nl) != SOL_OK ||
					    ing__cand_add(ex, ING_T_ORG, i, j, ex->nbuf.data, nl, 1) !=
						    SOL_OK) {
						st = SOL_ERR_NOMEM;
						goto out;
					}
					break;
				}
			}
			i = j;
		}
	}
	/* "the County Council": the first council of that kind the text
	 * names. "the council", of no kind, only when the text names one
	 * council and no other: a report that names two leaves it unsaid
	 * which one "the council" is, and a wrong council in a researcher's
	 * facets is worse than none. */
	for (i = 0; i < ex->n_cands; i++) {
		ing_cand *c = &ex->cands[i];
		const char *kind = text + c->start;
		size_t kn = c->end - c->start, best = (size_t)-1;
		int kindless, others = 0;
		if (c->norm_len != 1 || ex->arena.data[c->norm_off] != '\x01')
			continue;
		if (kn > 4 && (memcmp(kind, "the ", 4) == 0 || memcmp(kind, "The ", 4) == 0)) {
			kind += 4;
			kn -= 4;
		}
		kindless = kn == 7;
		for (j = 0; j < ex->n_cands; j++) {
			const ing_cand *o = &ex->cands[j];
			const char *on = ex->arena.data + o->norm_off;
			if (o->type != ING_T_ORG || o->norm_len <= kn + 1 || on[0] == '\x01')
				continue;
			if (on[o->norm_len - kn - 1] != ' ' ||
			    strncasecmp(on + o->norm_len - kn, kind, kn) != 0)
				continue;
			if (best != (size_t)-1 && (ex->cands[best].norm_len != o->norm_len ||
						   memcmp(ex->arena.data + ex->cands[best].norm_off, on,
							  o->norm_len) != 0))
				others = 1;
			if (best == (size_t)-1 || o->start < ex->cands[best].start)
				best = j;
		}
		if (best == (size_t)-1 || (kindless && others)) {
			c->drop = 1;
			continue;
		}
		c->norm_off = ex->cands[best].norm_off;
		c->norm_len = ex->cands[best].norm_len;
	}
out:
	free(defs);
	return st;
}
