/*
 * extract_load.c - reading the rule files (ingest/rules/, see
 * docs/rules.md), from a folder or as built into the program: their lines
 * and words, the defines every *.rules file may use, and the *.list files
 * (word lists and the gazetteer). Compiling the *.rules files is
 * extract_rules.c's.
 */
#include "extract_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void ing__loader_release(loader *ld)
{
	size_t i;

	for (i = 0; i < ld->n_files; i++) {
		free(ld->files[i].name);
		free(ld->files[i].data);
	}
	free(ld->files);
	for (i = 0; i < ld->n_defs; i++) {
		free(ld->defs[i].name);
		free(ld->defs[i].value);
	}
	free(ld->defs);
}

static int cmp_files(const void *a, const void *b)
{
	return strcmp(((const rule_file *)a)->name, ((const rule_file *)b)->name);
}

static int wanted(const char *name)
{
	size_t n = strlen(name);

	if (name[0] == '.' || strncmp(name, "README", 6) == 0)
		return 0;
	return (n > 6 && strcmp(name + n - 6, ".rules") == 0) ||
	       (n > 5 && strcmp(name + n - 5, ".list") == 0);
}

static sol_status add_file(loader *ld, const char *name, const char *data, size_t len)
{
	rule_file *f = realloc(ld->files, (ld->n_files + 1) * sizeof *f);

	if (!f)
		return SOL_ERR_NOMEM;
	ld->files = f;
	f = &ld->files[ld->n_files];
	f->name = sol_strdup(name);
	f->data = sol_strndup(data, len);
	f->len = len;
	if (!f->name || !f->data) {
		free(f->name);
		free(f->data);
		return SOL_ERR_NOMEM;
	}
	ld->n_files++;
	return SOL_OK;
}

sol_status ing__rules_read(loader *ld, const char *dir, sol_err *err)
{
	sol_status st = SOL_OK;
	DIR *d;
	struct dirent *de;
	sol_buf path, body;

	if (!dir) {
		size_t i;
		for (i = 0; i < ing_n_embedded_rules; i++) {
			const ing_embedded_file *f = &ing_embedded_rules[i];
			if (!wanted(f->name))
				continue;
			if ((st = add_file(ld, f->name, f->data, f->len)) != SOL_OK)
				return sol_err_set(err, st, "rules: out of memory");
		}
		goto sort;
	}
	d = opendir(dir);
	if (!d)
		return sol_err_set(err, SOL_ERR_IO, "%s: %s", dir, strerror(errno));
	sol_buf_init(&path, 0);
	sol_buf_init(&body, 0);
	while ((de = readdir(d)) != NULL) {
		if (!wanted(de->d_name))
			continue;
		sol_buf_reset(&path);
		if (sol_buf_addf(&path, "%s/%s", dir, de->d_name) != SOL_OK) {
			st = sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
			break;
		}
		/* sol_read_file fills a fresh buffer: release it each time */
		sol_buf_release(&body);
		if ((st = sol_read_file(path.data, 16u << 20, &body, err)) != SOL_OK)
			break;
		st = add_file(ld, de->d_name, body.data ? body.data : "", body.len);
		sol_buf_release(&body);
		if (st != SOL_OK) {
			sol_err_set(err, st, "rules: out of memory");
			break;
		}
	}
	closedir(d);
	sol_buf_release(&path);
	sol_buf_release(&body);
	if (st != SOL_OK)
		return st;
sort:
	/* Order decides which define is seen first and which docdate label
	 * wins; make it the same on disk and embedded. */
	if (ld->n_files)
		qsort(ld->files, ld->n_files, sizeof *ld->files, cmp_files);
	return SOL_OK;
}

/* Iterate the lines of a file: *pos advances; returns 0 at the end.
 * The line excludes the newline and a trailing CR. */
int ing__rule_line(const rule_file *f, size_t *pos, const char **line, size_t *n)
{
	const char *nl;
	size_t len;

	if (*pos >= f->len)
		return 0;
	*line = f->data + *pos;
	nl = memchr(*line, '\n', f->len - *pos);
	len = nl ? (size_t)(nl - *line) : f->len - *pos;
	*pos += len + (nl ? 1 : 0);
	while (len && ((*line)[len - 1] == '\r' || (*line)[len - 1] == ' ' ||
		       (*line)[len - 1] == '\t'))
		len--;
	*n = len;
	return 1;
}

