/* demo.c — sockscope demo: a scenario's labs run in step mode and are captured live; at the
 * newest packet each step key lets the next system call happen (core/run.h starts the labs
 * and sends their "go"s; their step events say who waits and what comes). */
#include <curses.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "i18n.h"
#include "labevents.h"
#include "run.h"
#include "scenario.h"
#include "timeline.h"
#include "tui.h"
#include "ui.h"

enum demo_state { DEMO_RUNNING = 0, DEMO_FINISHED, DEMO_FAILED };

struct ui_demo {
    const struct sk_scenario *sc;
    struct sk_run *run;            /* NULL once stopped */
    char dir[64];                  /* private folder: events and control sockets, labs' log */
    char events[96];
    char log[96];
    int log_fd;
    int state;                     /* enum demo_state */
    char error[SK_ERRBUF_SIZE];    /* DEMO_FAILED: why */
    unsigned steps;                /* "go"s sent so far */
    uint32_t go_seq[SK_SCENARIO_MAX_ACTIONS]; /* per lab: the step event last let go */
    int pending;                   /* the lab that waits longest for a go, -1 none */
    struct sk_labevent pend;       /* ... its step event */
    int last;                      /* the lab of the last go, -1 none */
    struct sk_labevent last_step;  /* ... what it was let do */
    bool have_result;
    struct sk_labevent result;     /* ... the call event that followed */
    size_t first_rec;              /* records captured when it was let go */
    struct sk_labevent *ev;        /* copies of the session's events */
    size_t nev, cap;
};

/* ------------------------------------------------------------ the labs' steps */

/* The newest event of process pid (by its own counter), NULL if none. */
static const struct sk_labevent *newest_of(const struct ui_demo *d, int pid)
{
    const struct sk_labevent *e = NULL;
    for (size_t k = 0; k < d->nev; k++)
        if (d->ev[k].pid == pid && (!e || d->ev[k].seq > e->seq))
            e = &d->ev[k];
    return e;
}

/* Reads the events again: which lab waits (the one that has waited longest:
 * the order the calls would have had without pauses), and the result of the
 * call last let go. UI_REDRAW when anything changed. */
static int scan(struct tui *t, struct ui_demo *d)
{
    size_t n = sk_session_event_count(t->s);
    if (n > d->cap) {
        struct sk_labevent *e = realloc(d->ev, n * sizeof *e);
        if (!e)
            return UI_OK;
        d->ev = e;
        d->cap = n;
    }
    if (n != d->nev)
        d->nev = sk_session_events(t->s, 0, d->ev, n);
    if (!d->run)
        return UI_OK;

    int was = d->pending;
    uint32_t was_seq = d->pend.seq;
    bool had = d->have_result;
    d->pending = -1;
    int64_t oldest = INT64_MAX;
    for (size_t i = 0; i < sk_run_nprocs(d->run); i++) {
        const struct sk_run_proc *p = sk_run_proc(d->run, i);
        if (p->pid <= 0 || p->status >= 0)
            continue;
        const struct sk_labevent *e = newest_of(d, p->pid);
        if (e && e->kind == SK_LABEV_STEP && e->seq > d->go_seq[i] && e->t0_ns < oldest) {
            oldest = e->t0_ns;
            d->pending = (int)i;
            d->pend = *e;
        }
    }
    if (d->last >= 0 && !d->have_result) {
        const struct sk_run_proc *p = sk_run_proc(d->run, (size_t)d->last);
        const struct sk_labevent *best = NULL;
        for (size_t k = 0; p && k < d->nev; k++) {
            const struct sk_labevent *e = &d->ev[k];
            if (e->pid == p->pid && e->kind == SK_LABEV_CALL && e->seq > d->go_seq[d->last] &&
                strcmp(e->call, d->last_step.call) == 0 && (!best || e->seq < best->seq))
                best = e;
        }
        if (best) {
            d->result = *best;
            d->have_result = true;
        }
    }
    return was != d->pending || was_seq != d->pend.seq || had != d->have_result ? UI_REDRAW
                                                                               : UI_OK;
}

