/*
 * html_date.c - dates as UK council pages write them, and the small field
 * helper the cleaners share. Day-first is assumed for numeric dates
 * ("03/04/2024" is 3 April): these are UK documents.
 */
#include "clean.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Read up to max digits; returns the count read (0 = none). */
static int digits(const char *s, const char *end, int max, int *val)
{
	int k = 0;
	*val = 0;
	while (s + k < end && k < max && is_digit(s[k])) {
		*val = *val * 10 + (s[k] - '0');
		k++;
	}
	/* More digits than allowed: not this field. */
	if (s + k < end && is_digit(s[k]))
		return 0;
	return k;
}

/* Month from an English name or its abbreviation; sets *len to the word's length. */
static int month_name(const char *s, const char *end, int *len)
{
	static const char *const names[] = { "january", "february", "march", "april", "may",
					     "june", "july", "august", "september", "october",
					     "november", "december" };
	char word[12];
	int k = 0, m;
	while (s + k < end && is_alpha(s[k]) && k < 11) {
		word[k] = (char)lower(s[k]);
		k++;
	}
	if (s + k < end && is_alpha(s[k]))
		return 0;
	word[k] = '\0';
	if (k < 3)
		return 0;
	for (m = 0; m < 12; m++) {
		/* full name, 3-letter abbreviation, or "sept" */
		if (!strcmp(word, names[m]) || (k == 3 && !strncmp(word, names[m], 3)) ||
		    (m == 8 && !strcmp(word, "sept"))) {
			*len = k;
			return m + 1;
		}
	}
	return 0;
}

static int valid(int y, int m, int d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1];
}

static int put(char iso[11], int y, int m, int d)
{
	if (!valid(y, m, d))
		return 0;
	iso[0] = (char)('0' + y / 1000);
	iso[1] = (char)('0' + y / 100 % 10);
	iso[2] = (char)('0' + y / 10 % 10);
	iso[3] = (char)('0' + y % 10);
	iso[4] = '-';
	iso[5] = (char)('0' + m / 10);
	iso[6] = (char)('0' + m % 10);
	iso[7] = '-';
	iso[8] = (char)('0' + d / 10);
	iso[9] = (char)('0' + d % 10);
	iso[10] = '\0';
	return 1;
}

static const char *skip_space(const char *s, const char *end, int commas)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || (commas && (*s == ',' || *s == '.')) ||
			   ((unsigned char)s[0] == 0xC2 && s + 1 < end && (unsigned char)s[1] == 0xA0)))
		s += ((unsigned char)*s == 0xC2) ? 2 : 1;
	return s;
}

int ing__parse_date(const char *s, size_t n, char iso[11])
{
	const char *end = s + n, *p;
	int a, b, c, k, mlen;

	s = skip_space(s, end, 0);
	/* A weekday in front ("Tuesday, 12 March 2024", "Tue 12 Mar"). */
	if (s < end && is_alpha(*s) && !month_name(s, end, &mlen)) {
		p = s;
		while (p < end && is_alpha(*p))
			p++;
		if (p - s >= 3 && p - s <= 9)
			s = skip_space(p, end, 1);
	}
	if (s >= end)
		return 0;
	if ((k = digits(s, end, 4, &a)) == 4 && s + 4 < end && (s[4] == '-' || s[4] == '/' || s[4] == '.')) {
		/* 2024-03-12 (ISO, and what datetime attributes hold) */
		p = s + 5;
		if ((k = digits(p, end, 2, &b)) == 0 || p + k >= end || p[k] != s[4])
			return 0;
		p += k + 1;
		if (digits(p, end, 2, &c) == 0)
			return 0;
		return put(iso, a, b, c);
	}
	if (k >= 1 && k <= 2) {
		p = s + k;
		if (p < end && (*p == '/' || *p == '.' || *p == '-') && p + 1 < end && is_digit(p[1])) {
			/* 12/03/2024, day first */
			char sep = *p;
			p++;
			if ((k = digits(p, end, 2, &b)) == 0 || p + k >= end || p[k] != sep)
				return 0;
			p += k + 1;
			if ((k = digits(p, end, 4, &c)) == 2)
				c += 2000;
			else if (k != 4)
				return 0;
			return put(iso, c, b, a);
		}
		/* 12th March 2024 */
		if (p + 2 <= end && (!strncmp(p, "st", 2) || !strncmp(p, "nd", 2) ||
				     !strncmp(p, "rd", 2) || !strncmp(p, "th", 2)))
			p += 2;
		p = skip_space(p, end, 0);
		if ((b = month_name(p, end, &mlen)) == 0)
			return 0;
		p = skip_space(p + mlen, end, 1);
		if (digits(p, end, 4, &c) != 4)
			return 0;
		return put(iso, c, b, a);
	}
	if ((b = month_name(s, end, &mlen)) != 0) {
		/* March 12, 2024 */
		p = skip_space(s + mlen, end, 1);
		if ((k = digits(p, end, 2, &a)) == 0)
			return 0;
		p += k;
		if (p + 2 <= end && (!strncmp(p, "st", 2) || !strncmp(p, "nd", 2) ||
				     !strncmp(p, "rd", 2) || !strncmp(p, "th", 2)))
			p += 2;
		p = skip_space(p, end, 1);
		if (digits(p, end, 4, &c) != 4)
			return 0;
		return put(iso, c, b, a);
	}
	return 0;
}

