/* dissect.c — the layer-by-layer detail of a frame (dissect.h), built on the
 * layers sk_decode_layers() recorded: the headers exactly as the decoder read
 * them, where they are, how much of them the capture holds, and the problem
 * the decoder found in each. Variable parts (options, extension headers) are
 * walked again with the decoder's own walkers. */
#include "dissect.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decode_layers.h"
#include "i18n.h"
#include "names.h"

/* ------------------------------------------------------------ output */

struct dis {
    void (*cb)(const struct sk_field *f, void *user);
    void *user;
    const uint8_t *data;
    uint32_t caplen;
    const struct sk_packet *p;
    int base; /* depth of the current layer's heading: 0, or 1 inside an ICMP error */
};

/* Hands a line over, its bytes kept within what the capture has. */
static void deliver(struct dis *d, struct sk_field *f)
{
    if (f->off > d->caplen)
        f->off = d->caplen;
    if (f->len > d->caplen - f->off)
        f->len = d->caplen - f->off;
    d->cb(f, d->user);
}

static void emitv(struct dis *d, int depth, uint32_t off, uint32_t len, enum sk_status problem,
                  const char *label, const char *fmt, va_list ap)
{
    if (depth > 2)
        return; /* a quoted datagram's flag bits: the field itself says enough */
    char value[512];
    if (fmt)
        vsnprintf(value, sizeof value, fmt, ap);
    else
        value[0] = '\0';
    struct sk_field f = {depth, label, value, off, len, problem};
    deliver(d, &f);
}

