/* layout.h — fitting UTF-8 text into terminal columns for the text views. */
#ifndef SK_LAYOUT_H
#define SK_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

/* Writes s padded with spaces (or cut) to exactly cols columns. */
void layout_pad(struct out *o, const char *s, size_t cols);

/* Writes s right-aligned in cols columns (cut if longer). */
void layout_rpad(struct out *o, const char *s, size_t cols);

/* Writes s word-wrapped to lines of at most width columns, each line starting
 * with indent spaces, each ending with a newline. Text without spaces (CJK) is
 * broken between characters. */
void layout_wrap(struct out *o, const char *s, size_t indent, size_t width);

/* The same with a hanging indent: the first line goes on where the cursor is
 * (column col), the others start at column indent; all end by column end. */
void layout_wrap_hanging(struct out *o, const char *s, size_t col, size_t indent, size_t end);

#endif
