/* main.c — the one Check runner: every tests/unit/check_*.c suite, found by the
 * Makefile (build/.../suites.inc), run together; the exit status is the result.
 * CK_RUN_SUITE / CK_RUN_CASE pick one; CK_FORK=no runs in-process for gdb.
 * A test case's time limit is a hang detector, not a benchmark: Check's
 * default of 4 s is raised to 30 s (CK_DEFAULT_TIMEOUT still wins), as a
 * sanitizer build on a busy shared machine can take seconds to fork. */
#include <check.h>
#include <stdlib.h>

#define SK_SUITE(f) Suite *f(void);
#include "suites.inc"
#undef SK_SUITE

static Suite *(*const suites[])(void) = {
#define SK_SUITE(f) f,
#include "suites.inc"
#undef SK_SUITE
};

int main(void)
{
    setenv("CK_DEFAULT_TIMEOUT", "30", 0);
    SRunner *sr = srunner_create(NULL);
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
        srunner_add_suite(sr, suites[i]());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
