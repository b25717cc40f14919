/* keys.c — the key table and its actions (htop's Action.c): each returns UI_* flags. */
#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "decode.h"
#include "i18n.h"
#include "mark.h"
#include "ui.h"

#define CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27

typedef int (*ui_action)(struct tui *t, int key);

/* ------------------------------------------------------------ selection */

void keys_select(struct tui *t, size_t rec)
{
    if (t->count == 0)
        return;
    if (rec >= t->count)
        rec = t->count - 1;
    t->sel = rec;
    t->following = false;
}

static const struct sk_rec *sel_rec(const struct tui *t)
{
    return t->count ? sk_session_rec(t->s, t->sel) : NULL;
}

/* In the ladder, stepping stays in the conversation; elsewhere it goes
 * through every packet. */
static bool conv_scope(const struct tui *t)
{
    const struct sk_rec *r = sel_rec(t);
    return t->focus == PANE_LADDER && r && r->conv != SK_NO_CONV;
}

size_t keys_neighbour(struct tui *t, int dir)
{
    if (t->count == 0)
        return SIZE_MAX;
    if (conv_scope(t)) {
        uint32_t conv = sel_rec(t)->conv;
        size_t pos = sk_session_conv_pos(t->s, conv, t->sel);
        uint32_t idx;
        if (dir < 0 && pos == 0)
            return SIZE_MAX;
        if (sk_session_conv_recs(t->s, conv, dir > 0 ? pos + 1 : pos - 1, &idx, 1) == 1)
            return idx;
        return SIZE_MAX;
    }
    if (dir > 0)
        return t->sel + 1 < t->count ? t->sel + 1 : SIZE_MAX;
    return t->sel > 0 ? t->sel - 1 : SIZE_MAX;
}

static int replay_step(struct tui *t, int dir)
{
    size_t to = keys_neighbour(t, dir);
    if (to == SIZE_MAX) {
        if (dir > 0)
            ui_message(t, false, "%s",
                       t->info.live ? _("This is the newest packet: more will come as they are captured.")
                                    : t->info.indexing ? _("This is the last packet read so far.")
                                                       : _("This is the last packet."));
        else
            ui_message(t, false, "%s", _("This is the first packet."));
        return UI_HANDLED | UI_REDRAW;
    }
    keys_select(t, to);
    return UI_HANDLED | UI_REDRAW;
}

static int replay_next(struct tui *t, void *ctx)
{
    (void)ctx;
    return replay_step(t, 1);
}

static int replay_prev(struct tui *t, void *ctx)
{
    (void)ctx;
    return replay_step(t, -1);
}

const struct ui_stepper keys_replay_stepper = {"replay", replay_next, replay_prev, NULL};

/* ------------------------------------------------------------ moving */

static int act_next(struct tui *t, int key)
{
    (void)key;
    if (t->focus == PANE_DETAIL && t->nfields) {
        if (t->field_sel + 1 < t->nfields)
            t->field_sel++;
        return UI_HANDLED | UI_REDRAW;
    }
    t->msg[0] = '\0';
    /* Quiz mode: a hidden packet is guessed before it is shown. */
    int q = quiz_before_next(t);
    if (q)
        return q;
    return t->step.next(t, t->step.ctx);
}

static int act_prev(struct tui *t, int key)
{
    (void)key;
    if (t->focus == PANE_DETAIL && t->nfields) {
        if (t->field_sel > 0)
            t->field_sel--;
        return UI_HANDLED | UI_REDRAW;
    }
    t->msg[0] = '\0';
    return t->step.prev(t, t->step.ctx);
}

static int act_event(struct tui *t, int key)
{
    int dir = key == 'l' || key == KEY_RIGHT ? 1 : -1;
    if (t->count == 0)
        return UI_HANDLED;
    t->msg[0] = '\0';
    if (conv_scope(t)) {
        uint32_t conv = sel_rec(t)->conv;
        size_t n = sk_session_conv_size(t->s, conv);
        size_t pos = sk_session_conv_pos(t->s, conv, t->sel);
        uint32_t idx;
        for (size_t p = pos; dir > 0 ? p + 1 < n : p > 0;) {
            p = dir > 0 ? p + 1 : p - 1;
            if (sk_session_conv_recs(t->s, conv, p, &idx, 1) == 1 &&
                sk_rec_is_step(sk_session_rec(t->s, idx))) {
                keys_select(t, idx);
                return UI_HANDLED | UI_REDRAW | UI_JUMP;
            }
        }
    } else {
        for (size_t i = t->sel; dir > 0 ? i + 1 < t->count : i > 0;) {
            i = dir > 0 ? i + 1 : i - 1;
            if (sk_rec_is_step(sk_session_rec(t->s, i))) {
                keys_select(t, i);
                return UI_HANDLED | UI_REDRAW | UI_JUMP;
            }
        }
    }
    ui_message(t, false, "%s", dir > 0 ? _("No event after this packet.")
                                       : _("No event before this packet."));
    return UI_HANDLED | UI_REDRAW;
}

