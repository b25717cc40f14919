/* tui.c — the terminal UI's entry and main loop (htop's ScreenManager_run): read the
 * model, draw only when something changed, wait for a key with a timeout. */
#include "tui.h"

#include <curses.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "session.h"
#include "ui.h"

int64_t ui_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void ui_message(struct tui *t, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->msg, sizeof t->msg, fmt, ap);
    va_end(ap);
    t->msg_error = error;
}

/* Set by SIGINT, SIGTERM and SIGHUP: the loop ends and the terminal is restored. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

/* ------------------------------------------------------------ benchmark log */

static void bench_log(struct tui *t, const char *what, int64_t since_ns, const char *extra)
{
    if (!t->bench)
        return;
    fprintf(t->bench, "%s %.3f%s%s\n", what, (double)(ui_now_ns() - since_ns) / 1e6,
            extra ? " " : "", extra ? extra : "");
    fflush(t->bench);
}

static void bench_after_draw(struct tui *t)
{
    if (!t->bench)
        return;
    if (!t->logged_first && (t->count > 0 || !t->info.indexing)) {
        t->logged_first = true;
        bench_log(t, "first-screen", t->t0_ns, NULL);
    }
    if (!t->logged_indexed && !t->info.indexing) {
        char extra[64];
        snprintf(extra, sizeof extra, "packets %zu", t->count);
        t->logged_indexed = true;
        bench_log(t, "indexed", t->t0_ns, extra);
    }
    if (t->jump_ns) {
        char extra[64];
        const struct sk_rec *r = t->count ? sk_session_rec(t->s, t->sel) : NULL;
        snprintf(extra, sizeof extra, "packet %u", r ? r->n : 0);
        bench_log(t, "jump", t->jump_ns, extra);
        t->jump_ns = 0;
    }
}

/* ------------------------------------------------------------ the model */

/* Reads what the background threads did; returns UI_REDRAW if anything changed. */
static int refresh_model(struct tui *t)
{
    uint64_t old = t->info.version;
    size_t old_count = t->count;
    sk_session_info(t->s, &t->info);
    t->count = sk_session_count(t->s);
    int flags = t->info.version != old || t->count != old_count ? UI_REDRAW : UI_OK;
    if (t->count == 0)
        return flags;
    if (t->want_frame) {
        size_t i = sk_session_find_frame(t->s, t->want_frame);
        if (i < t->count) {
            t->sel = i;
            t->want_frame = 0;
        } else if (!t->info.indexing) {
            t->sel = t->count - 1;
            t->want_frame = 0;
        }
    }
    if (t->following)
        t->sel = t->count - 1;
    if (t->sel >= t->count)
        t->sel = t->count - 1;
    if (t->info.warning[0] && !t->warned) {
        t->warned = true;
        ui_message(t, true, "%s", t->info.warning);
        flags |= UI_REDRAW;
    }
    return flags;
}

/* Shows the error that stopped reading, once. */
static int report_failure(struct tui *t, bool *shown)
{
    if (!t->info.failed || *shown)
        return UI_OK;
    *shown = true;
    ui_message(t, true, "%s", t->info.error);
    return UI_REDRAW;
}

/* ------------------------------------------------------------ entry */

static void tui_free(struct tui *t)
{
    free(t->events);
    free(t->calls);
    free(t->fields);
    free(t->bytes);
    free(t->flines);
    if (t->bench)
        fclose(t->bench);
    free(t);
}

int tui_main(const struct cli_opts *o)
{
    char err[SK_ERRBUF_SIZE];
    struct sk_session_opts so;
    memset(&so, 0, sizeof so);
    so.file = o->read_file;
    so.iface = o->iface;
    so.filter = o->filter;
    so.write_path = o->write_file;
    struct sk_session *s = sk_session_open(&so, err);
    if (!s) {
        cli_error("%s", err);
        return SK_EXIT_INPUT;
    }
    /* What is wrong with the input first, then whether there is a screen. */
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        sk_session_close(s, NULL);
        cli_error("%s", _("the UI needs a terminal: for output to a file or a pipe use "
                          "--text, --json or --summary"));
        return SK_EXIT_USAGE;
    }
    return tui_run(o, s, NULL);
}

