/* layout.h — fitting UTF-8 text into terminal columns for the text views. */
#ifndef SK_LAYOUT_H
#define SK_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

/* Bytes of the longest prefix of s that fits in cols columns (never splits a
 * UTF-8 character); *used gets its width. */
size_t layout_fit(const char *s, size_t cols, size_t *used);

/* Writes s padded with spaces (or cut) to exactly cols columns. */
void layout_pad(struct out *o, const char *s, size_t cols);

/* Writes s right-aligned in cols columns (cut if longer). */
void layout_rpad(struct out *o, const char *s, size_t cols);

/* Takes the next line of at most width columns from *s (word-wrapped; text
 * without spaces, such as CJK, breaks between characters): *line and *len
 * get it, *s moves past it and the spaces after. False when *s is used up. */
bool layout_next_line(const char **s, size_t width, const char **line, size_t *len);

/* Writes s word-wrapped to lines of at most width columns, each line starting
 * with indent spaces, each ending with a newline. Text without spaces (CJK) is
 * broken between characters. */
void layout_wrap(struct out *o, const char *s, size_t indent, size_t width);

#endif
