/* timeline.c — the labs' system calls placed among a conversation's packets (timeline.h). */
#include "timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "labevents.h"
#include "tcp.h"

/* The first position whose time is after t (or at it, when at is true). */
static size_t first_after(size_t npkts, int64_t (*ts_at)(void *, size_t), void *ctx, int64_t t,
                          bool at)
{
    size_t lo = 0, hi = npkts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t ts = ts_at(ctx, mid);
        if (ts < t || (!at && ts == t))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int call_cmp(const void *a, const void *b)
{
    const struct sk_tl_call *x = a, *y = b;
    if (x->begin != y->begin)
        return x->begin < y->begin ? -1 : 1;
    if (x->t0 != y->t0)
        return x->t0 < y->t0 ? -1 : 1;
    return x->ev < y->ev ? -1 : x->ev > y->ev;
}

size_t sk_timeline_place(const struct sk_labevent *ev, size_t nev, const struct sk_conv *c,
                         size_t npkts, int64_t (*ts_at)(void *ctx, size_t pos), void *ctx,
                         struct sk_tl_call *out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < nev && k < max; i++) {
        const struct sk_labevent *e = &ev[i];
        if (e->kind != SK_LABEV_CALL)
            continue;
        int side = sk_labevent_side(e, c);
        if (side < 0)
            continue;
        int64_t t1 = e->t1_ns < e->t0_ns ? e->t0_ns : e->t1_ns;
        struct sk_tl_call *o = &out[k++];
        o->ev = (uint32_t)i;
        o->side = (uint8_t)side;
        o->t0 = e->t0_ns;
        o->t1 = t1;
        /* A packet stamped at the very nanosecond the call began was sent by it. */
        o->begin = (uint32_t)first_after(npkts, ts_at, ctx, e->t0_ns, true);
        o->end = (uint32_t)first_after(npkts, ts_at, ctx, t1, false);
        if (o->end < o->begin)
            o->end = o->begin;
    }
    qsort(out, k, sizeof *out, call_cmp);
    return k;
}

/* A call line waiting to be placed: the packet it stands before and its time. */
struct pending {
    uint32_t pos;
    int64_t t;
    struct sk_tl_line line;
};

static int pending_cmp(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    /* A call that returns before another begins at the same time comes first. */
    if (x->line.kind != y->line.kind)
        return x->line.kind == SK_TL_RETURN ? -1 : y->line.kind == SK_TL_RETURN ? 1 : 0;
    return x->line.call < y->line.call ? -1 : x->line.call > y->line.call;
}

/* A call line standing before packet pos is shown with the packets from ..
 * to-1; the lines after the last packet only with a window that ends there. */
static bool in_window(size_t pos, size_t from, size_t to, size_t npkts)
{
    return (pos >= from && pos < to) || (to == npkts && pos == npkts);
}

size_t sk_timeline_lines(const struct sk_tl_call *calls, size_t ncalls, size_t from, size_t to,
                         size_t npkts, struct sk_tl_line *out, size_t max)
{
    if (to > npkts)
        to = npkts;
    if (from > to)
        from = to;
    struct pending *pend = malloc((2 * ncalls + 1) * sizeof *pend);
    if (!pend)
        ncalls = 0;
    size_t np = 0;
    for (size_t i = 0; i < ncalls; i++) {
        const struct sk_tl_call *c = &calls[i];
        struct sk_tl_line l = {.side = c->side, .call = (uint32_t)i};
        if (c->begin == c->end) {
            if (in_window(c->begin, from, to, npkts)) {
                l.kind = SK_TL_CALL;
                l.pos = c->begin;
                pend[np++] = (struct pending){c->begin, c->t0, l};
            }
            continue;
        }
        if (in_window(c->begin, from, to, npkts)) {
            l.kind = SK_TL_BEGIN;
            l.pos = c->begin;
            pend[np++] = (struct pending){c->begin, c->t0, l};
        }
        if (in_window(c->end, from, to, npkts)) {
            l.kind = SK_TL_RETURN;
            l.pos = c->end;
            pend[np++] = (struct pending){c->end, c->t1, l};
        }
    }
    if (np > 1)
        qsort(pend, np, sizeof *pend, pending_cmp);
    size_t k = 0, j = 0;
    for (size_t pos = from; pos <= to && k < max; pos++) {
        while (j < np && pend[j].pos == pos && k < max)
            out[k++] = pend[j++].line;
        if (pos < to && k < max)
            out[k++] = (struct sk_tl_line){.kind = SK_TL_PACKET, .pos = (uint32_t)pos};
    }
    free(pend);
    return k;
}

bool sk_timeline_blocked(const struct sk_tl_call *calls, size_t ncalls, size_t pos, int side)
{
    for (size_t i = 0; i < ncalls; i++)
        if (calls[i].side == side && calls[i].begin <= pos && pos < calls[i].end)
            return true;
    return false;
}

/* Appends text escaped (what a lab sent is not trusted to be printable). */
static void put_escaped(char *buf, size_t n, size_t *len, const char *text)
{
    if (*len + 1 >= n)
        return;
    size_t ol = 0;
    sk_escape_text((const uint8_t *)text, strlen(text), buf + *len, n - *len, &ol);
    *len += ol;
}

static void put(char *buf, size_t n, size_t *len, const char *text)
{
    size_t tl = strlen(text);
    if (*len + 1 >= n)
        return;
    if (tl > n - 1 - *len)
        tl = n - 1 - *len;
    memcpy(buf + *len, text, tl);
    *len += tl;
    buf[*len] = '\0';
}

size_t sk_timeline_text(const struct sk_labevent *e, enum sk_tl_kind kind, char *buf, size_t n)
{
    if (n == 0)
        return 0;
    size_t len = 0;
    buf[0] = '\0';
    put_escaped(buf, n, &len, e->call);
    put(buf, n, &len, "(");
    if (kind != SK_TL_RETURN)
        put_escaped(buf, n, &len, e->args);
    put(buf, n, &len, ")");
    if (kind == SK_TL_BEGIN) {
        put(buf, n, &len, " ...");
        return len;
    }
    char num[32];
    snprintf(num, sizeof num, " = %lld", (long long)e->ret);
    put(buf, n, &len, num);
    if (e->err[0]) {
        put(buf, n, &len, " ");
        put_escaped(buf, n, &len, e->err);
    }
    if (e->state[0]) {
        put(buf, n, &len, " ");
        put_escaped(buf, n, &len, e->state);
    }
    if (e->node[0]) {
        put(buf, n, &len, " [");
        put_escaped(buf, n, &len, e->node);
        put(buf, n, &len, "]");
    }
    return len;
}
