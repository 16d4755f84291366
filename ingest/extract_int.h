/*
 * extract_int.h - private to ingest/extract*.c: the compiled rule sets,
 * the gazetteer, the per-document candidate list and the normalisers.
 *
 * Flow of one document (ing_extract in extract.c):
 *   1. one pass over the text (extract_scan.c) finds the literal triggers
 *      of every rule set, recording per set the windows where its rules
 *      can match, and looks capitalised words up in the gazetteer (*.list
 *      files: places, known organisations);
 *   2. every rule set (one ingest/rules/NAME.rules file = one combined PCRE2
 *      pattern, or one per trigger group of the file, run together as one)
 *      runs in its windows (or over the whole text when it has no trigger)
 *      and adds candidates (type, span, norm);
 *   3. acronym definitions are collected and later uses resolved;
 *   4. overlaps are resolved, candidates go into the record, and the
 *      document date is chosen from the docdate label rules.
 * Norm strings of candidates live in one arena buffer (offsets, not
 * pointers) so the hot path allocates only when the arena grows.
 */
#ifndef ING_EXTRACT_INT_H
#define ING_EXTRACT_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "extract.h"

/* Entity types, in the order of ing__type_names[]. */
typedef enum ing_type {
	ING_T_DATE,
	ING_T_DOCDATE,  /* a label ("Publication date:") that precedes the doc date */
	ING_T_SKIP,     /* consumes text so later rules of the set do not match it */
	ING_T_ORG,
	ING_T_PERSON,
	ING_T_ROLE,
	ING_T_PLACE,
	ING_T_LEGISLATION,
	ING_T_REFERENCE,
	ING_T_MONEY,
	ING_T_POSTCODE,
	ING_T_EMAIL,
	ING_T_URL,
	ING_T_PHONE,
	ING_T_COUNT
} ing_type;

/* How a match becomes a normalised value (the second field of a rule). */
typedef enum ing_norm {
	ING_N_TEXT,     /* surface, whitespace collapsed */
	ING_N_TITLE,    /* org/role/law/place: leading stop words cut, caps to title case, fixes */
	ING_N_NAME,     /* person: group "name", honorific dropped */
	ING_N_NAMES,    /* person list: group "names" split on commas and "and" */
	ING_N_DATE,     /* groups d m y [d2 m2 y2] -> ISO with the precision given */
	ING_N_FY,       /* financial year: groups y y2 -> first year */
	ING_N_MONEY,    /* groups num mult -> "N GBP" */
	ING_N_ID,       /* reference: group "id", spaces and hyphens kept, blanks cut */
	ING_N_URL,      /* trailing punctuation cut */
	ING_N_GROUP,    /* place/other: group "name" through the title normaliser */
	ING_N_COUNCIL,  /* "the County Council": resolved to the council the text names */
	ING_N_LABEL,    /* docdate: no value */
	ING_N_COUNT
} ing_norm;

/* Named groups a rule may use; their numbers are looked up once per set. */
typedef enum ing_group {
	ING_G_D, ING_G_M, ING_G_Y, ING_G_D2, ING_G_M2, ING_G_Y2,
	ING_G_NAME, ING_G_NAMES, ING_G_NUM, ING_G_MULT, ING_G_ID,
	ING_G_COUNT
} ing_group;

#define ING_MAX_GROUP_DUPS 48

typedef struct ing_rule {
	ing_type type;
	ing_norm norm;
	char *file;     /* for messages */
	unsigned line;
} ing_rule;

/* One rules file compiled as one alternation; the mark of a match,
 * (*MARK:N) after each rule, names the rule (extract_rules.c). */
