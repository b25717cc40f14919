/* ladder.c — the ladder pane: the selected packet's conversation, client left, server right,
 * states on their own side, the labs' system calls in the margins. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "i18n.h"
#include "escape.h"
#include "ladder.h"
#include "quiz.h"
#include "tcp.h"
#include "timeline.h"
#include "ui.h"

#define STATE_W 12   /* "SYN_RECEIVED" */
#define PREVIEW_BYTES 48

/* ------------------------------------------------------------ the conversation */

struct ts_ctx {
    struct sk_session *s;
    uint32_t conv;
};

static int64_t conv_ts(void *ctx, size_t pos)
{
    struct ts_ctx *c = ctx;
    uint32_t idx;
    if (sk_session_conv_recs(c->s, c->conv, pos, &idx, 1) != 1)
        return INT64_MAX;
    return sk_session_rec(c->s, idx)->ts_ns;
}

static void load_events(struct tui *t)
{
    size_t n = sk_session_event_count(t->s);
    if (n == t->nevents)
        return;
    if (n > t->capevents) {
        struct sk_labevent *e = realloc(t->events, n * sizeof *e);
        if (!e)
            return;
        t->events = e;
        t->capevents = n;
    }
    t->nevents = sk_session_events(t->s, 0, t->events, n);
}

void view_load_conv(struct tui *t)
{
    t->have_conv = false;
    if (t->count == 0)
        return;
    const struct sk_rec *r = sk_session_rec(t->s, t->sel);
    if (r->conv == SK_NO_CONV || !sk_session_conv(t->s, r->conv, &t->conv))
        return;
    t->have_conv = true;
    t->conv_size = sk_session_conv_size(t->s, r->conv);
    load_events(t);
    uint64_t key = (uint64_t)r->conv * 1000003u ^ (uint64_t)t->conv_size << 20 ^
                   (uint64_t)t->nevents << 44 ^ t->epoch << 56;
    if (key == t->calls_key && t->calls)
        return;
    t->calls_key = key;
    free(t->calls);
    t->calls = NULL;
    t->ncalls = 0;
    if (t->nevents == 0)
        return;
    t->calls = malloc(t->nevents * sizeof *t->calls);
    if (!t->calls)
        return;
    struct ts_ctx ctx = {t->s, r->conv};
    t->ncalls = sk_timeline_place(t->events, t->nevents, &t->conv, t->conv_size, conv_ts, &ctx,
                                  t->calls, t->nevents);
}

/* ------------------------------------------------------------ geometry */

struct lgeo {
    int x, w;
    int numw, timew;
    int cbar, cstate, arrow, arrow_w, sstate, sbar, tagx;
};

static void geometry(const struct tui *t, struct rect r, struct lgeo *g)
{
    const struct sk_rec *last = sk_session_rec(t->s, t->count - 1);
    unsigned long long n = last ? last->n : 1;
    g->numw = 3;
    while (n >= 1000) {
        g->numw++;
        n /= 10;
    }
    g->x = r.x;
    g->w = r.w;
    g->timew = r.w >= 110 ? 10 : 0;
    g->cbar = r.x + g->numw + 1 + (g->timew ? g->timew + 1 : 0);
    g->cstate = g->cbar + 1;
    g->arrow = g->cstate + STATE_W + 1;
    int rest = r.x + r.w - g->arrow - (1 + STATE_W + 1);
    g->arrow_w = rest > 72 ? 72 : rest;
    if (g->arrow_w < 20)
        g->arrow_w = 20;
    g->sstate = g->arrow + g->arrow_w + 1;
    g->sbar = g->sstate + STATE_W;
    g->tagx = g->sbar + 2;
}

/* ------------------------------------------------------------ lines */

enum lkind { L_HEAD, L_PACKET, L_PREVIEW, L_CALL };

struct lline {
    uint8_t kind;
    uint8_t call_kind;   /* enum sk_tl_kind for L_CALL */
    uint8_t side;
    uint32_t pos;        /* packet position (PACKET, PREVIEW; CALL: the packet after) */
    uint32_t call;       /* index into t->calls */
    size_t rec;          /* record index (PACKET, PREVIEW) */
};

