/* analyze.c — one packet through decode → conversation → TCP tracking → record. */
#include "analyze.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"

struct sk_analyzer {
    int dlt;                  /* link type of every packet fed */
    struct sk_convtab *convs; /* conversations so far */
};

struct sk_analyzer *sk_analyzer_new(int dlt)
{
    struct sk_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->dlt = dlt;
    a->convs = sk_convtab_new();
    if (!a->convs) {
        free(a);
        return NULL;
    }
    return a;
}

void sk_analyzer_free(struct sk_analyzer *a)
{
    if (!a)
        return;
    sk_convtab_free(a->convs);
    free(a);
}

struct sk_convtab *sk_analyzer_convs(const struct sk_analyzer *a) { return a->convs; }

int sk_analyzer_datalink(const struct sk_analyzer *a) { return a->dlt; }

/* What the record says the packet is, from the deepest layer decoded. */
static int rec_kind(const struct sk_packet *p)
{
    switch (p->l4) {
    case SK_L4_TCP: return SK_K_TCP;
    case SK_L4_UDP: return SK_K_UDP;
    case SK_L4_ICMP: return SK_K_ICMP;
    case SK_L4_ICMP6: return SK_K_ICMP6;
    case SK_L4_OTHER: return SK_K_IP;
    case SK_L4_NONE: break;
    }
    if (p->l3 == SK_L3_IPV4 || p->l3 == SK_L3_IPV6)
        return p->status == SK_OK || p->fragment ? SK_K_IP : SK_K_ERROR;
    if (p->l3 == SK_L3_ARP || p->l3 == SK_L3_OTHER)
        return SK_K_OTHER;
    return SK_K_ERROR;
}

/* The tracker needs seq, ack, flags and window: the whole fixed TCP header. */
static bool tcp_header_complete(const struct sk_packet *p)
{
    return p->l4 == SK_L4_TCP && p->caplen >= p->l4_off && p->caplen - p->l4_off >= 20;
}

/* ICMP error types that quote a datagram and mean "it did not get there". */
static bool icmp_is_unreachable(const struct sk_packet *p)
{
    if (p->l4 == SK_L4_ICMP)
        return p->icmp.type == 3; /* destination unreachable (RFC 792) */
    if (p->l4 == SK_L4_ICMP6)
        return p->icmp.type == 1; /* destination unreachable (RFC 4443) */
    return false;
}

int sk_analyzer_add(struct sk_analyzer *a, const struct sk_raw *raw, struct sk_result *res,
                    char *err)
{
    struct sk_packet *p = &res->pkt;
    struct sk_rec *r = &res->rec;

    sk_decode(a->dlt, raw->data, raw->caplen, raw->wirelen, p);
    p->n = raw->n;
    p->ts_ns = raw->ts_ns;

    memset(r, 0, sizeof *r);
    memset(&res->tcp, 0, sizeof res->tcp);
    r->ts_ns = raw->ts_ns;
    r->off = raw->off;
    r->n = raw->n;
    r->conv = SK_NO_CONV;
    r->status = (uint8_t)p->status;
    r->len = p->payload_len > 0xffff ? 0xffff : (uint16_t)p->payload_len;
    r->kind = (uint8_t)rec_kind(p);
    if (p->l4 == SK_L4_TCP) {
        r->seq = p->tcp.seq;
        r->ack = p->tcp.ack;
        r->flags = p->tcp.flags;
        r->win = p->tcp.win;
    }
    if (p->fragment)
        r->events |= 1u << SK_EV_FRAGMENT;
    if (p->status != SK_OK)
        r->events |= 1u << SK_EV_BAD_PACKET;

    int dir = SK_C2S, created = 0;
    struct sk_conv *c = sk_convtab_find(a->convs, p, &dir, &created);
    if (!c && created < 0) {
        sk_err(err, "%s", _("out of memory while adding a conversation"));
        return -1;
    }
    if (c && c->proto == 6 && tcp_header_complete(p) && p->l4 == SK_L4_TCP) {
        if (!created && sk_tcp_is_new_connection(&c->tcp, dir, p)) {
            c = sk_convtab_renew(a->convs, p, &dir);
            if (!c) {
                sk_err(err, "%s", _("out of memory while adding a conversation"));
                return -1;
            }
            created = 1;
            r->events |= 1u << SK_EV_PORT_REUSE;
        }
        if (created)
            sk_tcp_init(&c->tcp, dir, p);
        sk_tcp_track(&c->tcp, dir, p, &res->tcp);
        r->events |= res->tcp.events;
        r->aux = res->tcp.aux;
    } else if (c) {
        if (p->l4 == SK_L4_UDP)
            r->events |= 1u << SK_EV_UDP;
        if (icmp_is_unreachable(p) && p->icmp.q.valid) {
            r->events |= 1u << SK_EV_ICMP_UNREACH;
            r->aux = (uint32_t)p->icmp.type << 8 | p->icmp.code;
        }
        /* Packets of a TCP conversation the tracker cannot use (an ICMP error
         * about it, a cut header) leave both states as they were. */
        res->tcp.before[0] = res->tcp.after[0] = c->tcp.side[SK_CLIENT].state;
        res->tcp.before[1] = res->tcp.after[1] = c->tcp.side[SK_SERVER].state;
    }
    if (c) {
        sk_conv_account(c, dir, p);
        r->conv = c->id;
        if (dir == SK_S2C)
            r->kind |= SK_REC_S2C;
        r->states = (uint8_t)((res->tcp.after[0] & 0x0f) | (res->tcp.after[1] & 0x0f) << 4);
    }
    res->conv = c;
    res->created = created;
    return 0;
}
