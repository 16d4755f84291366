/*
 * extract_rules.c - compiling each *.rules file (ingest/rules/, see
 * docs/rules.md; extract_load.c reads them) into PCRE2 patterns, with the
 * triggers that say where each may match.
 *
 * A rules file is compiled as one alternation so that the text is read
 * once per file, not once per rule. Each rule ends with (*MARK:N), N its
 * index in its group, and the mark of a match says which rule matched (a
 * capture group around each rule said it before, and cost every call the
 * saving and copying of one more group: 1.4% of the extractor's
 * instructions on council text). Every rule is first compiled on its own
 * so that a mistake is reported against its own file and line, not
 * against the combination.
 */
#include "extract_int.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

const char *const ing__type_names[ING_T_COUNT] = {
	"date", "docdate", "skip", "org", "person", "role", "place", "legislation",
	"reference", "money", "postcode", "email", "url", "phone",
};

static const char *const norm_names[ING_N_COUNT] = {
	"text", "title", "name", "names", "date", "fy", "money", "id", "url", "group",
	"council", "label",
};

static const char *const group_names[ING_G_COUNT] = {
	"d", "m", "y", "d2", "m2", "y2", "name", "names", "num", "mult", "id",
};

static void find_groups(ing_ruleset *rs)
{
	uint32_t count = 0, size = 0, i;
	PCRE2_SPTR table = NULL;
	int g;

	pcre2_pattern_info(rs->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(rs->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(rs->code, PCRE2_INFO_NAMETABLE, &table);
	for (i = 0; i < count; i++) {
		const unsigned char *e = table + i * size;
		unsigned num = (unsigned)(e[0] << 8 | e[1]);
		g = ing__name_index(group_names, ING_G_COUNT, (const char *)e + 2, strlen((const char *)e + 2));
		if (g >= 0 && rs->n_groups[g] < ING_MAX_GROUP_DUPS)
			rs->groups[g][rs->n_groups[g]++] = (unsigned short)num;
	}
}

int ing__group(const ing_ruleset *rs, const PCRE2_SIZE *ov, ing_group g)
{
	unsigned i;

	for (i = 0; i < rs->n_groups[g]; i++) {
		unsigned num = rs->groups[g][i];
		if (ov[2 * num] != PCRE2_UNSET)
			return (int)num;
	}
	return -1;
}

/* "trigger BACK PATTERN": where the rules of this file can match at all.
 * Searching for one cheap pattern and then running the rules only near
 * its matches is what keeps the extractor fast on long texts. */
/* The BACK of a trigger line: a number of bytes. */
static sol_status trigger_back(const char **line, size_t *n, size_t *back, const char *kind,
			       const char *file, unsigned lno, sol_err *err)
{
	const char *w;
	size_t wn, i;

	*back = 0;
	if (!ing__rule_word(line, n, &w, &wn) || !*n)
		return sol_err_set(err, SOL_ERR_PARSE, "%s:%u: expected: %s BACK %s", file, lno,
				   kind, strcmp(kind, "trigger") ? "WORD..." : "PATTERN");
	for (i = 0; i < wn; i++) {
		if (w[i] < '0' || w[i] > '9' || *back > 100000)
			return sol_err_set(err, SOL_ERR_PARSE,
					   "%s:%u: %s BACK must be a number of bytes", file, lno,
					   kind);
		*back = *back * 10 + (size_t)(w[i] - '0');
	}
	return SOL_OK;
}

/* Does every match of code start with an ASCII digit? PCRE2 knows the
 * code units a match can start with (its first code unit, or a bitmap of
 * them); no answer means no. */
static int starts_with_digit(const pcre2_code *code)
{
	uint32_t type = 0, unit = 0, c;
	const uint8_t *bits = NULL;

	if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type) != 0)
		return 0;
	if (type == 1)
		return pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 &&
		       unit >= '0' && unit <= '9';
	if (type != 0 || pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bits) != 0 || !bits)
		return 0;
	for (c = 0; c < 256; c++)
		if (((bits[c / 8] >> (c % 8)) & 1) && !(c >= '0' && c <= '9'))
			return 0;
	return 1;
}

/* Has pat (NUL-terminated) a positive look-behind, which needs text
 * before a match's start (pair_can_start in extract.c cannot ask)? */
static int looks_back(const char *pat)
{
	return strstr(pat, "(?<=") || strstr(pat, "(*plb:") ||
	       strstr(pat, "(*positive_lookbehind:");
}

