/* escape.c — untrusted bytes made safe for a terminal and for JSON, and their display width (escape.h). */
#include "escape.h"

#include <stdbool.h>
#include <string.h>

struct range {
    uint32_t lo, hi;
};

static bool in_ranges(const struct range *r, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].lo)
            hi = mid;
        else if (cp > r[mid].hi)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

/* Decodes one well-formed UTF-8 character (RFC 3629 §4: no overlong forms,
 * no surrogates, nothing above U+10FFFF). Returns its length, or 0 when the
 * first byte does not start one that is complete within len. */
static size_t utf8_decode(const uint8_t *s, size_t len, uint32_t *cp)
{
    uint8_t c = s[0];
    size_t n;
    uint8_t lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        *cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        *cp = c & 0x0f;
        if (c == 0xe0)
            lo = 0xa0; /* overlong below U+0800 */
        else if (c == 0xed)
            hi = 0x9f; /* surrogates U+D800-U+DFFF */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        *cp = c & 0x07;
        if (c == 0xf0)
            lo = 0x90; /* overlong below U+10000 */
        else if (c == 0xf4)
            hi = 0x8f; /* above U+10FFFF */
    } else {
        return 0; /* a continuation byte, C0/C1 (overlong ASCII), F5-FF */
    }
    if (len < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if (i > 1 && (s[i] & 0xc0) != 0x80)
            return 0;
        *cp = *cp << 6 | (s[i] & 0x3f);
    }
    return n;
}

/* Well-formed characters never shown raw: the C1 controls (0x9b alone is a
 * CSI to some terminals) and the bidirectional controls that can make text
 * read in another order than it is stored (CVE-2021-42574, "Trojan Source"),
 * plus the line and paragraph separators. */
static const struct range hidden[] = {
    {0x0080, 0x009f}, {0x061c, 0x061c}, {0x200e, 0x200f}, {0x2028, 0x202e},
    {0x2066, 0x2069},
};

static bool is_hidden(uint32_t cp)
{
    return in_ranges(hidden, sizeof hidden / sizeof hidden[0], cp);
}

static const char hexdig[] = "0123456789abcdef";

/* Writes \xNN (4 bytes). */
static size_t put_hex_byte(char *o, uint8_t b)
{
    o[0] = '\\';
    o[1] = 'x';
    o[2] = hexdig[b >> 4];
    o[3] = hexdig[b & 15];
    return 4;
}

/* Writes \u{XXXX} (4 to 6 hex digits, upper case as Unicode writes them). */
static size_t put_codepoint(char *o, uint32_t cp)
{
    static const char up[] = "0123456789ABCDEF";
    int digits = cp > 0xfffff ? 6 : cp > 0xffff ? 5 : 4;
    size_t k = 0;
    o[k++] = '\\';
    o[k++] = 'u';
    o[k++] = '{';
    for (int d = digits - 1; d >= 0; d--)
        o[k++] = up[(cp >> (4 * d)) & 15];
    o[k++] = '}';
    return k;
}

/*
 * Output forms: printable ASCII and well-formed UTF-8 as is; \n \r \t \\ for
 * those four; \xNN for each other C0 control, DEL and every byte that is not
 * part of a well-formed character (so an overlong or truncated sequence shows
 * its bytes); \u{XXXX} for well-formed but hidden characters (is_hidden).
 */