static int act_conv(struct tui *t, int key)
{
    if (t->count == 0)
        return UI_HANDLED;
    int dir = key == ']' ? 1 : -1;
    size_t n = sk_session_conv_count(t->s);
    const struct sk_rec *r = sel_rec(t);
    uint32_t idx;
    if (r->conv == SK_NO_CONV) {
        /* From a packet of no conversation: the nearest one that has one. */
        for (size_t i = t->sel; dir > 0 ? i + 1 < t->count : i > 0;) {
            i = dir > 0 ? i + 1 : i - 1;
            if (sk_session_rec(t->s, i)->conv != SK_NO_CONV) {
                keys_select(t, i);
                return UI_HANDLED | UI_REDRAW | UI_JUMP;
            }
        }
    } else if (dir > 0 ? r->conv + 1 < n : r->conv > 0) {
        uint32_t to = dir > 0 ? r->conv + 1 : r->conv - 1;
        if (sk_session_conv_recs(t->s, to, 0, &idx, 1) == 1) {
            keys_select(t, idx);
            return UI_HANDLED | UI_REDRAW | UI_JUMP;
        }
    }
    ui_message(t, false, "%s", dir > 0 ? _("This is the last conversation.")
                                       : _("This is the first conversation."));
    return UI_HANDLED | UI_REDRAW;
}

static int act_first(struct tui *t, int key)
{
    (void)key;
    if (t->focus == PANE_DETAIL && t->nfields) {
        t->field_sel = 0;
        return UI_HANDLED | UI_REDRAW;
    }
    if (conv_scope(t)) {
        uint32_t idx;
        if (sk_session_conv_recs(t->s, sel_rec(t)->conv, 0, &idx, 1) == 1)
            keys_select(t, idx);
    } else {
        keys_select(t, 0);
    }
    return UI_HANDLED | UI_REDRAW | UI_JUMP;
}

static int act_last(struct tui *t, int key)
{
    (void)key;
    if (t->focus == PANE_DETAIL && t->nfields) {
        t->field_sel = t->nfields - 1;
        return UI_HANDLED | UI_REDRAW;
    }
    if (conv_scope(t)) {
        uint32_t conv = sel_rec(t)->conv;
        size_t n = sk_session_conv_size(t->s, conv);
        uint32_t idx;
        if (n && sk_session_conv_recs(t->s, conv, n - 1, &idx, 1) == 1)
            keys_select(t, idx);
    } else if (t->count) {
        keys_select(t, t->count - 1);
        t->following = t->info.live;
    }
    return UI_HANDLED | UI_REDRAW | UI_JUMP;
}

static int page_rows(const struct tui *t)
{
    int h = t->pane[PANE_LIST].h - 1;
    return h > 1 ? h : 10;
}

static int act_page(struct tui *t, int key)
{
    if (t->count == 0)
        return UI_HANDLED;
    int dir = key == KEY_NPAGE || key == CTRL('f') || key == CTRL('d') ? 1 : -1;
    size_t step = (size_t)page_rows(t);
    size_t to = dir > 0 ? (t->sel + step < t->count ? t->sel + step : t->count - 1)
                        : (t->sel > step ? t->sel - step : 0);
    keys_select(t, to);
    return UI_HANDLED | UI_REDRAW;
}

/* ------------------------------------------------------------ panes */

static int act_focus(struct tui *t, int key)
{
    int dir = key == KEY_BTAB ? -1 : 1;
    for (int k = 0; k < PANE__COUNT; k++) {
        t->focus = (t->focus + dir + PANE__COUNT) % PANE__COUNT;
        /* The explanation and the hex dump take no keys of their own. */
        if (t->show[t->focus] && t->pane[t->focus].h > 0 && t->focus != PANE_EXPLAIN &&
            t->focus != PANE_HEX)
            break;
    }
    return UI_HANDLED | UI_REDRAW;
}