static sol_status compile_trigger(ing_ruleset *rs, const loader *ld, const char *line,
				  size_t n, const char *file, unsigned lno, sol_err *err)
{
	size_t back;
	sol_buf pat;
	sol_status st;
	int ec;
	PCRE2_SIZE eo;
	PCRE2_UCHAR msg[160];

	if (rs->trigger)
		return sol_err_set(err, SOL_ERR_PARSE, "%s:%u: a second trigger", file, lno);
	if ((st = trigger_back(&line, &n, &back, "trigger", file, lno, err)) != SOL_OK)
		return st;
	sol_buf_init(&pat, 0);
	if ((st = ing__rule_expand(ld, line, n, &pat, file, lno, err)) != SOL_OK)
		goto out;
	rs->trigger = pcre2_compile((PCRE2_SPTR)pat.data, pat.len,
				    ING_RULE_OPTIONS | PCRE2_USE_OFFSET_LIMIT, &ec, &eo, NULL);
	if (!rs->trigger) {
		pcre2_get_error_message(ec, msg, sizeof msg);
		st = sol_err_set(err, SOL_ERR_PARSE, "%s:%u: bad trigger at offset %zu: %s", file,
				 lno, (size_t)eo, (char *)msg);
		goto out;
	}
	rs->trigger_jit = pcre2_jit_compile(rs->trigger, PCRE2_JIT_COMPLETE) == 0;
	rs->trigger_looks_back = looks_back(pat.data);
	rs->trigger_back = back;
	rs->trigger_digits = starts_with_digit(rs->trigger);
out:
	sol_buf_release(&pat);
	return st;
}

/* "trigger-words BACK WORD..." and "trigger-strings BACK STRING...": the
 * literals found for every set in one shared pass (extract_scan.c). */
static sol_status literal_trigger(ing_extractor *ex, const loader *ld, int words,
				  const char *line, size_t n, const char *file, unsigned lno,
				  sol_err *err)
{
	const char *kind = words ? "trigger-words" : "trigger-strings";
	unsigned set = (unsigned)(ex->n_sets - 1);
	size_t back;
	sol_buf exp;
	sol_status st;

	if ((st = trigger_back(&line, &n, &back, kind, file, lno, err)) != SOL_OK)
		return st;
	ex->sets[set].literal_triggers = 1;
	if (!words)
		return ing__trig_strings(ex, set, back, line, n, file, lno, err);
	/* words may name definitions that are lists of words: {ROADW} */
	sol_buf_init(&exp, 0);
	if ((st = ing__rule_expand(ld, line, n, &exp, file, lno, err)) == SOL_OK)
		st = ing__trig_words(ex, set, back, exp.data, exp.len, file, lno, err);
	sol_buf_release(&exp);
	return st;
}

/* A new set for the rules of file f that follow: the file's first group,
 * or (cont) a later trigger group, which keeps the file's trigger-stop
 * and trigger-stop-lower. */
static sol_status new_group(ing_extractor *ex, const rule_file *f, unsigned file_no,
			    unsigned first_rule, int cont, sol_err *err)
{
	ing_ruleset *rs = realloc(ex->sets, (ex->n_sets + 1) * sizeof *rs);
	unsigned set = (unsigned)ex->n_sets;

	if (!rs)
		return sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
	ex->sets = rs;
	rs = &ex->sets[ex->n_sets++];
	memset(rs, 0, sizeof *rs);
	rs->file_no = file_no;
	rs->first_rule = first_rule;
	rs->cont = cont;
	rs->name = sol_strdup(f->name);
	if (!rs->name)
		return sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
	if (cont)
		ing__trig_stop_copy(ex, set);
	if (cont && set == 64 && ((ex->trigs.stop_sets['\n'] | ex->trigs.lower_sets) >> 63))
		return sol_err_set(err, SOL_ERR_PARSE, "%s: trigger-stop in more than 64 groups",
				   f->name);
	return SOL_OK;
}

/* A rule that sets a mark of its own would hide the one that names it. */
static sol_status check_no_mark(const char *pat, const char *file, unsigned lno, sol_err *err)
{
	static const char *const verbs[] = { "(*MARK", "(*:", "(*PRUNE:", "(*THEN:", "(*SKIP:" };
	size_t i;

	for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		const char *at = strstr(pat, verbs[i]);
		if (at && (at == pat || at[-1] != '\\'))
			return sol_err_set(err, SOL_ERR_PARSE,
					   "%s:%u: a rule may not set or use a mark (%s)", file,
					   lno, verbs[i]);
	}
	return SOL_OK;
}