typedef struct ing_ruleset {
	char *name;
	pcre2_code *code;
	/* optional prefilter: rules only start within trigger_back bytes before
	 * a match of trigger (or inside it); NULL = no regex trigger */
	pcre2_code *trigger;
	size_t trigger_back;
	/* every match of trigger starts with an ASCII digit (PCRE2's first
	 * code unit bitmap says so): it is tried only at the runs of digits
	 * the scan listed, not at every byte of the text */
	int trigger_digits;
	int trigger_jit;      /* trigger is JIT-compiled */
	int trigger_looks_back; /* trigger has a positive look-behind */
	unsigned char (*trigger_pair)[128]; /* as pair below, for trigger_digits */
	int literal_triggers; /* has trigger-words / trigger-strings lines */
	int jit;              /* code is JIT-compiled: pcre2_jit_match applies */
	int looks_back;       /* has a positive look-behind: (?<= (*plb: */
	/* 1 for the bytes a match of code can start with (PCRE2's first code
	 * unit or start bitmap; every byte when PCRE2 does not know them, and
	 * then has_first is 0): next_match (extract.c) passes over other
	 * positions of a window without a call */
	int has_first;
	unsigned char first[256];
	/* What an ASCII byte pair can start, learnt as the pairs are met
	 * (pair_can_start in extract.c): per [first][second] byte, 0 not yet
	 * asked, 1 no match starts so, 2 one may. NULL: not asked (no first
	 * bytes, or a look-behind that must see text before the start). */
	unsigned char (*pair)[128];
	ing_rule *rules;
	size_t n_rules;
	/* A file whose trigger lines stand between its rules is several sets,
	 * one a trigger group (docs/rules.md): each its own pattern and
	 * windows, run together by run_file so that the file still reads as
	 * one alternation (leftmost match, ties to the rule listed first). */
	unsigned file_no;    /* index of its file among the rule files */
	unsigned first_rule; /* index in the file of the set's first rule */
	int cont;            /* a later group of the previous set's file */
	/* run_file, per document: the group's pending match (in md, rule
	 * next_rule), where its search goes on (window next_win, at or after
	 * next_pos), and next_state: 0 search again, 1 pending, 2 none left */
	pcre2_match_data *md;
	PCRE2_SIZE *ov;      /* md's ovector, fetched once (run_file reads it often) */
	size_t next_win, next_pos, next_rule;
	int next_state;
	/* group numbers for each ing_group (duplicate names across rules) */
	unsigned short groups[ING_G_COUNT][ING_MAX_GROUP_DUPS];
	unsigned char n_groups[ING_G_COUNT];
} ing_ruleset;

/* A word's signature: a bit from its length and its first two and last
 * (ASCII-folded) bytes, computed without a loop. A word whose bit is clear
 * in a filter is in no list behind it: most words are ruled out before any
 * hashing. */
#define ING_SIG_BITS 65536
static inline unsigned ing__word_sig(const char *w, size_t n)
{
	unsigned a = (unsigned char)w[0] | 0x20, b = n > 1 ? (unsigned char)w[1] | 0x20 : 0,
		 z = (unsigned char)w[n - 1] | 0x20;
	/* the four packed into a word, mixed by one multiplication (its high
	 * bits): asked for every word of the text, so one multiply, not four */
	uint32_t x = a | b << 8 | z << 16 | (uint32_t)(n & 0xff) << 24;
	return (unsigned)((x * 2654435761u) >> 16) & (ING_SIG_BITS - 1);
}
static inline int ing__sig_has(const uint64_t *f, unsigned sig)
{
	return (int)((f[sig >> 6] >> (sig & 63)) & 1);
}
static inline void ing__sig_add(uint64_t *f, unsigned sig)
{
	f[sig >> 6] |= 1ull << (sig & 63);
}

/* Gazetteer: exact names (ASCII case folded) -> type and norm. */
typedef struct ing_gaz_entry {
	char *key;       /* folded name, words single-spaced */
	char *norm;      /* what to record */
	ing_type type;
	unsigned nwords;
} ing_gaz_entry;

typedef struct ing_gazetteer {
	ing_gaz_entry *slots; /* open addressing, power of two */
	size_t n_slots, n_used;
	unsigned max_words;
	/* filter before hashing: the first words of all names, by
	 * ing__word_sig */
	uint64_t first_sig[ING_SIG_BITS / 64];
} ing_gazetteer;

