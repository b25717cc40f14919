/* summary.c — `sockscope --summary`: the conversations table, streaming (no
 * per-packet record is kept): the fast path for big captures. */
#include <string.h>

#include "cli.h"
#include "convtext.h"
#include "i18n.h"
#include "layout.h"

struct summary_ctx {
    unsigned long long packets;  /* every packet read */
    unsigned long long outside;  /* packets of no conversation */
    unsigned long long damaged;  /* truncated or invalid packets */
};

static int count_packet(struct sk_result *res, const struct sk_raw *raw, void *user)
{
    (void)raw;
    struct summary_ctx *s = user;
    s->packets++;
    if (!res->conv)
        s->outside++;
    if (res->rec.status != SK_OK)
        s->damaged++;
    return 0;
}

int cli_summary(const struct cli_opts *o)
{
    struct summary_ctx s;
    memset(&s, 0, sizeof s);
    struct cli_walk w;
    int status = cli_walk_run(&w, o, count_packet, &s);
    if (status != SK_EXIT_OK)
        return status;

    struct out out;
    out_init(&out, stdout);
    struct sk_convtab *t = sk_analyzer_convs(w.an);
    size_t n = sk_convtab_count(t);
    size_t by_proto[3] = {0, 0, 0}; /* TCP, UDP, other */
    for (size_t i = 0; i < n; i++) {
        const struct sk_conv *c = sk_convtab_get(t, (uint32_t)i);
        by_proto[c->proto == 6 ? 0 : c->proto == 17 ? 1 : 2]++;
    }
    out_printf(&out, _("%s: %llu packets, %zu conversations (TCP %zu, UDP %zu, other %zu)\n"),
               sk_source_name(w.src), s.packets, n, by_proto[0], by_proto[1], by_proto[2]);
    if (s.outside || s.damaged)
        out_printf(&out, _("%llu packets belong to no conversation; %llu are truncated or invalid\n"),
                   s.outside, s.damaged);
    if (n > 0) {
        /* The columns of the rows below, by display width: a translated
         * heading may be wide characters. */
        layout_rpad(&out, _("conv"), 5);
        out_putc(&out, ' ');
        layout_pad(&out, _("proto"), 6);
        out_putc(&out, ' ');
        layout_pad(&out, _("client -> server"), 47);
        out_putc(&out, ' ');
        layout_rpad(&out, _("packets c>s/s>c"), 15);
        out_putc(&out, ' ');
        layout_rpad(&out, _("data bytes c>s/s>c"), 21);
        out_putc(&out, ' ');
        layout_rpad(&out, _("duration"), 10);
        out_printf(&out, "  %s\n", _("how it went"));
    }
    for (size_t i = 0; i < n && !out.failed; i++) {
        const struct sk_conv *c = sk_convtab_get(t, (uint32_t)i);
        if (o->conv >= 0 && (long)i != o->conv)
            continue;
        char pair[2 * SK_ADDRSTRLEN + 8], proto[16], pk[48], by[48], h[160];
        sk_conv_endpoints(c, pair, sizeof pair);
        snprintf(pk, sizeof pk, "%llu/%llu", (unsigned long long)c->pkts[0],
                 (unsigned long long)c->pkts[1]);
        snprintf(by, sizeof by, "%llu/%llu", (unsigned long long)c->bytes[0],
                 (unsigned long long)c->bytes[1]);
        sk_conv_how(c, h, sizeof h);
        double dur = (double)(c->last_ts - c->first_ts) / 1e9;
        out_printf(&out, "%5u %-6s %-47s %15s %21s %9.3fs  %s\n", c->id,
                   sk_conv_proto_name(c, proto), pair, pk, by, dur, h);
    }
    out_flush(&out);
    return cli_walk_finish(&w);
}
