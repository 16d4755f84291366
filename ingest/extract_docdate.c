/*
 * extract_docdate.c - the document's own date, when the metadata gave
 * none: the date right after a docdate label ("Publication date:",
 * "Last updated:", "Date/Time:"), the label listed first in the rules
 * winning. Texts without such a label stay undated: a date merely
 * mentioned (the decision a report describes) is not the document's.
 */
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>

/* How far after a label its date may start, and what may lie between. */
#define LABEL_REACH 48

static int filler(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == '-' ||
	       c == ',' || c == '|' || c == 0xE2 || c == 0x80 || c == 0x93 || c == 0x94 ||
	       c == 0xC2 || c == 0xA0;
}

sol_status ing__doc_date(ing_extractor *ex, sol_record *r)
{
	const ing_cand *c = ex->cands, *best_date = NULL;
	unsigned best_rank = (unsigned)-1;
	size_t i, j, k, n = ex->n_cands;

	/* cands are sorted by start (resolve) */
	for (i = 0; i < n; i++) {
		if (c[i].type != ING_T_DOCDATE || c[i].drop || c[i].rank >= best_rank)
			continue;
		for (j = i + 1; j < n && c[j].start <= c[i].end + LABEL_REACH; j++) {
			if (c[j].type != ING_T_DATE || c[j].drop || c[j].start < c[i].end)
				continue;
			for (k = c[i].end; k < c[j].start; k++)
				if (!filler((unsigned char)r->text[k]))
					break;
			if (k < c[j].start)
				break;
			best_date = &c[j];
			best_rank = c[i].rank;
			break;
		}
	}
	if (!best_date)
		return SOL_OK;
	free(r->date);
	free(r->date_from);
	r->date = sol_strdup(ex->arena.data + best_date->norm_off);
	r->date_from = sol_strdup("text");
	if (!r->date || !r->date_from)
		return SOL_ERR_NOMEM;
	return SOL_OK;
}
