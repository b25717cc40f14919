/* layout.c — fitting UTF-8 text into terminal columns (layout.h). */
#include "layout.h"

#include <string.h>

#include "escape.h"

/* Length of the UTF-8 character starting at s (1 for a stray byte). */
static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            return 1;
    return n;
}

static size_t char_width(const char *s, size_t len)
{
    char one[8];
    memcpy(one, s, len);
    one[len] = '\0';
    return sk_text_width(one);
}

size_t layout_fit(const char *s, size_t cols, size_t *used)
{
    size_t i = 0, w = 0;
    while (s[i]) {
        if ((unsigned char)s[i] < 0x80) { /* ASCII, the common case: one column */
            if (w + 1 > cols)
                break;
            w++;
            i++;
            continue;
        }
        size_t n = char_len(s + i);
        size_t cw = char_width(s + i, n);
        if (w + cw > cols)
            break;
        w += cw;
        i += n;
    }
    if (used)
        *used = w;
    return i;
}

void layout_pad(struct out *o, const char *s, size_t cols)
{
    size_t w;
    size_t n = layout_fit(s, cols, &w);
    out_write(o, s, n);
    out_spaces(o, cols - w);
}

void layout_rpad(struct out *o, const char *s, size_t cols)
{
    size_t w;
    size_t n = layout_fit(s, cols, &w);
    out_spaces(o, cols - w);
    out_write(o, s, n);
}

bool layout_next_line(const char **s, size_t width, const char **line, size_t *len)
{
    const char *p = *s;
    if (width < 8)
        width = 8;
    while (*p == ' ')
        p++;
    if (!*p) {
        *s = p;
        return false;
    }
    size_t w;
    size_t n = layout_fit(p, width, &w);
    if (p[n] != '\0') {
        /* Break at the last space that fits, or between Chinese characters. */
        size_t cut = sk_text_break(p, n);
        if (cut > 0)
            n = cut;
        else if (n == 0)
            n = char_len(p); /* a character wider than the line */
    }
    *line = p;
    *len = n;
    *s = p + n;
    return true;
}

void layout_wrap(struct out *o, const char *s, size_t indent, size_t width)
{
    const char *line;
    size_t len;
    while (layout_next_line(&s, width, &line, &len)) {
        out_spaces(o, indent);
        out_write(o, line, len);
        out_putc(o, '\n');
    }
}