/* Rule number k of its group into the alternation: (?:(?:PATTERN)(*MARK:k)),
 * the mark passed only when the rule has matched (whichever of its own
 * top-level alternatives did: hence the inner group). */
static sol_status add_rule(sol_buf *all, size_t k, const sol_buf *pat)
{
	char mark[32];
	int n = snprintf(mark, sizeof mark, ")(*MARK:%zu))", k);

	if ((k > 0 && sol_buf_addc(all, '|')) || sol_buf_adds(all, "(?:(?:") ||
	    sol_buf_add(all, pat->data, pat->len) || sol_buf_add(all, mark, (size_t)n))
		return SOL_ERR_NOMEM;
	return SOL_OK;
}

/* The rules of one group, alternation all, into one pattern. */
static sol_status finish_group(ing_ruleset *rs, const sol_buf *all, const sol_buf *start,
			       const char *file, sol_err *err)
{
	sol_buf full;
	sol_status st = SOL_OK;
	int ec;
	PCRE2_SIZE eo;
	PCRE2_UCHAR msg[160];

	sol_buf_init(&full, 0);
	/* No rule starts inside a word (after a letter or digit), nor where
	 * the file's start pattern fails: said once in front of the
	 * alternation, this lets PCRE2 reject most positions with one
	 * look-behind (and look-ahead) instead of trying every rule. */
	if (sol_buf_adds(&full, "(?<![A-Za-z0-9])") ||
	    (start->len && (sol_buf_adds(&full, "(?=") ||
			    sol_buf_add(&full, start->data, start->len) ||
			    sol_buf_addc(&full, ')'))) ||
	    sol_buf_adds(&full, "(?:") || sol_buf_add(&full, all->data, all->len) ||
	    sol_buf_addc(&full, ')')) {
		st = sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
		goto out;
	}
	rs->code = pcre2_compile((PCRE2_SPTR)full.data, full.len,
				 ING_RULE_OPTIONS | (rs->trigger || rs->literal_triggers
							 ? PCRE2_USE_OFFSET_LIMIT
							 : 0),
				 &ec, &eo, NULL);
	if (!rs->code) {
		pcre2_get_error_message(ec, msg, sizeof msg);
		st = sol_err_set(err, SOL_ERR_PARSE, "%s: rules do not combine: %s", file,
				 (char *)msg);
		goto out;
	}
	/* Without JIT the interpreter still works, with the same limits. */
	rs->jit = pcre2_jit_compile(rs->code, PCRE2_JIT_COMPLETE) == 0;
	rs->looks_back = looks_back(full.data);
	find_groups(rs);
out:
	sol_buf_release(&full);
	return st;
}

/* The file's "start PATTERN" line, wherever it stands: every group of the
 * file is compiled with it. */
static sol_status find_start(const loader *ld, const rule_file *f, sol_buf *start,
			     sol_err *err)
{
	size_t pos = 0, n, tn;
	const char *line, *tw;
	unsigned lno;
	uint32_t ncap;
	sol_status st;

	for (lno = 1; ing__rule_line(f, &pos, &line, &n); lno++) {
		if (!ing__rule_word(&line, &n, &tw, &tn) || tn != 5 || memcmp(tw, "start", 5) != 0)
			continue;
		if (start->len || !n)
			return sol_err_set(err, SOL_ERR_PARSE, "%s:%u: %s", f->name, lno,
					   n ? "a second start line" : "expected: start PATTERN");
		if ((st = ing__rule_expand(ld, line, n, start, f->name, lno, err)) != SOL_OK ||
		    (st = ing__rule_check(start->data, start->len, f->name, lno, &ncap, err)) != SOL_OK)
			return st;
		if (ncap)
			return sol_err_set(err, SOL_ERR_PARSE,
					   "%s:%u: start: no capture groups (write (?:...))", f->name,
					   lno);
	}
	return SOL_OK;
}

