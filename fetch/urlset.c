/*
 * urlset.c - a set of strings (open addressing, FNV-1a), for "no URL is
 * fetched twice in a run" and for the conditional-GET store's index.
 */
#include "fetch_int.h"

#include <stdlib.h>
#include <string.h>

void fch__set_init(fch__set *s)
{
	memset(s, 0, sizeof *s);
}

void fch__set_release(fch__set *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slots[i]);
	free(s->slots);
	fch__set_init(s);
}

static size_t hash(const char *k)
{
	size_t h = 1469598103934665603ULL;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return h;
}

static size_t find(char *const *slots, size_t cap, const char *key)
{
	size_t i = hash(key) & (cap - 1);
	while (slots[i] && strcmp(slots[i], key))
		i = (i + 1) & (cap - 1);
	return i;
}

int fch__set_has(const fch__set *s, const char *key)
{
	return s->cap && s->slots[find(s->slots, s->cap, key)] != NULL;
}

int fch__set_add(fch__set *s, const char *key)
{
	size_t i;

	/* Keep the table at most half full so probes stay short. */
	if ((s->n + 1) * 2 > s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		char **ns = calloc(ncap, sizeof *ns);
		if (!ns)
			return -1;
		for (size_t k = 0; k < s->cap; k++)
			if (s->slots[k])
				ns[find(ns, ncap, s->slots[k])] = s->slots[k];
		free(s->slots);
		s->slots = ns;
		s->cap = ncap;
	}
	i = find(s->slots, s->cap, key);
	if (s->slots[i])
		return 0;
	if (!(s->slots[i] = strdup(key)))
		return -1;
	s->n++;
	return 1;
}
