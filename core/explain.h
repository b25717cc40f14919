/* explain.h — a teacher's sentences for each packet, numbers filled in.
 *
 * "Handshake 2/3: the server accepts. ack 1 = the client's ISN + 1: a SYN
 * takes one sequence number." Every sentence goes through gettext (English
 * msgids, zh_CN catalogue). The arithmetic is spelled out with relative
 * numbers; raw numbers are named where a student would compare them with a
 * packet's bytes (the ISN).
 */
#ifndef SK_EXPLAIN_H
#define SK_EXPLAIN_H

#include <stddef.h>

#include "conv.h"
#include "trace.h"

enum sk_explain_len {
    SK_EXPLAIN_SHORT = 0, /* one sentence, about 60 characters: 80-column ladders */
    SK_EXPLAIN_LONG       /* up to three sentences: wide terminals, the UI pane */
};

/* Explains record r of conversation c (NULL for packets without one). prev is
 * the previous record of the same conversation (NULL for its first packet);
 * the states before r are read from it. Writes a NUL-terminated UTF-8 string
 * into buf (n bytes) and returns its length (truncated to n-1). */
size_t sk_explain(const struct sk_rec *r, const struct sk_rec *prev, const struct sk_conv *c,
                  enum sk_explain_len len, char *buf, size_t n);

/* A short tag for the packet's headline event, for packet lists and ladders:
 * "handshake 1/3", "data", "ACK", "FIN", "RST", "refused", "retransmission",
 * "dup ACK #2", "zero window", "datagram", "port unreachable" ... (translated).
 * "" when nothing is worth naming. buf: 48 bytes; returns buf. */
char *sk_explain_tag(const struct sk_rec *r, char *buf);

#endif