static int act_toggle(struct tui *t, int key)
{
    int p = key - '1';
    if (p < 0 || p >= PANE__COUNT)
        return UI_OK;
    t->show[p] = !t->show[p];
    if (!t->show[PANE_LIST] && !t->show[PANE_LADDER] && !t->show[PANE_EXPLAIN] &&
        !t->show[PANE_DETAIL] && !t->show[PANE_HEX])
        t->show[PANE_LIST] = true;
    if (!t->show[t->focus])
        t->focus = t->show[PANE_LIST] ? PANE_LIST : t->show[PANE_LADDER] ? PANE_LADDER : PANE_DETAIL;
    return UI_HANDLED | UI_REDRAW;
}

static int act_detail(struct tui *t, int key)
{
    (void)key;
    bool on = !(t->show[PANE_DETAIL] || t->show[PANE_HEX]);
    t->show[PANE_DETAIL] = t->show[PANE_HEX] = on;
    if (on)
        t->focus = PANE_DETAIL;
    else if (t->focus == PANE_DETAIL || t->focus == PANE_HEX)
        t->focus = PANE_LIST;
    return UI_HANDLED | UI_REDRAW;
}

static int act_size(struct tui *t, int key)
{
    int *w = &t->weight[t->focus];
    if (key == '-')
        *w = *w > 1 ? *w - 1 : 1;
    else
        *w = *w < 20 ? *w + 1 : 20;
    return UI_HANDLED | UI_REDRAW;
}

/* ------------------------------------------------------------ screens */

static int act_help(struct tui *t, int key)
{
    (void)key;
    t->screen = t->screen == SCREEN_HELP ? SCREEN_MAIN : SCREEN_HELP;
    t->help_top = 0;
    return UI_HANDLED | UI_REDRAW;
}

static int act_back(struct tui *t, int key)
{
    (void)key;
    t->screen = SCREEN_MAIN;
    return UI_HANDLED | UI_REDRAW;
}

static int act_convs(struct tui *t, int key)
{
    (void)key;
    const struct sk_rec *r = sel_rec(t);
    t->conv_sel = r && r->conv != SK_NO_CONV ? r->conv : 0;
    t->screen = SCREEN_CONVS;
    return UI_HANDLED | UI_REDRAW;
}

static int open_follow(struct tui *t, uint32_t conv)
{
    t->follow_conv = conv;
    t->follow_top = 0;
    t->follow_width = -1; /* built when drawn */
    t->screen = SCREEN_FOLLOW;
    return UI_HANDLED | UI_REDRAW;
}

static int act_follow(struct tui *t, int key)
{
    (void)key;
    const struct sk_rec *r = sel_rec(t);
    if (!r || r->conv == SK_NO_CONV) {
        ui_message(t, true, "%s", _("This packet belongs to no conversation: there is no stream to follow."));
        return UI_HANDLED | UI_REDRAW;
    }
    return open_follow(t, r->conv);
}

static int act_quiz(struct tui *t, int key)
{
    (void)key;
    return quiz_toggle(t);
}

static int act_quit(struct tui *t, int key)
{
    (void)t;
    (void)key;
    return UI_QUIT;
}

static int act_escape(struct tui *t, int key)
{
    (void)key;
    if (t->searching) {
        t->searching = false;
        ui_message(t, false, "%s", _("Search stopped."));
    } else if (t->playing) {
        t->playing = false;
    } else {
        t->msg[0] = '\0';
    }
    return UI_HANDLED | UI_REDRAW;
}

static int act_redraw(struct tui *t, int key)
{
    (void)t;
    if (key == CTRL('l'))
        clearok(curscr, TRUE);
    return UI_HANDLED | UI_REDRAW;
}

/* ------------------------------------------------------------ play */

static const struct {
    double factor; /* 0: one packet a second, whatever the gaps */
    const char *name;
} speeds[] = {
    {0, N_("1 packet/s")}, {0.1, "0.1x"}, {0.25, "0.25x"}, {0.5, "0.5x"}, {1, "1x"},
    {2, "2x"}, {5, "5x"}, {10, "10x"}, {25, "25x"}, {50, "50x"}, {100, "100x"},
};
enum { NSPEEDS = sizeof speeds / sizeof speeds[0] };
static const int64_t LONGEST_WAIT_NS = 5000000000LL; /* a long gap in a capture is not waited out */

const char *keys_speed_name(int speed)
{
    if (speed < 0 || speed >= NSPEEDS)
        speed = 4;
    return _(speeds[speed].name);
}