/* A word list: stop words cut from the front of names, fixes for norms. */
typedef struct ing_wordmap {
	char **from;
	char **to;
	size_t n, cap;
	/* ing__word_sig of every from, folded into 4096 bits: most words
	 * looked up (every word of every name) are in no list, and the
	 * filter says so before the list is walked */
	uint64_t sig[4096 / 64];
} ing_wordmap;

/* A literal trigger: a word (trigger-words) or a string (trigger-strings)
 * near which the rules of one set can match. */
typedef struct ing_trig {
	char *lit;      /* as written */
	char *folded;   /* ASCII lower case */
	size_t len;
	int any_case;   /* written without capitals: matches in any case */
	unsigned set;   /* index into ex->sets */
	size_t back;    /* rules start at most this many bytes before it */
	int next;       /* words: next in the same hash bucket, or -1 */
} ing_trig;

#define ING_MAX_TRIG_STRINGS 64

/* Longest trigger word (in bytes); longer text words are not looked up. */
#define ING_WORD_MAX 40

/* A word of a trigger-stop-lower line: a lower-case word that names of
 * the set may hold ("of" in "Isle of Wight Council"), so it stops none of
 * their windows. */
#define ING_JOIN_MAX 8     /* a joiner's first bytes, compared as one word (and its length) */
#define ING_JOIN_SLOTS 256 /* at most half of them used */
typedef struct ing_joiner {
	char *word;     /* ASCII lower case */
	size_t len;
	uint64_t sets;  /* the sets it joins for */
} ing_joiner;

typedef struct ing_trigs {
	ing_trig *words;
	size_t n_words, cap_words;
	int *slots;     /* hash of the folded word -> first entry, -1 */
	size_t n_slots;
	ing_trig *strs;
	size_t n_strs, cap_strs;
	uint64_t str_first[256]; /* byte -> the strings that can start with it */
	unsigned char cls[256];  /* 1: letter or digit, 2: may start a string,
				  * 4: a capital (may start a gazetteer name),
				  * 8: stops the windows of some set (trigger-stop) */
	/* Bytes that are whole trigger strings and start no longer one (the
	 * digits "0".."9"), numbered by the (set, BACK) they hit; 0 for the
	 * rest. A run of bytes of one number ("2024") opens the windows its
	 * first byte would, reaching to the run's end: one hit, not one a byte. */
	unsigned char run_id[256];
	uint64_t stop_sets[256]; /* byte -> the sets whose windows it stops */
	/* Sets that stop at the same bytes (the groups of a file, files with
	 * the same trigger-stop line) share a stop class, so that a line
	 * break costs a store per class, not per set: */
	uint64_t stop_cls[256];  /* byte -> the classes it stops */
	unsigned *set_cls;       /* per set: its class (n_cls: it has no stops) */
	unsigned n_cls;
	size_t *stop_at;         /* per class (+1), per document: just past its last stop */
	/* trigger-stop-lower: the sets whose windows never reach back past a
	 * word that starts with a lower-case letter after a blank, unless it
	 * is one of their joiners; such a word is the farthest a window
	 * reaches (a match may start with it: "the council"). Looked for
	 * back from each hit of those sets, not at every word of the text:
	 * their hits are few, lower-case words are most words. */
	uint64_t lower_sets;
	ing_joiner *joiners;
	size_t n_joiners;
	/* the joiners by ing__word_sig, open addressing */
	struct {
		uint64_t word;  /* its bytes, ASCII lower case, zero-padded */
		uint64_t sets;
		size_t len;     /* 0: empty */
	} jtab[ING_JOIN_SLOTS];
	uint64_t word_sig[ING_SIG_BITS / 64]; /* words, by ing__word_sig */
	/* Every ASCII digit has a run_id, so the scan meets every digit run
	 * whole and lists it in ex->digits. */
	int lists_digits;
} ing_trigs;

/* Where one set's rules run in the current document: sorted, disjoint. */
typedef struct ing_win {
	size_t s, e;
} ing_win;

typedef struct ing_winlist {
	ing_win *w;
	size_t n, cap;
} ing_winlist;

/* 32 bytes: resolve sorts and sweeps a document's candidates several
 * times, one every 75 bytes of council text. */
