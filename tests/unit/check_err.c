/* check_err.c — the error buffer and status names (core/err.c). */
#include <check.h>
#include <string.h>

#include "err.h"

START_TEST(test_err_formats_and_truncates)
{
    char err[SK_ERRBUF_SIZE];
    sk_err(err, "cannot open %s: %s", "x.pcap", "No such file");
    ck_assert_str_eq(err, "cannot open x.pcap: No such file");

    char big[SK_ERRBUF_SIZE * 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    sk_err(err, "%s", big);
    ck_assert_uint_eq(strlen(err), SK_ERRBUF_SIZE - 1);
    sk_err(NULL, "ignored %d", 1); /* must not crash */
}
END_TEST

START_TEST(test_status_names)
{
    ck_assert_str_eq(sk_status_name(SK_OK), "ok");
    ck_assert_str_eq(sk_status_name(SK_TRUNCATED), "truncated");
    ck_assert_str_eq(sk_status_name(SK_INVALID), "invalid");
    ck_assert_str_eq(sk_status_name((enum sk_status)7), "?");
}
END_TEST

Suite *err_suite(void);
Suite *err_suite(void)
{
    Suite *s = suite_create("err");
    TCase *tc = tcase_create("Core");
    tcase_add_test(tc, test_err_formats_and_truncates);
    tcase_add_test(tc, test_status_names);
    suite_add_tcase(s, tc);
    return s;
}