static int act_play(struct tui *t, int key)
{
    (void)key;
    if (!t->playing && t->demo) {
        ui_message(t, false, "%s", _("In a demo, Space lets the labs make their next call: "
                                     "there is nothing to play."));
        return UI_HANDLED | UI_REDRAW;
    }
    if (!t->playing && t->quiz.on) {
        ui_message(t, false, "%s", _("Quiz mode: step with j or Space and guess each packet "
                                     "(Q ends the quiz)."));
        return UI_HANDLED | UI_REDRAW;
    }
    t->playing = !t->playing;
    t->due_ns = 0;
    if (t->playing)
        t->following = false;
    ui_message(t, false, t->playing ? _("Playing at %s: p pauses, < and > change the speed.")
                                    : _("Paused (was %s)."),
               keys_speed_name(t->speed));
    return UI_HANDLED | UI_REDRAW;
}

static int act_speed(struct tui *t, int key)
{
    if (key == '>' && t->speed + 1 < NSPEEDS)
        t->speed++;
    else if (key == '<' && t->speed > 0)
        t->speed--;
    ui_message(t, false, _("Speed: %s"), keys_speed_name(t->speed));
    return UI_HANDLED | UI_REDRAW;
}

int keys_play_tick(struct tui *t, int64_t now, int *wait_ms)
{
    if (!t->playing || t->count == 0)
        return UI_OK;
    if (t->due_ns == 0)
        t->due_ns = now;
    int flags = 0;
    for (int steps = 0; t->playing && now >= t->due_ns && steps < 100000; steps++) {
        size_t before = t->sel;
        flags |= t->step.next(t, t->step.ctx) | UI_REDRAW;
        if (t->sel == before) {
            if (t->info.live || t->info.indexing) {
                t->msg[0] = '\0';
                t->due_ns = now + 50000000LL;
            } else {
                t->playing = false;
                ui_message(t, false, "%s", _("Played to the end: paused."));
            }
            break;
        }
        size_t nx = keys_neighbour(t, 1);
        if (nx == SIZE_MAX) {
            t->due_ns = now + 50000000LL;
            continue;
        }
        int64_t gap = sk_session_rec(t->s, nx)->ts_ns - sk_session_rec(t->s, t->sel)->ts_ns;
        if (gap < 0)
            gap = 0;
        double f = speeds[t->speed].factor;
        int64_t delay = f > 0 ? (int64_t)((double)gap / f) : 1000000000LL;
        if (delay > LONGEST_WAIT_NS)
            delay = LONGEST_WAIT_NS;
        t->due_ns += delay;
        if (t->due_ns < now - 1000000000LL)
            t->due_ns = now; /* after a long stall, do not rush to catch up */
    }
    if (t->playing) {
        int64_t w = (t->due_ns - now) / 1000000;
        *wait_ms = w < 1 ? 1 : w > 100 ? 100 : (int)w;
    }
    return flags;
}

/* ------------------------------------------------------------ prompts */

static int open_prompt(struct tui *t, int kind, const char *initial)
{
    t->prompt = kind;
    snprintf(t->input, sizeof t->input, "%s", initial ? initial : "");
    t->input_len = strlen(t->input);
    return UI_HANDLED | UI_REDRAW;
}

static int act_search(struct tui *t, int key)
{
    (void)key;
    return open_prompt(t, PROMPT_SEARCH, NULL);
}

static int act_goto(struct tui *t, int key)
{
    (void)key;
    return open_prompt(t, PROMPT_GOTO, NULL);
}

static int act_filter(struct tui *t, int key)
{
    (void)key;
    return open_prompt(t, PROMPT_FILTER, sk_session_filter(t->s));
}

static int act_save(struct tui *t, int key)
{
    (void)key;
    return open_prompt(t, PROMPT_SAVE, t->o->write_file ? "" : "sockscope-session.pcap");
}

static void start_search(struct tui *t, int dir)
{
    if (!t->query[0]) {
        ui_message(t, true, "%s", _("No search yet: press / to search."));
        return;
    }
    if (t->count == 0)
        return;
    t->searching = true;
    t->search_dir = dir;
    t->search_from = t->sel;
    t->search_at = t->sel;
    t->search_done = 0;
    ui_message(t, false, _("Searching for \"%s\"..."), t->query);
}

