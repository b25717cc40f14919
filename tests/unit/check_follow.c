/* check_follow.c — a conversation's bytes for the follow-stream view and the hex dump (core/follow.c). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "follow.h"
#include "tcp.h"

#define EV(x) (1u << (x))

static struct sk_rec rec(uint16_t len, uint32_t events, bool s2c, int kind)
{
    struct sk_rec r;
    memset(&r, 0, sizeof r);
    r.len = len;
    r.events = events;
    r.kind = (uint8_t)(kind | (s2c ? SK_REC_S2C : 0));
    r.n = 4;
    return r;
}

START_TEST(test_keeps)
{
    struct sk_rec r = rec(13, EV(SK_EV_DATA), false, SK_K_TCP);
    ck_assert(sk_follow_keeps(&r));
    r = rec(0, EV(SK_EV_ACK), false, SK_K_TCP);
    ck_assert(!sk_follow_keeps(&r));
    r = rec(13, EV(SK_EV_DATA) | EV(SK_EV_RETRANS), false, SK_K_TCP);
    ck_assert(!sk_follow_keeps(&r));
    r = rec(13, EV(SK_EV_DATA) | EV(SK_EV_SPURIOUS_RETRANS), false, SK_K_TCP);
    ck_assert(!sk_follow_keeps(&r));
    r = rec(1, EV(SK_EV_KEEPALIVE), false, SK_K_TCP);
    ck_assert(!sk_follow_keeps(&r));
    r = rec(1, EV(SK_EV_ZERO_WINDOW_PROBE), false, SK_K_TCP);
    ck_assert(!sk_follow_keeps(&r));
    r = rec(13, EV(SK_EV_UDP), true, SK_K_UDP);
    ck_assert(sk_follow_keeps(&r));
}
END_TEST

START_TEST(test_heading)
{
    struct sk_conv c;
    memset(&c, 0, sizeof c);
    c.proto = 6;
    ck_assert(sk_addr_parse("127.0.0.1", &c.addr[SK_CLIENT]));
    ck_assert(sk_addr_parse("::1", &c.addr[SK_SERVER]));
    c.port[SK_CLIENT] = 40000;
    c.port[SK_SERVER] = 6666;
    char buf[200];
    struct sk_rec r = rec(13, EV(SK_EV_DATA), false, SK_K_TCP);
    size_t n = sk_follow_heading(&r, &c, 0, buf, sizeof buf);
    ck_assert_str_eq(buf, "client 127.0.0.1:40000 -> server: 13 bytes (packet 4)");
    ck_assert_uint_eq(n, strlen(buf));
    r = rec(10, EV(SK_EV_DATA), true, SK_K_TCP);
    sk_follow_heading(&r, &c, 0, buf, sizeof buf);
    ck_assert_str_eq(buf, "server [::1]:6666 -> client: 10 bytes (packet 4)");
    r = rec(5, EV(SK_EV_UDP), false, SK_K_UDP);
    sk_follow_heading(&r, &c, 3, buf, sizeof buf);
    ck_assert_str_eq(buf, "datagram 3, client 127.0.0.1:40000 -> server: 5 bytes (packet 4)");
    ck_assert_uint_eq(sk_follow_heading(&r, &c, 3, buf, 8), 7);
}
END_TEST

/* All the lines of p at cols columns, joined by '|'. */
static void lines(const char *p, size_t len, size_t cols, char *out, size_t n)
{
    out[0] = '\0';
    size_t off = 0;
    while (off < len) {
        char line[256];
        size_t used = sk_follow_text_line((const uint8_t *)p + off, len - off, cols, line,
                                          sizeof line);
        ck_assert_uint_gt(used, 0);
        if (cols >= 4) /* narrower: one escape may be wider than the line */
            ck_assert_uint_le(sk_text_width(line), cols);
        if (out[0])
            strncat(out, "|", n - strlen(out) - 1);
        strncat(out, line, n - strlen(out) - 1);
        off += used;
    }
}

