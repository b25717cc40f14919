/* check_escape.c — terminal-safe and JSON-safe text, display widths (core/escape.c). */
#include <check.h>
#include <stdbool.h>
#include <string.h>

#include "escape.h"

/* Escapes a C string's bytes (n bytes of output room) and returns the output. */
static const char *esc(const char *in, size_t len, char *out, size_t n, size_t *used)
{
    size_t u = sk_escape_text((const uint8_t *)in, len, out, n, NULL);
    if (used)
        *used = u;
    return out;
}

/* No byte of out may be a control or a lone C1 byte: it must be safe to print. */
static void assert_printable(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        ck_assert_msg(*p >= 0x20 && *p != 0x7f, "control byte 0x%02x in \"%s\"", *p, s);
        ck_assert_msg(*p != 0x9b && *p != 0x9d, "raw C1 byte in output");
    }
}

START_TEST(test_plain_text_kept)
{
    char out[64];
    size_t used;
    ck_assert_str_eq(esc("HelloWorld!!!", 13, out, sizeof out, &used), "HelloWorld!!!");
    ck_assert_uint_eq(used, 13);
    ck_assert_str_eq(esc("goodbye!!!\n", 11, out, sizeof out, NULL), "goodbye!!!\\n");
    ck_assert_str_eq(esc("a\r\tb\\c", 6, out, sizeof out, NULL), "a\\r\\tb\\\\c");
    /* CJK and other well-formed UTF-8 is kept as is. */
    const char *cjk = "\xe4\xbd\xa0\xe5\xa5\xbd, \xec\x95\x88\xeb\x85\x95 caf\xc3\xa9";
    ck_assert_str_eq(esc(cjk, strlen(cjk), out, sizeof out, NULL), cjk);
    const char *emoji = "\xf0\x9f\x98\x80";
    ck_assert_str_eq(esc(emoji, 4, out, sizeof out, NULL), emoji);
}
END_TEST

START_TEST(test_terminal_attacks_neutralised)
{
    char out[128];
    /* Clear screen: ESC [ 2 J */
    ck_assert_str_eq(esc("\x1b[2J", 4, out, sizeof out, NULL), "\\x1b[2J");
    /* OSC 0: set the window title, ended by BEL or by ST (ESC \) */
    ck_assert_str_eq(esc("\x1b]0;pwned\x07", 10, out, sizeof out, NULL), "\\x1b]0;pwned\\x07");
    ck_assert_str_eq(esc("\x1b]2;t\x1b\\", 7, out, sizeof out, NULL), "\\x1b]2;t\\x1b\\\\");
    /* 8-bit CSI alone is not UTF-8: shown as its byte. */
    ck_assert_str_eq(esc("\x9b" "31m", 4, out, sizeof out, NULL), "\\x9b31m");
    /* The same C1 control well-formed (C2 9B) is a character: \u{009B}. */
    ck_assert_str_eq(esc("\xc2\x9b" "1m", 4, out, sizeof out, NULL), "\\u{009B}1m");
    /* NUL in the middle does not end the text. */
    ck_assert_str_eq(esc("a\0b", 3, out, sizeof out, NULL), "a\\x00b");
    ck_assert_str_eq(esc("\x7f", 1, out, sizeof out, NULL), "\\x7f");
    assert_printable(esc("\x1b[2J\x9b\x07\x08\x7f\x00", 9, out, sizeof out, NULL));
}
END_TEST

START_TEST(test_malformed_utf8_as_bytes)
{
    char out[64];
    size_t used;
    /* Overlong '/' (C0 AF) */
    ck_assert_str_eq(esc("\xc0\xaf", 2, out, sizeof out, NULL), "\\xc0\\xaf");
    /* Overlong 3-byte form of '/' (E0 80 AF) */
    ck_assert_str_eq(esc("\xe0\x80\xaf", 3, out, sizeof out, NULL), "\\xe0\\x80\\xaf");
    /* UTF-16 surrogate U+D800 (ED A0 80) */
    ck_assert_str_eq(esc("\xed\xa0\x80", 3, out, sizeof out, NULL), "\\xed\\xa0\\x80");
    /* Above U+10FFFF (F4 90 80 80) and F5 */
    ck_assert_str_eq(esc("\xf4\x90\x80\x80", 4, out, sizeof out, NULL),
                     "\\xf4\\x90\\x80\\x80");
    ck_assert_str_eq(esc("\xf5", 1, out, sizeof out, NULL), "\\xf5");
    /* A multibyte character cut by the end of the data */
    ck_assert_str_eq(esc("ok\xe4\xbd", 4, out, sizeof out, &used), "ok\\xe4\\xbd");
    ck_assert_uint_eq(used, 4);
    /* A lone continuation byte, then a good character */
    ck_assert_str_eq(esc("\x80\xc3\xa9", 3, out, sizeof out, NULL), "\\x80\xc3\xa9");
    /* The highest code point is fine */
    ck_assert_str_eq(esc("\xf4\x8f\xbf\xbf", 4, out, sizeof out, NULL), "\xf4\x8f\xbf\xbf");
}
END_TEST

