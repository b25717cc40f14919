/* decode_opt.c — walking the options of IPv6 hop-by-hop and destination
 * options headers (RFC 8200 §4.2); the TCP/IPv4 walker (RFC 9293 §3.2,
 * RFC 791) is inline in decode_layers.h. */
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
