/* convtext.h — sentences about a whole conversation, for summaries. */
#ifndef SK_CONVTEXT_H
#define SK_CONVTEXT_H

#include <stddef.h>

#include "conv.h"

/* "Summary. Client 127.0.0.1:40000: packets 5, data bytes 13. Server
 * 127.0.0.1:6666: packets 4, data bytes 10. Opened: handshake. Ended: client
 * closed first. Lasted 0.012000 s." — translated, into buf (n bytes); returns
 * the length. */
size_t sk_conv_summary(const struct sk_conv *c, char *buf, size_t n);

/* "127.0.0.1:40000 -> 127.0.0.1:6666", client first (addresses alone for
 * protocols without ports). Into buf (n bytes); returns buf. */
char *sk_conv_endpoints(const struct sk_conv *c, char *buf, size_t n);

/* How it went, in a few words for a table: "handshake, client closed first",
 * "datagrams", "-" (translated). Into buf (n bytes); returns buf. */
char *sk_conv_how(const struct sk_conv *c, char *buf, size_t n);

#endif