/* One *.rules file -> one ruleset per trigger group (usually one). */
static sol_status compile_set(ing_extractor *ex, const loader *ld, const rule_file *f,
			      sol_err *err)
{
	sol_status st = SOL_OK;
	sol_buf pat, all, start;
	size_t pos = 0, n, tn, nn;
	const char *line, *tw, *nw;
	unsigned lno, file_no = ex->n_sets ? ex->sets[ex->n_sets - 1].file_no + 1 : 0,
			   n_file_rules = 0;
	uint32_t ncap;
	ing_ruleset *rs;
	int type, norm;

	sol_buf_init(&pat, 0);
	sol_buf_init(&all, 0);
	sol_buf_init(&start, 0);
	if ((st = find_start(ld, f, &start, err)) != SOL_OK ||
	    (st = new_group(ex, f, file_no, 0, 0, err)) != SOL_OK)
		goto out;
	rs = &ex->sets[ex->n_sets - 1];
	for (lno = 1; ing__rule_line(f, &pos, &line, &n); lno++) {
		ing_rule *rule;
		int is_trigger;
		if (!ing__rule_word(&line, &n, &tw, &tn) || tw[0] == '#')
			continue;
		if ((tn == 6 && memcmp(tw, "define", 6) == 0) ||
		    (tn == 5 && memcmp(tw, "start", 5) == 0))
			continue;
		is_trigger = (tn == 7 && memcmp(tw, "trigger", 7) == 0) ||
			     (tn == 13 && memcmp(tw, "trigger-words", 13) == 0) ||
			     (tn == 15 && memcmp(tw, "trigger-strings", 15) == 0);
		/* a trigger line after rules opens a group: the triggers apply
		 * to the rules that follow them, up to the next such line */
		if (is_trigger && rs->n_rules) {
			if ((st = finish_group(rs, &all, &start, f->name, err)) != SOL_OK ||
			    (st = new_group(ex, f, file_no, n_file_rules, 1, err)) != SOL_OK)
				goto out;
			rs = &ex->sets[ex->n_sets - 1];
			sol_buf_reset(&all);
		}
		if (tn == 7 && memcmp(tw, "trigger", 7) == 0) {
			if ((st = compile_trigger(rs, ld, line, n, f->name, lno, err)) != SOL_OK)
				goto out;
			continue;
		}
		if ((tn == 12 || tn == 18) && memcmp(tw, "trigger-stop-lower", tn) == 0) {
			unsigned set = (unsigned)(ex->n_sets - 1);
			if ((st = tn == 12 ? ing__trig_stop(ex, set, line, n, f->name, lno, err)
					   : ing__trig_stop_lower(ex, set, line, n, f->name, lno,
								  err)) != SOL_OK)
				goto out;
			continue;
		}
		if (is_trigger) {
			if ((st = literal_trigger(ex, ld, tn == 13, line, n, f->name, lno, err)) !=
			    SOL_OK)
				goto out;
			continue;
		}
		type = ing__name_index(ing__type_names, ING_T_COUNT, tw, tn);
		if (type < 0) {
			st = sol_err_set(err, SOL_ERR_PARSE, "%s:%u: unknown type '%.*s'", f->name,
					 lno, (int)tn, tw);
			goto out;
		}
		if (!ing__rule_word(&line, &n, &nw, &nn)) {
			st = sol_err_set(err, SOL_ERR_PARSE,
					 "%s:%u: expected: TYPE NORMALISER PATTERN", f->name, lno);
			goto out;
		}
		norm = ing__name_index(norm_names, ING_N_COUNT, nw, nn);
		if (norm < 0) {
			st = sol_err_set(err, SOL_ERR_PARSE, "%s:%u: unknown normaliser '%.*s'",
					 f->name, lno, (int)nn, nw);
			goto out;
		}
		if (!n) {
			st = sol_err_set(err, SOL_ERR_PARSE, "%s:%u: rule has no pattern", f->name,
					 lno);
			goto out;
		}
		if ((st = ing__rule_expand(ld, line, n, &pat, f->name, lno, err)) != SOL_OK)
			goto out;
		if ((st = ing__rule_check(pat.data, pat.len, f->name, lno, &ncap, err)) != SOL_OK ||
		    (st = check_no_mark(pat.data, f->name, lno, err)) != SOL_OK)
			goto out;
		rule = realloc(rs->rules, (rs->n_rules + 1) * sizeof *rule);
		if (!rule) {
			st = sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
			goto out;
		}
		rs->rules = rule;
		rule = &rs->rules[rs->n_rules++];
		rule->type = (ing_type)type;
		rule->norm = (ing_norm)norm;
		rule->file = rs->name;
		rule->line = lno;
		n_file_rules++;
		if (add_rule(&all, rs->n_rules - 1, &pat) != SOL_OK) {
			st = sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
			goto out;
		}
	}
	if (!rs->n_rules && rs->cont) {
		st = sol_err_set(err, SOL_ERR_PARSE, "%s: trigger lines after the last rule",
				 f->name);
		goto out;
	}
	if (!rs->n_rules) {
		/* a file of definitions only: nothing to run */
		pcre2_code_free(rs->trigger);
		free(rs->name);
		ing__trig_drop_set(ex, (unsigned)(ex->n_sets - 1));
		ex->n_sets--;
		goto out;
	}
	st = finish_group(rs, &all, &start, f->name, err);
out:
	sol_buf_release(&pat);
	sol_buf_release(&all);
	sol_buf_release(&start);
	return st;
}

