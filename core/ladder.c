/* ladder.c — the words on one ladder arrow (ladder.h). */
#include "ladder.h"

#include <string.h>

#include "decode.h"
#include "escape.h"
#include "explain.h"
#include "i18n.h"
#include "names.h"

/* Appends text to buf (n bytes) at *len, keeping it terminated; cuts what
 * does not fit. (No printf: this runs for every packet of --text.) */
static void put(char *buf, size_t n, size_t *len, const char *text)
{
    size_t at = *len;
    while (*text && at + 1 < n)
        buf[at++] = *text++;
    buf[at] = '\0';
    *len = at;
}

/* Appends " name=value" (no space before the first). */
static void put_num(char *buf, size_t n, size_t *len, const char *name, unsigned long v)
{
    char digits[24];
    char *p = digits + sizeof digits;
    *--p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (*len > 0)
        put(buf, n, len, " ");
    put(buf, n, len, name);
    put(buf, n, len, "=");
    put(buf, n, len, p);
}

static void tcp_words(const struct sk_rec *r, const struct sk_conv *c, struct sk_ladder_row *row)
{
    int dir = sk_rec_dir(r);
    char names[40];
    size_t hl = 0, len = 0;
    put(row->head, sizeof row->head, &hl, sk_tcp_flags_names(r->flags, names));
    put_num(row->nums, sizeof row->nums, &len, "seq", sk_tcp_rel_seq(&c->tcp, dir, r->seq));
    if (r->flags & SK_TH_ACK)
        put_num(row->nums, sizeof row->nums, &len, "ack", sk_tcp_rel_ack(&c->tcp, dir, r->ack));
    if (r->len > 0)
        put_num(row->nums, sizeof row->nums, &len, "len", r->len);
    /* The window matters to the lesson only when it closes or reopens. */
    if (sk_rec_has(r, SK_EV_ZERO_WINDOW) || sk_rec_has(r, SK_EV_WINDOW_UPDATE) ||
        sk_rec_has(r, SK_EV_WINDOW_FULL)) {
        const struct sk_tcp_side *s = &c->tcp.side[dir];
        unsigned long win = s->wscale > 0 ? (unsigned long)r->win << s->wscale : r->win;
        put_num(row->nums, sizeof row->nums, &len, "win", win);
    }
}

void sk_ladder_row(const struct sk_rec *r, const struct sk_rec *prev, const struct sk_conv *c,
                   const uint8_t *payload, size_t plen, struct sk_ladder_row *row)
{
    memset(row, 0, sizeof *row);
    row->dir = sk_rec_dir(r);
    int kind = sk_rec_kind(r);

    size_t hl = 0, nl = 0;
    if (kind == SK_K_TCP && c) {
        tcp_words(r, c, row);
    } else if (kind == SK_K_UDP) {
        put(row->head, sizeof row->head, &hl, "UDP");
        put_num(row->nums, sizeof row->nums, &nl, "len", r->len);
    } else if ((kind == SK_K_ICMP || kind == SK_K_ICMP6) && sk_rec_has(r, SK_EV_ICMP_UNREACH)) {
        uint8_t code = (uint8_t)(r->aux & 0xff);
        const char *what = kind == SK_K_ICMP ? sk_icmp_unreach_name(code)
                                             : sk_icmp6_unreach_name(code);
        put(row->head, sizeof row->head, &hl, kind == SK_K_ICMP ? "ICMP" : "ICMPv6");
        put(row->nums, sizeof row->nums, &nl, what ? _(what) : _("unreachable"));
    } else if (kind == SK_K_ICMP || kind == SK_K_ICMP6) {
        put(row->head, sizeof row->head, &hl, kind == SK_K_ICMP ? "ICMP" : "ICMPv6");
        put_num(row->nums, sizeof row->nums, &nl, "len", r->len);
    } else {
        put(row->head, sizeof row->head, &hl, "IP");
        put_num(row->nums, sizeof row->nums, &nl, "len", r->len);
    }
    if (r->status != SK_OK) {
        /* Mark damaged packets where the eye lands first. */
        size_t keep = strlen(row->head);
        if (keep + 2 > sizeof row->head)
            keep = sizeof row->head - 2;
        memmove(row->head + 1, row->head, keep);
        row->head[0] = '!';
        row->head[keep + 1] = '\0';
    }
    size_t ll = 0;
    put(row->label, sizeof row->label, &ll, row->head);
    if (row->nums[0]) {
        put(row->label, sizeof row->label, &ll, " ");
        put(row->label, sizeof row->label, &ll, row->nums);
    }

    if (payload && plen > 0) {
        char esc[sizeof row->preview - 8];
        size_t used = sk_escape_text(payload, plen, esc, sizeof esc, NULL);
        size_t pl = 0;
        put(row->preview, sizeof row->preview, &pl, "\"");
        put(row->preview, sizeof row->preview, &pl, esc);
        put(row->preview, sizeof row->preview, &pl, "\"");
        if (used < plen || plen < r->len)
            put(row->preview, sizeof row->preview, &pl, "...");
    }
    sk_explain_tag(r, row->tag);

    if (c && c->proto == 6) {
        uint8_t now_states = sk_tcp_shown_states(&c->tcp, r->states);
        uint8_t prev_states = prev ? sk_tcp_shown_states(&c->tcp, prev->states) : 0;
        for (int side = 0; side < 2; side++) {
            int now = side ? now_states >> 4 : now_states & 0x0f;
            int before = !prev ? -1 : side ? prev_states >> 4 : prev_states & 0x0f;
            row->state[side] = sk_state_name((enum sk_state)now);
            row->changed[side] = now != before;
        }
    }
}
