/*
 * robots.c - robots.txt parsing and matching after RFC 9309: groups of
 * user-agent lines followed by allow/disallow rules; the group naming our
 * product token wins over '*'; within it the longest matching pattern
 * decides, allow winning a tie.
 */
#include "fetch_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void fch__robots_init(fch__robots *r)
{
	memset(r, 0, sizeof *r);
	r->crawl_delay_ms = -1;
}

void fch__robots_release(fch__robots *r)
{
	for (size_t i = 0; i < r->n_rules; i++)
		free(r->rules[i].pattern);
	free(r->rules);
	fch__robots_init(r);
}

static sol_status add_rule(fch__robots *r, const char *p, size_t n, int allow)
{
	if (r->n_rules == r->cap_rules) {
		size_t ncap = r->cap_rules ? r->cap_rules * 2 : 16;
		fch__robots_rule *nr = realloc(r->rules, ncap * sizeof *nr);
		if (!nr)
			return SOL_ERR_NOMEM;
		r->rules = nr;
		r->cap_rules = ncap;
	}
	r->rules[r->n_rules].pattern = strndup(p, n);
	if (!r->rules[r->n_rules].pattern)
		return SOL_ERR_NOMEM;
	r->rules[r->n_rules++].allow = allow;
	return SOL_OK;
}

/* Does a user-agent line's value name us? RFC 9309 2.2.1: match the
 * product token case-insensitively; "Solent/1.0" or "solent-bot" style
 * values are common, so compare only the leading token characters. */
static int agent_matches(const char *v, size_t n, const char *agent)
{
	size_t k = 0;
	while (k < n && (isalnum((unsigned char)v[k]) || v[k] == '_' || v[k] == '-'))
		k++;
	return k == strlen(agent) && !strncasecmp(v, agent, k);
}

/* The parse runs twice in effect: rules are collected for the group naming
 * us and, separately, for '*'; the named group wins when it exists. */
sol_status fch__robots_parse(const char *text, size_t len, const char *agent,
			     fch__robots *out)
{
	fch__robots star;
	const char *p = text, *end = text + len;
	int in_agents = 0;     /* the previous line was a user-agent line */
	int group_us = 0, group_star = 0, seen_us = 0;
	sol_status st = SOL_OK;

	fch__robots_init(out);
	fch__robots_init(&star);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol ? eol : end;
		const char *hash = memchr(p, '#', (size_t)(line_end - p));
		const char *k = p, *kend, *v, *vend;

		if (hash)
			line_end = hash;
		p = eol ? eol + 1 : end;
		while (k < line_end && isspace((unsigned char)*k))
			k++;
		kend = memchr(k, ':', (size_t)(line_end - k));
		if (!kend)
			continue;  /* blank, comment-only or junk lines do not end a group */
		v = kend + 1;
		while (kend > k && isspace((unsigned char)kend[-1]))
			kend--;
		while (v < line_end && isspace((unsigned char)*v))
			v++;
		vend = line_end;
		while (vend > v && isspace((unsigned char)vend[-1]))
			vend--;

		size_t klen = (size_t)(kend - k), vlen = (size_t)(vend - v);
		if (klen == 10 && !strncasecmp(k, "user-agent", 10)) {
			if (!in_agents)
				group_us = group_star = 0;  /* a new group starts */
			in_agents = 1;
			if (vlen == 1 && *v == '*')
				group_star = 1;
			else if (agent_matches(v, vlen, agent))
				group_us = seen_us = 1;
			continue;
		}
		in_agents = 0;
		if ((klen == 5 && !strncasecmp(k, "allow", 5)) ||
		    (klen == 8 && !strncasecmp(k, "disallow", 8))) {
			int allow = klen == 5;
			if (vlen == 0)
				continue;  /* "Disallow:" with no path allows everything */
			if (group_us && (st = add_rule(out, v, vlen, allow)) != SOL_OK)
				goto out;
			if (group_star && (st = add_rule(&star, v, vlen, allow)) != SOL_OK)
				goto out;
		} else if (klen == 11 && !strncasecmp(k, "crawl-delay", 11)) {
			/* Not in RFC 9309 but widely used; seconds, maybe fractional. */
			char num[32];
			char *stop;
			double secs;
			if (vlen == 0 || vlen >= sizeof num)
				continue;
			memcpy(num, v, vlen);
			num[vlen] = '\0';
			secs = strtod(num, &stop);
			if (*stop || secs < 0 || secs > 86400)
				continue;
			if (group_us)
				out->crawl_delay_ms = (long)(secs * 1000);
			if (group_star)
				star.crawl_delay_ms = (long)(secs * 1000);
		}
	}
	if (!seen_us) {
		fch__robots_release(out);
		*out = star;
		fch__robots_init(&star);
	}
out:
	fch__robots_release(&star);
	if (st != SOL_OK)
		fch__robots_release(out);
	return st;
}

/* Length of the path prefix a pattern matches, or -1. '*' matches any run
 * of characters; a '$' at the end anchors at the end of the path. The
 * recursion is bounded by the number of '*' in a pattern of robots.txt,
 * which is short; patterns come from the server, so a pathological one
 * costs only that host's time. */
static long match_at(const char *pat, const char *path, size_t done)
{
	for (;;) {
		if (*pat == '\0')
			return (long)done;
		if (*pat == '$' && pat[1] == '\0')
			return *path == '\0' ? (long)done : -1;
		if (*pat == '*') {
			while (*pat == '*')
				pat++;
			if (*pat == '\0')
				return (long)(done + strlen(path));
			for (size_t i = strlen(path) + 1; i-- > 0;) {
				long m = match_at(pat, path + i, done + i);
				if (m >= 0)
					return m;
			}
			return -1;
		}
		if (*path == '\0' || *pat != *path)
			return -1;
		pat++;
		path++;
		done++;
	}
}

int fch__robots_allowed(const fch__robots *r, const char *path)
{
	long best = -1;
	int allow = 1;

	if (!strcmp(path, "/robots.txt"))
		return 1;
	if (r->disallow_all)
		return 0;
	for (size_t i = 0; i < r->n_rules; i++) {
		long m = match_at(r->rules[i].pattern, path, 0);
		if (m < 0)
			continue;
		/* The rule's specificity is its pattern's length (RFC 9309
		 * 2.2.2: "the most specific match ... the match that has the
		 * most octets"). */
		long spec = (long)strlen(r->rules[i].pattern);
		if (spec > best || (spec == best && r->rules[i].allow)) {
			best = spec;
			allow = r->rules[i].allow;
		}
	}
	return allow;
}