int demo_tick(struct tui *t, int *wait_ms)
{
    struct ui_demo *d = t->demo;
    int flags = UI_OK;
    char err[SK_ERRBUF_SIZE];
    if (d->state == DEMO_RUNNING && d->run) {
        int st = sk_run_step(d->run, err);
        if (st < 0) {
            d->state = DEMO_FAILED;
            snprintf(d->error, sizeof d->error, "%s", err);
            ui_message(t, true, _("The demo stopped: %s"), err);
            flags |= UI_REDRAW;
        } else if (st == 0) {
            d->state = DEMO_FINISHED;
            flags |= UI_REDRAW;
        }
    }
    flags |= scan(t, d);
    /* Ports to watch, labs to reap: often, while the labs run. */
    if (d->state == DEMO_RUNNING && *wait_ms > 20)
        *wait_ms = 20;
    return flags;
}

/* ------------------------------------------------------------ stepping */

/* Next: through the packets already captured; at the newest, a "go". */
static int demo_next(struct tui *t, void *ctx)
{
    struct ui_demo *d = ctx;
    char err[SK_ERRBUF_SIZE];
    if (keys_neighbour(t, 1) != SIZE_MAX)
        return keys_replay_stepper.next(t, NULL);
    if (d->state == DEMO_FAILED) {
        ui_message(t, true, _("The demo stopped: %s"), d->error);
        return UI_HANDLED | UI_REDRAW;
    }
    if (d->state == DEMO_FINISHED || !d->run) {
        ui_message(t, false, "%s", _("The demo is over: every lab has exited. k goes back over "
                                     "the packets, w saves them, q quits."));
        return UI_HANDLED | UI_REDRAW;
    }
    scan(t, d);
    if (d->pending < 0) {
        if (d->last >= 0 && !d->have_result)
            ui_message(t, false, _("No lab waits for a go: %s() has not returned yet (it waits "
                                   "for its peer)."), d->last_step.call);
        else
            ui_message(t, false, "%s", _("The labs are getting ready: press again in a moment."));
        return UI_HANDLED | UI_REDRAW;
    }
    if (sk_run_go(d->run, (size_t)d->pending, err) < 0) {
        ui_message(t, true, "%s", err);
        return UI_HANDLED | UI_REDRAW;
    }
    d->go_seq[d->pending] = d->pend.seq;
    d->steps++;
    d->last = d->pending;
    d->last_step = d->pend;
    d->have_result = false;
    d->first_rec = t->count;
    d->pending = -1;
    /* The packets it causes: followed as they come (in a quiz, guessed). */
    if (!t->quiz.on)
        t->following = true;
    return UI_HANDLED | UI_REDRAW;
}

static int demo_prev(struct tui *t, void *ctx)
{
    (void)ctx;
    return keys_replay_stepper.prev(t, NULL);
}

/* ------------------------------------------------------------ drawing */

static const char *proc_name(const struct ui_demo *d, int i)
{
    const struct sk_run_proc *p = d->run && i >= 0 ? sk_run_proc(d->run, (size_t)i) : NULL;
    return p ? p->prog : "";
}

static void status_text(struct tui *t, char *buf, size_t n)
{
    struct ui_demo *d = t->demo;
    switch (d->state) {
    case DEMO_FAILED:
        snprintf(buf, n, _("stopped: %s"), d->error);
        return;
    case DEMO_FINISHED:
        if (t->o->write_file)
            snprintf(buf, n, _("finished: every lab has exited. The capture goes to %s; q quits."),
                     t->o->write_file);
        else
            snprintf(buf, n, "%s", _("finished: every lab has exited. w saves the capture and "
                                     "the calls; q quits."));
        return;
    }
    if (d->pending >= 0) {
        char note[sizeof d->pend.note + 8];
        if (d->pend.note[0])
            snprintf(note, sizeof note, "%s", d->pend.note);
        else
            snprintf(note, sizeof note, "%s()", d->pend.call);
        /* What the lab sent is shown as text, never raw. */
        char safe[sizeof note * 4];
        sk_escape_text((const uint8_t *)note, strlen(note), safe, sizeof safe, NULL);
        snprintf(buf, n, _("step %u: next call: %s (%s)"), d->steps + 1, safe,
                 proc_name(d, d->pending));
    } else if (d->last >= 0 && !d->have_result) {
        snprintf(buf, n, _("step %u: %s() is under way in %s; it returns when its peer acts."),
                 d->steps, d->last_step.call, proc_name(d, d->last));
    } else {
        snprintf(buf, n, _("step %u: the labs are getting ready..."), d->steps + 1);
    }
}

