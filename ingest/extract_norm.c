/*
 * extract_norm.c - turning one rule match into candidates with normalised
 * values: ISO dates with the precision the text gives, money as a number
 * and a currency, names without honorifics, titles in title case.
 *
 * Every normaliser writes into ex->scratch-like buffers that are reused
 * from match to match, so a match costs no allocation once they are warm.
 */
#include "extract_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* ASCII blanks, by table: asked of every byte of every name normalised */
static const unsigned char space_tab[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1,
};

static inline int is_space(unsigned char c)
{
	return space_tab[c];
}

static int is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

static int ieq(const char *a, size_t an, const char *b)
{
	size_t i;

	for (i = 0; i < an; i++)
		if (!b[i] || lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return b[i] == '\0';
}

int ing__month(const char *s, size_t n)
{
	static const char *const names[12] = {
		"january", "february", "march", "april", "may", "june",
		"july", "august", "september", "october", "november", "december",
	};
	int i;
	size_t k;

	if (n && s[n - 1] == '.')
		n--;
	if (n >= 1 && n <= 2 && s[0] >= '0' && s[0] <= '9') {
		int v = 0;
		for (k = 0; k < n; k++) {
			if (s[k] < '0' || s[k] > '9')
				return 0;
			v = v * 10 + (s[k] - '0');
		}
		return v >= 1 && v <= 12 ? v : 0;
	}
	if (n < 3)
		return 0;
	for (i = 0; i < 12; i++) {
		if (ieq(s, n, names[i]))
			return i + 1;
		/* "Sept" and three-letter abbreviations */
		if ((n == 3 || (n == 4 && i == 8)) && strlen(names[i]) > n) {
			for (k = 0; k < n; k++)
				if (lower((unsigned char)s[k]) != names[i][k])
					break;
			if (k == n)
				return i + 1;
		}
	}
	return 0;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	if (!n || n > 4)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int year_of(const char *s, size_t n)
{
	int y = num(s, n);

	if (y < 0)
		return -1;
	if (n == 2)
		return y < 70 ? 2000 + y : 1900 + y;
	if (n != 4 || y < 1800 || y > 2199)
		return -1;
	return y;
}

static int days_in(int m, int y)
{
	static const int d[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2)
		return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
	return d[m - 1];
}

/* Group text, or NULL with *n = 0 when the group is unset. */
static const char *grp(const ing_ruleset *rs, const PCRE2_SIZE *ov, ing_group g,
		       const char *text, size_t *n, size_t *at)
{
	int k = ing__group(rs, ov, g);

	*n = 0;
	if (k < 0)
		return NULL;
	*n = ov[2 * k + 1] - ov[2 * k];
	if (at)
		*at = ov[2 * k];
	return text + ov[2 * k];
}

static sol_status add_iso(ing_extractor *ex, size_t start, size_t end, int y, int m, int d,
			  unsigned rank)
{
	char iso[16];
	int n;

	/* by hand, as "%04d-%02d-%02d" would: snprintf showed in profiles
	 * of text full of dates; the rules give years of four digits at most */
	if (y < 0 || y > 9999 || m < 0 || m > 99 || d < 0 || d > 99) {
		if (d)
			n = snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
		else if (m)
			n = snprintf(iso, sizeof iso, "%04d-%02d", y, m);
		else
			n = snprintf(iso, sizeof iso, "%04d", y);
		return ing__cand_add(ex, ING_T_DATE, start, end, iso, (size_t)n, rank);
	}
	iso[0] = (char)('0' + y / 1000);
	iso[1] = (char)('0' + y / 100 % 10);
	iso[2] = (char)('0' + y / 10 % 10);
	iso[3] = (char)('0' + y % 10);
	n = 4;
	if (m) {
		iso[4] = '-';
		iso[5] = (char)('0' + m / 10);
		iso[6] = (char)('0' + m % 10);
		n = 7;
	}
	if (d) {
		iso[7] = '-';
		iso[8] = (char)('0' + d / 10);
		iso[9] = (char)('0' + d % 10);
		n = 10;
	}
	return ing__cand_add(ex, ING_T_DATE, start, end, iso, (size_t)n, rank);
}

static int valid(int y, int m, int d)
{
	if (y < 0)
		return 0;
	if (m < 0 || m > 12 || (d && !m))
		return 0;
	return d == 0 || (d >= 1 && d <= days_in(m, y));
}

static sol_status norm_date(ing_extractor *ex, const ing_ruleset *rs, unsigned rank,
			    const char *text, const PCRE2_SIZE *ov)
{
	size_t dn, mn, yn, d2n, m2n, y2n, at = 0, a_end = 0, b_start = (size_t)-1;
	const char *ds = grp(rs, ov, ING_G_D, text, &dn, NULL);
	const char *ms = grp(rs, ov, ING_G_M, text, &mn, NULL);
	const char *ys = grp(rs, ov, ING_G_Y, text, &yn, &at);
	const char *d2s = grp(rs, ov, ING_G_D2, text, &d2n, NULL);
	const char *m2s = grp(rs, ov, ING_G_M2, text, &m2n, NULL);
	const char *y2s = grp(rs, ov, ING_G_Y2, text, &y2n, NULL);
	int d = ds ? num(ds, dn) : 0, m = ms ? ing__month(ms, mn) : 0;
	int y = ys ? year_of(ys, yn) : -1;
	int d2 = d2s ? num(d2s, d2n) : 0, m2 = m2s ? ing__month(m2s, m2n) : 0;
	int y2 = y2s ? year_of(y2s, y2n) : -1;
	int g;
	sol_status st;

	if ((ds && d <= 0) || (ms && !m) || (ys && y < 0) || (d2s && d2 <= 0) || (m2s && !m2) ||
	    (y2s && y2 < 0))
		return SOL_OK;
	if (!d2s && !m2s && !y2s) {
		if (!ys)
			return SOL_OK; /* year-less dates are not annotated */
		if (!valid(y, m, d))
			return SOL_OK;
		/* A bare year's span is the year alone: the rule's context
		 * ("in ", "since ") is evidence, not part of the date. */
		if (!ds && !ms)
			return add_iso(ex, at, at + yn, y, 0, 0, rank);
		return add_iso(ex, ov[0], ov[1], y, m, d, rank);
	}
	/* A range: the end gives what the start leaves out. */
	if (!y2s)
		y2 = y;
	if (!m2s)
		m2 = m;
	if (!ms)
		m = m2;
	if (!ys)
		y = (m > m2 || (m == m2 && d > d2)) ? y2 - 1 : y2;
	if (y2 < 0 || (d2s && !m2))
		return SOL_OK;
	for (g = ING_G_D; g <= ING_G_Y; g++) {
		int k = ing__group(rs, ov, (ing_group)g);
		if (k >= 0 && ov[2 * k + 1] > a_end)
			a_end = ov[2 * k + 1];
	}
	for (g = ING_G_D2; g <= ING_G_Y2; g++) {
		int k = ing__group(rs, ov, (ing_group)g);
		if (k >= 0 && ov[2 * k] < b_start)
			b_start = ov[2 * k];
	}
	if (ys || ms || ds) {
		if (valid(y, m, d) && a_end > ov[0] &&
		    (st = add_iso(ex, ov[0], a_end, y, m, d, rank)) != SOL_OK)
			return st;
	}
	if (valid(y2, m2, d2) && b_start < ov[1])
		return add_iso(ex, b_start, ov[1], y2, m2, d2, rank);
	return SOL_OK;
}

static sol_status norm_fy(ing_extractor *ex, const ing_ruleset *rs, unsigned rank,
			  const char *text, const PCRE2_SIZE *ov)
{
	size_t yn, y2n;
	const char *ys = grp(rs, ov, ING_G_Y, text, &yn, NULL);
	const char *y2s = grp(rs, ov, ING_G_Y2, text, &y2n, NULL);
	int y = ys ? year_of(ys, yn) : -1, y2 = y2s ? num(y2s, y2n) : -1;

	if (y < 0 || y2 < 0)
		return SOL_OK;
	/* "2013/14" and "2013/2014" only: "2013/17" is no financial year. */
	if (!((y2n == 2 && y2 == (y + 1) % 100) || (y2n == 4 && y2 == y + 1)))
		return SOL_OK;
	return add_iso(ex, ov[0], ov[1], y, 0, 0, rank);
}

/* Write "UNITS CUR" or "UNITS.CC CUR" for an amount in cents into out
 * (room for 20 digits, a point, 2 digits, a space, 3 letters, NUL);
 * returns the length. */
static int money_format(char *out, unsigned long long cents, const char *cur)
{
	char digits[24];
	unsigned long long units = cents / 100;
	int nd = 0, n = 0;

	do {
		digits[nd++] = (char)('0' + units % 10);
		units /= 10;
	} while (units);
	while (nd)
		out[n++] = digits[--nd];
	if (cents % 100) {
		out[n++] = '.';
		out[n++] = (char)('0' + cents % 100 / 10);
		out[n++] = (char)('0' + cents % 10);
	}
	out[n++] = ' ';
	while (*cur)
		out[n++] = *cur++;
	out[n] = '\0';
	return n;
}

/* Integer arithmetic (no libm, exact): value = whole.frac x multiplier,
 * in hundredths of the currency unit. */
static sol_status norm_money(ing_extractor *ex, const ing_ruleset *rs, unsigned rank,
			     const char *text, const PCRE2_SIZE *ov)
{
	size_t nn, mn, i;
	const char *ns = grp(rs, ov, ING_G_NUM, text, &nn, NULL);
	const char *ms = grp(rs, ov, ING_G_MULT, text, &mn, NULL);
	const char *cur = "GBP";
	unsigned long long whole = 0, frac = 0, fscale = 1, mult = 1, cents;
	int in_frac = 0;
	char out[64];
	int n;

	if (!ns)
		return SOL_OK;
	for (i = 0; i < nn; i++) {
		char c = ns[i];
		if (c == ',')
			continue;
		if (c == '.') {
			in_frac = 1;
			continue;
		}
		if (c < '0' || c > '9')
			break;
		if (in_frac) {
			if (fscale < 1000000ULL) {
				frac = frac * 10 + (unsigned long long)(c - '0');
				fscale *= 10;
			}
		} else if (whole < 100000000000000ULL) {
			whole = whole * 10 + (unsigned long long)(c - '0');
		} else {
			return SOL_OK; /* not a sum of money anyone writes */
		}
	}
	if (ms && mn) {
		int c = lower((unsigned char)ms[0]);
		mult = c == 'k' || c == 't' ? 1000ULL : c == 'm' ? 1000000ULL :
		       c == 'b' ? 1000000000ULL : 1ULL;
	}
	if (whole > 100000000000000ULL / mult)
		return SOL_OK;
	cents = whole * mult * 100 + frac * mult * 100 / fscale;
	for (i = ov[0]; i < ov[1]; i++) {
		if (text[i] == '$')
			cur = "USD";
		else if (text[i] == 'E' || ((unsigned char)text[i] == 0xE2 && i + 2 < ov[1] &&
					    (unsigned char)text[i + 1] == 0x82 &&
					    (unsigned char)text[i + 2] == 0xAC))
			cur = "EUR";
	}
	/* "%llu %s" or "%llu.%02llu %s", by hand (snprintf showed in
	 * profiles of reports full of sums): cents < 10^19 fits out */
	n = money_format(out, cents, cur);
	return ing__cand_add(ex, ING_T_MONEY, ov[0], ov[1], out, (size_t)n, rank);
}

/* Copy s with whitespace runs as one space and curly apostrophes straight.
 * The copy is never longer than s: room is made once and the bytes are
 * written in place (a call per byte showed in profiles). */
static sol_status collapse(const char *s, size_t n, sol_buf *out)
{
	size_t i, o = 0;
	int sp = 0;
	char *d;

	sol_buf_reset(out);
	if (sol_buf_grow(out, n) != SOL_OK)
		return SOL_ERR_NOMEM;
	d = out->data;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_space(c)) {
			sp = o > 0;
			continue;
		}
		if (sp)
			d[o++] = ' ';
		sp = 0;
		if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x98)) {
			d[o++] = '\'';
			i += 2;
			continue;
		}
		d[o++] = (char)c;
	}
	d[o] = '\0';
	out->len = o;
	return SOL_OK;
}

