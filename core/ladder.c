/* ladder.c — the words on one ladder arrow (ladder.h). */
#include "ladder.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "escape.h"
#include "explain.h"
#include "i18n.h"
#include "names.h"

/* Appends a printf-formatted piece to buf (n bytes) at *len, keeping it terminated. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void add(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
    if (*len + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *len, n - *len, fmt, ap);
    va_end(ap);
    if (w > 0)
        *len = *len + (size_t)w >= n ? n - 1 : *len + (size_t)w;
}

static void tcp_words(const struct sk_rec *r, const struct sk_conv *c, struct sk_ladder_row *row)
{
    int dir = sk_rec_dir(r);
    char names[40];
    snprintf(row->head, sizeof row->head, "%s", sk_tcp_flags_names(r->flags, names));
    size_t len = 0;
    add(row->nums, sizeof row->nums, &len, "seq=%u", sk_tcp_rel_seq(&c->tcp, dir, r->seq));
    if (r->flags & SK_TH_ACK)
        add(row->nums, sizeof row->nums, &len, " ack=%u", sk_tcp_rel_ack(&c->tcp, dir, r->ack));
    if (r->len > 0)
        add(row->nums, sizeof row->nums, &len, " len=%u", (unsigned)r->len);
    /* The window matters to the lesson only when it closes or reopens. */
    if (sk_rec_has(r, SK_EV_ZERO_WINDOW) || sk_rec_has(r, SK_EV_WINDOW_UPDATE) ||
        sk_rec_has(r, SK_EV_WINDOW_FULL)) {
        const struct sk_tcp_side *s = &c->tcp.side[dir];
        unsigned long win = s->wscale > 0 ? (unsigned long)r->win << s->wscale : r->win;
        add(row->nums, sizeof row->nums, &len, " win=%lu", win);
    }
}

void sk_ladder_row(const struct sk_rec *r, const struct sk_rec *prev, const struct sk_conv *c,
                   const uint8_t *payload, size_t plen, struct sk_ladder_row *row)
{
    memset(row, 0, sizeof *row);
    row->dir = sk_rec_dir(r);
    int kind = sk_rec_kind(r);

    if (kind == SK_K_TCP && c) {
        tcp_words(r, c, row);
    } else if (kind == SK_K_UDP) {
        snprintf(row->head, sizeof row->head, "UDP");
        snprintf(row->nums, sizeof row->nums, "len=%u", (unsigned)r->len);
    } else if ((kind == SK_K_ICMP || kind == SK_K_ICMP6) && sk_rec_has(r, SK_EV_ICMP_UNREACH)) {
        uint8_t code = (uint8_t)(r->aux & 0xff);
        const char *what = kind == SK_K_ICMP ? sk_icmp_unreach_name(code)
                                             : sk_icmp6_unreach_name(code);
        snprintf(row->head, sizeof row->head, "%s", kind == SK_K_ICMP ? "ICMP" : "ICMPv6");
        snprintf(row->nums, sizeof row->nums, "%s", what ? _(what) : _("unreachable"));
    } else if (kind == SK_K_ICMP || kind == SK_K_ICMP6) {
        snprintf(row->head, sizeof row->head, "%s", kind == SK_K_ICMP ? "ICMP" : "ICMPv6");
        snprintf(row->nums, sizeof row->nums, "len=%u", (unsigned)r->len);
    } else {
        snprintf(row->head, sizeof row->head, "IP");
        snprintf(row->nums, sizeof row->nums, "len=%u", (unsigned)r->len);
    }
    if (r->status != SK_OK) {
        /* Mark damaged packets where the eye lands first. */
        size_t hl = strlen(row->head);
        if (hl + 2 > sizeof row->head)
            hl = sizeof row->head - 2;
        memmove(row->head + 1, row->head, hl);
        row->head[0] = '!';
        row->head[hl + 1] = '\0';
    }
    if (row->nums[0])
        snprintf(row->label, sizeof row->label, "%s %s", row->head, row->nums);
    else
        snprintf(row->label, sizeof row->label, "%s", row->head);

    if (payload && plen > 0) {
        char esc[sizeof row->preview - 8];
        size_t used = sk_escape_text(payload, plen, esc, sizeof esc, NULL);
        snprintf(row->preview, sizeof row->preview, "\"%s\"%s", esc,
                 used < plen || plen < r->len ? "..." : "");
    }
    sk_explain_tag(r, row->tag);

    if (c && c->proto == 6) {
        for (int side = 0; side < 2; side++) {
            int now = sk_rec_state(r, side);
            int before = prev ? sk_rec_state(prev, side) : -1;
            row->state[side] = sk_state_name((enum sk_state)now);
            row->changed[side] = now != before;
        }
    }
}