size_t sk_escape_text(const uint8_t *s, size_t len, char *out, size_t n, size_t *outlen)
{
    size_t i = 0, o = 0;
    if (n == 0) {
        if (outlen)
            *outlen = 0;
        return 0;
    }
    while (i < len) {
        char tmp[12];
        size_t tl, used;
        uint32_t cp;
        size_t cl = utf8_decode(s + i, len - i, &cp);
        if (cl == 0) {
            tl = put_hex_byte(tmp, s[i]);
            used = 1;
        } else if (cl == 1) {
            used = 1;
            tl = 2;
            tmp[0] = '\\';
            switch (s[i]) {
            case '\n': tmp[1] = 'n'; break;
            case '\r': tmp[1] = 'r'; break;
            case '\t': tmp[1] = 't'; break;
            case '\\': tmp[1] = '\\'; break;
            default:
                if (s[i] < 0x20 || s[i] == 0x7f) {
                    tl = put_hex_byte(tmp, s[i]);
                } else {
                    tmp[0] = (char)s[i];
                    tl = 1;
                }
                break;
            }
        } else if (is_hidden(cp)) {
            tl = put_codepoint(tmp, cp);
            used = cl;
        } else {
            memcpy(tmp, s + i, cl);
            tl = cl;
            used = cl;
        }
        if (o + tl + 1 > n)
            break; /* whole or not at all */
        memcpy(out + o, tmp, tl);
        o += tl;
        i += used;
    }
    out[o] = '\0';
    if (outlen)
        *outlen = o;
    return i;
}

/* RFC 8259 §7: quote, backslash and controls must be escaped. DEL, C1 and the
 * hidden characters are escaped too (legal either way), so that JSON lines
 * are as safe on a terminal as sk_escape_text's output. */
size_t sk_escape_json(const char *str, char *out, size_t n)
{
    const uint8_t *s = (const uint8_t *)str;
    size_t len = strlen(str), i = 0, o = 0;
    if (n == 0)
        return 0;
    while (i < len) {
        char tmp[8];
        size_t tl, used = 1;
        uint32_t cp;
        size_t cl = utf8_decode(s + i, len - i, &cp);
        if (cl == 0) {
            memcpy(tmp, "\\ufffd", 6);
            tl = 6;
        } else if (cl == 1 && (cp < 0x20 || cp == '"' || cp == '\\' || cp == 0x7f)) {
            tl = 2;
            tmp[0] = '\\';
            switch (cp) {
            case '"': tmp[1] = '"'; break;
            case '\\': tmp[1] = '\\'; break;
            case '\b': tmp[1] = 'b'; break;
            case '\f': tmp[1] = 'f'; break;
            case '\n': tmp[1] = 'n'; break;
            case '\r': tmp[1] = 'r'; break;
            case '\t': tmp[1] = 't'; break;
            default:
                memcpy(tmp, "\\u00", 4);
                tmp[4] = hexdig[cp >> 4];
                tmp[5] = hexdig[cp & 15];
                tl = 6;
                break;
            }
        } else if (cl > 1 && is_hidden(cp)) {
            /* All hidden characters are in the BMP: one \uXXXX. */
            memcpy(tmp, "\\u", 2);
            for (int d = 0; d < 4; d++)
                tmp[2 + d] = hexdig[(cp >> (12 - 4 * d)) & 15];
            tl = 6;
            used = cl;
        } else {
            memcpy(tmp, s + i, cl);
            tl = used = cl;
        }
        if (o + tl + 1 > n)
            break;
        memcpy(out + o, tmp, tl);
        o += tl;
        i += used;
    }
    out[o] = '\0';
    return o;
}

/* Characters that take no column: combining marks of the common scripts,
 * zero-width and format characters, Hangul medial and final jamo, variation
 * selectors. (Unicode's EastAsianWidth.txt and general category Mn/Me/Cf,
 * abridged.) */
static const struct range zero_width[] = {
    {0x0300, 0x036f}, {0x0483, 0x0489}, {0x0591, 0x05bd}, {0x05bf, 0x05bf},
    {0x05c1, 0x05c2}, {0x05c4, 0x05c5}, {0x05c7, 0x05c7}, {0x0610, 0x061a},
    {0x061c, 0x061c}, {0x064b, 0x065f}, {0x0670, 0x0670}, {0x06d6, 0x06dc},
    {0x06df, 0x06e4}, {0x06e7, 0x06e8}, {0x06ea, 0x06ed}, {0x0900, 0x0902},
    {0x093a, 0x093a}, {0x093c, 0x093c}, {0x0941, 0x0948}, {0x094d, 0x094d},
    {0x0951, 0x0957}, {0x0e31, 0x0e31}, {0x0e34, 0x0e3a}, {0x0e47, 0x0e4e},
    {0x1160, 0x11ff}, {0x1ab0, 0x1aff}, {0x1dc0, 0x1dff}, {0x200b, 0x200f},
    {0x2028, 0x202e}, {0x2060, 0x2064}, {0x2066, 0x206f}, {0x20d0, 0x20ff},
    {0x302a, 0x302d}, {0x3099, 0x309a}, {0xd7b0, 0xd7ff}, {0xfe00, 0xfe0f},
    {0xfe20, 0xfe2f}, {0xfeff, 0xfeff}, {0xe0001, 0xe0001}, {0xe0020, 0xe007f},
    {0xe0100, 0xe01ef},
};

