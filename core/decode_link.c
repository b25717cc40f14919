/* decode_link.c — link-layer headers: Ethernet + 802.1Q/802.1ad tags, Linux
 * cooked v1/v2, BSD loopback, raw IP; hands the network layer on.
 *
 * References: IEEE 802.3 (Ethernet II framing) and IEEE 802.1Q (tags, with
 * the 802.1ad S-tag 0x88a8 and the pre-standard QinQ 0x9100 that tcpdump also
 * accepts); the LINKTYPE_ pages of tcpdump.org for LINUX_SLL, LINUX_SLL2,
 * NULL, LOOP, RAW, IPV4, IPV6 (and tcpdump's print-ether.c, print-sll.c,
 * print-null.c for what real captures hold).
 */
#include "decode_layers.h"
#include "i18n.h"

/* ------------------------------------------------------------ readers */

uint32_t sk_rd_eth(struct sk_cursor *c, struct sk_eth_hdr *h)
{
    /* A local cursor: the header's byte fields could alias *c. */
    struct sk_cursor l = *c;
    uint32_t got = c->left < SK_ETH_LEN ? (uint32_t)c->left : SK_ETH_LEN;
    (void)(sk_cur_copy(&l, h->dst, 6) && sk_cur_copy(&l, h->src, 6) && sk_cur_be16(&l, &h->type));
    *c = l;
    return got;
}

uint32_t sk_rd_vlan(struct sk_cursor *c, struct sk_vlan_hdr *h)
{
    /* A local cursor: the header's byte fields could alias *c. */
    struct sk_cursor l = *c;
    uint32_t got = c->left < SK_VLAN_LEN ? (uint32_t)c->left : SK_VLAN_LEN;
    (void)(sk_cur_be16(&l, &h->tci) && sk_cur_be16(&l, &h->type));
    *c = l;
    return got;
}

uint32_t sk_rd_sll(struct sk_cursor *c, struct sk_sll_hdr *h)
{
    /* A local cursor: the header's byte fields could alias *c. */
    struct sk_cursor l = *c;
    uint32_t got = c->left < SK_SLL_LEN ? (uint32_t)c->left : SK_SLL_LEN;
    (void)(sk_cur_be16(&l, &h->pkttype) && sk_cur_be16(&l, &h->hatype) &&
           sk_cur_be16(&l, &h->halen) && sk_cur_copy(&l, h->addr, 8) &&
           sk_cur_be16(&l, &h->proto));
    *c = l;
    return got;
}

uint32_t sk_rd_sll2(struct sk_cursor *c, struct sk_sll2_hdr *h)
{
    /* A local cursor: the header's byte fields could alias *c. */
    struct sk_cursor l = *c;
    uint32_t got = c->left < SK_SLL2_LEN ? (uint32_t)c->left : SK_SLL2_LEN;
    (void)(sk_cur_be16(&l, &h->proto) && sk_cur_be16(&l, &h->reserved) &&
           sk_cur_be32(&l, &h->ifindex) && sk_cur_be16(&l, &h->hatype) &&
           sk_cur_u8(&l, &h->pkttype) && sk_cur_u8(&l, &h->halen) &&
           sk_cur_copy(&l, h->addr, 8));
    *c = l;
    return got;
}

/* ------------------------------------------------------------ decoders */

/* Protocol fields up to 1500 are 802.3 lengths (Ethernet) or Linux's own
 * numbers (SLL): no ethertype, the frame carries something we do not decode. */
#define SK_MAX_8023_LEN 1500

static void dec_other(struct sk_dec *d, uint32_t off, uint16_t ethertype)
{
    struct sk_packet *p = d->p;
    p->l3 = SK_L3_OTHER;
    p->l3_off = off;
    p->ethertype = ethertype;
    sk_dec_payload(d, off, off < d->framelen ? d->framelen - off : 0);
}

void sk_dec_ethertype(struct sk_dec *d, uint16_t type, uint32_t off)
{
    struct sk_packet *p = d->p;
    while (sk_is_vlan_tpid(type)) {
        struct sk_layer *ly = sk_layer_push(d, SK_LY_VLAN, off, false);
        struct sk_cursor c = sk_dec_at(d, off);
        ly->h.vlan.tpid = type;
        ly->hlen = SK_VLAN_LEN;
        ly->got = sk_rd_vlan(&c, &ly->h.vlan);
        if (ly->got >= 2 && p->nvlan < SK_MAX_VLAN)
            p->vlan[p->nvlan++] = ly->h.vlan.tci & 0x0fff;
        if (ly->got < SK_VLAN_LEN) {
            sk_dec_problem(d, ly, SK_TRUNCATED, N_("truncated 802.1Q VLAN tag"));
            return;
        }
        type = ly->h.vlan.type;
        off += SK_VLAN_LEN;
    }
    p->ethertype = type;
    p->l3_off = off;
    switch (type) {
    case SK_ETHERTYPE_IPV4:
        sk_dec_ipv4(d, off);
        break;
    case SK_ETHERTYPE_IPV6:
        sk_dec_ipv6(d, off);
        break;
    case SK_ETHERTYPE_ARP:
        sk_dec_arp(d, off);
        break;
    default:
        dec_other(d, off, type);
        break;
    }
}

static void dec_eth(struct sk_dec *d)
{
    struct sk_layer *ly = sk_layer_push(d, SK_LY_ETH, 0, false);
    struct sk_cursor c = sk_dec_at(d, 0);
    ly->hlen = SK_ETH_LEN;
    ly->got = sk_rd_eth(&c, &ly->h.eth);
    if (ly->got < SK_ETH_LEN) {
        sk_dec_problem(d, ly, SK_TRUNCATED, N_("truncated Ethernet header"));
        return;
    }
    if (ly->h.eth.type <= SK_MAX_8023_LEN)
        dec_other(d, SK_ETH_LEN, 0); /* 802.3 length + 802.2 LLC */
    else
        sk_dec_ethertype(d, ly->h.eth.type, SK_ETH_LEN);
}

