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

/* The one wrapping loop: the first line after lead spaces, from column col;
 * the others after indent spaces; every line ends by column end. */
static void wrap(struct out *o, const char *s, size_t lead, size_t col, size_t indent,
                 size_t end)
{
    const char *line;
    size_t len;
    for (size_t i = 0;; i++) {
        size_t from = i ? indent : col;
        if (!sk_text_next_line(&s, end > from + 8 ? end - from : 8, &line, &len))
            break;
        out_spaces(o, i ? indent : lead);
        out_write(o, line, len);
        out_putc(o, '\n');
    }
}

void layout_wrap(struct out *o, const char *s, size_t indent, size_t width)
{
    wrap(o, s, indent, indent, indent, indent + width);
}

void layout_wrap_hanging(struct out *o, const char *s, size_t col, size_t indent, size_t end)
{
    wrap(o, s, 0, col, indent, end);
}
