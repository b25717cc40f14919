/* screens.c — the full screens: the conversations list, a followed stream, the help. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "convtext.h"
#include "decode.h"
#include "escape.h"
#include "follow.h"
#include "i18n.h"
#include "tcp.h"
#include "ui.h"

enum {
    FOLLOW_MAX_LINES = 200000, /* a followed stream longer than this is cut (and says so) */
    FOLLOW_BATCH = 4096
};

static void screen_title(struct tui *t, const char *text)
{
    crt_put(t, 0, 0, COLS, " ", UI_TITLE_FOCUS, true);
    crt_put(t, 0, 1, COLS - 1, text, UI_TITLE_FOCUS, false);
}

void view_convs(struct tui *t)
{
    size_t n = sk_session_conv_count(t->s);
    char title[256];
    snprintf(title, sizeof title, _("Conversations: %zu"), n);
    screen_title(t, title);
    int body = LINES - 2;
    int sum_rows = body >= 16 ? 4 : 0;
    int rows = body - 2 - sum_rows;
    if (n == 0) {
        crt_put(t, 2, 1, COLS - 1, _("No conversations yet."), UI_DIM, false);
        return;
    }
    if (t->conv_sel >= n)
        t->conv_sel = n - 1;
    if (t->conv_sel < t->conv_top)
        t->conv_top = t->conv_sel;
    if (rows > 0 && t->conv_sel >= t->conv_top + (size_t)rows)
        t->conv_top = t->conv_sel - (size_t)rows + 1;
    struct sk_conv c;
    /* The endpoints column as wide as the widest pair shown. */
    int pairw = (int)sk_text_width(_("client -> server"));
    for (int row = 0; row < rows; row++) {
        char pair[2 * SK_ADDRSTRLEN + 8];
        size_t id = t->conv_top + (size_t)row;
        if (id >= n || !sk_session_conv(t->s, (uint32_t)id, &c))
            break;
        int w = (int)sk_text_width(sk_conv_endpoints(&c, pair, sizeof pair));
        if (w > pairw)
            pairw = w;
    }
    /* The headings over the columns of "%5u %-6s %-*s %11s %15s %10s  %s", by
     * display width (a translated heading may be wide characters). */
    const struct {
        const char *text;
        int w;       /* column width; 0: the rest of the line */
        bool right;  /* right-aligned */
        int gap;     /* spaces after it */
    } heads[] = {
        {_("conv"), 5, true, 1},         {_("proto"), 6, false, 1},
        {_("client -> server"), pairw, false, 1}, {_("packets c/s"), 11, true, 1},
        {_("bytes c/s"), 15, true, 1},   {_("duration"), 10, true, 2},
        {_("how it went"), 0, false, 0},
    };
    crt_put(t, 1, 0, COLS, "", UI_HEADER, true);
    int x = 0;
    for (size_t i = 0; i < sizeof heads / sizeof heads[0] && x < COLS; i++) {
        int w = heads[i].w ? heads[i].w : COLS - x;
        int tw = (int)sk_text_width(heads[i].text);
        if (heads[i].right && tw < w)
            crt_put(t, 1, x + w - tw, tw, heads[i].text, UI_HEADER, false);
        else
            crt_put(t, 1, x, w, heads[i].text, UI_HEADER, false);
        x += w + heads[i].gap;
    }
    for (int row = 0; row < rows; row++) {
        size_t id = t->conv_top + (size_t)row;
        if (id >= n || !sk_session_conv(t->s, (uint32_t)id, &c))
            break;
        char pair[2 * SK_ADDRSTRLEN + 8], proto[16];
        char pk[48], by[48], dur[32], how[160], line[768];
        sk_conv_endpoints(&c, pair, sizeof pair);
        snprintf(pk, sizeof pk, "%llu/%llu", (unsigned long long)c.pkts[0],
                 (unsigned long long)c.pkts[1]);
        snprintf(by, sizeof by, "%llu/%llu", (unsigned long long)c.bytes[0],
                 (unsigned long long)c.bytes[1]);
        snprintf(dur, sizeof dur, "%.6f", (double)(c.last_ts - c.first_ts) / 1e9);
        sk_conv_how(&c, how, sizeof how);
        snprintf(line, sizeof line, "%5u %-6s %-*s %11s %15s %10s  %s", c.id,
                 sk_conv_proto_name(&c, proto), pairw, pair, pk, by, dur, how);
        bool sel = id == t->conv_sel;
        crt_put(t, 2 + row, 0, COLS, line, sel ? UI_SELECTED : crt_conv_elem(c.id), true);
    }
    if (sum_rows && sk_session_conv(t->s, (uint32_t)t->conv_sel, &c)) {
        char sum[1024];
        sk_conv_summary(&c, sum, sizeof sum);
        crt_repeat(t, body - sum_rows, 0, COLS, t->g->hline, UI_DIM);
        crt_wrap(t, body - sum_rows + 1, 1, COLS - 2, sum_rows - 1, sum, UI_NORMAL);
    }
}