START_TEST(test_bidi_controls_visible)
{
    char out[64];
    /* RIGHT-TO-LEFT OVERRIDE U+202E (E2 80 AE): "Trojan Source" */
    ck_assert_str_eq(esc("a\xe2\x80\xae" "cba", 7, out, sizeof out, NULL), "a\\u{202E}cba");
    /* Isolates U+2066..U+2069 and marks U+200F */
    ck_assert_str_eq(esc("\xe2\x81\xa6\xe2\x81\xa9\xe2\x80\x8f", 9, out, sizeof out, NULL),
                     "\\u{2066}\\u{2069}\\u{200F}");
    /* U+2030 (per mille), next to them, is an ordinary character */
    ck_assert_str_eq(esc("\xe2\x80\xb0", 3, out, sizeof out, NULL), "\xe2\x80\xb0");
}
END_TEST

START_TEST(test_never_overflows_nor_splits)
{
    const char *in = "ab\x1b\xe4\xbd\xa0\xe2\x80\xae\n\\z";
    size_t len = strlen(in);
    char full[64];
    size_t full_len;
    sk_escape_text((const uint8_t *)in, len, full, sizeof full, &full_len);
    ck_assert_str_eq(full, "ab\\x1b\xe4\xbd\xa0\\u{202E}\\n\\\\z");
    for (size_t n = 1; n <= full_len + 1; n++) {
        char out[64];
        memset(out, 'X', sizeof out);
        size_t outlen;
        size_t used = sk_escape_text((const uint8_t *)in, len, out, n, &outlen);
        ck_assert_uint_lt(outlen, n);
        ck_assert_int_eq(out[outlen], '\0');
        ck_assert_int_eq(out[n], 'X'); /* nothing written past n */
        /* What was written is a prefix of the full form, ending at a whole unit,
         * and it is exactly the escape of the input consumed. */
        ck_assert(strncmp(out, full, outlen) == 0);
        char again[64];
        size_t again_len;
        sk_escape_text((const uint8_t *)in, used, again, sizeof again, &again_len);
        ck_assert_str_eq(again, out);
    }
    char one[1] = {'X'};
    ck_assert_uint_eq(sk_escape_text((const uint8_t *)"abc", 3, one, 1, NULL), 0);
    ck_assert_int_eq(one[0], '\0');
    ck_assert_uint_eq(sk_escape_text((const uint8_t *)"abc", 3, one, 0, NULL), 0);
}
END_TEST

START_TEST(test_json)
{
    char out[128];
    ck_assert_uint_eq(sk_escape_json("say \"hi\" \\ bye", out, sizeof out), 17);
    ck_assert_str_eq(out, "say \\\"hi\\\" \\\\ bye");
    sk_escape_json("\x1b[2J\n\r\t\b\f\x01\x7f", out, sizeof out);
    ck_assert_str_eq(out, "\\u001b[2J\\n\\r\\t\\b\\f\\u0001\\u007f");
    sk_escape_json("\xe4\xbd\xa0\xe5\xa5\xbd", out, sizeof out);
    ck_assert_str_eq(out, "\xe4\xbd\xa0\xe5\xa5\xbd");
    sk_escape_json("a\xff" "b\xc0\xaf", out, sizeof out);
    ck_assert_str_eq(out, "a\\ufffdb\\ufffd\\ufffd");
    sk_escape_json("x\xe2\x80\xaey\xc2\x9b", out, sizeof out);
    ck_assert_str_eq(out, "x\\u202ey\\u009b");
    /* sk_escape_text's own escapes survive as text: the backslash doubles. */
    sk_escape_json("\\x1b", out, sizeof out);
    ck_assert_str_eq(out, "\\\\x1b");
}
END_TEST