/* Split off the next blank-separated word. */
int ing__rule_word(const char **s, size_t *n, const char **w, size_t *wn)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	if (!*n)
		return 0;
	*w = *s;
	while (*n && **s != ' ' && **s != '\t') {
		(*s)++;
		(*n)--;
	}
	*wn = (size_t)(*s - *w);
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	return 1;
}

int ing__name_index(const char *const *names, int count, const char *w, size_t n)
{
	int i;

	for (i = 0; i < count; i++)
		if (strlen(names[i]) == n && memcmp(names[i], w, n) == 0)
			return i;
	return -1;
}

/* Replace {NAME} by (?:definition). Other braces ({2,4}, \x{..}) stay. */
sol_status ing__rule_expand(const loader *ld, const char *pat, size_t n, sol_buf *out,
			    const char *file, unsigned line, sol_err *err)
{
	size_t i = 0;

	sol_buf_reset(out);
	while (i < n) {
		if (pat[i] == '{' && i + 1 < n && pat[i + 1] >= 'A' && pat[i + 1] <= 'Z' &&
		    (i == 0 || pat[i - 1] != '\\')) {
			size_t j = i + 1, k;
			while (j < n && ((pat[j] >= 'A' && pat[j] <= 'Z') ||
					 (pat[j] >= '0' && pat[j] <= '9') || pat[j] == '_'))
				j++;
			if (j < n && pat[j] == '}') {
				for (k = 0; k < ld->n_defs; k++)
					if (strlen(ld->defs[k].name) == j - i - 1 &&
					    memcmp(ld->defs[k].name, pat + i + 1, j - i - 1) == 0)
						break;
				if (k == ld->n_defs)
					return sol_err_set(err, SOL_ERR_PARSE,
							   "%s:%u: unknown definition {%.*s}", file, line,
							   (int)(j - i - 1), pat + i + 1);
				if (sol_buf_adds(out, "(?:") || sol_buf_adds(out, ld->defs[k].value) ||
				    sol_buf_addc(out, ')'))
					return sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
				i = j + 1;
				continue;
			}
		}
		if (sol_buf_addc(out, pat[i]) != SOL_OK)
			return sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
		i++;
	}
	if (sol_buf_addc(out, '\0') != SOL_OK)
		return sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
	out->len--;
	return SOL_OK;
}

sol_status ing__rule_check(const char *pat, size_t n, const char *file, unsigned line,
			   uint32_t *ncap, sol_err *err)
{
	int ec;
	PCRE2_SIZE eo;
	PCRE2_UCHAR msg[160];
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, n, ING_RULE_OPTIONS, &ec, &eo, NULL);

	if (!code) {
		pcre2_get_error_message(ec, msg, sizeof msg);
		return sol_err_set(err, SOL_ERR_PARSE, "%s:%u: bad pattern at offset %zu: %s", file,
				   line, (size_t)eo, (char *)msg);
	}
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, ncap);
	pcre2_code_free(code);
	return SOL_OK;
}