typedef struct ing_cand {
	size_t start, end;          /* bytes into the text */
	uint32_t norm_off, norm_len; /* into ex->arena (ing__cand_add keeps it under 4 GiB) */
	unsigned rank;              /* lower wins ties: rule order */
	unsigned char type;         /* an ing_type */
	unsigned char drop;
} ing_cand;

struct ing_extractor {
	ing_ruleset *sets;
	size_t n_sets;
	ing_gazetteer gaz;
	ing_trigs trigs;
	ing_winlist *wins;  /* per set, per document */
	ing_winlist digits; /* per document: the runs of ASCII digits, when
			     * trigs.lists_digits (for trigger_digits sets) */
	ing_wordmap stop;   /* stop.list: words cut from the front of a name */
	ing_wordmap stop_org; /* stop-org.list: also cut from orgs, places, Acts */
	ing_wordmap fix;    /* fix.list: word -> corrected word in norms */
	ing_wordmap hon;    /* honorific.list: words dropped from person norms */
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	pcre2_match_data *md;
	pcre2_match_data *tmd;  /* for triggers */
	pcre2_match_data *pmd;  /* for pair_can_start */
	/* per document, reused */
	ing_cand *cands;
	size_t n_cands, cap_cands;
	ing_cand *sorted;   /* resolve: the merge sort's other half */
	size_t cap_sorted;
	sol_buf arena;
	sol_buf scratch;  /* acronyms: surface copies */
	sol_buf nbuf;     /* normalisers: the norm being built */
};

extern const char *const ing__type_names[ING_T_COUNT];

/* extract_load.c: the rule files read, before extract_rules.c compiles
 * the *.rules ones. */

/* Compile options shared by every rule: UTF with invalid sequences treated
 * as never matching (no validation pass, no UB on bad bytes), and the same
 * group name allowed in several rules of one file. */
#define ING_RULE_OPTIONS (PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DUPNAMES)

typedef struct rule_file {
	char *name;
	char *data;
	size_t len;
} rule_file;

typedef struct define {
	char *name;
	char *value;
} define;

/* The files of a rules folder (or the embedded ones), sorted by name, and
 * the defines their *.rules files make. */
typedef struct loader {
	rule_file *files;
	size_t n_files;
	define *defs;
	size_t n_defs;
} loader;

/* Read the *.rules and *.list files of dir (NULL: the embedded ones). */
sol_status ing__rules_read(loader *ld, const char *dir, sol_err *err);
void ing__loader_release(loader *ld);
/* Every "define NAME PATTERN" of the *.rules files, checked to compile. */
sol_status ing__rules_defines(loader *ld, sol_err *err);
/* A *.list file into the extractor's word lists or its gazetteer. */
sol_status ing__rules_list(ing_extractor *ex, const rule_file *f, sol_err *err);
/* The next line of f from *pos (without its newline and trailing blanks),
 * and the next blank-separated word of a line: 0 at the end. */
int ing__rule_line(const rule_file *f, size_t *pos, const char **line, size_t *n);
int ing__rule_word(const char **s, size_t *n, const char **w, size_t *wn);
/* The index of w[0..n) in names, or -1. */
int ing__name_index(const char *const *names, int count, const char *w, size_t n);
/* pat with each {NAME} replaced by (?:its definition), into out. */
sol_status ing__rule_expand(const loader *ld, const char *pat, size_t n, sol_buf *out,
			    const char *file, unsigned line, sol_err *err);
/* Compile pat alone, to report a mistake at its own file and line. */
sol_status ing__rule_check(const char *pat, size_t n, const char *file, unsigned line,
			   uint32_t *ncap, sol_err *err);

/* extract_rules.c: load and compile (on disk or embedded). */
sol_status ing__rules_load(ing_extractor *ex, const char *rules_dir, sol_err *err);
void ing__rules_free(ing_extractor *ex);
/* Group number set in this match for g, or -1. */
int ing__group(const ing_ruleset *rs, const PCRE2_SIZE *ov, ing_group g);

/* extract_trig.c: literal triggers. The loader adds a line's words or
 * strings for a set, then ing__trig_finish builds the tables (and the
 * per-set window lists) once every file is read. */