/* The status bar's words are wrapped in this many columns (after the mode word). */
static int mode_width(void)
{
    char m[32];
    snprintf(m, sizeof m, " %s ", _("DEMO"));
    return (int)sk_text_width(m);
}

int demo_status_lines(struct tui *t)
{
    char text[1024];
    status_text(t, text, sizeof text);
    return (int)sk_text_width(text) + 1 > COLS - mode_width() ? 2 : 1;
}

/* "packets 4-6" captured since the last go. */
static void packets_text(struct tui *t, const struct ui_demo *d, char *buf, size_t n)
{
    if (d->first_rec >= t->count) {
        snprintf(buf, n, "%s", _("no packet so far"));
        return;
    }
    unsigned a = sk_session_rec(t->s, d->first_rec)->n, b = sk_session_rec(t->s, t->count - 1)->n;
    if (a == b)
        snprintf(buf, n, _("packet %u"), a);
    else
        snprintf(buf, n, _("packets %u-%u"), a, b);
}

void demo_draw(struct tui *t, int y_last, int y_status)
{
    struct ui_demo *d = t->demo;
    char text[1024];
    /* The status bar: DEMO, then the step, wrapped over its rows. */
    char m[32];
    snprintf(m, sizeof m, " %s ", _("DEMO"));
    int mw = crt_put(t, y_status, 0, COLS, m, UI_STATUS_MODE, false);
    status_text(t, text, sizeof text);
    const char *s = text, *part;
    size_t len;
    for (int y = y_status; y < LINES; y++) {
        char line[1024] = " ";
        if (y > y_status)
            crt_put(t, y, 0, mw, "", UI_STATUS, true);
        if (sk_text_next_line(&s, (size_t)(COLS - mw - 1 > 1 ? COLS - mw - 1 : 1), &part, &len)) {
            if (len > sizeof line - 2)
                len = sizeof line - 2;
            memcpy(line + 1, part, len);
            line[len + 1] = '\0';
        }
        crt_put(t, y, mw, COLS - mw, line, UI_STATUS, true);
    }
    if (y_last < 0)
        return;
    /* The line about the last call: what it returned, the packets since. */
    if (d->last < 0) {
        crt_put(t, y_last, 0, COLS, _(" No call yet: Space at the newest packet lets the first "
                                      "one happen."), UI_DIM, true);
        return;
    }
    char call[256], pk[64];
    int e = UI_CALL;
    /* In a quiz, what the call returned (connect() ... ESTABLISHED) waits
     * until the packets before it are guessed. */
    bool hidden = t->masked && t->count && t->masked(t, t->count - 1);
    if (d->have_result && !hidden) {
        sk_timeline_text(&d->result, SK_TL_CALL, call, sizeof call);
        if (d->result.err[0])
            e = UI_CALL_FAIL;
    } else {
        snprintf(call, sizeof call, "%s() ...", d->last_step.call);
    }
    packets_text(t, d, pk, sizeof pk);
    snprintf(text, sizeof text, " %s: %s  %s %s", proc_name(d, d->last), call, t->g->to, pk);
    if ((int)sk_text_width(text) > COLS && d->have_result && !hidden) {
        /* Narrow: the call without its arguments, so that its packets show. */
        sk_timeline_text(&d->result, SK_TL_RETURN, call, sizeof call);
        snprintf(text, sizeof text, " %s: %s  %s %s", proc_name(d, d->last), call, t->g->to, pk);
    }
    crt_put(t, y_last, 0, COLS, text, e, true);
}

const char *demo_hint(struct tui *t)
{
    if (t->demo->state != DEMO_RUNNING)
        return _("? help  j/k packets  g first  Q quiz  w save  q quit");
    size_t next = t->count ? keys_neighbour(t, 1) : SIZE_MAX;
    if (next != SIZE_MAX && t->masked && t->masked(t, next))
        return _("Quiz: Space asks for your guess of the next packet; Q ends the quiz.");
    if (next != SIZE_MAX)
        return _("Looking back: j or Space goes forward, G to the newest packet; there Space "
                 "lets the next call happen.");
    return _("Space next call  j/k packets  G newest  Q quiz  w save  ? help  q quit");
}

/* ------------------------------------------------------------ set-up and teardown */