static const char *ci_find(const char *hay, const char *end, const char *needle)
{
	size_t nl = strlen(needle);
	const char *p;
	for (p = hay; p + nl <= end; p++) {
		size_t i;
		if (lower(*p) != needle[0])
			continue;
		for (i = 1; i < nl && lower(p[i]) == needle[i]; i++)
			;
		if (i == nl)
			return p;
	}
	return NULL;
}

/* Does the label start at p (letters compared lower-case)? */
static int ci_at(const char *p, const char *end, const char *label, size_t len)
{
	size_t i;
	if ((size_t)(end - p) < len)
		return 0;
	for (i = 0; i < len && lower(p[i]) == label[i]; i++)
		;
	return i == len;
}

const char *ing__find_labelled_date(const char *text, size_t n, char iso[11])
{
	/* Best evidence first: what the council says the document's date is. */
	static const char *const labels[] = {
		"date of decision", "decision date", "date of meeting", "meeting date",
		"publication date", "date published", "published on", "published",
		"date of publication", "issue date", "date issued", "last updated",
		"last modified", "page last updated", "updated on", "posted on", "date:", NULL };
	const char *end = text + n, *p;
	uint32_t present = 0, all = 0, by_initial[26] = { 0 };
	int i;

	/* Which labels occur at all, in one pass: each label then searched
	 * for one by one (in order of evidence) was 17 passes over a page
	 * with none, 4% of cleaning. */
	for (i = 0; labels[i]; i++) {
		all |= (uint32_t)1 << i;
		by_initial[labels[i][0] - 'a'] |= (uint32_t)1 << i;
	}
	for (p = text; p < end && present != all; p++) {
		int c = lower(*p);
		uint32_t m;
		if (c < 'a' || c > 'z')
			continue;
		for (m = by_initial[c - 'a'] & ~present; m; m &= m - 1) {
			i = __builtin_ctz(m);
			if (ci_at(p, end, labels[i], strlen(labels[i])))
				present |= (uint32_t)1 << i;
		}
	}
	for (i = 0; labels[i]; i++) {
		if (!(present >> i & 1))
			continue;
		p = text;
		while ((p = ci_find(p, end, labels[i])) != NULL) {
			const char *q = p + strlen(labels[i]);
			int tries;
			/* "Date of decision: 12/03/2024", "Published on 3 May 2024",
			 * a table cell after a tab. */
			for (tries = 0; tries < 2; tries++) {
				q = skip_space(q, end, 0);
				while (q < end && (*q == ':' || *q == '-' || *q == '\t'))
					q++;
				q = skip_space(q, end, 0);
				if (q + 3 <= end && !strncmp(q, "on ", 3))
					q += 3;
			}
			if (ing__parse_date(q, (size_t)(end - q) < 64 ? (size_t)(end - q) : 64, iso))
				return labels[i];
			p += strlen(labels[i]);
		}
	}
	return NULL;
}

sol_status ing__set_field(char **field, const char *s, size_t n)
{
	sol_buf b;
	size_t i;
	int space = 0;
	char *copy;

	sol_buf_init(&b, 0);
	for (i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7F) {
			space = 1;
			continue;
		}
		if (space && b.len && sol_buf_addc(&b, ' ') != SOL_OK)
			goto nomem;
		space = 0;
		if (sol_buf_addc(&b, (char)c) != SOL_OK)
			goto nomem;
	}
	if (!b.len) {
		sol_buf_release(&b);
		return SOL_OK;
	}
	if (!(copy = sol_buf_detach(&b, NULL)))
		goto nomem;
	free(*field);
	*field = copy;
	return SOL_OK;
nomem:
	sol_buf_release(&b);
	return SOL_ERR_NOMEM;
}