static int small_word(const char *w, size_t n)
{
	static const char *const small[] = {
		"of", "and", "the", "for", "upon", "on", "in", "to", "at", "by", "with", "a", "an",
		"under", "de", "la",
	};
	size_t i;

	for (i = 0; i < sizeof small / sizeof small[0]; i++)
		if (ieq(w, n, small[i]))
			return 1;
	return 0;
}

/* One pass over the text, word by word, written where it goes: what
 * collapse() would make of a word (curly apostrophes straight, blanks
 * between words one space), then fixed or title-cased in place. The norm
 * is never longer than the text but for a fix, after which there is room
 * made again for the rest. (A copy through collapse() first, then a word
 * split of the copy, cost a third of the normalisers' time.) */
sol_status ing__title_norm(ing_extractor *ex, const char *s, size_t n, sol_buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, k, ws, o;
	int uppers = 0, caps, nw = 0;

	/* text set in capitals ("ISLE OF WIGHT COUNCIL" -> "Isle of Wight
	 * Council"): no small letter, two capitals or more. Most names have
	 * a small letter by their second byte, and the count stops there. */
	for (i = 0; i < n && !is_lower(u[i]); i++)
		uppers += is_upper(u[i]);
	caps = i == n && uppers > 1;
	sol_buf_reset(out);
	if (sol_buf_grow(out, n) != SOL_OK)
		return SOL_ERR_NOMEM;
	/* o, not out->len, counts: a store through d could be to out->len
	 * for all the compiler knows, which then goes to memory each byte */
	o = 0;
	for (i = 0;;) {
		const char *fixed;
		char *d = out->data;
		while (i < n && is_space(u[i]))
			i++;
		if (i == n)
			break;
		if (nw)
			d[o++] = ' ';
		ws = o;
		while (i < n && !is_space(u[i])) {
			if (u[i] == 0xE2 && i + 2 < n && u[i + 1] == 0x80 &&
			    (u[i + 2] == 0x99 || u[i + 2] == 0x98)) {
				d[o++] = '\'';
				i += 3;
				continue;
			}
			d[o++] = (char)u[i++];
		}
		fixed = ing__wordmap_get(&ex->fix, d + ws, o - ws);
		if (fixed) {
			out->len = ws;
			if (sol_buf_adds(out, fixed) != SOL_OK || sol_buf_grow(out, n - i) != SOL_OK)
				return SOL_ERR_NOMEM;
			o = out->len;
		} else if (caps) {
			int small = nw && small_word(d + ws, o - ws);
			for (k = ws; k < o; k++) {
				int first = k == ws || d[k - 1] == '-' || d[k - 1] == '(';
				if (!(first && !small))
					d[k] = (char)lower((unsigned char)d[k]);
			}
		}
		nw++;
	}
	out->len = o;
	out->data[o] = '\0';
	return SOL_OK;
}