static void dec_sll(struct sk_dec *d)
{
    struct sk_layer *ly = sk_layer_push(d, SK_LY_SLL, 0, false);
    struct sk_cursor c = sk_dec_at(d, 0);
    ly->hlen = SK_SLL_LEN;
    ly->got = sk_rd_sll(&c, &ly->h.sll);
    if (ly->got >= 2)
        d->p->sll_pkttype = ly->h.sll.pkttype;
    if (ly->got < SK_SLL_LEN) {
        sk_dec_problem(d, ly, SK_TRUNCATED, N_("truncated Linux cooked capture header"));
        return;
    }
    if (ly->h.sll.proto <= SK_MAX_8023_LEN)
        dec_other(d, SK_SLL_LEN, 0);
    else
        sk_dec_ethertype(d, ly->h.sll.proto, SK_SLL_LEN);
}

static void dec_sll2(struct sk_dec *d)
{
    struct sk_layer *ly = sk_layer_push(d, SK_LY_SLL2, 0, false);
    struct sk_cursor c = sk_dec_at(d, 0);
    ly->hlen = SK_SLL2_LEN;
    ly->got = sk_rd_sll2(&c, &ly->h.sll2);
    if (ly->got >= 11)
        d->p->sll_pkttype = ly->h.sll2.pkttype;
    if (ly->got < SK_SLL2_LEN) {
        sk_dec_problem(d, ly, SK_TRUNCATED, N_("truncated Linux cooked capture v2 header"));
        return;
    }
    if (ly->h.sll2.proto <= SK_MAX_8023_LEN)
        dec_other(d, SK_SLL2_LEN, 0);
    else
        sk_dec_ethertype(d, ly->h.sll2.proto, SK_SLL2_LEN);
}

static uint32_t swap32(uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

/* DLT_NULL holds the family in the byte order of the host that wrote the file,
 * DLT_LOOP in network order; as tcpdump does, a value with bits in its upper
 * half is taken to be in the other order. IPv6 has no single number across
 * the BSDs: 24 (NetBSD, OpenBSD, BSD/OS), 28 (FreeBSD, DragonFly), 30 (macOS,
 * iOS); 10 is Linux's AF_INET6, for files written by Linux tools. */
static void dec_null(struct sk_dec *d, bool loop)
{
    struct sk_layer *ly = sk_layer_push(d, SK_LY_NULL, 0, false);
    struct sk_cursor c = sk_dec_at(d, 0);
    uint32_t fam = 0;
    ly->hlen = SK_NULL_LEN;
    ly->got = c.left < SK_NULL_LEN ? (uint32_t)c.left : SK_NULL_LEN;
    if (!(loop ? sk_cur_be32(&c, &fam) : sk_cur_le32(&c, &fam))) {
        sk_dec_problem(d, ly, SK_TRUNCATED, N_("truncated loopback header"));
        return;
    }
    ly->h.null.swapped = false;
    if (fam & 0xffff0000u) {
        fam = swap32(fam);
        ly->h.null.swapped = true;
    }
    ly->h.null.family = fam;
    d->p->l3_off = SK_NULL_LEN;
    switch (fam) {
    case 2:
        d->p->ethertype = SK_ETHERTYPE_IPV4;
        sk_dec_ipv4(d, SK_NULL_LEN);
        break;
    case 10:
    case 24:
    case 28:
    case 30:
        d->p->ethertype = SK_ETHERTYPE_IPV6;
        sk_dec_ipv6(d, SK_NULL_LEN);
        break;
    default:
        dec_other(d, SK_NULL_LEN, 0);
        break;
    }
}

/* Raw IP: no link header; the version nibble says which IP it is. */
static void dec_raw(struct sk_dec *d)
{
    struct sk_cursor c = sk_dec_at(d, 0);
    uint8_t b;
    if (!sk_cur_u8(&c, &b)) {
        sk_dec_problem(d, NULL, SK_TRUNCATED, N_("truncated IP header"));
        return;
    }
    if (b >> 4 == 4) {
        d->p->ethertype = SK_ETHERTYPE_IPV4;
        sk_dec_ipv4(d, 0);
    } else if (b >> 4 == 6) {
        d->p->ethertype = SK_ETHERTYPE_IPV6;
        sk_dec_ipv6(d, 0);
    } else {
        sk_dec_problem(d, NULL, SK_INVALID, N_("raw IP version is neither 4 nor 6"));
    }
}

void sk_dec_link(struct sk_dec *d, int dlt)
{
    switch (dlt) {
    case SK_DLT_EN10MB:
        dec_eth(d);
        break;
    case SK_DLT_LINUX_SLL:
        dec_sll(d);
        break;
    case SK_DLT_LINUX_SLL2:
        dec_sll2(d);
        break;
    case SK_DLT_NULL:
        dec_null(d, false);
        break;
    case SK_DLT_LOOP:
        dec_null(d, true);
        break;
    case SK_DLT_RAW:
    case SK_DLT_RAW_OPENBSD:
    case SK_LINKTYPE_RAW:
    case SK_DLT_IPV4: /* as tcpdump does, IPV4 and IPV6 too follow the nibble */
    case SK_DLT_IPV6:
        dec_raw(d);
        break;
    default:
        sk_dec_problem(d, NULL, SK_INVALID, N_("link type not supported"));
        break;
    }
}
