/* check_names.c — value→name tables (core/names.c). */
#include <check.h>
#include <stdbool.h>
#include <string.h>

#include "i18n.h"
#include "names.h"

/* A name for people or a protocol token: non-empty printable ASCII. */
static bool good_name(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (*s < 0x20 || *s > 0x7e)
            return false;
    return true;
}

START_TEST(test_tok)
{
    static const struct sk_tok t[] = {{0, "zero"}, {7, "seven"}, {65535, "max"}, {0, NULL}};
    ck_assert_str_eq(sk_tok_name(t, 0), "zero");
    ck_assert_str_eq(sk_tok_name(t, 7), "seven");
    ck_assert_str_eq(sk_tok_name(t, 65535), "max");
    ck_assert_ptr_null(sk_tok_name(t, 8));
    static const struct sk_tok empty[] = {{0, NULL}};
    ck_assert_ptr_null(sk_tok_name(empty, 0));
}
END_TEST

START_TEST(test_link_and_network)
{
    ck_assert_str_eq(sk_dlt_name(1), "EN10MB (Ethernet)");
    ck_assert_str_eq(sk_dlt_name(0), "NULL (BSD loopback)");
    ck_assert_str_eq(sk_dlt_name(113), "LINUX_SLL (Linux cooked v1)");
    ck_assert_str_eq(sk_dlt_name(276), "LINUX_SLL2 (Linux cooked v2)");
    ck_assert_str_eq(sk_dlt_name(12), "RAW (Raw IP)");
    ck_assert_str_eq(sk_dlt_name(14), "RAW (Raw IP)");
    ck_assert_str_eq(sk_dlt_name(101), "RAW (Raw IP)");
    ck_assert_str_eq(sk_dlt_name(228), "IPV4 (Raw IPv4)");
    ck_assert_ptr_null(sk_dlt_name(-1));
    ck_assert_ptr_null(sk_dlt_name(100000));

    ck_assert_str_eq(sk_ethertype_name(0x0800), "IPv4");
    ck_assert_str_eq(sk_ethertype_name(0x86dd), "IPv6");
    ck_assert_str_eq(sk_ethertype_name(0x0806), "ARP");
    ck_assert_str_eq(sk_ethertype_name(0x8100), "802.1Q");
    ck_assert_str_eq(sk_ethertype_name(0x88a8), "802.1ad");
    ck_assert_str_eq(sk_ethertype_name(0x88cc), "LLDP");
    ck_assert_ptr_null(sk_ethertype_name(0x1234));

    ck_assert_str_eq(sk_ipproto_name(6), "TCP");
    ck_assert_str_eq(sk_ipproto_name(17), "UDP");
    ck_assert_str_eq(sk_ipproto_name(1), "ICMP");
    ck_assert_str_eq(sk_ipproto_name(58), "ICMPv6");
    ck_assert_str_eq(sk_ipproto_name(47), "GRE");
    ck_assert_str_eq(sk_ipproto_name(0), "HOPOPT");
    ck_assert_ptr_null(sk_ipproto_name(250));

    ck_assert_str_eq(sk_arp_op_name(1), "request");
    ck_assert_str_eq(sk_arp_op_name(2), "reply");
    ck_assert_str_eq(sk_sll_pkttype_name(0), "unicast to us");
    ck_assert_str_eq(sk_sll_pkttype_name(4), "sent by us");
    ck_assert_str_eq(sk_arphrd_name(772), "loopback");
    ck_assert_str_eq(sk_ipopt_name(7), "RR");
    ck_assert_str_eq(sk_ip6opt_name(0), "Pad1");
    ck_assert_str_eq(sk_ip6opt_name(0xc2), "Jumbo Payload");
}
END_TEST