void ing__trim_name(const ing_extractor *ex, int is_role, const char *text, size_t *start,
		    size_t *end)
{
	size_t s = *start, e = *end, w;

	for (;;) {
		while (s < e && is_space((unsigned char)text[s]))
			s++;
		for (w = s; w < e && !is_space((unsigned char)text[w]); w++)
			;
		if (w >= e || (!ing__wordmap_get(&ex->stop, text + s, w - s) &&
				(is_role || !ing__wordmap_get(&ex->stop_org, text + s, w - s))))
			break;
		s = w;
	}
	while (e > s && (is_space((unsigned char)text[e - 1]) || text[e - 1] == ',' ||
			 text[e - 1] == '.' || text[e - 1] == ':' || text[e - 1] == ';'))
		e--;
	/* possessive: "Council's", "Council’s", "Councils’" */
	if (e - s > 2 && text[e - 1] == 's' && text[e - 2] == '\'')
		e -= 2;
	else if (e - s > 4 && text[e - 1] == 's' && (unsigned char)text[e - 2] == 0x99 &&
		 (unsigned char)text[e - 3] == 0x80 && (unsigned char)text[e - 4] == 0xE2)
		e -= 4;
	*start = s;
	*end = e;
}

static sol_status add_titled(ing_extractor *ex, ing_type type, size_t s, size_t e,
			     const char *text, unsigned rank, int trim)
{
	sol_status st;
	size_t s0 = s;

	if (trim)
		ing__trim_name(ex, type == ING_T_ROLE, text, &s, &e);
	if (e <= s)
		return SOL_OK;
	/* "The Castle": a place found by its shape needs a name besides the
	 * shape word once "The" is gone. */
	if (type == ING_T_PLACE && s != s0 && !memchr(text + s, ' ', e - s))
		return SOL_OK;
	st = ing__title_norm(ex, text + s, e - s, &ex->nbuf);
	if (st == SOL_OK && ex->nbuf.len)
		st = ing__cand_add(ex, type, s, e, ex->nbuf.data, ex->nbuf.len, rank);
	return st;
}