sol_status ing__rules_defines(loader *ld, sol_err *err)
{
	size_t i, pos;
	const char *line, *w;
	size_t n, wn;
	unsigned lno;
	sol_buf val;
	sol_status st = SOL_OK;

	sol_buf_init(&val, 0);
	for (i = 0; i < ld->n_files; i++) {
		const rule_file *f = &ld->files[i];
		size_t fl = strlen(f->name);
		if (fl < 6 || strcmp(f->name + fl - 6, ".rules") != 0)
			continue;
		for (pos = 0, lno = 1; ing__rule_line(f, &pos, &line, &n); lno++) {
			define *d;
			uint32_t ncap;
			if (!ing__rule_word(&line, &n, &w, &wn) || wn != 6 || memcmp(w, "define", 6) != 0)
				continue;
			if (!ing__rule_word(&line, &n, &w, &wn) || !n) {
				st = sol_err_set(err, SOL_ERR_PARSE,
						 "%s:%u: define needs a NAME and a pattern", f->name, lno);
				goto out;
			}
			if ((st = ing__rule_expand(ld, line, n, &val, f->name, lno, err)) != SOL_OK)
				goto out;
			if ((st = ing__rule_check(val.data, val.len, f->name, lno, &ncap, err)) != SOL_OK)
				goto out;
			d = realloc(ld->defs, (ld->n_defs + 1) * sizeof *d);
			if (!d) {
				st = sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
				goto out;
			}
			ld->defs = d;
			d[ld->n_defs].name = sol_strndup(w, wn);
			d[ld->n_defs].value = sol_strndup(val.data, val.len);
			if (!d[ld->n_defs].name || !d[ld->n_defs].value) {
				free(d[ld->n_defs].name);
				free(d[ld->n_defs].value);
				st = sol_err_set(err, SOL_ERR_NOMEM, "rules: out of memory");
				goto out;
			}
			ld->n_defs++;
		}
	}
out:
	sol_buf_release(&val);
	return st;
}

/* Lines "name" or "name => norm" of a *.list file. */
sol_status ing__rules_list(ing_extractor *ex, const rule_file *f, sol_err *err)
{
	size_t pos = 0, n, fl = strlen(f->name) - 5;
	const char *line;
	unsigned lno;
	ing_wordmap *wm = NULL;
	int type = -1;
	sol_status st;

	if (fl == 4 && memcmp(f->name, "stop", 4) == 0)
		wm = &ex->stop;
	else if (fl == 8 && memcmp(f->name, "stop-org", 8) == 0)
		wm = &ex->stop_org;
	else if (fl == 3 && memcmp(f->name, "fix", 3) == 0)
		wm = &ex->fix;
	else if (fl == 9 && memcmp(f->name, "honorific", 9) == 0)
		wm = &ex->hon;
	else {
		/* place.list, org.list, place-uk.list: the type is the stem up to '-' */
		const char *dash = memchr(f->name, '-', fl);
		size_t tl = dash ? (size_t)(dash - f->name) : fl;
		type = ing__name_index(ing__type_names, ING_T_COUNT, f->name, tl);
		if (type < 0)
			return sol_err_set(err, SOL_ERR_PARSE,
					   "%s:1: a list is named TYPE.list, TYPE-x.list, "
					   "stop.list, stop-org.list, fix.list or honorific.list",
					   f->name);
	}
	for (lno = 1; ing__rule_line(f, &pos, &line, &n); lno++) {
		const char *arrow, *to;
		size_t namelen, tolen;
		while (n && (*line == ' ' || *line == '\t')) {
			line++;
			n--;
		}
		if (!n || *line == '#')
			continue;
		arrow = NULL;
		for (size_t i = 0; i + 1 < n; i++)
			if (line[i] == '=' && line[i + 1] == '>') {
				arrow = line + i;
				break;
			}
		namelen = arrow ? (size_t)(arrow - line) : n;
		while (namelen && (line[namelen - 1] == ' ' || line[namelen - 1] == '\t'))
			namelen--;
		to = arrow ? arrow + 2 : line;
		tolen = arrow ? n - (size_t)(to - line) : namelen;
		while (tolen && (*to == ' ' || *to == '\t')) {
			to++;
			tolen--;
		}
		if (!namelen || !tolen)
			return sol_err_set(err, SOL_ERR_PARSE, "%s:%u: empty name in 'name => norm'",
					   f->name, lno);
		if (!sol_utf8_valid(line, n))
			return sol_err_set(err, SOL_ERR_PARSE, "%s:%u: invalid UTF-8", f->name, lno);
		if (wm)
			st = ing__wordmap_add(wm, line, namelen, to, tolen);
		else
			st = ing__gaz_add(&ex->gaz, line, namelen, to, tolen, (ing_type)type);
		if (st == SOL_ERR_PARSE)
			return sol_err_set(err, st, "%s:%u: name has too many words", f->name, lno);
		if (st != SOL_OK)
			return sol_err_set(err, st, "rules: out of memory");
	}
	return SOL_OK;
}
