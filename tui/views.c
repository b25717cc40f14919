/* views.c — the main screen: pane layout, packet list, explanation, detail, hex dump, status bar. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "convtext.h"
#include "decode.h"
#include "dissect.h"
#include "escape.h"
#include "explain.h"
#include "follow.h"
#include "i18n.h"
#include "mark.h"
#include "quiz.h"
#include "summary.h"
#include "ui.h"

enum {
    MIN_COLS = 60, /* below this the panes cannot say anything useful */
    MIN_ROWS = 16,
    TAG_W = 15,    /* "port unreachable" is cut by one: tags are short */
    WIDE_COLS = 150 /* from here the detail and hex panes stand on the right */
};

/* ------------------------------------------------------------ helpers */

const char *view_summary(struct tui *t, size_t i)
{
    struct ui_cached_line *c = &t->cache[i % (sizeof t->cache / sizeof t->cache[0])];
    if (c->rec == i + 1 && c->epoch == t->epoch)
        return c->text;
    c->rec = i + 1;
    c->epoch = t->epoch;
    struct sk_raw raw;
    char err[SK_ERRBUF_SIZE];
    if (sk_session_read(t->s, i, &raw, err) < 0) {
        if (snprintf(c->text, sizeof c->text, "(%s)", err) >= (int)sizeof c->text)
            c->text[sizeof c->text - 2] = ')';
        return c->text;
    }
    struct sk_packet p;
    sk_decode(sk_session_datalink(t->s), raw.data, raw.caplen, raw.wirelen, &p);
    p.n = raw.n;
    p.ts_ns = raw.ts_ns;
    sk_packet_summary(&p, c->text, sizeof c->text);
    return c->text;
}

void view_reltime(const struct tui *t, size_t i, char *buf, size_t n)
{
    const struct sk_rec *r = sk_session_rec(t->s, i), *r0 = sk_session_rec(t->s, 0);
    int64_t d = r && r0 ? r->ts_ns - r0->ts_ns : 0;
    if (d < 0)
        d = 0;
    snprintf(buf, n, "%lld.%06lld", (long long)(d / 1000000000), (long long)(d % 1000000000) / 1000);
}

