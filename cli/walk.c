/* walk.c — open the capture the options name and feed every packet through the
 * analyzer to a mode's callback (cli.h). */
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"

void cli_error(const char *fmt, ...)
{
    char msg[SK_ERRBUF_SIZE + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fflush(stdout);
    fprintf(stderr, "sockscope: %s\n", msg);
}

/* The live source, for the signal handler: Ctrl-C ends a live capture cleanly
 * (pcap_breakloop is all a handler may do). */
static struct sk_source *volatile live_src;

static void on_interrupt(int sig)
{
    (void)sig;
    if (live_src)
        sk_source_break(live_src);
}

int cli_walk_run(struct cli_walk *w, const struct cli_opts *o, cli_packet_fn fn, void *user)
{
    memset(w, 0, sizeof *w);
    if (o->read_file)
        w->src = sk_source_open_file(o->read_file, w->err);
    else
        w->src = sk_source_open_live(o->iface ? o->iface : "lo", NULL, w->err);
    if (!w->src) {
        cli_error("%s", w->err);
        return SK_EXIT_INPUT;
    }
    if (o->filter && sk_source_set_filter(w->src, o->filter, w->err) < 0) {
        cli_error("%s", w->err);
        sk_source_close(w->src);
        w->src = NULL;
        return SK_EXIT_INPUT;
    }
    w->an = sk_analyzer_new(sk_source_datalink(w->src));
    if (!w->an) {
        cli_error("%s", _("out of memory"));
        sk_source_close(w->src);
        w->src = NULL;
        return SK_EXIT_INPUT;
    }

    bool live = sk_source_is_live(w->src);
    struct sigaction sa, old_int, old_term;
    if (live) {
        live_src = w->src;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_interrupt;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
    }

    struct sk_result res;
    struct sk_raw raw;
    long seen = 0;
    for (;;) {
        int got = sk_source_next(w->src, &raw, w->err);
        if (got == 0) {
            if (live)
                continue; /* timeout: keep waiting */
            break;
        }
        if (got == -2)
            break;
        if (got < 0) {
            w->failed = true;
            break;
        }
        if (sk_analyzer_add(w->an, &raw, &res, w->err) < 0) {
            w->failed = true;
            break;
        }
        if (fn(&res, &raw, user))
            break;
        if (o->count > 0 && ++seen >= o->count)
            break;
    }

    if (live) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        live_src = NULL;
    }
    return SK_EXIT_OK;
}

int cli_walk_finish(struct cli_walk *w)
{
    int status = SK_EXIT_OK;
    if (w->failed) {
        cli_error("%s", w->err);
        status = SK_EXIT_INPUT;
    }
    sk_analyzer_free(w->an);
    sk_source_close(w->src);
    memset(w, 0, sizeof *w);
    return status;
}
