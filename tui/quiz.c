/* quiz.c — quiz mode on screen: hides the packets ahead, asks for a guess part by part,
 * shows the reveal. What is right and the score are core/quiz.c's. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "quiz.h"
#include "tcp.h"
#include "ui.h"

static bool quiz_masked(const struct tui *t, size_t rec)
{
    if (!t->quiz.on || rec >= t->count)
        return false;
    const struct sk_rec *r = sk_session_rec(t->s, rec);
    return r && r->n > t->quiz.edge && sk_quiz_applies(r);
}

void quiz_follow_selection(struct tui *t)
{
    if (!t->quiz.on || t->count == 0 || t->prompt == PROMPT_QUIZ)
        return;
    const struct sk_rec *r = sk_session_rec(t->s, t->sel);
    if (r && r->n > t->quiz.edge)
        t->quiz.edge = r->n;
}

int quiz_toggle(struct tui *t)
{
    struct ui_quiz *q = &t->quiz;
    char score[128];
    if (q->on) {
        q->on = false;
        t->masked = NULL;
        if (t->prompt == PROMPT_QUIZ)
            t->prompt = PROMPT_NONE;
        sk_quiz_score_text(&q->score, score, sizeof score);
        ui_message(t, false, _("Quiz off: every packet is shown. %s"), score);
        return UI_HANDLED | UI_REDRAW;
    }
    q->on = true;
    t->masked = quiz_masked;
    /* Following the newest packet would show each one as it comes. */
    t->following = false;
    t->playing = false;
    q->edge = t->count ? sk_session_rec(t->s, t->sel)->n : 0;
    ui_message(t, false, "%s", _("Quiz on: the packets ahead hide their flags, seq, ack and "
                                 "states. Step with j or Space and guess; Q ends the quiz."));
    return UI_HANDLED | UI_REDRAW;
}

int quiz_before_next(struct tui *t)
{
    struct ui_quiz *q = &t->quiz;
    if (!q->on || t->count == 0)
        return 0;
    size_t to = keys_neighbour(t, 1);
    if (to == SIZE_MAX || !quiz_masked(t, to))
        return 0;
    q->target = to;
    q->part = SK_QUIZ_FLAGS;
    memset(&q->guess, 0, sizeof q->guess);
    t->prompt = PROMPT_QUIZ;
    t->input_len = 0;
    t->input[0] = '\0';
    t->msg[0] = '\0';
    return UI_HANDLED | UI_REDRAW;
}

void quiz_prompt_label(const struct tui *t, char *buf, size_t n)
{
    const struct sk_rec *r = t->quiz.target < t->count ? sk_session_rec(t->s, t->quiz.target)
                                                      : NULL;
    unsigned frame = r ? r->n : 0;
    switch (t->quiz.part) {
    case SK_QUIZ_FLAGS:
        snprintf(buf, n, _("Packet %u, flags (S S. . P. F. R, or SYN ACK): "), frame);
        break;
    case SK_QUIZ_SEQ:
        snprintf(buf, n, _("Packet %u, seq (relative): "), frame);
        break;
    case SK_QUIZ_ACK:
        snprintf(buf, n, _("Packet %u, ack (relative; - without the ACK flag): "), frame);
        break;
    case SK_QUIZ_CLIENT:
        snprintf(buf, n, _("Packet %u, the client's state after it (Tab completes): "), frame);
        break;
    default:
        snprintf(buf, n, _("Packet %u, the server's state after it (Tab completes): "), frame);
        break;
    }
}

int quiz_submit(struct tui *t)
{
    struct ui_quiz *q = &t->quiz;
    struct sk_quiz_answer *g = &q->guess;
    char err[SK_ERRBUF_SIZE];
    int rc;
    t->input[t->input_len] = '\0';
    switch (q->part) {
    case SK_QUIZ_FLAGS: rc = sk_quiz_parse_flags(t->input, &g->flags, err); break;
    case SK_QUIZ_SEQ: rc = sk_quiz_parse_seq(t->input, &g->seq, err); break;
    case SK_QUIZ_ACK: rc = sk_quiz_parse_ack(t->input, &g->has_ack, &g->ack, err); break;
    default: rc = sk_quiz_parse_state(t->input, &g->state[q->part - SK_QUIZ_CLIENT], err);
    }
    if (rc < 0) {
        ui_message(t, true, "%s", err); /* the prompt stays, with what was typed */
        return UI_HANDLED | UI_REDRAW;
    }
    t->msg[0] = '\0';
    t->input_len = 0;
    t->input[0] = '\0';
    if (++q->part < SK_QUIZ__COUNT)
        return UI_HANDLED | UI_REDRAW;

    t->prompt = PROMPT_NONE;
    if (q->target >= t->count)
        return UI_HANDLED | UI_REDRAW;
    const struct sk_rec *r = sk_session_rec(t->s, q->target);
    struct sk_conv c;
    bool have = r->conv != SK_NO_CONV && sk_session_conv(t->s, r->conv, &c);
    struct sk_quiz_answer a;
    struct sk_quiz_result res;
    sk_quiz_answer(r, have ? &c : NULL, &a);
    sk_quiz_grade(&a, g, &res);
    sk_quiz_score_add(&q->score, &res);
    size_t len = sk_quiz_reveal(&a, g, &res, q->reveal, sizeof q->reveal);
    char score[128];
    sk_quiz_score_text(&q->score, score, sizeof score);
    /* No space after a wide full stop (a translation's "。"). */
    bool gap = len > 0 && (unsigned char)q->reveal[len - 1] < 0x80;
    snprintf(q->reveal + len, sizeof q->reveal - len, "%s%s", gap ? " " : "", score);
    q->reveal_frame = r->n;
    q->reveal_right = res.right;
    keys_select(t, q->target);
    quiz_follow_selection(t);
    ui_message(t, false, res.right ? _("Packet %u: right. %s") : _("Packet %u: not quite (the "
                                                                     "explanation says why). %s"),
               r->n, score);
    return UI_HANDLED | UI_REDRAW;
}

