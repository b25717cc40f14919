/* decode_opt.c — walking the options of IPv6 hop-by-hop and destination
 * options headers (RFC 8200 §4.2), and the lengths TCP options must have
 * (RFC 9293 §3.2); the TCP/IPv4 walker is inline in decode_layers.h. */
#include "decode_layers.h"

enum sk_optres sk_opt6_next(struct sk_optwalk *w, struct sk_opt *o)
{
    if (w->left == 0)
        return SK_OPT_END;
    o->pos = w->pos;
    o->len = 0;
    o->val = sk_cursor_make(w->c.p, 0);
    if (!sk_cur_u8(&w->c, &o->kind))
        return SK_OPT_TRUNC;
    if (o->kind == 0) { /* Pad1 */
        o->len = 1;
        w->left -= 1;
        w->pos += 1;
        return SK_OPT_NEXT;
    }
    uint8_t dlen;
    if (w->left < 2)
        return SK_OPT_BAD;
    if (!sk_cur_u8(&w->c, &dlen))
        return SK_OPT_TRUNC;
    o->len = (uint16_t)(dlen + 2u);
    if (o->len > w->left)
        return SK_OPT_BAD;
    if (!sk_cur_sub(&w->c, dlen, &o->val))
        return SK_OPT_TRUNC;
    w->left -= o->len;
    w->pos += o->len;
    return SK_OPT_NEXT;
}

uint8_t sk_tcpopt_fixed_len(uint8_t kind)
{
    switch (kind) {
    case SK_TCPOPT_EOL:
    case SK_TCPOPT_NOP:
        return 1;
    case SK_TCPOPT_SACKOK:
        return 2;
    case SK_TCPOPT_WSCALE:
        return 3;
    case SK_TCPOPT_MSS:
    case SK_TCPOPT_UTO:
    case SK_TCPOPT_SCPS:
        return 4;
    case SK_TCPOPT_ECHO:
    case SK_TCPOPT_ECHOREPLY:
    case SK_TCPOPT_CC:
    case SK_TCPOPT_CCNEW:
    case SK_TCPOPT_CCECHO:
        return 6;
    case SK_TCPOPT_TS:
        return 10;
    case SK_TCPOPT_MD5:
        return 18;
    default:
        return 0;
    }
}
