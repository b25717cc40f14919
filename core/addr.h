/* addr.h — IPv4/IPv6 addresses as the decoder and the conversation table keep them. */
#ifndef SK_ADDR_H
#define SK_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An address; family 0 means "none" (non-IP packet). IPv4 uses b[0..3]. */
struct sk_addr {
    uint8_t family; /* 0, 4 or 6 */
    uint8_t b[16];  /* network byte order; unused bytes are zero */
};

/* Long enough for any IPv6 text form plus "[]:65535". */
#define SK_ADDRSTRLEN 64

/* Writes the text form ("127.0.0.1", "::1", "-" for none) into buf
 * (SK_ADDRSTRLEN bytes) and returns buf. */
char *sk_addr_str(const struct sk_addr *a, char *buf);

/* Writes "127.0.0.1:6666" or "[::1]:6666" into buf (SK_ADDRSTRLEN bytes) and
 * returns buf. */
char *sk_endpoint_str(const struct sk_addr *a, uint16_t port, char *buf);

/* Total order (family, then bytes); 0 when equal. */
int sk_addr_cmp(const struct sk_addr *a, const struct sk_addr *b);

static inline bool sk_addr_eq(const struct sk_addr *a, const struct sk_addr *b)
{
    return sk_addr_cmp(a, b) == 0;
}

/* Parses a numeric IPv4 or IPv6 address; false if text is not one. */
bool sk_addr_parse(const char *text, struct sk_addr *out);

#endif
