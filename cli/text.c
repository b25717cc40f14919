/* text.c — `sockscope --text`: each conversation as an annotated ASCII ladder
 * (client left, server right, states on their own side, explanations), then a
 * summary per conversation. Reads the whole capture into the trace first,
 * since a conversation's packets are interleaved with others'. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "explain.h"
#include "i18n.h"
#include "ladder.h"
#include "labevents.h"
#include "layout.h"
#include "convtext.h"
#include "escape.h"
#include "summary.h"
#include "timeline.h"

#define PREVIEW_BYTES 48 /* payload bytes kept per packet for the arrow's preview */
#define STATE_W 12       /* "SYN_RECEIVED" */

/* The first payload bytes of one packet. */
struct preview {
    uint8_t len;
    uint8_t bytes[PREVIEW_BYTES];
};

/* A packet that belongs to no conversation: listed at the end. */
struct other {
    uint32_t n;  /* frame number */
    char *line;  /* its one-line summary (owned) */
};

struct text_ctx {
    struct sk_trace *trace;     /* every packet's record */
    uint32_t *pv_of;            /* per record: index into pv, or UINT32_MAX */
    size_t pv_cap;              /* capacity of pv_of (records) */
    struct preview *pv;         /* payload previews */
    size_t npv, pv_alloc;
    struct other *other;        /* packets with no conversation */
    size_t nother, other_alloc;
    uint8_t *first_before;      /* per conversation: both states before its first packet */
    size_t nfirst;
    bool oom;
};

/* Grows *p (an array of *cap elements of size sz) to hold at least need. */
static bool grow(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 1024;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * sz);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

static int collect(struct sk_result *res, const struct sk_raw *raw, void *user)
{
    (void)raw;
    struct text_ctx *t = user;
    size_t idx = sk_trace_count(t->trace);
    if (sk_trace_add(t->trace, &res->rec) < 0 || !grow((void **)&t->pv_of, &t->pv_cap, idx + 1, sizeof *t->pv_of))
        goto oom;
    t->pv_of[idx] = UINT32_MAX;
    const struct sk_packet *p = &res->pkt;
    if (res->conv && p->payload && p->payload_caplen > 0) {
        if (!grow((void **)&t->pv, &t->pv_alloc, t->npv + 1, sizeof *t->pv))
            goto oom;
        struct preview *v = &t->pv[t->npv];
        v->len = (uint8_t)(p->payload_caplen < PREVIEW_BYTES ? p->payload_caplen : PREVIEW_BYTES);
        memcpy(v->bytes, p->payload, v->len);
        t->pv_of[idx] = (uint32_t)t->npv++;
    }
    if (res->conv && res->created) {
        uint32_t id = res->conv->id;
        if (!grow((void **)&t->first_before, &t->nfirst, id + 1, 1))
            goto oom;
        t->first_before[id] = (uint8_t)((res->tcp.before[0] & 0x0f) | (res->tcp.before[1] & 0x0f) << 4);
    }
    if (!res->conv) {
        char line[512];
        sk_packet_summary(p, line, sizeof line);
        if (!grow((void **)&t->other, &t->other_alloc, t->nother + 1, sizeof *t->other))
            goto oom;
        if (!(t->other[t->nother].line = strdup(line)))
            goto oom;
        t->other[t->nother++].n = res->rec.n;
    }
    return 0;
oom:
    t->oom = true;
    return 1;
}

/* ------------------------------------------------------------ geometry */

struct geom {
    size_t width;    /* total columns */
    size_t numw;     /* frame number column */
    size_t timew;    /* relative time column, 0 when too narrow for it */
    size_t prefix;   /* columns before the client's state: number and time */
    size_t lane;     /* first column of the arrow */
    size_t arrow;    /* arrow width, bars included */
    bool beside;     /* explanations to the right of the ladder, else below */
    size_t expl_col; /* where explanations start */
    enum sk_explain_len expl_len;
};