int keys_search_tick(struct tui *t)
{
    if (!t->searching)
        return UI_OK;
    int64_t until = ui_now_ns() + 20000000LL;
    struct sk_raw raw;
    char err[SK_ERRBUF_SIZE];
    int dlt = sk_session_datalink(t->s);
    while (t->search_done < t->count) {
        t->search_at = t->search_dir > 0 ? (t->search_at + 1) % t->count
                                         : (t->search_at + t->count - 1) % t->count;
        t->search_done++;
        const struct sk_rec *r = sk_session_rec(t->s, t->search_at);
        if (sk_session_read(t->s, t->search_at, &raw, err) == 1) {
            struct sk_packet p;
            sk_decode(dlt, raw.data, raw.caplen, raw.wirelen, &p);
            p.n = raw.n;
            p.ts_ns = raw.ts_ns;
            if (sk_packet_matches(&p, r, t->query)) {
                t->searching = false;
                keys_select(t, t->search_at);
                bool wrapped = t->search_dir > 0 ? t->search_at <= t->search_from
                                                 : t->search_at >= t->search_from;
                ui_message(t, false, wrapped ? _("\"%s\" found at packet %u (search wrapped)")
                                             : _("\"%s\" found at packet %u"),
                           t->query, r->n);
                return UI_REDRAW | UI_JUMP;
            }
        }
        if ((t->search_done & 255) == 0 && ui_now_ns() > until)
            return UI_OK; /* go on at the next tick: keys still work */
    }
    t->searching = false;
    ui_message(t, true, _("No packet matches \"%s\"."), t->query);
    return UI_REDRAW;
}

static int act_search_again(struct tui *t, int key)
{
    start_search(t, key == 'N' ? -1 : 1);
    return UI_HANDLED | UI_REDRAW;
}

static void submit(struct tui *t)
{
    char err[SK_ERRBUF_SIZE];
    int kind = t->prompt;
    t->prompt = PROMPT_NONE;
    t->input[t->input_len] = '\0';
    switch (kind) {
    case PROMPT_SEARCH:
        if (t->input[0]) {
            snprintf(t->query, sizeof t->query, "%s", t->input);
            start_search(t, 1);
        }
        break;
    case PROMPT_GOTO: {
        char *end;
        errno = 0;
        unsigned long n = strtoul(t->input, &end, 10);
        if (errno || end == t->input || *end || n == 0 || n > UINT32_MAX) {
            ui_message(t, true, _("\"%s\" is not a packet number."), t->input);
            break;
        }
        size_t i = sk_session_find_frame(t->s, (uint32_t)n);
        if (i >= t->count) {
            const struct sk_rec *last = t->count ? sk_session_rec(t->s, t->count - 1) : NULL;
            ui_message(t, true, _("There is no packet %lu: the last is %u."), n,
                       last ? last->n : 0);
            break;
        }
        keys_select(t, i);
        if (sk_session_rec(t->s, i)->n != n)
            ui_message(t, false, _("Packet %lu does not pass the filter: here is the next one."), n);
        else
            t->msg[0] = '\0';
        t->jump_ns = t->jump_ns ? t->jump_ns : ui_now_ns();
        break;
    }
    case PROMPT_FILTER: {
        uint32_t frame = t->count ? sk_session_rec(t->s, t->sel)->n : 0;
        if (sk_session_set_filter(t->s, t->input, err) < 0) {
            ui_message(t, true, "%s", err);
            break;
        }
        t->epoch++;
        t->count = 0;
        t->sel = t->list_top = 0;
        t->fields_for = SIZE_MAX;
        t->calls_key = 0;
        t->searching = false;
        t->want_frame = frame;
        if (t->info.live)
            t->following = true, t->want_frame = 0;
        if (t->input[0])
            ui_message(t, false, _("Filter: %s"), t->input);
        else
            ui_message(t, false, "%s", _("No filter: every packet is shown."));
        break;
    }
    case PROMPT_SAVE:
        if (!t->input[0])
            break;
        if (sk_session_save(t->s, t->input, err) < 0)
            ui_message(t, true, "%s", err);
        else
            ui_message(t, false, _("Saved %zu packets to %s."), t->count, t->input);
        break;
    }
}

int keys_prompt(struct tui *t, int key, bool is_char)
{
    bool quiz = t->prompt == PROMPT_QUIZ;
    if (key == KEY_ESC && is_char) {
        if (quiz)
            quiz_cancel(t);
        t->prompt = PROMPT_NONE;
        return UI_HANDLED | UI_REDRAW;
    }
    if ((is_char && (key == '\n' || key == '\r')) || key == KEY_ENTER) {
        if (quiz)
            return quiz_submit(t);
        submit(t);
        return UI_HANDLED | UI_REDRAW;
    }
    if (quiz && is_char && key == '\t')
        return quiz_complete(t);
    if (key == KEY_BACKSPACE || (is_char && (key == 127 || key == 8))) {
        while (t->input_len > 0 && ((unsigned char)t->input[t->input_len - 1] & 0xc0) == 0x80)
            t->input_len--;
        if (t->input_len > 0)
            t->input_len--;
        t->input[t->input_len] = '\0';
        return UI_HANDLED | UI_REDRAW;
    }
    if (is_char && key == CTRL('u')) {
        t->input_len = 0;
        t->input[0] = '\0';
        return UI_HANDLED | UI_REDRAW;
    }
    if (is_char && key >= 0x20) {
        char mb[MB_LEN_MAX + 1];
        mbstate_t st;
        memset(&st, 0, sizeof st);
        size_t n = wcrtomb(mb, (wchar_t)key, &st);
        if (n != (size_t)-1 && t->input_len + n < sizeof t->input) {
            memcpy(t->input + t->input_len, mb, n);
            t->input_len += n;
            t->input[t->input_len] = '\0';
        }
        return UI_HANDLED | UI_REDRAW;
    }
    return key == KEY_RESIZE ? UI_REDRAW : UI_OK;
}