/* ------------------------------------------------------------ follow stream */

static bool fline_add(struct tui *t, struct ui_fline l)
{
    if (t->nflines >= FOLLOW_MAX_LINES) {
        t->follow_cut = true;
        return false;
    }
    if (t->nflines == t->capflines) {
        size_t cap = t->capflines ? t->capflines * 2 : 256;
        struct ui_fline *p = realloc(t->flines, cap * sizeof *p);
        if (!p) {
            t->follow_cut = true;
            return false;
        }
        t->flines = p;
        t->capflines = cap;
    }
    t->flines[t->nflines++] = l;
    return true;
}

/* The payload of record idx, decoded (borrowed until the next read). */
static bool payload_of(struct tui *t, size_t idx, struct sk_packet *p)
{
    struct sk_raw raw;
    char err[SK_ERRBUF_SIZE];
    if (sk_session_read(t->s, idx, &raw, err) < 0)
        return false;
    sk_decode(sk_session_datalink(t->s), raw.data, raw.caplen, raw.wirelen, p);
    p->n = raw.n;
    return true;
}

/* Adds the lines of the conversation's packets from position `from` on. */
static void follow_extend(struct tui *t, size_t from)
{
    int cols = t->follow_width;
    size_t n = sk_session_conv_size(t->s, t->follow_conv);
    uint32_t idx[FOLLOW_BATCH];
    unsigned per = cols >= 6 + 3 * 16 + 2 + 16 ? 16 : 8;
    size_t textw = cols > 4 ? (size_t)cols - 2 : 2;
    size_t at = from;
    while (at < n && !t->follow_cut) {
        size_t got = sk_session_conv_recs(t->s, t->follow_conv, at, idx, FOLLOW_BATCH);
        if (got == 0)
            break;
        for (size_t k = 0; k < got && !t->follow_cut; k++) {
            const struct sk_rec *r = sk_session_rec(t->s, idx[k]);
            bool udp = sk_rec_kind(r) == SK_K_UDP;
            if (!udp && !(sk_rec_kind(r) == SK_K_TCP && sk_follow_keeps(r)))
                continue;
            struct sk_packet p;
            if (!payload_of(t, idx[k], &p))
                continue;
            uint8_t dir = (uint8_t)sk_rec_dir(r);
            if (!fline_add(t, (struct ui_fline){.rec = idx[k], .kind = 0, .dir = dir}))
                break;
            size_t len = p.payload ? p.payload_caplen : 0;
            for (size_t off = 0; off < len && !t->follow_cut;) {
                size_t used;
                if (t->follow_hex) {
                    used = len - off < per ? len - off : per;
                } else {
                    char buf[1024];
                    used = sk_follow_text_line(p.payload + off, len - off, textw, buf, sizeof buf);
                }
                if (used > 0xffff)
                    used = 0xffff;
                fline_add(t, (struct ui_fline){.rec = idx[k], .off = (uint32_t)off,
                                               .len = (uint16_t)used,
                                               .kind = (uint8_t)(t->follow_hex ? 2 : 1),
                                               .dir = dir});
                off += used;
            }
            if (p.payload_len > len)
                fline_add(t, (struct ui_fline){.rec = idx[k], .off = (uint32_t)len,
                                               .len = (uint16_t)(p.payload_len - len > 0xffff
                                                                     ? 0xffff
                                                                     : p.payload_len - len),
                                               .kind = 3, .dir = dir});
        }
        at += got;
    }
    t->follow_size = at;
}

void view_follow_build(struct tui *t, int cols)
{
    t->nflines = 0;
    t->follow_cut = false;
    t->follow_width = cols;
    follow_extend(t, 0);
}

