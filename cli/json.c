/* json.c — `sockscope --json`: one JSON object per packet, per line
 * (fields documented in docs/json.md). Streams: nothing is kept per packet. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "escape.h"
#include "explain.h"
#include "names.h"

struct json_ctx {
    bool explain;           /* add "explain" (needs the previous record of each conversation) */
    struct sk_rec *last;    /* --explain: last record per conversation id */
    size_t nlast;
    struct out out;
};

static void key(struct out *o, const char *k)
{
    out_puts(o, ",\"");
    out_puts(o, k);
    out_puts(o, "\":");
}

static void str(struct out *o, const char *k, const char *v)
{
    char esc[1024];
    key(o, k);
    out_putc(o, '"');
    sk_escape_json(v, esc, sizeof esc);
    out_puts(o, esc);
    out_putc(o, '"');
}

static void num(struct out *o, const char *k, unsigned long long v)
{
    key(o, k);
    out_u64(o, v);
}

/* Seconds since the epoch with nanoseconds: 1700000000.000040000 */
static void timestamp(struct out *o, long long ns)
{
    key(o, "ts");
    if (ns < 0) {
        out_putc(o, '-');
        ns = -ns;
    }
    out_u64(o, (unsigned long long)(ns / 1000000000));
    char frac[11];
    long long f = ns % 1000000000;
    frac[0] = '.';
    for (int i = 9; i >= 1; i--) {
        frac[i] = (char)('0' + f % 10);
        f /= 10;
    }
    out_write(o, frac, 10);
}

static const char *proto_name(const struct sk_packet *p, char *buf, size_t n)
{
    switch (p->l4) {
    case SK_L4_TCP: return "tcp";
    case SK_L4_UDP: return "udp";
    case SK_L4_ICMP: return "icmp";
    case SK_L4_ICMP6: return "icmp6";
    case SK_L4_OTHER:
    case SK_L4_NONE: break;
    }
    if (p->l3 == SK_L3_IPV4 || p->l3 == SK_L3_IPV6) {
        const char *name = sk_ipproto_name(p->ip_proto);
        if (!name || p->status != SK_OK)
            return p->l3 == SK_L3_IPV4 ? "ip" : "ip6";
        size_t i = 0;
        for (; name[i] && i + 1 < n; i++)
            buf[i] = (char)tolower((unsigned char)name[i]);
        buf[i] = '\0';
        return buf;
    }
    if (p->l3 == SK_L3_ARP)
        return "arp";
    return "other";
}

static int json_packet(struct sk_result *res, const struct sk_raw *raw, void *user)
{
    (void)raw;
    struct json_ctx *j = user;
    struct out *o = &j->out;
    const struct sk_packet *p = &res->pkt;
    const struct sk_rec *r = &res->rec;
    const struct sk_conv *c = res->conv;
    char buf[SK_ADDRSTRLEN];

    out_puts(o, "{\"n\":");
    out_u64(o, r->n);
    timestamp(o, r->ts_ns);
    if (p->l3 == SK_L3_IPV4 || p->l3 == SK_L3_IPV6) {
        str(o, "src", sk_addr_str(&p->src, buf));
        str(o, "dst", sk_addr_str(&p->dst, buf));
    }
    if ((p->l4 == SK_L4_TCP || p->l4 == SK_L4_UDP) && p->caplen >= p->l4_off + 4u) {
        num(o, "sport", p->sport);
        num(o, "dport", p->dport);
    }
    char pbuf[24];
    str(o, "proto", proto_name(p, pbuf, sizeof pbuf));
    if (p->l3 == SK_L3_OTHER) {
        char et[8];
        snprintf(et, sizeof et, "0x%04x", p->ethertype);
        str(o, "ethertype", et);
    }
    int dir = sk_rec_dir(r);
    if (p->l4 == SK_L4_TCP && p->caplen >= p->l4_off + 14u) {
        char flags[12];
        str(o, "flags", sk_tcp_flags_str(p->tcp.flags, flags));
        num(o, "seq", p->tcp.seq);
        num(o, "ack", p->tcp.ack);
        if (c && c->proto == 6) {
            num(o, "rel_seq", sk_tcp_rel_seq(&c->tcp, dir, p->tcp.seq));
            num(o, "rel_ack", (p->tcp.flags & SK_TH_ACK) ? sk_tcp_rel_ack(&c->tcp, dir, p->tcp.ack) : 0);
        }
        num(o, "len", p->payload_len);
        if (p->caplen >= p->l4_off + 16u)
            num(o, "win", p->tcp.win);
    } else if (p->l4 == SK_L4_UDP || p->l4 == SK_L4_ICMP || p->l4 == SK_L4_ICMP6) {
        num(o, "len", p->payload_len);
    }
    if (p->l4 == SK_L4_ICMP || p->l4 == SK_L4_ICMP6) {
        num(o, "icmp_type", p->icmp.type);
        num(o, "icmp_code", p->icmp.code);
    }
    if (p->fragment) {
        key(o, "fragment");
        out_puts(o, "true");
    }
    if (c) {
        num(o, "conv", c->id);
        str(o, "dir", dir ? "s2c" : "c2s");
    }
    key(o, "events");
    out_putc(o, '[');
    bool first = true;
    for (int e = 0; e < SK_EV__COUNT; e++) {
        if (!sk_rec_has(r, e))
            continue;
        if (!first)
            out_putc(o, ',');
        out_putc(o, '"');
        out_puts(o, sk_event_name((enum sk_event)e));
        out_putc(o, '"');
        first = false;
    }
    out_putc(o, ']');
    if (c && c->proto == 6) {
        str(o, "client_state", sk_state_name((enum sk_state)sk_rec_client_state(r)));
        str(o, "server_state", sk_state_name((enum sk_state)sk_rec_server_state(r)));
    }
    if (p->status != SK_OK)
        str(o, "error", p->why ? p->why : sk_status_name(p->status));
    if (j->explain) {
        const struct sk_rec *prev = NULL;
        if (c && c->id < j->nlast && j->last[c->id].n != 0)
            prev = &j->last[c->id];
        char text[1024];
        sk_explain(r, prev, c, SK_EXPLAIN_LONG, text, sizeof text);
        str(o, "explain", text);
        if (c) {
            if (c->id >= j->nlast) {
                size_t n = j->nlast ? j->nlast * 2 : 64;
                while (n <= c->id)
                    n *= 2;
                struct sk_rec *grown = realloc(j->last, n * sizeof *grown);
                if (!grown)
                    return 1;
                memset(grown + j->nlast, 0, (n - j->nlast) * sizeof *grown);
                j->last = grown;
                j->nlast = n;
            }
            j->last[c->id] = *r;
        }
    }
    out_puts(o, "}\n");
    return o->failed ? 1 : 0;
}

int cli_json(const struct cli_opts *opts)
{
    struct json_ctx j;
    memset(&j, 0, sizeof j);
    j.explain = opts->explain;
    out_init(&j.out, stdout);
    struct cli_walk w;
    int status = cli_walk_run(&w, opts, json_packet, &j);
    if (status != SK_EXIT_OK) {
        free(j.last);
        return status;
    }
    out_flush(&j.out);
    free(j.last);
    return cli_walk_finish(&w);
}
