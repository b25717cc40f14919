/* check_addr.c — address text forms, order and parsing (core/addr.c). */
#include <check.h>
#include <string.h>

#include "addr.h"

START_TEST(test_addr_text_forms)
{
    struct sk_addr a;
    char buf[SK_ADDRSTRLEN];
    ck_assert(sk_addr_parse("127.0.0.1", &a));
    ck_assert_int_eq(a.family, 4);
    ck_assert_str_eq(sk_addr_str(&a, buf), "127.0.0.1");
    ck_assert_str_eq(sk_endpoint_str(&a, 6666, buf), "127.0.0.1:6666");
    ck_assert(sk_addr_parse("::1", &a));
    ck_assert_int_eq(a.family, 6);
    ck_assert_str_eq(sk_endpoint_str(&a, 40000, buf), "[::1]:40000");
    struct sk_addr none = {0};
    ck_assert_str_eq(sk_addr_str(&none, buf), "-");
}
END_TEST

START_TEST(test_addr_parse_rejects)
{
    struct sk_addr a;
    ck_assert(!sk_addr_parse("", &a));
    ck_assert(!sk_addr_parse("1.2.3", &a));
    ck_assert(!sk_addr_parse("256.1.1.1", &a));
    ck_assert(!sk_addr_parse("::1::", &a));
    ck_assert_int_eq(a.family, 0);
}
END_TEST

START_TEST(test_addr_order)
{
    struct sk_addr a, b, c;
    sk_addr_parse("10.0.0.1", &a);
    sk_addr_parse("10.0.0.2", &b);
    sk_addr_parse("::1", &c);
    ck_assert_int_lt(sk_addr_cmp(&a, &b), 0);
    ck_assert_int_gt(sk_addr_cmp(&b, &a), 0);
    ck_assert_int_lt(sk_addr_cmp(&a, &c), 0); /* IPv4 sorts before IPv6 */
    ck_assert(sk_addr_eq(&a, &a));
}
END_TEST

Suite *addr_suite(void);
Suite *addr_suite(void)
{
    Suite *s = suite_create("addr");
    TCase *tc = tcase_create("Core");
    tcase_add_test(tc, test_addr_text_forms);
    tcase_add_test(tc, test_addr_parse_rejects);
    tcase_add_test(tc, test_addr_order);
    suite_add_tcase(s, tc);
    return s;
}