/* The first payload bytes of record idx, for the arrow's preview. */
static size_t preview_bytes(struct tui *t, size_t idx, uint8_t *out)
{
    const struct sk_rec *r = sk_session_rec(t->s, idx);
    if (!r || r->len == 0)
        return 0;
    struct sk_raw raw;
    char err[SK_ERRBUF_SIZE];
    if (sk_session_read(t->s, idx, &raw, err) < 0)
        return 0;
    struct sk_packet p;
    sk_decode(sk_session_datalink(t->s), raw.data, raw.caplen, raw.wirelen, &p);
    if (!p.payload || p.payload_caplen == 0)
        return 0;
    size_t n = p.payload_caplen < PREVIEW_BYTES ? p.payload_caplen : PREVIEW_BYTES;
    memcpy(out, p.payload, n);
    return n;
}

static void lanes(struct tui *t, int y, const struct lgeo *g)
{
    crt_put(t, y, g->arrow, 1, t->g->vline, UI_DIM, false);
    crt_put(t, y, g->arrow + g->arrow_w - 1, 1, t->g->vline, UI_DIM, false);
}

/* The margin bars of calls in progress while packet pos goes by. */
static void bars(struct tui *t, int y, const struct lgeo *g, size_t pos, bool gap)
{
    for (int side = 0; side < 2; side++) {
        bool on = false;
        for (size_t i = 0; i < t->ncalls && !on; i++) {
            const struct sk_tl_call *c = &t->calls[i];
            if (c->side != side)
                continue;
            on = gap ? c->begin < pos && pos < c->end : c->begin <= pos && pos < c->end;
        }
        if (on)
            crt_put(t, y, side ? g->sbar : g->cbar, 1, t->g->bar, UI_CALL, false);
    }
}

/* "──── label ────▶" between the lanes. */
static void arrow(struct tui *t, int y, const struct lgeo *g, int dir, const char *label, int e)
{
    int inner = g->arrow_w - 2;
    size_t lw;
    char cut[128];
    size_t n = sk_text_fit(label, (size_t)(inner - 6 > 0 ? inner - 6 : 0), &lw);
    if (n >= sizeof cut)
        n = sizeof cut - 1;
    memcpy(cut, label, n);
    cut[n] = '\0';
    int x = g->arrow + 1;
    int dashes = inner - (int)lw - 4; /* two dashes, two spaces around the label */
    if (dir == SK_C2S) {
        crt_repeat(t, y, x, 2, t->g->hline, e);
        crt_put(t, y, x + 3, (int)lw, cut, e, false);
        crt_repeat(t, y, x + 4 + (int)lw, dashes - 1, t->g->hline, e);
        crt_put(t, y, x + inner - 1, 1, t->g->right, e, false);
    } else {
        crt_put(t, y, x, 1, t->g->left, e, false);
        crt_repeat(t, y, x + 1, dashes - 1, t->g->hline, e);
        crt_put(t, y, x + dashes + 1, (int)lw, cut, e, false);
        crt_repeat(t, y, x + inner - 2, 2, t->g->hline, e);
    }
    lanes(t, y, g);
}

static void draw_packet(struct tui *t, int y, const struct lgeo *g, const struct lline *l,
                        const struct sk_rec *prev, const struct sk_ladder_row *row)
{
    const struct sk_rec *r = sk_session_rec(t->s, l->rec);
    bool sel = l->rec == t->sel;
    bool hide = t->masked && t->masked(t, l->rec);
    char num[16];
    snprintf(num, sizeof num, "%*u", g->numw, r->n);
    crt_put(t, y, g->x, g->numw, num, sel ? UI_SELECTED : crt_conv_elem(r->conv), false);
    if (g->timew) {
        char tm[32];
        view_reltime(t, l->rec, tm, sizeof tm);
        crt_put(t, y, g->x + g->numw + 1, g->timew, tm, UI_DIM, false);
    }
    if (!hide) /* where a call returns would tell what the packet did */
        bars(t, y, g, l->pos, false);
    (void)prev;
    for (int side = 0; side < 2; side++) {
        const char *st = hide ? "???" : row->state[side] ? row->state[side] : "";
        int e = hide ? UI_MASKED : row->changed[side] ? UI_STATE_NEW : UI_STATE;
        crt_put(t, y, side ? g->sstate : g->cstate, STATE_W, st, e, false);
    }
    int e = sel ? UI_SELECTED : row->dir == SK_C2S ? UI_CLIENT : UI_SERVER;
    char hidden[64];
    if (hide)
        sk_quiz_hidden_label(r, hidden, sizeof hidden); /* its direction and length show */
    /* The arrow stays readable (dim): its direction is part of the question. */
    arrow(t, y, g, row->dir, hide ? hidden : row->label, hide ? UI_DIM : e);
    if (!hide && row->tag[0] && g->tagx + 8 < g->x + g->w)
        crt_put(t, y, g->tagx, g->x + g->w - g->tagx, row->tag, UI_DIM, false);
}

