/* follow.h — a conversation's bytes as the follow-stream view and the hex dump show them.
 *
 * Following a stream shows what each side's application sent, in order: the
 * payload of each segment that carries new bytes (not a retransmission, a
 * keep-alive or a zero-window probe), each under a heading that says who sent
 * it; for UDP each datagram under its own heading, since datagram boundaries
 * are what the receiver sees. Text is the payload escaped (escape.h) and
 * broken at its newlines and at the width of the view; hex is the classic
 * offset / 16 bytes / text dump.
 */
#ifndef SK_FOLLOW_H
#define SK_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conv.h"
#include "trace.h"

/* True when r's payload belongs in the followed stream. */
bool sk_follow_keeps(const struct sk_rec *r);

/* The heading of r's chunk: "client 127.0.0.1:40000 -> server: 13 bytes
 * (packet 4)", for UDP "datagram 3, client 127.0.0.1:40000 -> server: 13
 * bytes (packet 4)" (datagram_no counts the conversation's datagrams from 1).
 * Translated; writes buf (n bytes); returns the length. */
size_t sk_follow_heading(const struct sk_rec *r, const struct sk_conv *c, unsigned datagram_no,
                         char *buf, size_t n);

/* One line of text: the escaped bytes of p (len bytes) up to the first
 * newline or as many as fit in cols columns, into buf (n bytes, at least 16).
 * Returns the input bytes used, the newline ("\n" or "\r\n") included, so
 * that calling again on p + used gives the next line; at least 1 when len > 0. */
size_t sk_follow_text_line(const uint8_t *p, size_t len, size_t cols, char *buf, size_t n);

/* One line of a hex dump: "0010  48 65 6c 6c 6f 20 57 6f  72 6c 64 0a         Hello World."
 * for the up to per_line (8 or 16) bytes of d (len bytes) at offset off of
 * the data. Writes buf (n bytes); returns the length. */
size_t sk_hexdump_line(const uint8_t *d, size_t len, size_t off, unsigned per_line, char *buf,
                       size_t n);

/* Where byte i (0 .. per_line-1) of a hex dump line stands: the column of its
 * two hex digits and of its text character. */
void sk_hexdump_cols(unsigned i, unsigned per_line, unsigned *hex_col, unsigned *text_col);

#endif