/* A person: drop leading honorifics (honorific.list) from the norm. */
static sol_status add_person(ing_extractor *ex, size_t span_s, size_t span_e, size_t s,
			     size_t e, const char *text, unsigned rank)
{
	size_t w;

	for (;;) {
		while (s < e && is_space((unsigned char)text[s]))
			s++;
		for (w = s; w < e && !is_space((unsigned char)text[w]); w++)
			;
		if (w >= e || !ing__wordmap_get(&ex->hon, text + s, w - s))
			break;
		s = w;
	}
	while (e > s && (is_space((unsigned char)text[e - 1]) || text[e - 1] == ','))
		e--;
	if (e - s > 2 && text[e - 1] == 's' && text[e - 2] == '\'')
		e -= 2;
	if (e <= s)
		return SOL_OK;
	if (span_s > s)
		span_s = s;
	if (span_e < e || span_e > e + 2)
		span_e = e;
	if (ing__title_norm(ex, text + s, e - s, &ex->nbuf) != SOL_OK)
		return SOL_ERR_NOMEM;
	if (!ex->nbuf.len)
		return SOL_OK;
	return ing__cand_add(ex, ING_T_PERSON, span_s, span_e, ex->nbuf.data, ex->nbuf.len, rank);
}

/* "A B, C D and E F": each name a person with its own span. */
static sol_status add_names(ing_extractor *ex, size_t s, size_t e, const char *text,
			    unsigned rank)
{
	size_t i = s, piece = s;
	sol_status st;

	while (i <= e) {
		size_t cut = 0, skip = 0;
		if (i == e)
			cut = 1;
		else if (text[i] == ',')
			cut = 1, skip = 1;
		else if (text[i] == '&' && i > s && text[i - 1] == ' ')
			cut = 1, skip = 1;
		else if (i + 5 <= e && text[i] == ' ' && memcmp(text + i, " and ", 5) == 0)
			cut = 1, skip = 5;
		if (cut) {
			size_t ps = piece, pe = i;
			while (ps < pe && is_space((unsigned char)text[ps]))
				ps++;
			if (ps + 3 < pe && memcmp(text + ps, "and ", 4) == 0)
				ps += 4;
			while (pe > ps && is_space((unsigned char)text[pe - 1]))
				pe--;
			if (pe > ps && (st = add_person(ex, ps, pe, ps, pe, text, rank)) != SOL_OK)
				return st;
			if (i == e)
				break;
			i += skip;
			piece = i;
			continue;
		}
		i++;
	}
	return SOL_OK;
}

