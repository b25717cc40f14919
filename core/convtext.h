/* convtext.h — sentences about a whole conversation, for summaries. */
#ifndef SK_CONVTEXT_H
#define SK_CONVTEXT_H

#include <stddef.h>

#include "conv.h"

/* "The client sent 5 packets (13 bytes of data), the server 4 (10 bytes).
 * Opened with the three-way handshake; the client closed first. Lasted
 * 0.012 s." — translated, into buf (n bytes); returns the length. */
size_t sk_conv_summary(const struct sk_conv *c, char *buf, size_t n);

#endif