/* Stops the labs and frees the run (which removes the namespaces). */
static void stop_run(struct ui_demo *d)
{
    if (!d->run)
        return;
    /* A lab at a pause stops at once on "quit"; the ones inside a call are
     * stopped by signals (sk_run_free). */
    char err[SK_ERRBUF_SIZE];
    for (size_t i = 0; i < sk_run_nprocs(d->run); i++) {
        const struct sk_run_proc *p = sk_run_proc(d->run, i);
        if (p->pid > 0 && p->status < 0)
            sk_run_quit(d->run, i, err);
    }
    sk_run_free(d->run);
    d->run = NULL;
}

void demo_stop(struct tui *t)
{
    stop_run(t->demo);
}

struct ui_stepper demo_stepper(struct ui_demo *d)
{
    return (struct ui_stepper){"demo", demo_next, demo_prev, d};
}

static struct sk_source *open_capture(void *user, const struct sk_live_opts *lo, char *err)
{
    struct ui_demo *d = user;
    return sk_run_capture(d->run, lo, err);
}

/* Removes the private folder and what the labs may have left in it (a
 * control socket of a lab that was killed). */
static void remove_dir(const char *dir)
{
    DIR *dp = opendir(dir);
    if (dp) {
        struct dirent *e;
        while ((e = readdir(dp)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[512];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(dp);
    }
    rmdir(dir);
}

/* The last lines of the labs' output, after a failure. */
static void show_log(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char ring[20][512];
    size_t n = 0;
    while (fgets(ring[n % 20], sizeof ring[0], f))
        n++;
    fclose(f);
    if (n)
        fprintf(stderr, "%s\n", _("the labs' output (last lines):"));
    for (size_t i = n > 20 ? n - 20 : 0; i < n; i++) {
        char safe[2048];
        const char *l = ring[i % 20];
        sk_escape_text((const uint8_t *)l, strcspn(l, "\n"), safe, sizeof safe, NULL);
        fprintf(stderr, "  | %s\n", safe);
    }
}

int tui_demo(const struct cli_opts *o, const struct sk_scenario *sc, const char *bindir)
{
    char err[SK_ERRBUF_SIZE];
    struct ui_demo *d = calloc(1, sizeof *d);
    if (!d) {
        cli_error("%s", _("out of memory"));
        return SK_EXIT_INPUT;
    }
    d->sc = sc;
    d->pending = d->last = -1;
    d->log_fd = -1;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp || strlen(tmp) > 24)
        tmp = "/tmp"; /* the socket paths must stay short (108 bytes) */
    snprintf(d->dir, sizeof d->dir, "%s/sockscope-demo.XXXXXX", tmp);
    if (!mkdtemp(d->dir)) {
        cli_error(_("cannot make a temporary folder: %s"), strerror(errno));
        free(d);
        return SK_EXIT_INPUT;
    }
    snprintf(d->events, sizeof d->events, "%s/events", d->dir);
    snprintf(d->log, sizeof d->log, "%s/labs.log", d->dir);
    int status = SK_EXIT_INPUT;
    struct sk_session *s = NULL;
    d->log_fd = open(d->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (d->log_fd < 0) {
        snprintf(err, sizeof err, _("cannot write %s: %s"), d->log, strerror(errno));
        goto fail;
    }
    struct sk_run_opts ro = {
        .bindir = bindir,
        .events = d->events,
        .ctl_dir = d->dir,
        .out_fd = d->log_fd,
    };
    d->run = sk_run_new(sc, &ro, err);
    if (!d->run || sk_run_setup(d->run, err) < 0)
        goto fail;
    struct sk_session_opts so = {
        .iface = sk_run_iface(d->run),
        .write_path = o->write_file,
        .events_path = d->events,
        .open_live = open_capture,
        .open_user = d,
    };
    s = sk_session_open(&so, err);
    if (!s)
        goto fail;
    /* tui_run drives the demo, stops the labs and closes the session. */
    status = tui_run(o, s, d);
    if (d->state == DEMO_FAILED) {
        cli_error(_("demo %s: %s"), sc->name, d->error);
        show_log(d->log);
        status = SK_EXIT_INPUT;
    } else if (o->write_file && status == SK_EXIT_OK) {
        printf(_("demo %s: the capture is in %s, the calls in %s.events\n"), sc->name,
               o->write_file, o->write_file);
    }
    goto out;
fail:
    cli_error(_("demo %s: %s"), sc->name, err);
    stop_run(d); /* removes the namespaces it made */
out:
    if (d->log_fd >= 0)
        close(d->log_fd);
    remove_dir(d->dir);
    free(d->ev);
    free(d);
    return status;
}