static void draw_call(struct tui *t, int y, const struct lgeo *g, const struct lline *l)
{
    const struct sk_tl_call *c = &t->calls[l->call];
    const struct sk_labevent *e = &t->events[c->ev];
    char text[256];
    sk_timeline_text(e, (enum sk_tl_kind)l->call_kind, text, sizeof text);
    int elem = e->err[0] ? UI_CALL_FAIL : UI_CALL;
    bars(t, y, g, l->pos, true);
    const char *mark = l->call_kind == SK_TL_BEGIN ? t->g->begin
                       : l->call_kind == SK_TL_RETURN ? t->g->ret : NULL;
    if (mark)
        crt_put(t, y, l->side ? g->sbar : g->cbar, 1, mark, UI_CALL, false);
    lanes(t, y, g);
    int inner = g->arrow_w - 4;
    if (l->side == SK_CLIENT)
        crt_put(t, y, g->arrow + 2, inner, text, elem, false);
    else
        crt_put_right(t, y, g->arrow + 2, inner, text, elem);
}

void view_ladder(struct tui *t, struct rect r)
{
    int e = t->focus == PANE_LADDER ? UI_TITLE_FOCUS : UI_TITLE;
    char title[512];
    t->ladder_lines = 0;
    if (!t->have_conv) {
        snprintf(title, sizeof title, " %s", _("Ladder"));
        crt_put(t, r.y, r.x, r.w, title, e, true);
        if (t->count && r.h > 1)
            crt_put(t, r.y + 1, r.x + 1, r.w - 2,
                    _("This packet belongs to no conversation: there is no ladder to draw."),
                    UI_DIM, false);
        return;
    }
    const struct sk_conv *c = &t->conv;
    char a[SK_ADDRSTRLEN], b[SK_ADDRSTRLEN], proto[16];
    sk_endpoint_str(&c->addr[SK_CLIENT], c->port[SK_CLIENT], a);
    sk_endpoint_str(&c->addr[SK_SERVER], c->port[SK_SERVER], b);
    if (c->proto != 6 && c->proto != 17) {
        sk_addr_str(&c->addr[SK_CLIENT], a);
        sk_addr_str(&c->addr[SK_SERVER], b);
    }
    size_t pos = sk_session_conv_pos(t->s, c->id, t->sel);
    snprintf(title, sizeof title, _(" Ladder: conversation %u, %s, packet %zu of %zu"), c->id,
             sk_conv_proto_name(c, proto), pos + 1, t->conv_size);
    crt_put(t, r.y, r.x, r.w, title, e, true);
    if (r.h < 3)
        return;

    struct lgeo g;
    geometry(t, r, &g);
    /* Column heads: who is where. */
    char head[128];
    snprintf(head, sizeof head, "%s %s", _("CLIENT"), a);
    crt_put(t, r.y + 1, g.cstate, g.arrow + g.arrow_w / 2 - g.cstate, head, UI_CLIENT, false);
    snprintf(head, sizeof head, "%s %s", b, _("SERVER"));
    crt_put_right(t, r.y + 1, g.arrow + g.arrow_w / 2, g.sstate + STATE_W - g.arrow - g.arrow_w / 2,
                  head, UI_SERVER);

    int rows = r.h - 2;
    size_t npk = t->conv_size;
    size_t from = pos > (size_t)rows ? pos - (size_t)rows : 0;
    size_t to = pos + (size_t)rows + 1 < npk ? pos + (size_t)rows + 1 : npk;
    size_t first = from ? from - 1 : 0; /* one more before: the first row's prev */
    size_t nidx = to - first;
    uint32_t *idx = malloc((nidx ? nidx : 1) * sizeof *idx);
    size_t maxl = 4 * (size_t)rows + 2 * t->ncalls + 8;
    struct sk_tl_line *tl = malloc(maxl * sizeof *tl);
    struct lline *ll = malloc(maxl * sizeof *ll);
    if (!idx || !tl || !ll) {
        free(idx);
        free(tl);
        free(ll);
        return;
    }
    nidx = sk_session_conv_recs(t->s, c->id, first, idx, nidx);
    if (first + nidx < to)
        to = first + nidx;
    size_t ntl = sk_timeline_lines(t->calls, t->ncalls, from, to, npk, tl, maxl / 2);

    /* Expand: a head line at the start, a preview under data arrows. */
    size_t nl = 0, sel_line = 0;
    for (size_t i = 0; i < ntl && nl + 3 < maxl; i++) {
        if (tl[i].kind == SK_TL_PACKET) {
            /* Each side's state before the first packet, just above it. */
            if (tl[i].pos == 0)
                ll[nl++] = (struct lline){.kind = L_HEAD};
            size_t ri = idx[tl[i].pos - first];
            if (ri == t->sel)
                sel_line = nl;
            ll[nl++] = (struct lline){.kind = L_PACKET, .pos = tl[i].pos, .rec = ri};
            const struct sk_rec *rr = sk_session_rec(t->s, ri);
            if (rr->len > 0 && !(t->masked && t->masked(t, ri)))
                ll[nl++] = (struct lline){.kind = L_PREVIEW, .pos = tl[i].pos, .rec = ri};
        } else {
            /* A call made after a hidden packet would tell what it did (the
             * state connect() returned with): hidden with it. */
            uint32_t p = tl[i].pos;
            if (t->masked && p > first && p - 1 - first < nidx &&
                t->masked(t, idx[p - 1 - first]))
                continue;
            ll[nl++] = (struct lline){.kind = L_CALL, .call_kind = tl[i].kind, .side = tl[i].side,
                                      .pos = tl[i].pos, .call = tl[i].call};
        }
    }
    /* The selection a third of the way down, unless the start fits above it. */
    size_t top = sel_line > (size_t)rows * 2 / 3 ? sel_line - (size_t)rows / 3 : 0;
    if (nl > (size_t)rows && top > nl - (size_t)rows)
        top = nl - (size_t)rows;
    if (nl <= (size_t)rows)
        top = 0;

    struct sk_ladder_row row;
    uint8_t pv[PREVIEW_BYTES];
    for (int k = 0; k < rows && top + (size_t)k < nl; k++) {
        const struct lline *l = &ll[top + (size_t)k];
        int y = r.y + 2 + k;
        if (k < (int)(sizeof t->ladder_rec / sizeof t->ladder_rec[0])) {
            t->ladder_rec[k] = l->kind == L_PACKET || l->kind == L_PREVIEW ? l->rec : SIZE_MAX;
            t->ladder_lines = k + 1;
        }
        switch (l->kind) {
        case L_HEAD: {
            uint8_t before = sk_session_conv_before(t->s, c->id);
            if (c->proto == 6) {
                before = sk_tcp_shown_states(&c->tcp, before);
                int cs = before & 0x0f, ss = before >> 4;
                crt_put(t, y, g.cstate, STATE_W, cs ? sk_state_name((enum sk_state)cs) : "",
                        UI_STATE, false);
                crt_put(t, y, g.sstate, STATE_W, ss ? sk_state_name((enum sk_state)ss) : "",
                        UI_STATE, false);
            }
            bars(t, y, &g, 0, true);
            lanes(t, y, &g);
            break;
        }
        case L_PACKET:
        case L_PREVIEW: {
            const struct sk_rec *rr = sk_session_rec(t->s, l->rec);
            const struct sk_rec *prev = NULL;
            if (l->pos > first)
                prev = sk_session_rec(t->s, idx[l->pos - 1 - first]);
            size_t np = l->kind == L_PREVIEW ? preview_bytes(t, l->rec, pv) : 0;
            sk_ladder_row(rr, prev, c, np ? pv : NULL, np, &row);
            if (l->kind == L_PACKET) {
                draw_packet(t, y, &g, l, prev, &row);
            } else {
                bars(t, y, &g, l->pos, false);
                lanes(t, y, &g);
                crt_put(t, y, g.arrow + 3, g.arrow_w - 5, row.preview, UI_DIM, false);
            }
            break;
        }
        default:
            draw_call(t, y, &g, l);
        }
    }
    free(idx);
    free(tl);
    free(ll);
}
