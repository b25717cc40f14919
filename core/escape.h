/* escape.h — making bytes from a capture safe to show.
 *
 * A capture is untrusted input: its payload must never reach a terminal raw
 * (escape sequences could rewrite the screen or the title) nor break a JSON
 * line. Text keeps printable ASCII and well-formed UTF-8 characters that are
 * not controls; everything else becomes a visible escape (\n, \r, \t, \\,
 * \xNN), so the output is pure printable UTF-8. \xNN stands for one byte: a
 * C0 control, DEL, or a byte of malformed UTF-8 (overlong, surrogate, above
 * U+10FFFF, cut short). \u{XXXX} stands for a well-formed character that is
 * never shown raw: C1 controls (U+0080-U+009F), the bidirectional controls
 * (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069) and U+2028-U+2029.
 */
#ifndef SK_ESCAPE_H
#define SK_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes the safe text form of len bytes into out (n bytes, NUL-terminated),
 * stopping before a character that would not fit whole. Returns the number of
 * input bytes consumed; *outlen (may be NULL) gets the bytes written. */
size_t sk_escape_text(const uint8_t *s, size_t len, char *out, size_t n, size_t *outlen);

/* Writes s (NUL-terminated, already valid UTF-8 such as sk_escape_text's
 * output or our own messages) as the body of a JSON string: quotes, backslash
 * and controls escaped (\", \\, \n, \u001b ...). Invalid UTF-8 bytes become
 * \ufffd. Returns the length written (truncated to n-1, never mid-escape). */
size_t sk_escape_json(const char *s, char *out, size_t n);

/* Display width in terminal columns of UTF-8 text (wide CJK = 2). */
size_t sk_text_width(const char *s);

/* Length in bytes of the character at s (1 for a stray byte; 0 at the end)
 * and, in *width, the columns it takes. */
size_t sk_text_char(const char *s, size_t *width);

/* Bytes of the longest prefix of s that fits in cols columns, never splitting
 * a character; *used (may be NULL) gets its width. A stray byte counts as one
 * column, like the replacement character a terminal shows for it. */
size_t sk_text_fit(const char *s, size_t cols, size_t *used);

/* Takes the next line of at most width columns from *s, word-wrapped (text
 * without spaces, such as Chinese, breaks between characters): *line and
 * *len get it, *s moves past it. False when *s has nothing left but spaces. */
bool sk_text_next_line(const char **s, size_t width, const char **line, size_t *len);

/* Where to break a line of UTF-8 text s whose first fit bytes fit and whose
 * character at s[fit] does not: the last place within s[0..fit] that is a
 * space, or lies between two characters of which one is wide (Chinese has
 * no spaces between words), but neither before closing punctuation ("，。）")
 * nor after opening ("（"). Returns its index (the line is s[0..index), the
 * spaces there are the caller's to skip), or 0 when there is none. */
size_t sk_text_break(const char *s, size_t fit);

#endif