void view_follow(struct tui *t)
{
    struct sk_conv c;
    if (!sk_session_conv(t->s, t->follow_conv, &c)) {
        screen_title(t, _("Follow stream"));
        return;
    }
    /* Again when the width changes; live, the new packets' lines are added. */
    if (t->follow_width != COLS)
        view_follow_build(t, COLS);
    else if (sk_session_conv_size(t->s, t->follow_conv) > t->follow_size)
        follow_extend(t, t->follow_size);
    char a[SK_ADDRSTRLEN], b[SK_ADDRSTRLEN], proto[16], title[512];
    sk_endpoint_str(&c.addr[SK_CLIENT], c.port[SK_CLIENT], a);
    sk_endpoint_str(&c.addr[SK_SERVER], c.port[SK_SERVER], b);
    snprintf(title, sizeof title, _("Follow stream: conversation %u, %s, client %s, server %s (%s)"),
             c.id, sk_conv_proto_name(&c, proto), a, b, t->follow_hex ? _("hex") : _("text"));
    screen_title(t, title);
    int rows = LINES - 3;
    if (t->nflines == 0) {
        crt_put(t, 1, 1, COLS - 1, _("No data in this conversation."), UI_DIM, false);
        return;
    }
    if (rows > 0 && t->follow_top + (size_t)rows > t->nflines)
        t->follow_top = t->nflines > (size_t)rows ? t->nflines - (size_t)rows : 0;
    size_t cached = SIZE_MAX;
    struct sk_packet p;
    bool have = false;
    unsigned per = COLS >= 6 + 3 * 16 + 2 + 16 ? 16 : 8;
    unsigned dgram = 0;
    /* Datagram numbers count from the conversation's start. */
    if (c.proto == 17)
        for (size_t i = 0; i < t->follow_top && i < t->nflines; i++)
            if (t->flines[i].kind == 0)
                dgram++;
    for (int row = 0; row < rows; row++) {
        size_t i = t->follow_top + (size_t)row;
        if (i >= t->nflines)
            break;
        const struct ui_fline *l = &t->flines[i];
        int y = 1 + row;
        int e = l->dir == SK_C2S ? UI_CLIENT : UI_SERVER;
        const struct sk_rec *r = sk_session_rec(t->s, l->rec);
        char buf[1024];
        if (l->kind == 0) {
            if (c.proto == 17)
                dgram++;
            sk_follow_heading(r, &c, dgram, buf, sizeof buf);
            crt_put(t, y, 0, COLS, buf, UI_HEADER, false);
            continue;
        }
        if (l->kind == 3) {
            snprintf(buf, sizeof buf, _("[%u more bytes were not captured]"), (unsigned)l->len);
            crt_put(t, y, 2, COLS - 2, buf, UI_DIM, false);
            continue;
        }
        if (cached != l->rec) {
            have = payload_of(t, l->rec, &p) && p.payload;
            cached = l->rec;
        }
        if (!have || l->off + l->len > p.payload_caplen)
            continue;
        if (l->kind == 2) {
            sk_hexdump_line(p.payload + l->off, l->len, l->off, per, buf, sizeof buf);
            crt_put(t, y, 2, COLS - 2, buf, e, false);
        } else {
            sk_follow_text_line(p.payload + l->off, l->len, (size_t)COLS - 2, buf, sizeof buf);
            crt_put(t, y, 2, COLS - 2, buf, e, false);
        }
    }
    if (t->follow_cut && rows > 0 && t->follow_top + (size_t)rows >= t->nflines)
        crt_put(t, LINES - 3, 2, COLS - 2, _("(the stream is cut here: it is too long to show)"),
                UI_DIM, false);
}

/* ------------------------------------------------------------ help */

void view_help(struct tui *t)
{
    screen_title(t, _("Help: every key (q or Esc to go back)"));
    size_t n = keys_help_count();
    int rows = LINES - 3;
    if (t->help_top < 0)
        t->help_top = 0;
    if (rows > 0 && (size_t)t->help_top + (size_t)rows > n)
        t->help_top = n > (size_t)rows ? (int)(n - (size_t)rows) : 0;
    for (int row = 0; row < rows; row++) {
        size_t i = (size_t)t->help_top + (size_t)row;
        if (i >= n)
            break;
        char keys[128], what[512];
        bool heading;
        keys_help_line(i, keys, sizeof keys, what, sizeof what, &heading);
        if (heading) {
            crt_put(t, 1 + row, 1, COLS - 1, what, UI_HEADER, false);
        } else {
            crt_put(t, 1 + row, 3, 20, keys, UI_MESSAGE, false);
            crt_put(t, 1 + row, 24, COLS - 24, what, UI_NORMAL, false);
        }
    }
}