/* ------------------------------------------------------------ other screens */

static int list_move(size_t *sel, size_t n, int key, size_t page)
{
    if (n == 0)
        return UI_HANDLED;
    switch (key) {
    case 'j': case KEY_DOWN: if (*sel + 1 < n) (*sel)++; break;
    case 'k': case KEY_UP: if (*sel > 0) (*sel)--; break;
    case KEY_NPAGE: case CTRL('f'): case CTRL('d'): case ' ':
        *sel = *sel + page < n ? *sel + page : n - 1;
        break;
    case KEY_PPAGE: case CTRL('b'): case CTRL('u'):
        *sel = *sel > page ? *sel - page : 0;
        break;
    case 'g': case KEY_HOME: *sel = 0; break;
    case 'G': case KEY_END: *sel = n - 1; break;
    }
    return UI_HANDLED | UI_REDRAW;
}

static int act_convs_move(struct tui *t, int key)
{
    return list_move(&t->conv_sel, sk_session_conv_count(t->s), key, (size_t)(LINES > 10 ? LINES - 10 : 1));
}

static int act_convs_pick(struct tui *t, int key)
{
    (void)key;
    uint32_t idx;
    if (sk_session_conv_recs(t->s, (uint32_t)t->conv_sel, 0, &idx, 1) == 1) {
        keys_select(t, idx);
        t->screen = SCREEN_MAIN;
        return UI_HANDLED | UI_REDRAW | UI_JUMP;
    }
    return UI_HANDLED;
}

static int act_convs_follow(struct tui *t, int key)
{
    (void)key;
    if (t->conv_sel < sk_session_conv_count(t->s))
        return open_follow(t, (uint32_t)t->conv_sel);
    return UI_HANDLED;
}

static int act_follow_move(struct tui *t, int key)
{
    size_t rows = (size_t)(LINES > 4 ? LINES - 3 : 1);
    size_t max = t->nflines > rows ? t->nflines - rows : 0;
    size_t top = t->follow_top;
    list_move(&top, max + 1, key, rows);
    t->follow_top = top;
    return UI_HANDLED | UI_REDRAW;
}

static int act_follow_hex(struct tui *t, int key)
{
    (void)key;
    t->follow_hex = !t->follow_hex;
    t->follow_top = 0;
    t->follow_width = -1;
    return UI_HANDLED | UI_REDRAW;
}

static int act_help_move(struct tui *t, int key)
{
    size_t top = (size_t)t->help_top;
    list_move(&top, keys_help_count(), key, (size_t)(LINES > 4 ? LINES - 3 : 1));
    t->help_top = (int)top;
    return UI_HANDLED | UI_REDRAW;
}

/* ------------------------------------------------------------ mouse */