/* tcpdump's own tokens, so that summaries and the detail pane agree with it. */
START_TEST(test_tcp_options)
{
    static const struct {
        uint8_t kind;
        const char *name;
    } t[] = {{0, "eol"}, {1, "nop"}, {2, "mss"}, {3, "wscale"}, {4, "sackOK"}, {5, "sack"},
             {8, "TS"},  {19, "md5"}, {30, "mptcp"}, {34, "tfo"}, {254, "exp"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        ck_assert_str_eq(sk_tcpopt_name(t[i].kind), t[i].name);
    ck_assert_ptr_null(sk_tcpopt_name(99));
}
END_TEST

START_TEST(test_icmp)
{
    ck_assert_str_eq(sk_icmp_type_name(0), "echo reply");
    ck_assert_str_eq(sk_icmp_type_name(3), "destination unreachable");
    ck_assert_str_eq(sk_icmp_type_name(8), "echo request");
    ck_assert_str_eq(sk_icmp_type_name(11), "time exceeded");
    ck_assert_ptr_null(sk_icmp_type_name(99));
    ck_assert_str_eq(sk_icmp_unreach_name(3), "port unreachable");
    ck_assert_str_eq(sk_icmp_unreach_name(4), "fragmentation needed");
    ck_assert_ptr_null(sk_icmp_unreach_name(16));
    ck_assert_str_eq(sk_icmp_code_name(3, 1), "host unreachable");
    ck_assert_str_eq(sk_icmp_code_name(11, 0), "time to live exceeded in transit");
    ck_assert_ptr_null(sk_icmp_code_name(8, 0));

    ck_assert_str_eq(sk_icmp6_type_name(1), "destination unreachable");
    ck_assert_str_eq(sk_icmp6_type_name(2), "packet too big");
    ck_assert_str_eq(sk_icmp6_type_name(128), "echo request");
    ck_assert_str_eq(sk_icmp6_type_name(135), "neighbor solicitation");
    ck_assert_ptr_null(sk_icmp6_type_name(0));
    ck_assert_str_eq(sk_icmp6_unreach_name(4), "port unreachable");
    ck_assert_str_eq(sk_icmp6_unreach_name(0), "no route to destination");
    ck_assert_ptr_null(sk_icmp6_unreach_name(9));
    ck_assert_str_eq(sk_icmp6_code_name(3, 0), "hop limit exceeded in transit");
    ck_assert_ptr_null(sk_icmp6_code_name(128, 0));
}
END_TEST

/* Every name of every table, over the whole range of its numbers. */
START_TEST(test_all_names_printable)
{
    unsigned named = 0;
    for (unsigned v = 0; v < 256; v++) {
        const char *names[] = {sk_ipproto_name((uint8_t)v),     sk_tcpopt_name((uint8_t)v),
                               sk_icmp_type_name((uint8_t)v),   sk_icmp_unreach_name((uint8_t)v),
                               sk_icmp6_type_name((uint8_t)v),  sk_icmp6_unreach_name((uint8_t)v),
                               sk_ipopt_name((uint8_t)v),       sk_ip6opt_name((uint8_t)v),
                               sk_icmp_code_name(3, (uint8_t)v), sk_icmp_code_name(5, (uint8_t)v),
                               sk_icmp_code_name(11, (uint8_t)v), sk_icmp_code_name(12, (uint8_t)v),
                               sk_icmp6_code_name(1, (uint8_t)v), sk_icmp6_code_name(3, (uint8_t)v),
                               sk_icmp6_code_name(4, (uint8_t)v)};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            if (names[i]) {
                ck_assert_msg(good_name(names[i]), "table %zu value %u", i, v);
                /* Without a catalogue, gettext hands the English back. */
                ck_assert_str_eq(_(names[i]), names[i]);
                named++;
            }
        }
    }
    for (unsigned v = 0; v < 65536; v++) {
        const char *names[] = {sk_ethertype_name((uint16_t)v), sk_arp_op_name((uint16_t)v),
                               sk_sll_pkttype_name((uint16_t)v), sk_arphrd_name((uint16_t)v),
                               sk_dlt_name((int)v)};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (names[i]) {
                ck_assert_msg(good_name(names[i]), "table %zu value %u", i, v);
                named++;
            }
    }
    ck_assert_uint_gt(named, 200);
}
END_TEST

Suite *names_suite(void);
Suite *names_suite(void)
{
    Suite *s = suite_create("names");
    TCase *tc = tcase_create("Core");
    tcase_add_test(tc, test_tok);
    tcase_add_test(tc, test_link_and_network);
    tcase_add_test(tc, test_tcp_options);
    tcase_add_test(tc, test_icmp);
    tcase_add_test(tc, test_all_names_printable);
    suite_add_tcase(s, tc);
    return s;
}