sol_status ing__rules_load(ing_extractor *ex, const char *rules_dir, sol_err *err)
{
	loader ld;
	sol_status st;
	size_t i;
	uint32_t maxcap = 0, c;

	memset(&ld, 0, sizeof ld);
	if ((st = ing__rules_read(&ld, rules_dir, err)) != SOL_OK)
		goto out;
	if (!ld.n_files) {
		st = sol_err_set(err, SOL_ERR_PARSE, "%s: no rule files",
				 rules_dir ? rules_dir : "embedded rules");
		goto out;
	}
	for (i = 0; i < ld.n_files; i++)
		if (!sol_utf8_valid(ld.files[i].data, ld.files[i].len)) {
			st = sol_err_set(err, SOL_ERR_PARSE, "%s:1: file is not valid UTF-8",
					 ld.files[i].name);
			goto out;
		}
	if ((st = ing__rules_defines(&ld, err)) != SOL_OK)
		goto out;
	for (i = 0; i < ld.n_files; i++) {
		size_t fl = strlen(ld.files[i].name);
		if (fl > 6 && strcmp(ld.files[i].name + fl - 6, ".rules") == 0)
			st = compile_set(ex, &ld, &ld.files[i], err);
		else
			st = ing__rules_list(ex, &ld.files[i], err);
		if (st != SOL_OK)
			goto out;
	}
	if (ing__trig_finish(ex) != SOL_OK) {
		st = sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
		goto out;
	}
	for (i = 0; i < ex->n_sets; i++) {
		pcre2_pattern_info(ex->sets[i].code, PCRE2_INFO_CAPTURECOUNT, &c);
		if (c > maxcap)
			maxcap = c;
	}
	for (i = 0; i < ex->n_sets; i++) {
		ex->sets[i].md = pcre2_match_data_create(maxcap + 1, NULL);
		if (!ex->sets[i].md) {
			st = sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
			goto out;
		}
		ex->sets[i].ov = pcre2_get_ovector_pointer(ex->sets[i].md);
	}
	ex->md = pcre2_match_data_create(maxcap + 1, NULL);
	ex->tmd = pcre2_match_data_create(1, NULL);
	ex->pmd = pcre2_match_data_create(1, NULL);
	ex->mctx = pcre2_match_context_create(NULL);
	/* A sized JIT stack and match/depth limits bound the work any input can
	 * cause; a match that hits them is skipped, not fatal. */
	ex->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (!ex->md || !ex->tmd || !ex->pmd || !ex->mctx || !ex->jit_stack) {
		st = sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
		goto out;
	}
	pcre2_jit_stack_assign(ex->mctx, NULL, ex->jit_stack);
	pcre2_set_match_limit(ex->mctx, 100000);
	pcre2_set_depth_limit(ex->mctx, 2000);
	pcre2_set_heap_limit(ex->mctx, 4096); /* KiB, for the interpreter */
out:
	ing__loader_release(&ld);
	return st;
}

void ing__rules_free(ing_extractor *ex)
{
	size_t i;

	ing__trig_free(ex); /* first: it frees a window list per set */
	for (i = 0; i < ex->n_sets; i++) {
		pcre2_code_free(ex->sets[i].code);
		pcre2_code_free(ex->sets[i].trigger);
		pcre2_match_data_free(ex->sets[i].md);
		free(ex->sets[i].pair);
		free(ex->sets[i].trigger_pair);
		free(ex->sets[i].rules);
		free(ex->sets[i].name);
	}
	free(ex->sets);
	ex->sets = NULL;
	ex->n_sets = 0;
	pcre2_match_data_free(ex->md);
	pcre2_match_data_free(ex->tmd);
	pcre2_match_data_free(ex->pmd);
	ex->tmd = NULL;
	ex->pmd = NULL;
	pcre2_match_context_free(ex->mctx);
	pcre2_jit_stack_free(ex->jit_stack);
	ex->md = NULL;
	ex->mctx = NULL;
	ex->jit_stack = NULL;
}