/* East Asian Wide and Fullwidth: CJK, kana, Hangul, fullwidth forms, and the
 * emoji blocks terminals draw two columns wide. */
static const struct range wide[] = {
    {0x1100, 0x115f},   {0x231a, 0x231b},   {0x2329, 0x232a},   {0x23e9, 0x23ec},
    {0x23f0, 0x23f0},   {0x23f3, 0x23f3},   {0x25fd, 0x25fe},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x26aa, 0x26ab},   {0x26bd, 0x26be},   {0x26c4, 0x26c5},
    {0x26d4, 0x26d4},   {0x26ea, 0x26ea},   {0x26f2, 0x26f5},   {0x26fa, 0x26fa},
    {0x26fd, 0x26fd},   {0x2705, 0x2705},   {0x270a, 0x270b},   {0x2728, 0x2728},
    {0x274c, 0x274c},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
    {0x27b0, 0x27b0},   {0x27bf, 0x27bf},   {0x2b1b, 0x2b1c},   {0x2b50, 0x2b50},
    {0x2b55, 0x2b55},   {0x2e80, 0x303e},   {0x3041, 0x33ff},   {0x3400, 0x4dbf},
    {0x4e00, 0x9fff},   {0xa000, 0xa4cf},   {0xa960, 0xa97f},   {0xac00, 0xd7a3},
    {0xf900, 0xfaff},   {0xfe10, 0xfe19},   {0xfe30, 0xfe6f},   {0xff00, 0xff60},
    {0xffe0, 0xffe6},   {0x16fe0, 0x16fe4}, {0x17000, 0x18cff}, {0x1b000, 0x1b2ff},
    {0x1f004, 0x1f004}, {0x1f0cf, 0x1f0cf}, {0x1f18e, 0x1f18e}, {0x1f191, 0x1f19a},
    {0x1f200, 0x1f202}, {0x1f210, 0x1f23b}, {0x1f240, 0x1f248}, {0x1f250, 0x1f251},
    {0x1f300, 0x1f64f}, {0x1f680, 0x1f6ff}, {0x1f900, 0x1f9ff}, {0x1fa70, 0x1faff},
    {0x20000, 0x2fffd}, {0x30000, 0x3fffd},
};

size_t sk_text_width(const char *str)
{
    const uint8_t *s = (const uint8_t *)str;
    size_t len = strlen(str), i = 0, w = 0;
    while (i < len) {
        uint32_t cp;
        size_t cl = utf8_decode(s + i, len - i, &cp);
        if (cl == 0) {
            w++; /* a stray byte: terminals show one replacement character */
            i++;
            continue;
        }
        i += cl;
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
            continue;
        if (in_ranges(zero_width, sizeof zero_width / sizeof zero_width[0], cp))
            continue;
        w += in_ranges(wide, sizeof wide / sizeof wide[0], cp) ? 2 : 1;
    }
    return w;
}

/* Columns a character takes. */
static size_t char_width(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
        return 0;
    if (in_ranges(zero_width, sizeof zero_width / sizeof zero_width[0], cp))
        return 0;
    return in_ranges(wide, sizeof wide / sizeof wide[0], cp) ? 2 : 1;
}

size_t sk_text_char(const char *str, size_t *width)
{
    const uint8_t *s = (const uint8_t *)str;
    *width = 0;
    if (!s[0])
        return 0;
    *width = 1;
    if (s[0] < 0x80) /* ASCII, the common case: one byte, one column */
        return 1;
    uint32_t cp;
    size_t left = 1;
    while (left < 4 && s[left])
        left++;
    size_t cl = utf8_decode(s, left, &cp);
    if (cl == 0)
        return 1; /* a stray byte */
    *width = char_width(cp);
    return cl;
}