sol_status ing__normalise(ing_extractor *ex, const ing_ruleset *rs, const ing_rule *rule,
			  unsigned rank, const char *text, size_t len, const PCRE2_SIZE *ov)
{
	size_t n, at = 0, s = ov[0], e = ov[1];
	const char *g;
	sol_status st = SOL_OK;

	(void)len;
	switch (rule->norm) {
	case ING_N_DATE:
		return norm_date(ex, rs, rank, text, ov);
	case ING_N_FY:
		return norm_fy(ex, rs, rank, text, ov);
	case ING_N_MONEY:
		return norm_money(ex, rs, rank, text, ov);
	case ING_N_LABEL:
		return ing__cand_add(ex, rule->type, s, e, "", 0, rank) ;
	case ING_N_TITLE:
		return add_titled(ex, rule->type, s, e, text, rank, 1);
	case ING_N_GROUP:
		g = grp(rs, ov, ING_G_NAME, text, &n, &at);
		if (!g)
			return add_titled(ex, rule->type, s, e, text, rank, 1);
		return add_titled(ex, rule->type, at, at + n, text, rank, 1);
	case ING_N_NAME:
		g = grp(rs, ov, ING_G_NAME, text, &n, &at);
		if (!g)
			return add_person(ex, s, e, s, e, text, rank);
		return add_person(ex, s, e, at, at + n, text, rank);
	case ING_N_NAMES:
		g = grp(rs, ov, ING_G_NAMES, text, &n, &at);
		if (!g)
			return SOL_OK;
		return add_names(ex, at, at + n, text, rank);
	case ING_N_COUNCIL:
		/* resolved once the whole text is read (ing__acronyms) */
		return ing__cand_add(ex, rule->type, s, e, "\x01", 1, rank);
	case ING_N_ID:
	case ING_N_URL:
	case ING_N_TEXT:
	case ING_N_COUNT:
		break;
	}
	if (rule->norm == ING_N_ID) {
		size_t i;
		g = grp(rs, ov, ING_G_ID, text, &n, &at);
		if (!g) {
			g = text + s;
			n = e - s;
		}
		sol_buf_reset(&ex->nbuf);
		for (i = 0; i < n; i++)
			if (!is_space((unsigned char)g[i]) && sol_buf_addc(&ex->nbuf, g[i]) != SOL_OK)
				st = SOL_ERR_NOMEM;
		if (st == SOL_OK && ex->nbuf.len)
			st = ing__cand_add(ex, rule->type, s, e, ex->nbuf.data, ex->nbuf.len, rank);
		return st;
	}
	if (rule->norm == ING_N_URL) {
		while (e > s && strchr(".,;:)]}>'\"!?", text[e - 1]))
			e--;
	}
	st = collapse(text + s, e - s, &ex->nbuf);
	if (st == SOL_OK && ex->nbuf.len)
		st = ing__cand_add(ex, rule->type, s, e, ex->nbuf.data, ex->nbuf.len, rank);
	return st;
}
