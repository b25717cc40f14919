/* decode_arp.c — ARP (RFC 826): read, so that summaries and the dissection can
 * say who asks for whom; the packet itself only records that it is ARP. */
#include "decode_layers.h"
#include "i18n.h"

/* Copies an address of len bytes (at most 16 kept); false when not captured. */
static bool rd_addr(struct sk_cursor *c, uint8_t len, uint8_t out[16])
{
    if (!sk_cur_has(c, len))
        return false;
    uint8_t keep = len < 16 ? len : 16;
    return sk_cur_copy(c, out, keep) && sk_cur_skip(c, (size_t)(len - keep));
}

uint32_t sk_rd_arp(struct sk_cursor *c, struct sk_arp_hdr *h, uint32_t *need)
{
    size_t start = c->left;
    *need = 8;
    if (!(sk_cur_be16(c, &h->htype) && sk_cur_be16(c, &h->ptype) && sk_cur_u8(c, &h->hlen) &&
          sk_cur_u8(c, &h->plen) && sk_cur_be16(c, &h->op)))
        return start < 8 ? (uint32_t)start : 8;
    *need = 8u + 2u * ((uint32_t)h->hlen + h->plen);
    (void)(rd_addr(c, h->hlen, h->sha) && rd_addr(c, h->plen, h->spa) &&
           rd_addr(c, h->hlen, h->tha) && rd_addr(c, h->plen, h->tpa));
    return start < *need ? (uint32_t)start : *need;
}

void sk_dec_arp(struct sk_dec *d, uint32_t off)
{
    struct sk_layer *ly = sk_layer_push(d, SK_LY_ARP, off, false);
    struct sk_cursor c = sk_dec_at(d, off);
    uint32_t need;
    d->p->l3 = SK_L3_ARP;
    d->p->l3_off = off;
    ly->got = sk_rd_arp(&c, &ly->h.arp, &need);
    ly->hlen = need;
    if (ly->got < need)
        sk_dec_problem(d, ly, SK_TRUNCATED, N_("truncated ARP packet"));
}