static bool inside(struct rect r, int y, int x)
{
    return r.h > 0 && y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

static int act_mouse(struct tui *t, int key)
{
    (void)key;
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return UI_OK;
    bool wheel_up = ev.bstate & BUTTON4_PRESSED, wheel_down = ev.bstate & BUTTON5_PRESSED;
    if (t->screen == SCREEN_CONVS) {
        size_t n = sk_session_conv_count(t->s);
        if (wheel_up || wheel_down)
            return list_move(&t->conv_sel, n, wheel_up ? 'k' : 'j', 1);
        if (ev.y >= 2) {
            size_t id = t->conv_top + (size_t)(ev.y - 2);
            if (id < n) {
                if (id == t->conv_sel)
                    return act_convs_pick(t, 0);
                t->conv_sel = id;
            }
        }
        return UI_HANDLED | UI_REDRAW;
    }
    if (t->screen != SCREEN_MAIN)
        return wheel_up || wheel_down ? (t->screen == SCREEN_FOLLOW ? act_follow_move : act_help_move)(t, wheel_up ? 'k' : 'j') : UI_OK;
    if (wheel_up || wheel_down) {
        for (int i = 0; i < 3; i++)
            (wheel_up ? act_prev : act_next)(t, 0);
        return UI_HANDLED | UI_REDRAW;
    }
    struct rect r;
    if (inside(r = t->pane[PANE_LIST], ev.y, ev.x)) {
        t->focus = PANE_LIST;
        if (ev.y > r.y && t->list_top + (size_t)(ev.y - r.y - 1) < t->count)
            keys_select(t, t->list_top + (size_t)(ev.y - r.y - 1));
    } else if (inside(r = t->pane[PANE_LADDER], ev.y, ev.x)) {
        t->focus = PANE_LADDER;
        int k = ev.y - r.y - 2;
        if (k >= 0 && k < t->ladder_lines && t->ladder_rec[k] != SIZE_MAX)
            keys_select(t, t->ladder_rec[k]);
    } else if (inside(r = t->pane[PANE_DETAIL], ev.y, ev.x)) {
        t->focus = PANE_DETAIL;
        size_t f = t->field_top + (size_t)(ev.y - r.y - 1);
        if (ev.y > r.y && f < t->nfields)
            t->field_sel = f;
    }
    return UI_HANDLED | UI_REDRAW;
}

/* ------------------------------------------------------------ the table */

struct binding {
    int screens;        /* where it acts (SCREEN_* bits); 0: a heading of the help */
    ui_action fn;
    int keys[8];        /* 0-terminated */
    const char *names;  /* the keys, for the help */
    const char *help;   /* what it does (N_) */
};

#define MAIN SCREEN_MAIN
#define ALL (SCREEN_MAIN | SCREEN_CONVS | SCREEN_FOLLOW | SCREEN_HELP)

static const struct binding bindings[] = {
    {0, NULL, {0}, NULL, N_("Stepping (in the ladder: through its conversation only)")},
    {MAIN, act_next, {'j', KEY_DOWN, ' ', 0}, "j Down Space", N_("next packet")},
    {MAIN, act_prev, {'k', KEY_UP, KEY_BACKSPACE, 127, 0}, "k Up Backspace", N_("previous packet")},
    {MAIN, act_event, {'l', KEY_RIGHT, 0}, "l Right", N_("next event (skips pure ACKs)")},
    {MAIN, act_event, {'h', KEY_LEFT, 0}, "h Left", N_("previous event")},
    {MAIN, act_conv, {']', 0}, "]", N_("next conversation")},
    {MAIN, act_conv, {'[', 0}, "[", N_("previous conversation")},
    {MAIN, act_first, {'g', KEY_HOME, 0}, "g Home", N_("first packet")},
    {MAIN, act_last, {'G', KEY_END, 0}, "G End", N_("last packet (live: follow the newest)")},
    {MAIN, act_page, {KEY_NPAGE, CTRL('f'), CTRL('d'), 0}, "PgDn ^F ^D", N_("a page down")},
    {MAIN, act_page, {KEY_PPAGE, CTRL('b'), CTRL('u'), 0}, "PgUp ^B ^U", N_("a page up")},
    {MAIN, act_goto, {':', 0}, ":", N_("go to packet number N")},
    {0, NULL, {0}, NULL, N_("Playing")},
    {MAIN, act_play, {'p', 0}, "p", N_("play or pause (real time, scaled by the speed)")},
    {MAIN, act_speed, {'>', 0}, ">", N_("faster (up to 100x)")},
    {MAIN, act_speed, {'<', 0}, "<", N_("slower (down to 0.1x, then one packet a second)")},
    {0, NULL, {0}, NULL, N_("Finding")},
    {MAIN, act_search, {'/', 0}, "/", N_("search the summaries, event names and payload text")},
    {MAIN, act_search_again, {'n', 0}, "n", N_("next match")},
    {MAIN, act_search_again, {'N', 0}, "N", N_("previous match")},
    {MAIN, act_filter, {'f', 0}, "f", N_("filter with tcpdump syntax, e.g. tcp port 6666 (empty: none)")},
    {0, NULL, {0}, NULL, N_("Views")},
    {MAIN, act_convs, {'c', 0}, "c", N_("the conversations list (Enter goes to one)")},
    {MAIN, act_follow, {'s', 0}, "s", N_("follow the stream: each side's bytes (x: hex or text)")},
    {MAIN, act_detail, {'d', KEY_ENTER, '\r', '\n', 0}, "d Enter", N_("show or hide the detail and hex panes")},
    {MAIN, act_toggle, {'1', '2', '3', '4', '5', 0}, "1 2 3 4 5",
     N_("show or hide: list, ladder, explanation, detail, hex")},
    {MAIN, act_focus, {'\t', KEY_BTAB, 0}, "Tab Shift-Tab", N_("move the keys to the next pane")},
    {MAIN, act_size, {'+', '=', 0}, "+", N_("make the pane with the keys taller")},
    {MAIN, act_size, {'-', 0}, "-", N_("make it shorter")},
    {MAIN, act_save, {'w', 0}, "w", N_("save the packets shown (and the lab events) to a file")},
    {0, NULL, {0}, NULL, N_("Quiz and demo")},
    {MAIN, act_quiz, {'Q', 0}, "Q",
     N_("quiz: hide the next packets' flags, seq, ack and states until you guess them")},
    {MAIN, NULL, {0}, N_("(quiz) Enter Tab Esc"),
     N_("take a part of the guess; complete a state's name; put the guess off")},
    {MAIN, NULL, {0}, N_("(demo) j Down Space"),
     N_("at the newest packet: let the labs make their next system call")},
    {MAIN, NULL, {0}, N_("(demo) G End"), N_("back to the newest packet, to go on")},
    {0, NULL, {0}, NULL, N_("Everywhere")},
    {ALL & ~SCREEN_HELP, act_help, {'?', KEY_F(1), 0}, "? F1", N_("this help")},
    {MAIN, act_escape, {KEY_ESC, 0}, "Esc", N_("stop playing or searching; clear the message")},
    {MAIN, act_quit, {'q', CTRL('c'), 0}, "q ^C", N_("quit")},
    {ALL, act_redraw, {CTRL('l'), KEY_RESIZE, 0}, "^L", N_("redraw the screen")},
    {ALL, act_mouse, {KEY_MOUSE, 0}, N_("mouse"), N_("click selects a row (and a conversation); the wheel scrolls")},
    {0, NULL, {0}, NULL, N_("Conversations list")},
    {SCREEN_CONVS, act_convs_move, {'j', KEY_DOWN, 'k', KEY_UP, 0}, "j k Up Down", N_("move")},
    {SCREEN_CONVS, act_convs_move, {KEY_NPAGE, KEY_PPAGE, 'g', 'G', KEY_HOME, KEY_END}, "PgDn PgUp g G",
     N_("a page, the first, the last")},
    {SCREEN_CONVS, act_convs_pick, {'\r', '\n', KEY_ENTER, 0}, "Enter", N_("go to its first packet")},
    {SCREEN_CONVS, act_convs_follow, {'s', 0}, "s", N_("follow its stream")},
    {SCREEN_CONVS, act_back, {'q', KEY_ESC, 'c', 0}, "q Esc c", N_("back")},
    {0, NULL, {0}, NULL, N_("Followed stream")},
    {SCREEN_FOLLOW, act_follow_move, {'j', KEY_DOWN, 'k', KEY_UP, ' ', 0}, "j k Up Down Space", N_("scroll")},
    {SCREEN_FOLLOW, act_follow_move, {KEY_NPAGE, KEY_PPAGE, 'g', 'G', KEY_HOME, KEY_END}, "PgDn PgUp g G",
     N_("a page, the start, the end")},
    {SCREEN_FOLLOW, act_follow_hex, {'x', 0}, "x", N_("hex dump or text")},
    {SCREEN_FOLLOW, act_back, {'q', KEY_ESC, 's', 0}, "q Esc s", N_("back")},
    {0, NULL, {0}, NULL, N_("This help")},
    {SCREEN_HELP, act_help_move, {'j', KEY_DOWN, 'k', KEY_UP, KEY_NPAGE, KEY_PPAGE, 'g', 'G'},
     "j k PgDn PgUp g G", N_("scroll")},
    {SCREEN_HELP, act_back, {'q', KEY_ESC, '?', KEY_F(1), 0}, "q Esc ?", N_("back")},
};

int keys_dispatch(struct tui *t, int key)
{
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
        const struct binding *b = &bindings[i];
        if (!(b->screens & t->screen) || !b->fn)
            continue;
        for (size_t k = 0; k < sizeof b->keys / sizeof b->keys[0] && b->keys[k]; k++)
            if (b->keys[k] == key)
                return b->fn(t, key);
    }
    return UI_OK;
}

size_t keys_help_count(void)
{
    return sizeof bindings / sizeof bindings[0];
}

void keys_help_line(size_t i, char *keys, size_t kn, char *what, size_t wn, bool *heading)
{
    const struct binding *b = &bindings[i];
    *heading = b->screens == 0;
    snprintf(keys, kn, "%s", b->names ? _(b->names) : "");
    snprintf(what, wn, "%s", _(b->help));
}