START_TEST(test_json_truncation_whole_escapes)
{
    const char *in = "a\"\x1b\xe4\xbd\xa0z";
    char full[64];
    size_t full_len = sk_escape_json(in, full, sizeof full);
    ck_assert_str_eq(full, "a\\\"\\u001b\xe4\xbd\xa0z");
    /* Every room size gives a prefix that ends between two units. */
    static const size_t ends[] = {0, 1, 3, 9, 12, 13};
    for (size_t n = 1; n <= full_len + 1; n++) {
        char out[64];
        memset(out, 'X', sizeof out);
        size_t w = sk_escape_json(in, out, n);
        ck_assert_uint_lt(w, n);
        ck_assert_int_eq(out[w], '\0');
        ck_assert_int_eq(out[n], 'X');
        ck_assert(strncmp(out, full, w) == 0);
        bool whole = false;
        for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
            whole |= ends[i] == w;
        ck_assert_msg(whole, "cut at %zu, inside an escape or character", w);
    }
    ck_assert_uint_eq(sk_escape_json("abc", full, 0), 0);
}
END_TEST

START_TEST(test_widths)
{
    ck_assert_uint_eq(sk_text_width(""), 0);
    ck_assert_uint_eq(sk_text_width("HelloWorld!!!"), 13);
    ck_assert_uint_eq(sk_text_width("\xe4\xbd\xa0\xe5\xa5\xbd"), 4);         /* 你好 */
    ck_assert_uint_eq(sk_text_width("\xec\x95\x88\xeb\x85\x95"), 4);         /* 안녕 */
    ck_assert_uint_eq(sk_text_width("\xe3\x81\x8b\xe3\x82\xab"), 4);         /* かカ */
    ck_assert_uint_eq(sk_text_width("\xef\xbc\xa1\xef\xbd\xa1"), 3);         /* Ａ (wide) ｡ (half) */
    ck_assert_uint_eq(sk_text_width("\xe3\x80\x82"), 2);                     /* 。 */
    ck_assert_uint_eq(sk_text_width("e\xcc\x81"), 1);                        /* e + U+0301 */
    ck_assert_uint_eq(sk_text_width("caf\xc3\xa9"), 4);
    ck_assert_uint_eq(sk_text_width("\xe2\x94\x80\xe2\x94\x82"), 2);         /* box drawing ─│ */
    ck_assert_uint_eq(sk_text_width("\xf0\xa0\x80\x80"), 2);                 /* U+20000 */
    ck_assert_uint_eq(sk_text_width("\xf0\x9f\x98\x80"), 2);                 /* 😀 */
    ck_assert_uint_eq(sk_text_width("a\xe2\x80\x8b" "b"), 2);                /* zero-width space */
    /* The escapes of sk_escape_text are plain ASCII: one column a byte. */
    ck_assert_uint_eq(sk_text_width("\\x1b\\u{202E}"), 12);
}
END_TEST

START_TEST(test_fit_and_wrap_by_columns)
{
    size_t w;
    /* One byte one column for ASCII; Chinese characters are 3 bytes, 2 columns. */
    ck_assert_uint_eq(sk_text_char("a", &w), 1);
    ck_assert_uint_eq(w, 1);
    ck_assert_uint_eq(sk_text_char("\xe5\x90\x8c", &w), 3);
    ck_assert_uint_eq(w, 2);
    ck_assert_uint_eq(sk_text_char("\xff", &w), 1); /* a stray byte */
    ck_assert_uint_eq(w, 1);
    ck_assert_uint_eq(sk_text_char("", &w), 0);

    const char *mixed = "ab" "\xe4\xbd\xa0\xe5\xa5\xbd" "cd"; /* ab你好cd: 8 columns */
    ck_assert_uint_eq(sk_text_fit(mixed, 8, &w), strlen(mixed));
    ck_assert_uint_eq(w, 8);
    ck_assert_uint_eq(sk_text_fit(mixed, 3, &w), 2); /* never half a wide character */
    ck_assert_uint_eq(w, 2);
    ck_assert_uint_eq(sk_text_fit(mixed, 4, &w), 5);
    ck_assert_uint_eq(w, 4);

    /* Words wrap at spaces; text without spaces breaks between characters. */
    const char *s = "ack 14 = 13 bytes received", *line;
    size_t len;
    ck_assert(sk_text_next_line(&s, 12, &line, &len));
    ck_assert_int_eq((int)len, 11);
    ck_assert(strncmp(line, "ack 14 = 13", len) == 0);
    ck_assert(sk_text_next_line(&s, 12, &line, &len));
    ck_assert_int_eq((int)len, 5);
    ck_assert(strncmp(line, "bytes", len) == 0);
    ck_assert(sk_text_next_line(&s, 12, &line, &len));
    ck_assert(strncmp(line, "received", len) == 0);
    ck_assert(!sk_text_next_line(&s, 12, &line, &len));

    const char *zh = "\xe4\xb8\x89\xe6\xac\xa1\xe6\x8f\xa1\xe6\x89\x8b"; /* 三次握手 */
    ck_assert(sk_text_next_line(&zh, 5, &line, &len));
    ck_assert_uint_eq(len, 6); /* two characters, 4 columns */
    ck_assert(sk_text_next_line(&zh, 5, &line, &len));
    ck_assert_uint_eq(len, 6);
    ck_assert(!sk_text_next_line(&zh, 5, &line, &len));

    /* A character wider than the line still moves on. */
    const char *wide = "\xe4\xbd\xa0";
    ck_assert(sk_text_next_line(&wide, 1, &line, &len));
    ck_assert_uint_eq(len, 3);
}
END_TEST