START_TEST(test_text_lines)
{
    char out[512];
    lines("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27, 40, out, sizeof out);
    ck_assert_str_eq(out, "GET / HTTP/1.1|Host: x|");
    lines("HelloWorld!!!", 13, 5, out, sizeof out);
    ck_assert_str_eq(out, "Hello|World|!!!");
    /* A line that fills the width exactly takes its newline with it. */
    lines("abcde\nfg", 8, 5, out, sizeof out);
    ck_assert_str_eq(out, "abcde|fg");
    /* Controls are escaped, and the escape counts in the width. */
    lines("a\tb\x1b[0m", 7, 40, out, sizeof out);
    ck_assert_str_eq(out, "a\\tb\\x1b[0m");
    lines("\x01\x02\x03", 3, 8, out, sizeof out);
    ck_assert_str_eq(out, "\\x01\\x02|\\x03");
    /* Wide characters take two columns; a malformed byte shows as \xNN. */
    lines("\xe4\xbd\xa0\xe5\xa5\xbd", 6, 3, out, sizeof out);
    ck_assert_str_eq(out, "\xe4\xbd\xa0|\xe5\xa5\xbd");
    lines("\xe4\xbd", 2, 40, out, sizeof out);
    ck_assert_str_eq(out, "\\xe4\\xbd");
    /* A unit wider than the line still moves on. */
    lines("\x7f", 1, 2, out, sizeof out);
    ck_assert_str_eq(out, "\\x7f");
    char buf[16];
    ck_assert_uint_eq(sk_follow_text_line((const uint8_t *)"", 0, 10, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_hexdump)
{
    const uint8_t d[] = "HelloWorld!!!\n\x01\xff";
    char buf[128];
    size_t n = sk_hexdump_line(d, 16, 0, 16, buf, sizeof buf);
    ck_assert_str_eq(buf, "0000  48 65 6c 6c 6f 57 6f 72  6c 64 21 21 21 0a 01 ff  HelloWorld!!!...");
    ck_assert_uint_eq(n, strlen(buf));
    /* A short last line keeps the text column where it is. */
    n = sk_hexdump_line(d, 3, 0x10, 16, buf, sizeof buf);
    ck_assert_uint_eq(n, 59);
    ck_assert_int_eq(strncmp(buf, "0010  48 65 6c  ", 16), 0);
    ck_assert_str_eq(buf + 56, "Hel");
    for (size_t i = 15; i < 56; i++)
        ck_assert_int_eq(buf[i], ' ');
    sk_hexdump_line(d, 8, 0x20, 8, buf, sizeof buf);
    ck_assert_str_eq(buf, "0020  48 65 6c 6c  6f 57 6f 72  HelloWor");
    unsigned h, t;
    sk_hexdump_cols(0, 16, &h, &t);
    ck_assert_uint_eq(h, 6);
    ck_assert_uint_eq(t, 56);
    sk_hexdump_cols(8, 16, &h, &t);
    ck_assert_uint_eq(h, 31);
    ck_assert_uint_eq(t, 64);
    sk_hexdump_line(d, 16, 0, 16, buf, sizeof buf);
    for (unsigned i = 0; i < 16; i++) {
        char hex[3];
        snprintf(hex, sizeof hex, "%02x", d[i]);
        sk_hexdump_cols(i, 16, &h, &t);
        ck_assert_int_eq(buf[h], hex[0]);
        ck_assert_int_eq(buf[h + 1], hex[1]);
    }
    /* Too small a buffer: nothing, terminated. */
    ck_assert_uint_eq(sk_hexdump_line(d, 16, 0, 16, buf, 20), 0);
    ck_assert_str_eq(buf, "");
}
END_TEST

Suite *follow_suite(void); /* found by the runner (tests/unit/main.c) */
Suite *follow_suite(void)
{
    Suite *s = suite_create("follow");
    TCase *tc = tcase_create("Core");
    tcase_add_test(tc, test_keeps);
    tcase_add_test(tc, test_heading);
    tcase_add_test(tc, test_text_lines);
    tcase_add_test(tc, test_hexdump);
    suite_add_tcase(s, tc);
    return s;
}