static size_t digits(unsigned long long v)
{
    size_t d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

static void set_geometry(struct geom *g, int width, uint32_t max_n, double max_t)
{
    g->width = (size_t)width;
    g->numw = digits(max_n) < 3 ? 3 : digits(max_n);
    g->timew = digits((unsigned long long)max_t) + 7; /* "12.345678" */
    /* Room for the column titles too, in whatever language. */
    if (g->numw < sk_text_width(_("No.")))
        g->numw = sk_text_width(_("No."));
    if (g->timew < sk_text_width(_("Time")))
        g->timew = sk_text_width(_("Time"));
    /* When the ladder would not fit, the time column goes first: the arrows
     * and both states matter more, and the time is in --json and the UI. */
    if (g->numw + 1 + g->timew + 1 + 2 * (STATE_W + 1) + 26 > g->width)
        g->timew = 0;
    size_t prefix = g->numw + 1 + (g->timew ? g->timew + 1 : 0);
    g->prefix = prefix;
    g->lane = prefix + STATE_W + 1;
    size_t rest = g->width > g->lane + STATE_W + 1 ? g->width - g->lane - STATE_W - 1 : 0;
    g->beside = g->width >= 120;
    if (g->beside) {
        g->arrow = 46;
        g->expl_col = g->lane + g->arrow + 1 + STATE_W + 2;
        g->expl_len = SK_EXPLAIN_LONG;
    } else {
        g->arrow = rest < 26 ? 26 : rest;
        g->expl_col = prefix + 2;
        g->expl_len = SK_EXPLAIN_SHORT;
    }
}

/* ------------------------------------------------------------ drawing */

/* "|-- SYN seq=0 ------->|" or "|<------- SYN,ACK seq=0 ack=1 --|", arrow columns wide. */
static void arrow(struct out *o, const char *label, int dir, size_t width)
{
    size_t inner = width - 2; /* between the bars */
    size_t room = inner - 5;  /* "-- " + label + " " + at least "->" */
    size_t w;
    size_t n = sk_text_fit(label, room, &w);
    size_t dashes = inner - 4 - w; /* fill, arrowhead included below */
    out_putc(o, '|');
    if (dir == SK_C2S) {
        out_puts(o, "-- ");
        out_write(o, label, n);
        out_putc(o, ' ');
        for (size_t i = 0; i + 1 < dashes; i++)
            out_putc(o, '-');
        out_putc(o, '>');
    } else {
        out_putc(o, '<');
        for (size_t i = 0; i + 1 < dashes; i++)
            out_putc(o, '-');
        out_putc(o, ' ');
        out_write(o, label, n);
        out_puts(o, " --");
    }
    out_putc(o, '|');
}

/* "|   seq=1 ack=1 len=13          |": a line inside the lane; text too long
 * for it ends in "...". */
static void lane_text(struct out *o, const char *text, size_t width)
{
    size_t room = width - 5, w;
    size_t n = sk_text_fit(text, room, &w);
    out_puts(o, "|   ");
    if (text[n] != '\0') {
        n = sk_text_fit(text, room - 3, &w);
        out_write(o, text, n);
        out_puts(o, "...");
        w += 3;
    } else {
        out_write(o, text, n);
    }
    out_spaces(o, room - w);
    out_putc(o, '|');
}

static void lane_empty(struct out *o, const struct geom *g)
{
    out_spaces(o, g->lane);
    out_putc(o, '|');
    out_spaces(o, g->arrow - 2);
    out_puts(o, "|\n");
}

/* Writes v in decimal at the end of buf[0..end), returns where it starts. */
static char *utoa_back(char *end, unsigned long long v)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

/* "12.345678": seconds with microseconds, relative to the first packet. */
static void fmt_time(char *buf, size_t n, int64_t ns)
{
    char tmp[32];
    char *end = tmp + sizeof tmp - 1;
    *end = '\0';
    if (ns < 0)
        ns = 0;
    long long us = (ns % 1000000000) / 1000;
    for (int i = 0; i < 6; i++) {
        *--end = (char)('0' + us % 10);
        us /= 10;
    }
    *--end = '.';
    end = utoa_back(end, (unsigned long long)(ns / 1000000000));
    snprintf(buf, n, "%s", end);
}

static void draw_row(struct out *o, const struct geom *g, const struct sk_rec *r,
                     const struct sk_rec *prev, const struct sk_conv *c, int64_t t0,
                     const struct preview *pv)
{
    struct sk_ladder_row row;
    sk_ladder_row(r, prev, c, pv ? pv->bytes : NULL, pv ? pv->len : 0, &row);
    char numbuf[16], tm[32];
    numbuf[sizeof numbuf - 1] = '\0';
    const char *num = utoa_back(numbuf + sizeof numbuf - 1, r->n);
    fmt_time(tm, sizeof tm, r->ts_ns - t0);

    char expl[1024];
    sk_explain(r, prev, c, g->expl_len, expl, sizeof expl);

    /* Lines inside the lane under the arrow: the numbers when the arrow is
     * too short for them, and the payload's first bytes. */
    bool split = strlen(row.label) > g->arrow - 7;
    const char *lane_lines[2];
    size_t nlane = 0;
    if (split)
        lane_lines[nlane++] = row.nums;
    if (row.preview[0])
        lane_lines[nlane++] = row.preview;

    /* The arrow line: number, time, client state, arrow, server state. */
    layout_rpad(o, num, g->numw);
    out_putc(o, ' ');
    if (g->timew) {
        layout_rpad(o, tm, g->timew);
        out_putc(o, ' ');
    }
    layout_pad(o, row.state[0] ? row.state[0] : "", STATE_W);
    out_putc(o, ' ');
    arrow(o, split ? row.head : row.label, row.dir, g->arrow);
    out_putc(o, ' ');
    if (!g->beside) {
        out_puts(o, row.state[1] ? row.state[1] : "");
        out_putc(o, '\n');
        for (size_t i = 0; i < nlane; i++) {
            out_spaces(o, g->lane);
            lane_text(o, lane_lines[i], g->arrow);
            out_putc(o, '\n');
        }
        layout_wrap(o, expl, g->expl_col, g->width - g->expl_col);
        return;
    }

    /* Wide: the explanation runs beside the ladder, which goes on with lane
     * lines (or empty lane) until both are done. */
    layout_pad(o, row.state[1] ? row.state[1] : "", STATE_W);
    out_puts(o, "  ");
    size_t ew = g->width - g->expl_col;
    const char *rest = expl, *line;
    size_t len;
    if (sk_text_next_line(&rest, ew, &line, &len))
        out_write(o, line, len);
    out_putc(o, '\n');
    for (size_t i = 0;; i++) {
        bool more = sk_text_next_line(&rest, ew, &line, &len);
        if (i >= nlane && !more)
            break;
        out_spaces(o, g->lane);
        if (i < nlane) {
            lane_text(o, lane_lines[i], g->arrow);
        } else {
            out_putc(o, '|');
            out_spaces(o, g->arrow - 2);
            out_putc(o, '|');
        }
        if (more) {
            out_spaces(o, g->expl_col - g->lane - g->arrow);
            out_write(o, line, len);
        }
        out_putc(o, '\n');
    }
}

/* A lab's system call on a line of its own, in the margin of the side that
 * made it: the client's from its state column rightwards, the server's up to
 * the end of its state column; each keeps to four fifths of the ladder's
 * width, so that even a cut one stands clearly on its side. */
static void draw_call(struct out *o, const struct geom *g, int side, const char *text)
{
    size_t left = g->prefix;
    size_t right = g->beside ? g->lane + g->arrow + 1 + STATE_W : g->width;
    size_t max = (right - left) * 4 / 5, w;
    size_t n = sk_text_fit(text, max, &w);
    bool cut = text[n] != '\0';
    if (cut)
        n = sk_text_fit(text, max - 3, &w);
    size_t used = w + (cut ? 3 : 0);
    out_spaces(o, side == SK_SERVER ? right - used : left);
    out_write(o, text, n);
    if (cut)
        out_puts(o, "...");
    out_putc(o, '\n');
}

/* The records of one conversation, in capture order. */
struct conv_rows {
    const struct text_ctx *t;
    const uint32_t *idx; /* trace indexes */
    size_t n;
};

static int64_t row_ts(void *ctx, size_t pos)
{
    const struct conv_rows *rows = ctx;
    return sk_trace_get(rows->t->trace, rows->idx[pos])->ts_ns;
}

static void draw_packet(struct out *o, const struct geom *g, const struct sk_conv *c,
                        const struct conv_rows *rows, size_t pos, int64_t t0)
{
    const struct text_ctx *t = rows->t;
    uint32_t idx = rows->idx[pos];
    const struct sk_rec *r = sk_trace_get(t->trace, idx);
    const struct sk_rec *prev = pos > 0 ? sk_trace_get(t->trace, rows->idx[pos - 1]) : NULL;
    const struct preview *pv = t->pv_of[idx] != UINT32_MAX ? &t->pv[t->pv_of[idx]] : NULL;
    draw_row(o, g, r, prev, c, t0, pv);
}

/* A conversation's arrows, with the labs' system calls between them when the
 * capture kept them (CAPTURE.events), as the UI's ladder shows them. */
static void draw_conversation(struct out *o, const struct geom *g, const struct sk_conv *c,
                              struct conv_rows *rows, const struct sk_labev_list *events,
                              int64_t t0)
{
    struct sk_tl_call *calls = NULL;
    struct sk_tl_line *lines = NULL;
    size_t ncalls = 0, nlines = 0;
    if (events->n > 0) {
        calls = malloc(events->n * sizeof *calls);
        if (calls)
            ncalls = sk_timeline_place(events->ev, events->n, c, rows->n, row_ts, rows,
                                       calls, events->n);
        size_t max = rows->n + 2 * ncalls + 1;
        if (ncalls > 0 && (lines = malloc(max * sizeof *lines)) != NULL)
            nlines = sk_timeline_lines(calls, ncalls, 0, rows->n, rows->n, lines, max);
    }
    if (nlines == 0) {
        for (size_t pos = 0; pos < rows->n && !o->failed; pos++)
            draw_packet(o, g, c, rows, pos, t0);
    }
    for (size_t i = 0; i < nlines && !o->failed; i++) {
        const struct sk_tl_line *l = &lines[i];
        if (l->kind == SK_TL_PACKET) {
            draw_packet(o, g, c, rows, l->pos, t0);
            continue;
        }
        char text[256];
        sk_timeline_text(&events->ev[calls[l->call].ev], (enum sk_tl_kind)l->kind, text,
                         sizeof text);
        draw_call(o, g, l->side, text);
    }
    free(lines);
    free(calls);
}

static void conv_header(struct out *o, const struct geom *g, const struct sk_conv *c,
                        uint8_t before)
{
    char a[SK_ADDRSTRLEN], b[SK_ADDRSTRLEN], proto[16], title[256];
    sk_endpoint_str(&c->addr[SK_CLIENT], c->port[SK_CLIENT], a);
    sk_endpoint_str(&c->addr[SK_SERVER], c->port[SK_SERVER], b);
    if (c->proto != 6 && c->proto != 17) {
        sk_addr_str(&c->addr[SK_CLIENT], a);
        sk_addr_str(&c->addr[SK_SERVER], b);
    }
    snprintf(title, sizeof title, _("Conversation %u: %s  client %s  ->  server %s"), c->id,
             sk_conv_proto_name(c, proto), a, b);
    char line[600];
    snprintf(line, sizeof line, "== %s ==", title);
    layout_wrap_hanging(o, line, 0, 3, g->width);
    out_putc(o, '\n');

    /* Column titles, then each side's state before the first packet. */
    layout_rpad(o, _("No."), g->numw);
    out_putc(o, ' ');
    if (g->timew) {
        layout_rpad(o, _("Time"), g->timew);
        out_putc(o, ' ');
    }
    layout_pad(o, _("CLIENT"), STATE_W);
    out_putc(o, ' ');
    size_t w;
    size_t n = sk_text_fit(a, g->arrow / 2 - 1, &w);
    out_write(o, a, n);
    size_t bw;
    size_t bn = sk_text_fit(b, g->arrow - w - 1, &bw);
    out_spaces(o, g->arrow - w - bw);
    out_write(o, b, bn);
    out_putc(o, ' ');
    out_puts(o, _("SERVER"));
    out_putc(o, '\n');
    if (c->proto == 6) {
        before = sk_tcp_shown_states(&c->tcp, before);
        int cs = before & 0x0f, ss = before >> 4;
        out_spaces(o, g->prefix);
        layout_pad(o, cs ? sk_state_name((enum sk_state)cs) : "", STATE_W);
        out_putc(o, ' ');
        out_putc(o, '|');
        out_spaces(o, g->arrow - 2);
        out_puts(o, "| ");
        out_puts(o, ss ? sk_state_name((enum sk_state)ss) : "");
        out_putc(o, '\n');
    } else {
        lane_empty(o, g);
    }
}

static void conv_footer(struct out *o, const struct geom *g, const struct sk_conv *c)
{
    char text[1024];
    sk_conv_summary(c, text, sizeof text);
    out_putc(o, '\n');
    layout_wrap(o, text, 2, g->width - 2);
    out_putc(o, '\n');
}

/* ------------------------------------------------------------ the mode */

static void free_ctx(struct text_ctx *t)
{
    sk_trace_free(t->trace);
    free(t->pv_of);
    free(t->pv);
    for (size_t i = 0; i < t->nother; i++)
        free(t->other[i].line);
    free(t->other);
    free(t->first_before);
}

int cli_text(const struct cli_opts *o)
{
    struct text_ctx t;
    memset(&t, 0, sizeof t);
    t.trace = sk_trace_new();
    if (!t.trace) {
        cli_error("%s", _("out of memory"));
        return SK_EXIT_INPUT;
    }
    struct cli_walk w;
    int status = cli_walk_run(&w, o, collect, &t);
    if (status != SK_EXIT_OK) {
        free_ctx(&t);
        return status;
    }
    if (t.oom) {
        w.failed = true;
        sk_err(w.err, "%s", _("out of memory: the capture is too big for --text; try --summary"));
    }

    struct sk_convtab *convs = sk_analyzer_convs(w.an);
    size_t nconv = sk_convtab_count(convs);
    size_t nrec = sk_trace_count(t.trace);

    /* The labs' system calls, when the capture kept them beside it. */
    struct sk_labev_list events = {NULL, 0, 0};
    char side[4096], lerr[SK_ERRBUF_SIZE];
    size_t skipped = 0;
    if (sk_labev_sidecar_path(o->read_file, side, sizeof side) == 0 && access(side, R_OK) == 0) {
        if (sk_labev_load(side, &events, &skipped, lerr) < 0)
            cli_error(_("the lab events beside the capture were not read: %s"), lerr);
        sk_labev_list_sort(&events);
    }
    struct out out;
    out_init(&out, stdout);

    if (o->conv >= 0 && (size_t)o->conv >= nconv) {
        out_flush(&out);
        cli_error(_("there is no conversation %ld: this capture has %zu (numbered from 0)"),
                  o->conv, nconv);
        cli_walk_finish(&w);
        sk_labev_list_free(&events);
        free_ctx(&t);
        return SK_EXIT_USAGE;
    }

    /* Group the records by conversation (a counting sort of their indexes). */
    uint32_t *start = calloc(nconv + 1, sizeof *start);
    uint32_t *order = malloc((nrec ? nrec : 1) * sizeof *order);
    if (!start || !order) {
        free(start);
        free(order);
        cli_error("%s", _("out of memory"));
        cli_walk_finish(&w);
        sk_labev_list_free(&events);
        free_ctx(&t);
        return SK_EXIT_INPUT;
    }
    int64_t t0 = nrec ? sk_trace_get(t.trace, 0)->ts_ns : 0;
    uint32_t max_n = 0;
    int64_t max_t = 0;
    for (size_t i = 0; i < nrec; i++) {
        const struct sk_rec *r = sk_trace_get(t.trace, i);
        if (r->conv != SK_NO_CONV)
            start[r->conv + 1]++;
        if (r->n > max_n)
            max_n = r->n;
        if (r->ts_ns - t0 > max_t)
            max_t = r->ts_ns - t0;
    }
    for (size_t i = 0; i < nconv; i++)
        start[i + 1] += start[i];
    {
        uint32_t *fill = calloc(nconv + 1, sizeof *fill);
        if (fill) {
            for (size_t i = 0; i < nrec; i++) {
                const struct sk_rec *r = sk_trace_get(t.trace, i);
                if (r->conv != SK_NO_CONV)
                    order[start[r->conv] + fill[r->conv]++] = (uint32_t)i;
            }
            free(fill);
        }
    }

    struct geom g;
    set_geometry(&g, cli_width(o), max_n, (double)max_t / 1e9);

    char line[512];
    snprintf(line, sizeof line, _("%s: %zu packets, %zu conversations"),
             sk_source_name(w.src), nrec, nconv);
    out_puts(&out, line);
    out_puts(&out, "\n\n");

    for (size_t ci = 0; ci < nconv && !out.failed; ci++) {
        if (o->conv >= 0 && (size_t)o->conv != ci)
            continue;
        const struct sk_conv *c = sk_convtab_get(convs, (uint32_t)ci);
        conv_header(&out, &g, c, ci < t.nfirst ? t.first_before[ci] : 0);
        struct conv_rows rows = {&t, order + start[ci], start[ci + 1] - start[ci]};
        draw_conversation(&out, &g, c, &rows, &events, t0);
        conv_footer(&out, &g, c);
    }
    if (t.nother && o->conv < 0) {
        snprintf(line, sizeof line, _("Packets outside any conversation: %zu"), t.nother);
        out_printf(&out, "== %s ==\n\n", line);
        for (size_t i = 0; i < t.nother && !out.failed; i++) {
            char num[16];
            snprintf(num, sizeof num, "%u", t.other[i].n);
            layout_rpad(&out, num, g.numw);
            out_putc(&out, ' ');
            layout_wrap_hanging(&out, t.other[i].line, g.numw + 1, g.numw + 3, g.width);
        }
    }
    out_flush(&out);
    sk_labev_list_free(&events);
    free(start);
    free(order);
    free_ctx(&t);
    return cli_walk_finish(&w);
}