/* Line breaks: at spaces as before; in Chinese between characters, never
 * before a closing mark nor after an opening one. */
START_TEST(test_line_breaks)
{
    const char *en = "ack 14 = 1 + 13 bytes";
    ck_assert_uint_eq(sk_text_break(en, 10), 10);  /* the space at 10 */
    ck_assert_uint_eq(sk_text_break(en, 9), 8);    /* "ack 14 =" */
    ck_assert_uint_eq(sk_text_break(en, 7), 6);    /* "ack 14" */
    ck_assert_uint_eq(sk_text_break("HelloWorld!!!", 5), 0);
    /* 客户端发送SYN。 : 3 bytes a character */
    const char *zh = "\xe5\xae\xa2\xe6\x88\xb7\xe7\xab\xaf\xe5\x8f\x91\xe9\x80\x81SYN\xe3\x80\x82";
    ck_assert_uint_eq(sk_text_break(zh, 6), 6);    /* 客户|端 */
    ck_assert_uint_eq(sk_text_break(zh, 7), 6);    /* never inside a character */
    ck_assert_uint_eq(sk_text_break(zh, 16), 15);  /* 发送|SYN: before the letters */
    ck_assert_uint_eq(sk_text_break(zh, 18), 15);  /* not inside SYN, not before 。 */
    /* 窗口（window）: no break after （ nor before ） */
    const char *paren = "\xe7\xaa\x97\xe5\x8f\xa3\xef\xbc\x88window\xef\xbc\x89";
    ck_assert_uint_eq(sk_text_break(paren, 9), 6);   /* 窗口|（ */
    ck_assert_uint_eq(sk_text_break(paren, 15), 6);
    ck_assert_uint_eq(sk_text_break("a\xe4\xbd\xa0 b", 4), 4);  /* the space wins when later */
    ck_assert_uint_eq(sk_text_break("", 0), 0);
    ck_assert_uint_eq(sk_text_break("\xff\xfe", 1), 0);            /* stray bytes: narrow */
}
END_TEST

Suite *escape_suite(void); /* found by the runner (tests/unit/main.c) */

Suite *escape_suite(void)
{
    Suite *s = suite_create("escape");
    TCase *tc = tcase_create("Core");
    tcase_add_test(tc, test_plain_text_kept);
    tcase_add_test(tc, test_widths);
    tcase_add_test(tc, test_line_breaks);
    suite_add_tcase(s, tc);
    TCase *th = tcase_create("Hostile");
    tcase_add_test(th, test_terminal_attacks_neutralised);
    tcase_add_test(th, test_malformed_utf8_as_bytes);
    tcase_add_test(th, test_bidi_controls_visible);
    suite_add_tcase(s, th);
    TCase *tt = tcase_create("Truncated");
    tcase_add_test(tt, test_never_overflows_nor_splits);
    tcase_add_test(tt, test_json);
    tcase_add_test(tt, test_json_truncation_whole_escapes);
    tcase_add_test(tt, test_fit_and_wrap_by_columns);
    suite_add_tcase(s, tt);
    return s;
}
