/* addr.c — text forms, order and parsing of IPv4/IPv6 addresses (addr.h). */
#include "addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

char *sk_addr_str(const struct sk_addr *a, char *buf)
{
    const char *ok = NULL;
    if (a->family == 4)
        ok = inet_ntop(AF_INET, a->b, buf, SK_ADDRSTRLEN);
    else if (a->family == 6)
        ok = inet_ntop(AF_INET6, a->b, buf, SK_ADDRSTRLEN);
    if (!ok)
        snprintf(buf, SK_ADDRSTRLEN, "-");
    return buf;
}

char *sk_endpoint_str(const struct sk_addr *a, uint16_t port, char *buf)
{
    /* INET6_ADDRSTRLEN (46) + "[]:65535" always fits SK_ADDRSTRLEN (64). */
    char host[INET6_ADDRSTRLEN] = "-";
    if (a->family == 4)
        inet_ntop(AF_INET, a->b, host, sizeof host);
    else if (a->family == 6)
        inet_ntop(AF_INET6, a->b, host, sizeof host);
    if (a->family == 6)
        snprintf(buf, SK_ADDRSTRLEN, "[%s]:%u", host, (unsigned)port);
    else
        snprintf(buf, SK_ADDRSTRLEN, "%s:%u", host, (unsigned)port);
    return buf;
}

int sk_addr_cmp(const struct sk_addr *a, const struct sk_addr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return memcmp(a->b, b->b, sizeof a->b);
}

bool sk_addr_parse(const char *text, struct sk_addr *out)
{
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, text, out->b) == 1) {
        out->family = 4;
        return true;
    }
    if (inet_pton(AF_INET6, text, out->b) == 1) {
        out->family = 6;
        return true;
    }
    memset(out, 0, sizeof *out);
    return false;
}