size_t sk_text_fit(const char *str, size_t cols, size_t *used)
{
    size_t i = 0, w = 0;
    while (str[i]) {
        size_t cw;
        size_t cl = sk_text_char(str + i, &cw);
        if (w + cw > cols)
            break;
        w += cw;
        i += cl;
    }
    if (used)
        *used = w;
    return i;
}

bool sk_text_next_line(const char **s, size_t width, const char **line, size_t *len)
{
    const char *p = *s;
    while (*p == ' ')
        p++;
    if (!*p || width == 0) {
        *s = p;
        return false;
    }
    size_t n = sk_text_fit(p, width, NULL);
    if (p[n] != '\0') {
        /* Break at the last space that fits, or between Chinese characters. */
        size_t cut = sk_text_break(p, n);
        if (cut > 0) {
            n = cut;
        } else if (n == 0) { /* a character wider than the line: take it anyway */
            size_t cw;
            n = sk_text_char(p, &cw);
        }
    }
    *line = p;
    *len = n;
    *s = p + n;
    return true;
}

/* Characters a line must not start with, or end with (CJK line breaking's
 * kinsoku rule, the common part): closing and opening punctuation. */
static bool no_line_start(uint32_t cp)
{
    static const struct range r[] = {
        {0x0021, 0x0022}, {0x0025, 0x0025}, {0x0027, 0x0027}, {0x0029, 0x0029},
        {0x002c, 0x002c}, {0x002e, 0x002e}, {0x003a, 0x003b}, {0x003f, 0x003f},
        {0x005d, 0x005d}, {0x007d, 0x007d}, {0x2019, 0x2019}, {0x201d, 0x201d},
        {0x2026, 0x2026}, {0x3001, 0x3002}, {0x3009, 0x3009}, {0x300b, 0x300b},
        {0x300d, 0x300d}, {0x300f, 0x300f}, {0x3011, 0x3011}, {0xff01, 0xff01},
        {0xff09, 0xff09}, {0xff0c, 0xff0c}, {0xff0e, 0xff0e}, {0xff1a, 0xff1b},
        {0xff1f, 0xff1f}, {0xff3d, 0xff3d}, {0xff5d, 0xff5d},
    };
    return in_ranges(r, sizeof r / sizeof r[0], cp);
}

static bool no_line_end(uint32_t cp)
{
    static const struct range r[] = {
        {0x0022, 0x0022}, {0x0027, 0x0028}, {0x005b, 0x005b}, {0x007b, 0x007b},
        {0x2018, 0x2018}, {0x201c, 0x201c}, {0x3008, 0x3008}, {0x300a, 0x300a},
        {0x300c, 0x300c}, {0x300e, 0x300e}, {0x3010, 0x3010}, {0xff08, 0xff08},
        {0xff3b, 0xff3b}, {0xff5b, 0xff5b},
    };
    return in_ranges(r, sizeof r / sizeof r[0], cp);
}

size_t sk_text_break(const char *str, size_t fit)
{
    const uint8_t *s = (const uint8_t *)str;
    size_t len = strlen(str), best = 0, i = 0;
    uint32_t prev = 0;
    bool prev_wide = false;
    while (i <= fit && i < len) {
        uint32_t cp;
        size_t cl = utf8_decode(s + i, len - i, &cp);
        if (cl == 0) {
            cp = 0xfffd; /* a stray byte: one narrow column */
            cl = 1;
        }
        bool wide_cp = in_ranges(wide, sizeof wide / sizeof wide[0], cp);
        if (i > 0) {
            if (cp == ' ')
                best = i;
            else if ((wide_cp || prev_wide) && prev != ' ' && !no_line_start(cp) &&
                     !no_line_end(prev))
                best = i;
        }
        prev = cp;
        prev_wide = wide_cp;
        i += cl;
    }
    return best;
}