int tui_run(const struct cli_opts *o, struct sk_session *s, struct ui_demo *demo)
{
    char err[SK_ERRBUF_SIZE];
    int64_t t0 = ui_now_ns();
    struct tui *t = calloc(1, sizeof *t);
    if (!t) {
        sk_session_close(s, NULL);
        cli_error("%s", _("out of memory"));
        return SK_EXIT_INPUT;
    }
    t->demo = demo;
    t->s = s;
    t->o = o;
    t->t0_ns = t0;
    t->fields_for = SIZE_MAX;
    t->screen = SCREEN_MAIN;
    t->focus = PANE_LIST;
    t->show[PANE_LIST] = t->show[PANE_LADDER] = t->show[PANE_EXPLAIN] = true;
    t->weight[PANE_LIST] = 3;
    t->weight[PANE_LADDER] = 5;
    t->weight[PANE_EXPLAIN] = 2;
    t->weight[PANE_DETAIL] = 4;
    t->weight[PANE_HEX] = 3;
    t->speed = 4; /* 1x */
    t->step = demo ? demo_stepper(demo) : keys_replay_stepper;
    t->following = sk_session_is_live(s);
    const char *bl = getenv("SOCKSCOPE_BENCH_LOG");
    if (bl && *bl)
        t->bench = fopen(bl, "a");

    if (crt_init(t, err) < 0) {
        sk_session_close(s, NULL);
        if (demo)
            demo_stop(t);
        tui_free(t);
        cli_error("%s", err);
        return SK_EXIT_USAGE;
    }
    struct sigaction sa, old_int, old_term, old_hup;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);

    /* The first packets come within milliseconds: wait for them a little,
     * so that the first screen is not an empty one. */
    for (int i = 0; i < 100 && sk_session_count(s) == 0; i++) {
        sk_session_info(s, &t->info);
        if (!t->info.indexing || t->info.live)
            break;
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }

    bool failure_shown = false;
    int flags = UI_REDRAW;
    while (!stop_signal) {
        int wait_ms = 1000;
        flags |= refresh_model(t);
        flags |= report_failure(t, &failure_shown);
        if (t->demo)
            flags |= demo_tick(t, &wait_ms);
        flags |= keys_play_tick(t, ui_now_ns(), &wait_ms);
        flags |= keys_search_tick(t);
        if (flags & UI_QUIT)
            break;
        if (flags & UI_REDRAW) {
            view_draw(t);
            bench_after_draw(t);
        }
        flags = UI_OK;
        if (t->info.live || t->info.indexing)
            wait_ms = wait_ms < 50 ? wait_ms : 50;
        if (t->searching)
            wait_ms = 0;
        timeout(wait_ms);
        wint_t ch;
        int got = get_wch(&ch);
        if (got == ERR)
            continue;
        bool is_char = got == OK;
        int key = (int)ch;
        if (t->prompt) {
            flags |= keys_prompt(t, key, is_char);
            continue;
        }
        if (is_char && key >= KEY_MIN)
            continue; /* a character that no binding can mean */
        if (t->too_small && !(is_char && key == 'q') && key != KEY_RESIZE)
            continue;
        int64_t at = ui_now_ns();
        int r = keys_dispatch(t, key);
        if ((r & UI_JUMP) && !t->jump_ns)
            t->jump_ns = at;
        flags |= r;
    }

    crt_done(t);
    sk_session_info(s, &t->info);
    int status = t->info.failed ? SK_EXIT_INPUT : SK_EXIT_OK;
    if (t->info.failed)
        cli_error("%s", t->info.error);
    /* Our handlers stay until the session is closed: a hang-up now (the
     * terminal going away) must not leave the temporary capture behind. */
    if (sk_session_close(s, err) < 0) {
        cli_error("%s", err);
        status = SK_EXIT_INPUT;
    }
    /* A demo's labs stop while our handlers still stand (a second ^C must
     * not leave them running, or the namespaces behind), and after the
     * capture closed (it may be inside those namespaces). */
    if (t->demo)
        demo_stop(t);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    tui_free(t);
    return status;
}