sol_status ing__trig_words(ing_extractor *ex, unsigned set, size_t back, const char *s, size_t n,
			   const char *file, unsigned lno, sol_err *err);
sol_status ing__trig_strings(ing_extractor *ex, unsigned set, size_t back, const char *s,
			     size_t n, const char *file, unsigned lno, sol_err *err);
/* "trigger-stop CHAR...": the set's literal-trigger windows never reach
 * back across a line break or one of these characters. */
sol_status ing__trig_stop(ing_extractor *ex, unsigned set, const char *s, size_t n,
			  const char *file, unsigned lno, sol_err *err);
/* "trigger-stop-lower JOINER...": nor past a lower-case word after a
 * blank that is not one of the joiners (any case). */
sol_status ing__trig_stop_lower(ing_extractor *ex, unsigned set, const char *s, size_t n,
				const char *file, unsigned lno, sol_err *err);
/* A later group of set - 1's file: the same stops (trigger-stop and
 * trigger-stop-lower hold in every group of a file). */
void ing__trig_stop_copy(ing_extractor *ex, unsigned set);
void ing__trig_drop_set(ing_extractor *ex, unsigned set);
sol_status ing__trig_finish(ing_extractor *ex);
void ing__trig_free(ing_extractor *ex);

/* extract_scan.c: the shared pass over each document, which reads those
 * tables. trigger-stop-lower: where the window of set's hit at `at` starts,
 * s at the farthest: at the nearest word before `at` that starts with a
 * lower-case letter after a blank, is no joiner of the set and is not in
 * brackets, or s. */
size_t ing__lower_back(const ing_trigs *tg, unsigned set, const char *text, size_t s, size_t at);
/* The one pass over a document: reset every set's windows and fill them
 * from the literal triggers; add the gazetteer's names as candidates. */
sol_status ing__scan(ing_extractor *ex, const char *text, size_t len);
/* Add [s, e) to a window list, merging with windows it touches. */
sol_status ing__win_add(ing_winlist *wl, size_t s, size_t e);

/* extract_gaz.c */
sol_status ing__gaz_add(ing_gazetteer *gz, const char *name, size_t nlen, const char *norm,
			size_t normlen, ing_type type);
void ing__gaz_free(ing_gazetteer *gz);
/* The longest name of the gazetteer starting at text[at] (a capitalised
 * word start; the letters and digits from there end at end, sig is their
 * ing__word_sig) becomes a candidate; returns where it ends, or at when
 * no name starts there. 0 with *st set on failure. */
size_t ing__gaz_at(ing_extractor *ex, const char *text, size_t len, size_t at, size_t end,
		   unsigned sig, sol_status *st);
/* word_byte of extract_gaz.c: letters, digits, UTF-8, - ' & */
int ing__gaz_word_byte(unsigned char c);
sol_status ing__wordmap_add(ing_wordmap *wm, const char *from, size_t flen, const char *to,
			    size_t tlen);
void ing__wordmap_free(ing_wordmap *wm);
const char *ing__wordmap_get(const ing_wordmap *wm, const char *w, size_t n);
sol_status ing__acronyms(ing_extractor *ex, sol_record *r);

/* extract.c */
sol_status ing__cand_add(ing_extractor *ex, ing_type type, size_t start, size_t end,
			 const char *norm, size_t norm_len, unsigned rank);

/* extract_norm.c */
sol_status ing__normalise(ing_extractor *ex, const ing_ruleset *rs, const ing_rule *rule,
			  unsigned rank, const char *text, size_t len, const PCRE2_SIZE *ov);
/* Title-case/fix a name into out (reset first); also used by the gazetteer. */
sol_status ing__title_norm(ing_extractor *ex, const char *s, size_t n, sol_buf *out);
/* Cut stop words and possessives off [*start,*end). */
void ing__trim_name(const ing_extractor *ex, int is_role, const char *text, size_t *start,
		    size_t *end);
int ing__month(const char *s, size_t n);

/* extract_docdate.c */
sol_status ing__doc_date(ing_extractor *ex, sol_record *r);

#endif