int quiz_complete(struct tui *t)
{
    struct ui_quiz *q = &t->quiz;
    if (q->part != SK_QUIZ_CLIENT && q->part != SK_QUIZ_SERVER)
        return UI_HANDLED;
    char buf[sizeof t->input], err[SK_ERRBUF_SIZE];
    uint8_t st;
    t->input[t->input_len] = '\0';
    size_t matches = sk_quiz_complete_state(t->input, buf, sizeof buf);
    if (matches == 0) {
        if (sk_quiz_parse_state(t->input, &st, err) < 0)
            ui_message(t, true, "%s", err);
        return UI_HANDLED | UI_REDRAW;
    }
    snprintf(t->input, sizeof t->input, "%s", buf);
    t->input_len = strlen(t->input);
    if (matches > 1 && sk_quiz_parse_state(t->input, &st, err) < 0) {
        ui_message(t, false, "%s", err); /* "SYN_ could be SYN_SENT, SYN_RECEIVED" */
    } else {
        t->msg[0] = '\0';
    }
    return UI_HANDLED | UI_REDRAW;
}

void quiz_cancel(struct tui *t)
{
    const struct sk_rec *r = t->quiz.target < t->count ? sk_session_rec(t->s, t->quiz.target)
                                                       : NULL;
    t->prompt = PROMPT_NONE;
    ui_message(t, false, _("Guess put off: packet %u stays hidden."), r ? r->n : 0);
}

/* "flags S.  seq 0": the parts guessed so far. */
static void so_far(const struct ui_quiz *q, char *buf, size_t n)
{
    const struct sk_quiz_answer *g = &q->guess;
    char letters[12];
    int w = 0;
    buf[0] = '\0';
    if (q->part > SK_QUIZ_FLAGS)
        w += snprintf(buf + w, n - (size_t)w, "%s %s", _("flags"),
                      sk_tcp_flags_str(g->flags, letters));
    if (q->part > SK_QUIZ_SEQ && (size_t)w < n)
        w += snprintf(buf + w, n - (size_t)w, "  seq %u", g->seq);
    if (q->part > SK_QUIZ_ACK && (size_t)w < n) {
        if (g->has_ack)
            w += snprintf(buf + w, n - (size_t)w, "  ack %u", g->ack);
        else
            w += snprintf(buf + w, n - (size_t)w, "  ack -");
    }
    if (q->part > SK_QUIZ_CLIENT && (size_t)w < n)
        snprintf(buf + w, n - (size_t)w, "  %s %s", _("client"),
                 sk_state_name((enum sk_state)g->state[SK_CLIENT]));
}

int quiz_explain(struct tui *t, struct rect r, int y)
{
    struct ui_quiz *q = &t->quiz;
    int h = r.y + r.h - y;
    if (!q->on || h <= 0)
        return 0;
    char text[1024];
    if (t->prompt == PROMPT_QUIZ && q->target < t->count) {
        const struct sk_rec *rec = sk_session_rec(t->s, q->target);
        char done[256];
        snprintf(text, sizeof text,
                 _("Guess packet %u (%s, %u bytes of data): its flags, its seq and ack, and each "
                   "side's state after it."),
                 rec->n, sk_rec_dir(rec) == SK_C2S ? _("client -> server") : _("server -> client"),
                 (unsigned)rec->len);
        int used = 0;
        /* What was wrong with the part typed (the hint line holds the prompt). */
        if (t->msg[0])
            used += crt_wrap(t, y, r.x + 1, r.w - 2, h, t->msg, t->msg_error ? UI_ERROR : UI_MESSAGE);
        used += crt_wrap(t, y + used, r.x + 1, r.w - 2, h - used, text, UI_PROMPT);
        so_far(q, done, sizeof done);
        if (done[0] && used < h) {
            snprintf(text, sizeof text, "%s %s", _("So far:"), done);
            used += crt_wrap(t, y + used, r.x + 1, r.w - 2, h - used, text, UI_PROMPT);
        }
        if (q->part >= SK_QUIZ_CLIENT && used < h) {
            sk_quiz_state_list(text, sizeof text);
            used += crt_wrap(t, y + used, r.x + 1, r.w - 2, h - used, text, UI_PROMPT);
        }
        return used;
    }
    const struct sk_rec *sel = t->count ? sk_session_rec(t->s, t->sel) : NULL;
    if (sel && q->reveal_frame && sel->n == q->reveal_frame)
        return crt_wrap(t, y, r.x + 1, r.w - 2, h, q->reveal,
                        q->reveal_right ? UI_MESSAGE : UI_ERROR);
    return 0;
}
