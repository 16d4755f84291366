/* check_main.h - what every unit test program's main() does: run its suite
 * and exit non-zero when a test failed. fork: CK_FORK_GETENV (each test in
 * a child process, unless CK_FORK=no says otherwise), or CK_NOFORK for a
 * program whose tests must share one process. Header-only. */
#ifndef SOLENT_TEST_CHECK_MAIN_H
#define SOLENT_TEST_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

static inline int run_suite(Suite *s, enum fork_status fork)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_set_fork_status(sr, fork);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
