/* layout.c — fitting UTF-8 text into terminal columns (layout.h). */
#include "layout.h"

#include <string.h>

#include "escape.h"

void layout_pad(struct out *o, const char *s, size_t cols)
{
    size_t w;
    size_t n = sk_text_fit(s, cols, &w);
    out_write(o, s, n);
    out_spaces(o, cols - w);
}

void layout_rpad(struct out *o, const char *s, size_t cols)
{
    size_t w;
    size_t n = sk_text_fit(s, cols, &w);
    out_spaces(o, cols - w);
    out_write(o, s, n);
}

void layout_wrap(struct out *o, const char *s, size_t indent, size_t width)
{
    const char *line;
    size_t len;
    while (sk_text_next_line(&s, width < 8 ? 8 : width, &line, &len)) {
        out_spaces(o, indent);
        out_write(o, line, len);
        out_putc(o, '\n');
    }
}