static int digits(unsigned long long v)
{
    int d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

/* A pane's title line: " Name  detail " on the title colour across the width. */
static void title_line(struct tui *t, struct rect r, int pane, const char *text)
{
    int e = t->focus == pane ? UI_TITLE_FOCUS : UI_TITLE;
    crt_put(t, r.y, r.x, r.w, " ", e, true);
    crt_put(t, r.y, r.x + 1, r.w - 1, text, e, false);
}

static bool masked(const struct tui *t, size_t rec)
{
    return t->masked && t->masked(t, rec);
}

/* ------------------------------------------------------------ packet list */

void view_list(struct tui *t, struct rect r)
{
    int rows = r.h - 1;
    const struct sk_rec *last = t->count ? sk_session_rec(t->s, t->count - 1) : NULL;
    int numw = digits(last ? last->n : 1);
    if (numw < 4)
        numw = 4;
    char tmax[32];
    if (t->count)
        view_reltime(t, t->count - 1, tmax, sizeof tmax);
    else
        snprintf(tmax, sizeof tmax, "0.000000");
    int timew = (int)strlen(tmax);
    if (timew < (int)sk_text_width(_("Time")))
        timew = (int)sk_text_width(_("Time"));
    if (numw < (int)sk_text_width(_("No.")))
        numw = (int)sk_text_width(_("No."));
    int tagw = r.w >= 100 ? TAG_W + 2 : TAG_W;
    int sumx = numw + 1 + timew + 1 + tagw + 1;

    /* The heading is the pane's title, each word over its column (by display
     * width: a translated heading may be wide characters). */
    int e = t->focus == PANE_LIST ? UI_TITLE_FOCUS : UI_TITLE;
    crt_put(t, r.y, r.x, r.w, "", e, true);
    crt_put_right(t, r.y, r.x, numw, _("No."), e);
    crt_put(t, r.y, r.x + numw + 1, timew, _("Time"), e, false);
    crt_put(t, r.y, r.x + numw + 1 + timew + 1, tagw, _("Event"), e, false);
    if (sumx < r.w)
        crt_put(t, r.y, r.x + sumx, r.w - sumx, _("Summary (tcpdump -n)"), e, false);

    if (rows <= 0)
        return;
    /* Keep the selection in view. */
    if (t->count == 0) {
        const char *what = t->info.indexing ? _("Waiting for packets...")
                                            : _("No packets (is the filter too narrow?)");
        crt_put(t, r.y + 1, r.x + 1, r.w - 1, what, UI_DIM, false);
        return;
    }
    if (t->sel < t->list_top)
        t->list_top = t->sel;
    if (t->sel >= t->list_top + (size_t)rows)
        t->list_top = t->sel - (size_t)rows + 1;
    if (t->list_top + (size_t)rows > t->count)
        t->list_top = t->count > (size_t)rows ? t->count - (size_t)rows : 0;

    for (int row = 0; row < rows; row++) {
        size_t i = t->list_top + (size_t)row;
        if (i >= t->count)
            break;
        const struct sk_rec *rec = sk_session_rec(t->s, i);
        int y = r.y + 1 + row;
        bool sel = i == t->sel;
        bool hide = masked(t, i);
        char num[16], tm[32], tag[48];
        snprintf(num, sizeof num, "%*u", numw, rec->n);
        view_reltime(t, i, tm, sizeof tm);
        sk_explain_tag(rec, tag);
        int base = sel ? UI_SELECTED : UI_NORMAL;
        if (sel)
            crt_put(t, y, r.x, r.w, "", UI_SELECTED, true);
        crt_put(t, y, r.x, numw, num, sel ? UI_SELECTED : crt_conv_elem(rec->conv), false);
        crt_put(t, y, r.x + numw + 1, timew, tm, sel ? UI_SELECTED : UI_DIM, false);
        if (hide) {
            /* Its direction and length show; what it carries is to be guessed. */
            char what[160];
            sk_quiz_hidden_summary(rec, what, sizeof what);
            crt_put(t, y, r.x + numw + 1 + timew + 1, tagw, "???", sel ? UI_SELECTED : UI_MASKED,
                    false);
            if (sumx < r.w)
                crt_put(t, y, r.x + sumx, r.w - sumx, what, sel ? UI_SELECTED : UI_DIM, false);
            continue;
        }
        crt_put(t, y, r.x + numw + 1 + timew + 1, tagw, tag,
                sel ? UI_SELECTED : crt_mark_elem(sk_rec_mark(rec)), false);
        if (sumx < r.w)
            crt_put(t, y, r.x + sumx, r.w - sumx, view_summary(t, i), base, false);
    }
}

/* ------------------------------------------------------------ explanation */

void view_explain(struct tui *t, struct rect r)
{
    char title[128];
    const struct sk_rec *rec = t->count ? sk_session_rec(t->s, t->sel) : NULL;
    if (rec)
        snprintf(title, sizeof title, _("Explanation of packet %u"), rec->n);
    else
        snprintf(title, sizeof title, "%s", _("Explanation"));
    title_line(t, r, PANE_EXPLAIN, title);
    if (!rec || r.h < 2)
        return;
    if (masked(t, t->sel)) {
        crt_put(t, r.y + 1, r.x + 1, r.w - 2, _("Hidden until you guess."), UI_MASKED, false);
        return;
    }
    /* The quiz's guide or reveal first, the packet's explanation below it. */
    int top = quiz_explain(t, r, r.y + 1);
    r.y += top;
    r.h -= top;
    if (r.h < 2)
        return;
    const struct sk_rec *prev = NULL;
    if (t->have_conv) {
        size_t pos = sk_session_conv_pos(t->s, rec->conv, t->sel);
        uint32_t idx;
        if (pos > 0 && pos < t->conv_size &&
            sk_session_conv_recs(t->s, rec->conv, pos - 1, &idx, 1) == 1)
            prev = sk_session_rec(t->s, idx);
    }
    char text[2048];
    sk_explain(rec, prev, t->have_conv ? &t->conv : NULL, SK_EXPLAIN_LONG, text, sizeof text);
    int used = crt_wrap(t, r.y + 1, r.x + 1, r.w - 2, r.h - 1, text, UI_NORMAL);
    /* After a conversation's last packet: how the whole of it went. */
    if (t->have_conv && !t->info.indexing && rec->conv != SK_NO_CONV &&
        sk_session_conv_pos(t->s, rec->conv, t->sel) + 1 == t->conv_size && used + 2 < r.h) {
        char sum[1024];
        sk_conv_summary(&t->conv, sum, sizeof sum);
        crt_wrap(t, r.y + 2 + used, r.x + 1, r.w - 2, r.h - 2 - used, sum, UI_DIM);
    }
}

/* ------------------------------------------------------------ detail and hex */

static void add_field(const struct sk_field *f, void *user)
{
    struct tui *t = user;
    if (t->nfields == t->capfields) {
        size_t cap = t->capfields ? t->capfields * 2 : 64;
        struct ui_field *p = realloc(t->fields, cap * sizeof *p);
        if (!p)
            return;
        t->fields = p;
        t->capfields = cap;
    }
    struct ui_field *u = &t->fields[t->nfields++];
    u->depth = f->depth;
    u->problem = (int)f->problem;
    u->off = f->off;
    u->len = f->len;
    sk_field_text(f, u->text, sizeof u->text);
}

void view_load_packet(struct tui *t)
{
    if (t->count == 0) {
        t->fields_for = SIZE_MAX;
        t->nfields = t->nbytes = 0;
        return;
    }
    if (t->fields_for == t->sel)
        return;
    t->fields_for = t->sel;
    t->nfields = 0;
    t->nbytes = 0;
    t->field_sel = t->field_top = 0;
    t->bytes_err[0] = '\0';
    struct sk_raw raw;
    if (sk_session_read(t->s, t->sel, &raw, t->bytes_err) < 0)
        return;
    if (raw.caplen > t->capbytes) {
        uint8_t *b = realloc(t->bytes, raw.caplen);
        if (!b) {
            snprintf(t->bytes_err, sizeof t->bytes_err, "%s", _("out of memory"));
            return;
        }
        t->bytes = b;
        t->capbytes = raw.caplen;
    }
    memcpy(t->bytes, raw.data, raw.caplen);
    t->nbytes = raw.caplen;
    sk_dissect(sk_session_datalink(t->s), t->bytes, raw.caplen, raw.wirelen, add_field, t);
    /* Start on the deepest header decoded: what the lesson is about. */
    struct sk_packet p;
    sk_decode(sk_session_datalink(t->s), t->bytes, raw.caplen, raw.wirelen, &p);
    uint32_t want = p.l4 != SK_L4_NONE ? p.l4_off : p.l3 != SK_L3_NONE ? p.l3_off : 0;
    for (size_t i = 0; i < t->nfields; i++)
        if (t->fields[i].depth == 0 && t->fields[i].off == want && i > 0) {
            t->field_sel = i;
            t->field_top = i > 0 ? i - 1 : 0;
            break;
        }
}

void view_detail(struct tui *t, struct rect r)
{
    title_line(t, r, PANE_DETAIL, _("Detail, layer by layer"));
    int rows = r.h - 1;
    if (rows <= 0)
        return;
    if (t->bytes_err[0]) {
        crt_wrap(t, r.y + 1, r.x + 1, r.w - 2, rows, t->bytes_err, UI_ERROR);
        return;
    }
    if (t->field_sel < t->field_top)
        t->field_top = t->field_sel;
    if (t->field_sel >= t->field_top + (size_t)rows)
        t->field_top = t->field_sel - (size_t)rows + 1;
    for (int row = 0; row < rows; row++) {
        size_t i = t->field_top + (size_t)row;
        if (i >= t->nfields)
            break;
        const struct ui_field *f = &t->fields[i];
        int e = f->problem ? UI_MARK_BAD : f->depth == 0 ? UI_HEADER : UI_NORMAL;
        if (i == t->field_sel)
            e = t->focus == PANE_DETAIL ? UI_SELECTED : UI_HILITE;
        int ind = 1 + 2 * f->depth;
        if (i == t->field_sel)
            crt_put(t, r.y + 1 + row, r.x, r.w, "", e, true);
        crt_put(t, r.y + 1 + row, r.x + ind, r.w - ind, f->text, e, false);
    }
}

void view_hex(struct tui *t, struct rect r)
{
    char title[128];
    snprintf(title, sizeof title, _("Bytes: %zu captured"), t->nbytes);
    title_line(t, r, PANE_HEX, title);
    int rows = r.h - 1;
    if (rows <= 0 || t->nbytes == 0)
        return;
    unsigned per = r.w >= 6 + 3 * 16 + 2 + 16 + 1 ? 16 : 8;
    uint32_t hoff = 0, hlen = 0;
    if (t->field_sel < t->nfields) {
        hoff = t->fields[t->field_sel].off;
        hlen = t->fields[t->field_sel].len;
    }
    size_t nlines = (t->nbytes + per - 1) / per;
    size_t top = 0;
    /* Scroll so that the highlighted bytes start in view. */
    if (hlen && hoff / per >= (size_t)rows)
        top = hoff / per - (size_t)rows / 3;
    if (top + (size_t)rows > nlines)
        top = nlines > (size_t)rows ? nlines - (size_t)rows : 0;
    for (int row = 0; row < rows; row++) {
        size_t line = top + (size_t)row;
        if (line >= nlines)
            break;
        size_t off = line * per;
        size_t n = t->nbytes - off < per ? t->nbytes - off : per;
        char buf[256];
        sk_hexdump_line(t->bytes + off, n, off, per, buf, sizeof buf);
        int y = r.y + 1 + row;
        crt_put(t, y, r.x + 1, r.w - 1, buf, UI_NORMAL, false);
        for (size_t i = 0; i < n; i++) {
            size_t b = off + i;
            if (!hlen || b < hoff || b >= (size_t)hoff + hlen)
                continue;
            unsigned hc, tc;
            sk_hexdump_cols((unsigned)i, per, &hc, &tc);
            char two[3] = {buf[hc], buf[hc + 1], 0};
            char one[2] = {buf[tc], 0};
            if ((int)hc + 2 < r.w)
                crt_put(t, y, r.x + 1 + (int)hc, 2, two, UI_HILITE, false);
            if ((int)tc + 1 < r.w)
                crt_put(t, y, r.x + 1 + (int)tc, 1, one, UI_HILITE, false);
        }
    }
}

/* ------------------------------------------------------------ bottom lines */

static void status_bar(struct tui *t, int y)
{
    char left[768], pos[128], extra[256];
    const struct sk_session_info *in = &t->info;
    const char *mode = in->live ? _("LIVE") : _("REPLAY");
    const char *state;
    char play[64];
    if (t->playing) {
        snprintf(play, sizeof play, _("playing %s"), keys_speed_name(t->speed));
        state = play;
    } else if (t->following) {
        state = _("following");
    } else {
        state = _("paused");
    }
    if (t->count) {
        const struct sk_rec *r = sk_session_rec(t->s, t->sel);
        snprintf(pos, sizeof pos, _("packet %u (%zu of %zu)"), r->n, t->sel + 1, t->count);
    } else {
        snprintf(pos, sizeof pos, "%s", _("no packets"));
    }
    const char *filter = sk_session_filter(t->s);
    /* What matters most first: at 80 columns the name of the file goes. */
    extra[0] = '\0';
    if (in->live)
        snprintf(extra, sizeof extra, _("  captured %llu  drops %llu"),
                 (unsigned long long)in->read, (unsigned long long)in->dropped);
    char more[64] = "";
    if (!in->live && in->indexing)
        snprintf(more, sizeof more, _("  indexing... %llu read"), (unsigned long long)in->read);
    const char *name = sk_session_name(t->s);
    const char *slash = in->live ? NULL : strrchr(name, '/');
    snprintf(left, sizeof left, _(" %s  %s%s  filter: %s  speed %s  %s: %s%s"), state, pos, extra,
             filter[0] ? filter : _("none"), keys_speed_name(t->speed),
             in->live ? _("interface") : _("file"), slash ? slash + 1 : name, more);
    char m[32];
    snprintf(m, sizeof m, " %s ", mode);
    int mw = crt_put(t, y, 0, COLS, m, UI_STATUS_MODE, false);
    crt_put(t, y, mw, COLS - mw, left, UI_STATUS, true);
}

static void hint_line(struct tui *t, int y)
{
    if (t->prompt) {
        char label[256];
        const char *q = t->prompt == PROMPT_SEARCH ? _("Search: ")
                        : t->prompt == PROMPT_GOTO ? _("Go to packet number: ")
                        : t->prompt == PROMPT_FILTER ? _("Filter (tcpdump syntax, empty for none): ")
                                                     : _("Save the packets to file: ");
        if (t->prompt == PROMPT_QUIZ) {
            quiz_prompt_label(t, label, sizeof label);
            q = label;
        }
        int w = crt_put(t, y, 0, COLS, q, UI_PROMPT, false);
        char in[sizeof t->input + 1];
        memcpy(in, t->input, t->input_len);
        in[t->input_len] = '\0';
        /* Show the end of a long input. */
        const char *s = in;
        while (*s && (int)sk_text_width(s) > COLS - w - 2)
            s++;
        int iw = crt_put(t, y, w, COLS - w, s, UI_NORMAL, true);
        (void)iw;
        move(y, w + (int)sk_text_width(s));
        return;
    }
    if (t->msg[0]) {
        crt_put(t, y, 0, COLS, t->msg, t->msg_error ? UI_ERROR : UI_MESSAGE, true);
        return;
    }
    const char *hint;
    switch (t->screen) {
    case SCREEN_CONVS:
        hint = _("? help  Enter go to it  s follow stream  j/k move  q back");
        break;
    case SCREEN_FOLLOW:
        hint = _("? help  x hex/text  j/k scroll  q back");
        break;
    case SCREEN_HELP:
        hint = _("q back  j/k scroll");
        break;
    default:
        hint = t->demo ? demo_hint(t)
                       : _("? help  q quit  j/k packet  h/l event  [/] conversation  p play  "
                           "/ search  f filter  c conversations  s stream  d detail");
    }
    crt_put(t, y, 0, COLS, hint, UI_HINT, true);
}

/* ------------------------------------------------------------ layout */

static const int pane_min[PANE__COUNT] = {3, 5, 3, 4, 3};

/* Stacks the panes of list (in order) in rect r by weight; panes that do not
 * fit even at their smallest are dropped from the end. */
static void stack(struct tui *t, struct rect r, const int *list, int n)
{
    int drop = n;
    for (;;) {
        int need = 0;
        for (int i = 0; i < drop; i++)
            need += pane_min[list[i]];
        if (need <= r.h || drop <= 1)
            break;
        drop--;
    }
    int sumw = 0, summin = 0;
    for (int i = 0; i < drop; i++) {
        sumw += t->weight[list[i]];
        summin += pane_min[list[i]];
    }
    int extra = r.h - summin, y = r.y, given = 0;
    for (int i = 0; i < drop; i++) {
        int p = list[i];
        int h = pane_min[p] + (sumw ? extra * t->weight[p] / sumw : 0);
        if (p == PANE_EXPLAIN && h > 8 && drop > 1)
            h = 8; /* explanations are short: leave the room to the others */
        given += h;
        t->pane[p] = (struct rect){y, r.x, h, r.w};
        y += h;
    }
    /* What is left goes to the ladder if shown, else to the first pane. */
    int rest = r.h - given;
    if (rest > 0) {
        int target = list[0];
        for (int i = 0; i < drop; i++)
            if (list[i] == PANE_LADDER)
                target = PANE_LADDER;
        bool after = false;
        for (int i = 0; i < drop; i++) {
            int p = list[i];
            if (after)
                t->pane[p].y += rest;
            if (p == target) {
                t->pane[p].h += rest;
                after = true;
            }
        }
    }
}

static void layout(struct tui *t, int h)
{
    for (int p = 0; p < PANE__COUNT; p++)
        t->pane[p] = (struct rect){0, 0, 0, 0};
    bool right = COLS >= WIDE_COLS && (t->show[PANE_DETAIL] || t->show[PANE_HEX]);
    int rw = right ? (COLS * 2 / 5 < 84 ? COLS * 2 / 5 : 84) : 0;
    int lw = right ? COLS - rw - 1 : COLS;
    int left[PANE__COUNT], nl = 0, side[2], nr = 0;
    for (int p = 0; p < PANE__COUNT; p++) {
        if (!t->show[p])
            continue;
        if (right && (p == PANE_DETAIL || p == PANE_HEX))
            side[nr++] = p;
        else
            left[nl++] = p;
    }
    if (nl == 0) {
        left[nl++] = PANE_LIST;
    }
    stack(t, (struct rect){0, 0, h, lw}, left, nl);
    if (nr)
        stack(t, (struct rect){0, lw + 1, h, rw}, side, nr);
    if (right)
        for (int y = 0; y < h; y++)
            crt_put(t, y, lw, 1, t->g->vline, UI_DIM, false);
}

/* ------------------------------------------------------------ the screen */

void view_draw(struct tui *t)
{
    erase();
    t->too_small = COLS < MIN_COLS || LINES < MIN_ROWS;
    if (t->too_small) {
        char msg[256];
        snprintf(msg, sizeof msg, _("The terminal is too small (%dx%d): make it at least %dx%d, "
                                    "or press q to quit."), COLS, LINES, MIN_COLS, MIN_ROWS);
        crt_wrap(t, 0, 0, COLS, LINES, msg, UI_ERROR);
        refresh();
        return;
    }
    /* A demo has a line about the last call above the hint line, and its
     * status bar may take two rows. */
    bool demo_main = t->demo && t->screen == SCREEN_MAIN;
    int status_rows = demo_main ? demo_status_lines(t) : 1;
    int body = LINES - 1 - status_rows - (demo_main ? 1 : 0);
    quiz_follow_selection(t);
    switch (t->screen) {
    case SCREEN_CONVS:
        view_convs(t);
        break;
    case SCREEN_FOLLOW:
        view_follow(t);
        break;
    case SCREEN_HELP:
        view_help(t);
        break;
    default:
        view_load_conv(t);
        if (t->show[PANE_DETAIL] || t->show[PANE_HEX])
            view_load_packet(t);
        layout(t, body);
        if (t->pane[PANE_LIST].h)
            view_list(t, t->pane[PANE_LIST]);
        if (t->pane[PANE_LADDER].h)
            view_ladder(t, t->pane[PANE_LADDER]);
        if (t->pane[PANE_EXPLAIN].h)
            view_explain(t, t->pane[PANE_EXPLAIN]);
        if (t->pane[PANE_DETAIL].h)
            view_detail(t, t->pane[PANE_DETAIL]);
        if (t->pane[PANE_HEX].h)
            view_hex(t, t->pane[PANE_HEX]);
    }
    if (t->demo)
        demo_draw(t, demo_main ? body : -1, LINES - status_rows);
    else
        status_bar(t, LINES - 1);
    hint_line(t, LINES - 1 - status_rows);
    curs_set(t->prompt ? 1 : 0);
    refresh();
}
