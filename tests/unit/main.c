/* main.c — the one Check runner: every tests/unit/check_*.c suite, found by the
 * Makefile (build/.../suites.inc), run together; the exit status is the result.
 * CK_RUN_SUITE / CK_RUN_CASE pick one; CK_FORK=no runs in-process for gdb. */
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
    SRunner *sr = srunner_create(NULL);
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
        srunner_add_suite(sr, suites[i]());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
