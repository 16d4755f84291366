/* Unit tests for common/: the buffer, errors, hashing and the record's JSON. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record.h"
#include "check_main.h"

START_TEST(buf_appends_and_detaches)
{
	sol_buf b;
	sol_buf_init(&b, 0);
	ck_assert_int_eq(sol_buf_adds(&b, "abc"), SOL_OK);
	ck_assert_int_eq(sol_buf_addf(&b, "-%d-", 42), SOL_OK);
	ck_assert_int_eq(sol_buf_addc(&b, 'z'), SOL_OK);
	ck_assert_str_eq(b.data, "abc-42-z");
	size_t n;
	char *s = sol_buf_detach(&b, &n);
	ck_assert_uint_eq(n, 8);
	ck_assert_str_eq(s, "abc-42-z");
	ck_assert_ptr_null(b.data);
	free(s);
}
END_TEST

/* sol_write_file replaces a file whole, and when it cannot, leaves the
 * old one and no temporary file behind, and names the file. */
static size_t files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

START_TEST(write_file_replaces_whole)
{
	char dir[] = "/tmp/solent-test-write-XXXXXX", path[64], cmd[96];
	sol_buf got;
	sol_err err;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/f", dir);
	ck_assert_int_eq(sol_write_file(path, "one", 3, &err), SOL_OK);
	ck_assert_int_eq(sol_write_file(path, "second", 6, &err), SOL_OK);
	ck_assert_int_eq(sol_read_file(path, 0, &got, &err), SOL_OK);
	ck_assert_uint_eq(got.len, 6);
	ck_assert(memcmp(got.data, "second", 6) == 0);
	sol_buf_release(&got);
	ck_assert_uint_eq(files_in(dir), 1);

	/* a folder in the way: the rename fails, the folder stays, the
	 * temporary file goes */
	snprintf(path, sizeof path, "%s/d", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(sol_write_file(path, "x", 1, &err), SOL_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	ck_assert_uint_eq(files_in(dir), 2);
	ck_assert_int_eq(rmdir(path), 0);

	/* no folder to write in */
	snprintf(path, sizeof path, "%s/none/f", dir);
	ck_assert_int_eq(sol_write_file(path, "x", 1, &err), SOL_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, dir));
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(buf_refuses_past_cap)
{
	sol_buf b;
	sol_buf_init(&b, 5);
	ck_assert_int_eq(sol_buf_adds(&b, "12345"), SOL_OK);
	ck_assert_int_eq(sol_buf_adds(&b, "6"), SOL_ERR_TOOBIG);
	ck_assert_str_eq(b.data, "12345"); /* unchanged by the failed append */
	sol_buf_release(&b);
}
END_TEST

START_TEST(sha256_known_vector)
{
	char hex[65];
	sol_sha256_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(utf8_validation)
{
	ck_assert(sol_utf8_valid("caf\xc3\xa9", 5));
	ck_assert(!sol_utf8_valid("caf\xe9", 4));            /* latin-1 byte */
	ck_assert(!sol_utf8_valid("\xc0\xaf", 2));           /* overlong */
	ck_assert(!sol_utf8_valid("\xed\xa0\x80", 3));       /* surrogate */
	ck_assert(!sol_utf8_valid("\xe2\x82", 2));           /* truncated */
}
END_TEST

START_TEST(record_round_trip)
{
	sol_record r, back;
	sol_buf js;
	sol_err err;

	sol_record_init(&r);
	r.source = strdup("corpus/a.html");
	r.title = strdup("Caf\xc3\xa9 \"report\"");
	r.text = strdup("Hampshire County Council (HCC) met on 12 June 2013.");
	r.text_len = strlen(r.text);
	r.date = strdup("2013-06-12");
	sol_record_hash_text(&r);
	ck_assert_int_eq(sol_record_add_entity(&r, "org", "Hampshire County Council",
					       NULL, 0, 24), SOL_OK);
	ck_assert_int_eq(sol_record_add_date(&r, "12 June 2013", "2013-06-12", 38, 50), SOL_OK);
	ck_assert_int_eq(sol_record_add_alias(&r, "HCC", "Hampshire County Council"), SOL_OK);

	sol_buf_init(&js, 0);
	ck_assert_int_eq(sol_record_to_json(&r, &js, &err), SOL_OK);
	ck_assert_ptr_null(strchr(js.data, '\n'));
	ck_assert_int_eq(sol_record_from_json(js.data, js.len, &back, &err), SOL_OK);
	ck_assert_str_eq(back.source, r.source);
	ck_assert_str_eq(back.title, r.title);
	ck_assert_str_eq(back.text, r.text);
	ck_assert_str_eq(back.id, r.id);
	ck_assert_uint_eq(strlen(back.id), 16);
	ck_assert_uint_eq(back.n_entities, 1);
	ck_assert_str_eq(back.entities[0].norm, "Hampshire County Council");
	ck_assert_uint_eq(back.entities[0].end, 24);
	ck_assert_uint_eq(back.n_dates, 1);
	ck_assert_str_eq(back.dates[0].iso, "2013-06-12");
	ck_assert_uint_eq(back.n_aliases, 1);
	ck_assert_str_eq(back.aliases[0].abbrev, "HCC");
	sol_record_release(&back);
	sol_record_release(&r);
	sol_buf_release(&js);
}
END_TEST

/* A record is appended to what the buffer holds; one that does not fit
 * is taken back whole, with the buffer as it was and the reason named. */
START_TEST(record_json_appends_or_takes_back)
{
	sol_record r;
	sol_buf js;
	sol_err err;

	sol_record_init(&r);
	r.source = strdup("corpus/a.html");
	r.text = strdup("Hampshire County Council met.");
	r.text_len = strlen(r.text);
	ck_assert_int_eq(sol_record_add_entity(&r, "org", "Hampshire County Council",
					       NULL, 0, 24), SOL_OK);
	sol_buf_init(&js, 0);
	ck_assert_int_eq(sol_buf_adds(&js, "PREV"), SOL_OK);
	ck_assert_int_eq(sol_record_to_json(&r, &js, &err), SOL_OK);
	ck_assert_int_eq(strncmp(js.data, "PREV{", 5), 0);
	ck_assert_ptr_nonnull(strstr(js.data, "\"entities\":[{\"type\":\"org\",\"text\":"
					       "\"Hampshire County Council\",\"norm\":"
					       "\"Hampshire County Council\",\"start\":0,\"end\":24}]"));
	sol_buf_release(&js);

	sol_buf_init(&js, 40);
	ck_assert_int_eq(sol_buf_adds(&js, "PREV"), SOL_OK);
	ck_assert_int_eq(sol_record_to_json(&r, &js, &err), SOL_ERR_TOOBIG);
	ck_assert_str_eq(js.data, "PREV");
	ck_assert_uint_eq(js.len, 4);
	ck_assert_ptr_nonnull(strstr(err.msg, "corpus/a.html"));
	ck_assert_ptr_nonnull(strstr(err.msg, "too large"));
	sol_buf_release(&js);
	sol_record_release(&r);
}
END_TEST

/* The _n forms copy spans of a larger text: exactly the bytes given, each
 * string terminated, none aliasing the caller's buffer or another string. */
START_TEST(record_adds_spans_by_length)
{
	const char *text = "Cllr Jane Smith met Ofsted on 1st July 2013.";
	sol_record r;

	sol_record_init(&r);
	ck_assert_int_eq(sol_record_add_entity_n(&r, "person", text, 15, "Jane Smith", 4, 0, 15),
			 SOL_OK);
	ck_assert_int_eq(sol_record_add_entity_n(&r, "org", text + 20, 6, text + 20, 6, 20, 26),
			 SOL_OK);
	ck_assert_int_eq(sol_record_add_date_n(&r, text + 30, 13, "2013-07-01", 10, 30, 43),
			 SOL_OK);
	ck_assert_uint_eq(r.n_entities, 2);
	ck_assert_str_eq(r.entities[0].type, "person");
	ck_assert_str_eq(r.entities[0].text, "Cllr Jane Smith");
	ck_assert_str_eq(r.entities[0].norm, "Jane"); /* the length given, not the string's */
	ck_assert_str_eq(r.entities[1].text, "Ofsted");
	ck_assert_str_eq(r.entities[1].norm, "Ofsted");
	ck_assert_ptr_ne(r.entities[1].text, r.entities[1].norm);
	ck_assert(r.entities[1].text < text || r.entities[1].text > text + strlen(text));
	ck_assert_uint_eq(r.entities[1].start, 20);
	ck_assert_uint_eq(r.entities[1].end, 26);
	ck_assert_uint_eq(r.n_dates, 1);
	ck_assert_str_eq(r.dates[0].text, "1st July 2013");
	ck_assert_str_eq(r.dates[0].iso, "2013-07-01");
	/* empty strings are strings too */
	ck_assert_int_eq(sol_record_add_entity_n(&r, "org", text, 0, "", 0, 0, 0), SOL_OK);
	ck_assert_str_eq(r.entities[2].text, "");
	ck_assert_str_eq(r.entities[2].norm, "");
	sol_record_release(&r);
}
END_TEST

START_TEST(record_rejects_bad_input)
{
	sol_record r;
	sol_err err;
	const char *bad[] = {
		"not json",
		"[1,2]",
		"{\"source\":\"x\",\"text\":\"t\"}",                 /* no version */
		"{\"version\":1,\"text\":\"t\"}",                    /* no source */
		"{\"version\":1,\"source\":\"x\"}",                  /* no text */
		"{\"version\":1,\"source\":\"x\",\"text\":\"t\",\"entities\":[{\"text\":1}]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_int_ne(sol_record_from_json(bad[i], strlen(bad[i]), &r, &err), SOL_OK);
		ck_assert(err.msg[0] != '\0');
	}
	const char *newer = "{\"version\":99,\"source\":\"x\",\"text\":\"t\"}";
	ck_assert_int_eq(sol_record_from_json(newer, strlen(newer), &r, &err), SOL_ERR_VERSION);
	/* a failure record needs no text */
	const char *fail = "{\"version\":1,\"source\":\"x\",\"error\":\"x: broken\"}";
	ck_assert_int_eq(sol_record_from_json(fail, strlen(fail), &r, &err), SOL_OK);
	ck_assert_str_eq(r.error, "x: broken");
	sol_record_release(&r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, buf_appends_and_detaches);
	tcase_add_test(tc, buf_refuses_past_cap);
	tcase_add_test(tc, write_file_replaces_whole);
	tcase_add_test(tc, sha256_known_vector);
	tcase_add_test(tc, utf8_validation);
	tcase_add_test(tc, record_round_trip);
	tcase_add_test(tc, record_json_appends_or_takes_back);
	tcase_add_test(tc, record_adds_spans_by_length);
	tcase_add_test(tc, record_rejects_bad_input);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(suite(), CK_FORK_GETENV);
}