static void emit(struct dis *d, int depth, uint32_t off, uint32_t len, const char *label,
                 const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static void emit(struct dis *d, int depth, uint32_t off, uint32_t len, const char *label,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emitv(d, depth, off, len, SK_OK, label, fmt, ap);
    va_end(ap);
}

/* A field of the current layer, if the capture holds it (rel: offset in the
 * layer). Returns whether it was there. */
static bool field(struct dis *d, const struct sk_layer *ly, uint32_t rel, uint32_t len,
                  const char *label, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static bool field(struct dis *d, const struct sk_layer *ly, uint32_t rel, uint32_t len,
                  const char *label, const char *fmt, ...)
{
    if (rel + len > ly->got)
        return false;
    va_list ap;
    va_start(ap, fmt);
    emitv(d, d->base + 1, ly->off + rel, len, SK_OK, label, fmt, ap);
    va_end(ap);
    return true;
}

/* A part of a field (a bit, an option), one level deeper. */
static void sub(struct dis *d, uint32_t off, uint32_t len, const char *label, const char *fmt,
                ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void sub(struct dis *d, uint32_t off, uint32_t len, const char *label, const char *fmt,
                ...)
{
    va_list ap;
    va_start(ap, fmt);
    emitv(d, d->base + 2, off, len, SK_OK, label, fmt, ap);
    va_end(ap);
}

/* The line that ends a truncated or malformed layer. */
static void layer_problem(struct dis *d, const struct sk_layer *ly)
{
    char text[256];
    if (ly->status == SK_OK)
        return;
    if (ly->status == SK_TRUNCATED) {
        snprintf(text, sizeof text, _("%s: %u of %u bytes captured"), _(ly->why), ly->got,
                 ly->hlen);
        struct sk_field f = {d->base + 1, _("Truncated"), text, ly->off, ly->got, SK_TRUNCATED};
        deliver(d, &f);
    } else {
        struct sk_field f = {d->base + 1, _("Malformed"), _(ly->why), ly->off, ly->got,
                             SK_INVALID};
        deliver(d, &f);
    }
}

/* ------------------------------------------------------------ text helpers */

static const char *set_or_not(bool b)
{
    return b ? _("Set") : _("Not set");
}

/* The bits of `mask` within an nbits-wide field, Wireshark style: "...1 ....". */
static char *bits(uint32_t v, int nbits, uint32_t mask, char *out)
{
    size_t k = 0;
    for (int i = nbits - 1; i >= 0; i--) {
        uint32_t b = 1u << i;
        out[k++] = (mask & b) ? ((v & b) ? '1' : '0') : '.';
        if (i % 4 == 0 && i)
            out[k++] = ' ';
    }
    out[k] = '\0';
    return out;
}

static char *mac_str(const uint8_t *b, unsigned n, char *out, size_t size)
{
    size_t k = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < n && k + 4 < size; i++)
        k += (size_t)snprintf(out + k, size - k, i ? ":%02x" : "%02x", b[i]);
    return out;
}

static char *ip4_str(const uint8_t b[4], char *out)
{
    snprintf(out, SK_ADDRSTRLEN, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return out;
}

static char *ip6_str(const uint8_t b[16], char *out)
{
    struct sk_addr a = {6, {0}};
    memcpy(a.b, b, 16);
    return sk_addr_str(&a, out);
}

/* "IPv4 (0x0800)" */
static char *ethertype_str(uint16_t t, char *out, size_t n)
{
    const char *name = sk_ethertype_name(t);
    snprintf(out, n, "%s (0x%04x)", name ? name : _("unknown"), t);
    return out;
}

/* "TCP (6)" */
static char *proto_str(uint8_t proto, char *out, size_t n)
{
    const char *name = sk_ipproto_name(proto);
    snprintf(out, n, "%s (%u)", name ? name : _("unknown"), proto);
    return out;
}

static const char *ecn_name(unsigned ecn)
{
    static const char *const names[] = {N_("Not-ECT"), N_("ECT(1)"), N_("ECT(0)"), N_("CE")};
    return _(names[ecn & 3]);
}

static struct sk_cursor cursor_at(const struct dis *d, uint32_t off, uint32_t len)
{
    if (off >= d->caplen)
        return sk_cursor_make(d->data + d->caplen, 0);
    if (len > d->caplen - off)
        len = d->caplen - off;
    return sk_cursor_make(d->data + off, len);
}

/* ------------------------------------------------------------ link layers */

static void dis_eth(struct dis *d, const struct sk_layer *ly)
{
    const struct sk_eth_hdr *h = &ly->h.eth;
    char a[32], b[32], t[48];
    if (ly->got >= 12)
        emit(d, 0, ly->off, SK_ETH_LEN, _("Ethernet II"), _("Src: %s, Dst: %s"),
             mac_str(h->src, 6, a, sizeof a), mac_str(h->dst, 6, b, sizeof b));
    else
        emit(d, 0, ly->off, SK_ETH_LEN, _("Ethernet II"), NULL);
    field(d, ly, 0, 6, _("Destination"), "%s", mac_str(h->dst, 6, a, sizeof a));
    field(d, ly, 6, 6, _("Source"), "%s", mac_str(h->src, 6, a, sizeof a));
    if (h->type <= 1500)
        field(d, ly, 12, 2, _("Length"), "%u", h->type);
    else
        field(d, ly, 12, 2, _("Type"), "%s", ethertype_str(h->type, t, sizeof t));
}

static void dis_vlan(struct dis *d, const struct sk_layer *ly)
{
    const struct sk_vlan_hdr *h = &ly->h.vlan;
    char t[48], bb[24];
    const char *name = h->tpid == SK_ETHERTYPE_8021AD ? _("802.1ad Service VLAN")
                                                      : _("802.1Q Virtual LAN");
    if (ly->got >= 2)
        emit(d, 0, ly->off, SK_VLAN_LEN, name, _("PRI: %u, DEI: %u, ID: %u"), h->tci >> 13,
             (h->tci >> 12) & 1, h->tci & 0x0fff);
    else
        emit(d, 0, ly->off, SK_VLAN_LEN, name, NULL);
    if (field(d, ly, 0, 2, _("Tag control information"), "0x%04x", h->tci)) {
        sub(d, ly->off, 2, _("Priority"), "%u (%s)", h->tci >> 13, bits(h->tci, 16, 0xe000, bb));
        sub(d, ly->off, 2, _("Drop eligible"), "%u (%s)", (h->tci >> 12) & 1,
            bits(h->tci, 16, 0x1000, bb));
        sub(d, ly->off, 2, _("VLAN ID"), "%u (%s)", h->tci & 0x0fff,
            bits(h->tci, 16, 0x0fff, bb));
    }
    field(d, ly, 2, 2, _("Type"), "%s", ethertype_str(h->type, t, sizeof t));
}

static void sll_common(struct dis *d, const struct sk_layer *ly, uint32_t pt_rel, uint32_t pt_len,
                       uint16_t pkttype, uint32_t ha_rel, uint16_t hatype, uint32_t al_rel,
                       uint32_t al_len, uint16_t halen, uint32_t addr_rel, const uint8_t *addr)
{
    const char *ptn = sk_sll_pkttype_name(pkttype);
    const char *han = sk_arphrd_name(hatype);
    char a[40];
    field(d, ly, pt_rel, pt_len, _("Packet type"), "%s (%u)", ptn ? _(ptn) : _("unknown"),
          pkttype);
    field(d, ly, ha_rel, 2, _("Link-layer address type"), "%s (%u)", han ? han : _("unknown"),
          hatype);
    field(d, ly, al_rel, al_len, _("Link-layer address length"), "%u", halen);
    field(d, ly, addr_rel, 8, _("Source"), "%s", mac_str(addr, halen < 8 ? halen : 8, a, sizeof a));
}

static void dis_sll(struct dis *d, const struct sk_layer *ly)
{
    const struct sk_sll_hdr *h = &ly->h.sll;
    char t[48];
    emit(d, 0, ly->off, SK_SLL_LEN, _("Linux cooked capture v1"), NULL);
    sll_common(d, ly, 0, 2, h->pkttype, 2, h->hatype, 4, 2, h->halen, 6, h->addr);
    if (h->proto <= 1500)
        field(d, ly, 14, 2, _("Protocol"), "0x%04x", h->proto);
    else
        field(d, ly, 14, 2, _("Protocol"), "%s", ethertype_str(h->proto, t, sizeof t));
}

static void dis_sll2(struct dis *d, const struct sk_layer *ly)
{
    const struct sk_sll2_hdr *h = &ly->h.sll2;
    char t[48];
    emit(d, 0, ly->off, SK_SLL2_LEN, _("Linux cooked capture v2"), NULL);
    if (h->proto <= 1500)
        field(d, ly, 0, 2, _("Protocol"), "0x%04x", h->proto);
    else
        field(d, ly, 0, 2, _("Protocol"), "%s", ethertype_str(h->proto, t, sizeof t));
    field(d, ly, 2, 2, _("Reserved"), "0x%04x", h->reserved);
    field(d, ly, 4, 4, _("Interface index"), "%u", h->ifindex);
    sll_common(d, ly, 10, 1, h->pkttype, 8, h->hatype, 11, 1, h->halen, 12, h->addr);
}

static void dis_null(struct dis *d, const struct sk_layer *ly)
{
    const struct sk_null_hdr *h = &ly->h.null;
    const char *fam = h->family == 2 ? "IPv4"
                      : (h->family == 10 || h->family == 24 || h->family == 28 || h->family == 30)
                          ? "IPv6"
                          : _("unknown");
    emit(d, 0, ly->off, SK_NULL_LEN, _("Null/Loopback"), NULL);
    if (ly->got >= SK_NULL_LEN)
        field(d, ly, 0, 4, _("Family"), h->swapped ? _("%s (%u), in the other byte order")
                                                   : "%s (%u)",
              fam, h->family);
}

/* ------------------------------------------------------------ ARP */

static char *arp_addr(const uint8_t *b, unsigned len, char *out, size_t n)
{
    if (len == 4)
        return ip4_str(b, out);
    return mac_str(b, len < 16 ? len : 16, out, n);
}

static void dis_arp(struct dis *d, const struct sk_layer *ly)
{
    const struct sk_arp_hdr *h = &ly->h.arp;
    const char *op = ly->got >= 8 ? sk_arp_op_name(h->op) : NULL;
    char a[64], t[48];
    emit(d, 0, ly->off, ly->hlen, _("Address Resolution Protocol"), op ? "%s" : NULL,
         op ? _(op) : "");
    field(d, ly, 0, 2, _("Hardware type"), "%s (%u)", h->htype == 1 ? "Ethernet" : _("unknown"),
          h->htype);
    field(d, ly, 2, 2, _("Protocol type"), "%s", ethertype_str(h->ptype, t, sizeof t));
    field(d, ly, 4, 1, _("Hardware size"), "%u", h->hlen);
    field(d, ly, 5, 1, _("Protocol size"), "%u", h->plen);
    field(d, ly, 6, 2, _("Opcode"), "%s (%u)", op ? _(op) : _("unknown"), h->op);
    uint32_t hl = h->hlen, pl = h->plen, o = 8;
    field(d, ly, o, hl, _("Sender hardware address"), "%s", arp_addr(h->sha, hl, a, sizeof a));
    field(d, ly, o + hl, pl, _("Sender protocol address"), "%s", arp_addr(h->spa, pl, a, sizeof a));
    field(d, ly, o + hl + pl, hl, _("Target hardware address"), "%s",
          arp_addr(h->tha, hl, a, sizeof a));
    field(d, ly, o + 2 * hl + pl, pl, _("Target protocol address"), "%s",
          arp_addr(h->tpa, pl, a, sizeof a));
}

/* ------------------------------------------------------------ IPv4 */

static void dis_ip4_options(struct dis *d, const struct sk_layer *ly, uint32_t hlen)
{
    if (hlen <= SK_IP4_LEN || ly->got <= SK_IP4_LEN)
        return;
    uint32_t off = ly->off + SK_IP4_LEN;
    emit(d, d->base + 1, off, hlen - SK_IP4_LEN, _("Options"), _("%u bytes"),
         hlen - SK_IP4_LEN);
    struct sk_optwalk w = sk_optwalk_make(cursor_at(d, off, ly->got - SK_IP4_LEN),
                                          hlen - SK_IP4_LEN);
    struct sk_opt o;
    while (sk_opt_next(&w, &o) == SK_OPT_NEXT) {
        const char *name = sk_ipopt_name(o.kind);
        sub(d, off + o.pos, o.len, name ? name : _("Option"), _("type %u, length %u"), o.kind,
            o.len);
    }
}

static void dis_ip4(struct dis *d, const struct sk_layer *ly)
{
    const struct sk_ip4_hdr *h = &ly->h.ip4;
    const char *name = ly->quoted ? _("Quoted Internet Protocol Version 4")
                                  : _("Internet Protocol Version 4");
    char a[SK_ADDRSTRLEN], b[SK_ADDRSTRLEN], t[48], bb[24];
    uint32_t hlen = (h->vihl & 0x0fu) * 4u;
    if (ly->got >= SK_IP4_LEN)
        emit(d, d->base, ly->off, ly->hlen, name, _("Src: %s, Dst: %s"), ip4_str(h->src, a),
             ip4_str(h->dst, b));
    else
        emit(d, d->base, ly->off, ly->hlen, name, NULL);
    if (field(d, ly, 0, 1, _("Version"), "%u (%s)", h->vihl >> 4, bits(h->vihl, 8, 0xf0, bb)))
        field(d, ly, 0, 1, _("Header length"), _("%u bytes (%u) (%s)"), hlen, h->vihl & 0x0f,
              bits(h->vihl, 8, 0x0f, bb));
    if (field(d, ly, 1, 1, _("Differentiated services"), _("0x%02x (DSCP: %u, ECN: %s)"),
              h->tos, h->tos >> 2, ecn_name(h->tos))) {
        sub(d, ly->off + 1, 1, _("DSCP"), "%u (%s)", h->tos >> 2, bits(h->tos, 8, 0xfc, bb));
        sub(d, ly->off + 1, 1, _("ECN"), "%s (%s)", ecn_name(h->tos), bits(h->tos, 8, 0x03, bb));
    }
    if (ly->got >= 4) {
        if (h->len == 0)
            field(d, ly, 2, 2, _("Total length"), _("0 (left to segmentation offload)"));
        else
            field(d, ly, 2, 2, _("Total length"), "%u", h->len);
    }
    field(d, ly, 4, 2, _("Identification"), "0x%04x (%u)", h->id, h->id);
    if (ly->got >= 8) {
        uint8_t fl = (uint8_t)(h->off >> 8);
        const char *what = (h->off & 0x4000)   ? _("Don't fragment")
                           : (h->off & 0x2000) ? _("More fragments")
                                               : _("none");
        field(d, ly, 6, 1, _("Flags"), "0x%x (%s)", h->off >> 13, what);
        sub(d, ly->off + 6, 1, _("Reserved bit"), "%s (%s)", set_or_not(h->off & 0x8000),
            bits(fl, 8, 0x80, bb));
        sub(d, ly->off + 6, 1, _("Don't fragment"), "%s (%s)", set_or_not(h->off & 0x4000),
            bits(fl, 8, 0x40, bb));
        sub(d, ly->off + 6, 1, _("More fragments"), "%s (%s)", set_or_not(h->off & 0x2000),
            bits(fl, 8, 0x20, bb));
        field(d, ly, 6, 2, _("Fragment offset"), _("%u (%u bytes)"), h->off & 0x1fff,
              (h->off & 0x1fffu) * 8);
    }
    field(d, ly, 8, 1, _("Time to live"), "%u", h->ttl);
    field(d, ly, 9, 1, _("Protocol"), "%s", proto_str(h->proto, t, sizeof t));
    field(d, ly, 10, 2, _("Header checksum"), "0x%04x", h->sum);
    field(d, ly, 12, 4, _("Source address"), "%s", ip4_str(h->src, a));
    field(d, ly, 16, 4, _("Destination address"), "%s", ip4_str(h->dst, a));
    dis_ip4_options(d, ly, hlen);
}

/* ------------------------------------------------------------ IPv6 */

static void dis_ip6(struct dis *d, const struct sk_layer *ly)
{
    const struct sk_ip6_hdr *h = &ly->h.ip6;
    const char *name = ly->quoted ? _("Quoted Internet Protocol Version 6")
                                  : _("Internet Protocol Version 6");
    char a[SK_ADDRSTRLEN], b[SK_ADDRSTRLEN], t[48];
    uint8_t tc = (uint8_t)(h->vtcfl >> 20);
    if (ly->got >= SK_IP6_LEN)
        emit(d, d->base, ly->off, SK_IP6_LEN, name, _("Src: %s, Dst: %s"), ip6_str(h->src, a),
             ip6_str(h->dst, b));
    else
        emit(d, d->base, ly->off, SK_IP6_LEN, name, NULL);
    struct sk_cursor c = cursor_at(d, ly->off, ly->got);
    uint8_t v0;
    if (sk_cur_u8(&c, &v0)) /* the version nibble, even when the 32-bit word is cut */
        field(d, ly, 0, 1, _("Version"), "%u", v0 >> 4);
    if (ly->got >= 4) {
        field(d, ly, 0, 2, _("Traffic class"), _("0x%02x (DSCP: %u, ECN: %s)"), tc, tc >> 2,
              ecn_name(tc));
        field(d, ly, 1, 3, _("Flow label"), "0x%05x", h->vtcfl & 0xfffff);
    }
    field(d, ly, 4, 2, _("Payload length"), "%u", h->plen);
    field(d, ly, 6, 1, _("Next header"), "%s", proto_str(h->nxt, t, sizeof t));
    field(d, ly, 7, 1, _("Hop limit"), "%u", h->hlim);
    field(d, ly, 8, 16, _("Source address"), "%s", ip6_str(h->src, a));
    field(d, ly, 24, 16, _("Destination address"), "%s", ip6_str(h->dst, a));
}

static void dis_ip6ext(struct dis *d, const struct sk_layer *ly)
{
    const struct sk_ip6ext_hdr *e = &ly->h.ext;
    const char *name;
    char t[48], a[SK_ADDRSTRLEN], bb[24];
    switch (e->type) {
    case SK_IPPROTO_HOPOPTS: name = _("IPv6 Hop-by-Hop Options"); break;
    case SK_IPPROTO_ROUTING: name = _("IPv6 Routing Header"); break;
    case SK_IPPROTO_FRAGMENT: name = _("IPv6 Fragment Header"); break;
    case SK_IPPROTO_DSTOPTS: name = _("IPv6 Destination Options"); break;
    default: name = _("Authentication Header"); break;
    }
    emit(d, d->base, ly->off, ly->hlen, name, NULL);
    field(d, ly, 0, 1, _("Next header"), "%s", proto_str(e->nxt, t, sizeof t));
    switch (e->type) {
    case SK_IPPROTO_FRAGMENT:
        field(d, ly, 1, 1, _("Reserved"), "0x%02x", e->len);
        if (field(d, ly, 2, 2, _("Fragment offset"), _("%u (%u bytes)"), e->offlg >> 3,
                  e->offlg & 0xfff8u))
            field(d, ly, 2, 2, _("More fragments"), "%s (%s)", set_or_not(e->offlg & 1),
                  bits(e->offlg, 16, 1, bb));
        field(d, ly, 4, 4, _("Identification"), "0x%08x", e->id);
        return;
    case SK_IPPROTO_AH:
        field(d, ly, 1, 1, _("Length"), _("%u (%u bytes)"), e->len, ly->hlen);
        field(d, ly, 2, 2, _("Reserved"), NULL);
        field(d, ly, 4, 4, _("Security parameters index"), "0x%08x", e->spi);
        field(d, ly, 8, 4, _("Sequence number"), "%u", e->seq);
        if (ly->hlen > 12)
            field(d, ly, 12, ly->hlen - 12, _("Integrity check value"), _("%u bytes"),
                  ly->hlen - 12);
        return;
    default:
        break;
    }
    field(d, ly, 1, 1, _("Length"), _("%u (%u bytes)"), e->len, ly->hlen);
    if (e->type == SK_IPPROTO_ROUTING) {
        field(d, ly, 2, 1, _("Routing type"), "%u", e->rt_type);
        field(d, ly, 3, 1, _("Segments left"), "%u", e->segleft);
        struct sk_cursor rc = cursor_at(d, ly->off + 4, ly->got > 4 ? ly->got - 4 : 0);
        uint32_t rsv;
        uint8_t last, flags;
        uint16_t tag;
        if (e->rt_type == 4 && sk_cur_u8(&rc, &last) && sk_cur_u8(&rc, &flags) &&
            sk_cur_be16(&rc, &tag)) { /* segment routing (RFC 8754) */
            field(d, ly, 4, 1, _("Last entry"), "%u", last);
            field(d, ly, 5, 1, _("Flags"), "0x%02x", flags);
            field(d, ly, 6, 2, _("Tag"), "0x%04x", tag);
        } else if (e->rt_type != 4 && sk_cur_be32(&rc, &rsv)) {
            field(d, ly, 4, 4, _("Reserved"), "0x%08x", rsv);
        }
        struct sk_cursor c = cursor_at(d, ly->off + 8, ly->got > 8 ? ly->got - 8 : 0);
        uint8_t addr[16];
        for (uint32_t i = 0; (e->rt_type == 0 || e->rt_type == 2 || e->rt_type == 4) &&
                             sk_cur_copy(&c, addr, 16);
             i++)
            emit(d, d->base + 1, ly->off + 8 + 16 * i, 16, _("Address"), "[%u] %s", i,
                 ip6_str(addr, a));
        return;
    }
    /* Hop-by-hop and destination options. */
    if (ly->got <= 2)
        return;
    struct sk_optwalk w = sk_optwalk_make(cursor_at(d, ly->off + 2, ly->got - 2), ly->hlen - 2);
    struct sk_opt o;
    while (sk_opt6_next(&w, &o) == SK_OPT_NEXT) {
        const char *on = sk_ip6opt_name(o.kind);
        uint32_t v;
        if (o.kind == 0xc2 && o.len == 6 && sk_cur_be32(&o.val, &v))
            emit(d, d->base + 1, ly->off + 2 + o.pos, o.len, on, _("payload length %u"), v);
        else
            emit(d, d->base + 1, ly->off + 2 + o.pos, o.len, on ? on : _("Option"),
                 _("type 0x%02x, length %u"), o.kind, o.len);
    }
}

/* ------------------------------------------------------------ TCP */

static void dis_tcp_option(struct dis *d, uint32_t off, struct sk_opt *o)
{
    uint16_t v16;
    uint8_t v8;
    uint32_t a, b;
    uint32_t at = off + o->pos;
    switch (o->kind) {
    case SK_TCPOPT_EOL:
        sub(d, at, 1, _("End of option list"), NULL);
        return;
    case SK_TCPOPT_NOP:
        sub(d, at, 1, _("No-operation"), NULL);
        return;
    case SK_TCPOPT_MSS:
        if (o->len == 4 && sk_cur_be16(&o->val, &v16)) {
            sub(d, at, o->len, _("Maximum segment size"), _("%u bytes"), v16);
            return;
        }
        break;
    case SK_TCPOPT_WSCALE:
        if (o->len == 3 && sk_cur_u8(&o->val, &v8)) {
            sub(d, at, o->len, _("Window scale"), _("%u (multiply by %lu)"), v8,
                v8 <= 30 ? 1ul << v8 : 0ul);
            return;
        }
        break;
    case SK_TCPOPT_SACKOK:
        if (o->len == 2) {
            sub(d, at, o->len, _("SACK permitted"), NULL);
            return;
        }
        break;
    case SK_TCPOPT_TS:
        if (o->len == 10 && sk_cur_be32(&o->val, &a) && sk_cur_be32(&o->val, &b)) {
            sub(d, at, o->len, _("Timestamps"), _("TSval %u, TSecr %u"), a, b);
            return;
        }
        break;
    case SK_TCPOPT_SACK:
        if (o->len >= 10 && (o->len - 2) % 8 == 0) {
            char text[256];
            size_t k = 0;
            text[0] = '\0';
            while (k < sizeof text - 24 && sk_cur_be32(&o->val, &a) && sk_cur_be32(&o->val, &b))
                k += (size_t)snprintf(text + k, sizeof text - k, "%s%u-%u", k ? " " : "", a, b);
            sub(d, at, o->len, _("SACK"), _("blocks %s"), text);
            return;
        }
        break;
    default: {
        const char *name = sk_tcpopt_name(o->kind);
        sub(d, at, o->len, _("Option"), _("%s (kind %u), length %u"), name ? name : _("unknown"),
            o->kind, o->len);
        return;
    }
    }
    sub(d, at, o->len, _("Option"), _("%s (kind %u) with an impossible length %u"),
        sk_tcpopt_name(o->kind), o->kind, o->len);
}

/* "SYN, ACK": the flags set, AE included, in the order of the bits. */
static void tcp_flag_list(uint32_t f12, char *out, size_t n)
{
    static const char *const names[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"};
    size_t k = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < 9; i++)
        if (f12 & (1u << i) && k < n)
            k += (size_t)snprintf(out + k, n - k, k ? ", %s" : "%s", names[i]);
}

static void dis_tcp(struct dis *d, const struct sk_layer *ly)
{
    const struct sk_tcp_hdr *h = &ly->h.tcp;
    const char *name = ly->quoted ? _("Quoted Transmission Control Protocol")
                                  : _("Transmission Control Protocol");
    char head[160], bb[24], names[64];
    size_t k = 0;
    uint32_t hlen = (h->offx2 >> 4) * 4u;
    head[0] = '\0';
    if (ly->got >= 4)
        k += (size_t)snprintf(head + k, sizeof head - k, _("Src Port: %u, Dst Port: %u"),
                              h->sport, h->dport);
    if (ly->got >= 8)
        k += (size_t)snprintf(head + k, sizeof head - k, _(", Seq: %u"), h->seq);
    if (ly->got >= 14 && (h->flags & SK_TH_ACK))
        k += (size_t)snprintf(head + k, sizeof head - k, _(", Ack: %u"), h->ack);
    if (!ly->quoted && ly->status == SK_OK)
        snprintf(head + k, sizeof head - k, _(", Len: %u"), d->p->payload_len);
    emit(d, d->base, ly->off, ly->hlen, name, "%s", head);

    field(d, ly, 0, 2, _("Source port"), "%u", h->sport);
    field(d, ly, 2, 2, _("Destination port"), "%u", h->dport);
    field(d, ly, 4, 4, _("Sequence number"), "%u", h->seq);
    field(d, ly, 8, 4, _("Acknowledgment number"), "%u", h->ack);
    field(d, ly, 12, 1, _("Header length"), _("%u bytes (%u) (%s)"), hlen, h->offx2 >> 4,
          bits(h->offx2, 8, 0xf0, bb));
    if (ly->got >= 14) {
        uint32_t f12 = (uint32_t)(h->offx2 & 0x0f) << 8 | h->flags;
        tcp_flag_list(f12, names, sizeof names);
        field(d, ly, 12, 2, _("Flags"), "0x%03x (%s)", f12, names[0] ? names : _("none"));
        static const struct {
            uint32_t bit;
            const char *name;
        } fl[] = {
            {0x100, N_("Accurate ECN (AE)")},   {0x080, N_("Congestion window reduced (CWR)")},
            {0x040, N_("ECN-Echo (ECE)")},      {0x020, N_("Urgent (URG)")},
            {0x010, N_("Acknowledgment (ACK)")}, {0x008, N_("Push (PSH)")},
            {0x004, N_("Reset (RST)")},         {0x002, N_("Syn (SYN)")},
            {0x001, N_("Fin (FIN)")},
        };
        sub(d, ly->off + 12, 2, _("Reserved"), "%u (%s)", (f12 >> 9) & 7, bits(f12, 12, 0xe00, bb));
        for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++)
            sub(d, ly->off + 12, 2, _(fl[i].name), "%s (%s)", set_or_not(f12 & fl[i].bit),
                bits(f12, 12, fl[i].bit, bb));
    }
    field(d, ly, 14, 2, _("Window"), "%u", h->win);
    field(d, ly, 16, 2, _("Checksum"), "0x%04x", h->sum);
    field(d, ly, 18, 2, _("Urgent pointer"), "%u", h->urp);
    if (hlen > SK_TCP_LEN && ly->got > SK_TCP_LEN) {
        uint32_t off = ly->off + SK_TCP_LEN;
        emit(d, d->base + 1, off, hlen - SK_TCP_LEN, _("Options"), _("%u bytes"),
             hlen - SK_TCP_LEN);
        struct sk_optwalk w =
            sk_optwalk_make(cursor_at(d, off, ly->got - SK_TCP_LEN), hlen - SK_TCP_LEN);
        struct sk_opt o;
        while (sk_opt_next(&w, &o) == SK_OPT_NEXT)
            dis_tcp_option(d, off, &o);
    }
}

/* ------------------------------------------------------------ UDP */

static void dis_udp(struct dis *d, const struct sk_layer *ly)
{
    const struct sk_udp_hdr *h = &ly->h.udp;
    const char *name = ly->quoted ? _("Quoted User Datagram Protocol")
                                  : _("User Datagram Protocol");
    if (ly->got >= 4)
        emit(d, d->base, ly->off, SK_UDP_LEN, name, _("Src Port: %u, Dst Port: %u"), h->sport,
             h->dport);
    else
        emit(d, d->base, ly->off, SK_UDP_LEN, name, NULL);
    field(d, ly, 0, 2, _("Source port"), "%u", h->sport);
    field(d, ly, 2, 2, _("Destination port"), "%u", h->dport);
    field(d, ly, 4, 2, _("Length"), "%u", h->len);
    if (h->sum == 0)
        field(d, ly, 6, 2, _("Checksum"), _("0x0000 (none)"));
    else
        field(d, ly, 6, 2, _("Checksum"), "0x%04x", h->sum);
}

/* ------------------------------------------------------------ ICMP */

static void dis_icmp(struct dis *d, const struct sk_layer *ly, bool v6)
{
    const struct sk_icmp_hdr *h = &ly->h.icmp;
    const char *tn = ly->got >= 1 ? (v6 ? sk_icmp6_type_name(h->type) : sk_icmp_type_name(h->type))
                                  : NULL;
    const char *cn = ly->got >= 2 ? (v6 ? sk_icmp6_code_name(h->type, h->code)
                                        : sk_icmp_code_name(h->type, h->code))
                                  : NULL;
    /* The heading spans the whole message: an error's quoted headers are its fields. */
    emit(d, 0, ly->off, ly->avail,
         v6 ? _("Internet Control Message Protocol v6") : _("Internet Control Message Protocol"),
         tn ? "%s%s%s" : NULL, tn ? _(tn) : "", cn ? ", " : "", cn ? _(cn) : "");
    field(d, ly, 0, 1, _("Type"), "%u (%s)", h->type, tn ? _(tn) : _("unknown"));
    if (cn)
        field(d, ly, 1, 1, _("Code"), "%u (%s)", h->code, _(cn));
    else
        field(d, ly, 1, 1, _("Code"), "%u", h->code);
    field(d, ly, 2, 2, _("Checksum"), "0x%04x", h->sum);
    if (ly->got < SK_ICMP_LEN)
        return;
    uint16_t hi = (uint16_t)(h->rest >> 16), lo = (uint16_t)h->rest;
    bool idseq = v6 ? (h->type == 128 || h->type == 129)
                    : (h->type == 0 || h->type == 8 || (h->type >= 13 && h->type <= 18));
    if (idseq) {
        field(d, ly, 4, 2, _("Identifier"), "%u (0x%04x)", hi, hi);
        field(d, ly, 6, 2, _("Sequence number"), "%u", lo);
    } else if (!v6 && h->type == 3 && h->code == 4) {
        field(d, ly, 4, 2, _("Unused"), "0x%04x", hi);
        field(d, ly, 6, 2, _("Next-hop MTU"), "%u", lo);
    } else if (!v6 && h->type == 5) {
        uint8_t g[4] = {(uint8_t)(h->rest >> 24), (uint8_t)(h->rest >> 16), (uint8_t)(h->rest >> 8),
                        (uint8_t)h->rest};
        char a[SK_ADDRSTRLEN];
        field(d, ly, 4, 4, _("Gateway address"), "%s", ip4_str(g, a));
    } else if (!v6 && h->type == 12) {
        field(d, ly, 4, 1, _("Pointer"), "%u", h->rest >> 24);
        field(d, ly, 5, 3, _("Unused"), "0x%06x", h->rest & 0xffffff);
    } else if (v6 && h->type == 2) {
        field(d, ly, 4, 4, _("MTU"), "%u", h->rest);
    } else if (v6 && h->type == 4) {
        field(d, ly, 4, 4, _("Pointer"), "%u", h->rest);
    } else {
        field(d, ly, 4, 4, _("Rest of header"), "0x%08x", h->rest);
    }
}

/* ------------------------------------------------------------ frame */

static void dis_layer(struct dis *d, const struct sk_layer *ly)
{
    switch (ly->kind) {
    case SK_LY_ETH: dis_eth(d, ly); break;
    case SK_LY_VLAN: dis_vlan(d, ly); break;
    case SK_LY_SLL: dis_sll(d, ly); break;
    case SK_LY_SLL2: dis_sll2(d, ly); break;
    case SK_LY_NULL: dis_null(d, ly); break;
    case SK_LY_ARP: dis_arp(d, ly); break;
    case SK_LY_IPV4: dis_ip4(d, ly); break;
    case SK_LY_IPV6: dis_ip6(d, ly); break;
    case SK_LY_IP6EXT: dis_ip6ext(d, ly); break;
    case SK_LY_TCP: dis_tcp(d, ly); break;
    case SK_LY_UDP: dis_udp(d, ly); break;
    case SK_LY_ICMP: dis_icmp(d, ly, false); break;
    case SK_LY_ICMP6: dis_icmp(d, ly, true); break;
    default: break;
    }
    layer_problem(d, ly);
}

/* The payload, from where the last layer shown ends (an ICMP error's payload
 * begins with the quoted headers already shown). */
static void dis_payload(struct dis *d, uint32_t covered)
{
    const struct sk_packet *p = d->p;
    /* Nothing of a payload that was not captured is shown: it starts at the end. */
    uint32_t off = p->payload ? (uint32_t)(p->payload - d->data) : d->caplen;
    uint32_t len = p->payload_len, cap = p->payload_caplen;
    if (len == 0)
        return;
    if (covered > off) {
        uint32_t skip = covered - off;
        if (skip >= len)
            return;
        len -= skip;
        cap = cap > skip ? cap - skip : 0;
        off = covered;
    }
    char what[64] = "";
    if (p->l4 == SK_L4_OTHER || (p->l4 == SK_L4_NONE && (p->l3 == SK_L3_IPV4 || p->l3 == SK_L3_IPV6))) {
        const char *pn = sk_ipproto_name(p->ip_proto);
        if (p->frag_off)
            snprintf(what, sizeof what, _(", fragment at offset %u of a %s datagram"), p->frag_off,
                     pn ? pn : "IP");
        else
            snprintf(what, sizeof what, " (%s)", pn ? pn : _("unknown protocol"));
    } else if (p->l3 == SK_L3_OTHER && p->ethertype) {
        const char *en = sk_ethertype_name(p->ethertype);
        snprintf(what, sizeof what, " (%s)", en ? en : _("unknown protocol"));
    }
    if (cap < len)
        emit(d, 0, off, cap, _("Data"), _("%u bytes, %u captured%s"), len, cap, what);
    else
        emit(d, 0, off, cap, _("Data"), _("%u bytes%s"), len, what);
}

enum sk_status sk_dissect(int dlt, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
                          void (*cb)(const struct sk_field *f, void *user), void *user)
{
    struct sk_packet p;
    struct sk_layers L;
    memset(&L, 0, sizeof L); /* what the capture lacks reads as zero, not as garbage */
    enum sk_status st = sk_decode_layers(dlt, data, caplen, wirelen, &p, &L);
    struct dis d = {cb, user, data, data ? caplen : 0, &p, 0};
    const char *dn = sk_dlt_name(dlt);

    emit(&d, 0, 0, d.caplen, _("Frame"), _("%u bytes on wire, %u bytes captured"),
         wirelen > caplen ? wirelen : caplen, caplen);
    emit(&d, 1, 0, 0, _("Link-layer type"), "%s (%d)", dn ? dn : _("unknown"), dlt);

    bool told = false; /* the packet's problem was shown in the layer it belongs to */
    uint32_t covered = 0;
    for (unsigned i = 0; i < L.n; i++) {
        const struct sk_layer *ly = &L.l[i];
        d.base = ly->quoted ? 1 : 0;
        dis_layer(&d, ly);
        told = told || (ly->status == p.status && ly->why == p.why);
        if (ly->off + ly->hlen > covered)
            covered = ly->off + ly->hlen;
    }
    d.base = 0;
    if (L.dropped)
        emit(&d, 0, 0, 0, _("More headers"), _("%u more headers not shown"), L.dropped);
    if (p.status != SK_OK && !told) {
        struct sk_field f = {1, p.status == SK_TRUNCATED ? _("Truncated") : _("Malformed"),
                             _(p.why), 0, d.caplen, p.status};
        deliver(&d, &f);
    }
    dis_payload(&d, covered);
    return st;
}

size_t sk_field_text(const struct sk_field *f, char *buf, size_t n)
{
    if (n == 0)
        return 0;
    int w;
    if (!f->value || !f->value[0])
        w = snprintf(buf, n, "%s", f->label);
    else
        w = snprintf(buf, n, f->depth == 0 ? "%s, %s" : "%s: %s", f->label, f->value);
    if (w < 0) {
        buf[0] = '\0';
        return 0;
    }
    return (size_t)w >= n ? n - 1 : (size_t)w;
}
