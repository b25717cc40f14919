/* checker_events.c — the checker's steps that read the labs' syscall events
 * (a call and its result; recvfrom() against the datagrams) (checker.h). */
#include <inttypes.h>
#include <string.h>

#include "checker_priv.h"
#include "labevents.h"

static const char *no_events_text(void)
{
    return _("not checked: this capture has no syscall events (only captures recorded with "
             "the labs keep them, in CAPTURE.events)");
}

static bool call_matches(const struct sk_call_match *m, const struct sk_labevent *e)
{
    if (e->kind != SK_LABEV_CALL)
        return false;
    if (m->prog && strcmp(m->prog, e->prog) != 0)
        return false;
    if (m->call && strcmp(m->call, e->call) != 0)
        return false;
    if (m->err && strcmp(m->err, e->err) != 0)
        return false;
    if (m->args && !strstr(e->args, m->args))
        return false;
    if (m->state && strcmp(m->state, e->state) != 0)
        return false;
    if (m->ret != -2 && e->ret != m->ret)
        return false;
    return true;
}

static void describe_event(const struct sk_labevent *e, char *buf, size_t n)
{
    if (e->err[0])
        snprintf(buf, n, "%s: %s(%s) = %" PRId64 " %s", e->prog, e->call, e->args, e->ret, e->err);
    else if (e->state[0])
        snprintf(buf, n, "%s: %s(%s) = %" PRId64 ", %s", e->prog, e->call, e->args, e->ret,
                 e->state);
    else
        snprintf(buf, n, "%s: %s(%s) = %" PRId64, e->prog, e->call, e->args, e->ret);
}

/* The packet that caused a call's result: the last one captured at most 5 ms
 * before the call returned (a RST before ECONNRESET, an ICMP error before
 * ECONNREFUSED); 0 if none, since then no packet explains it. */
static uint32_t packet_cause(const struct ctx *c, int64_t t1)
{
    const struct sk_trace *t = c->in->trace;
    size_t n = sk_trace_count(t);
    uint32_t best = 0;
    for (size_t i = 0; i < n; i++) {
        const struct sk_rec *r = sk_trace_get(t, i);
        if (r->ts_ns <= t1 && t1 - r->ts_ns <= 5000000)
            best = r->n;
    }
    return best;
}

void sk_chk_step_call(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    const struct sk_check_input *in = c->in;
    if (!in->events) {
        res->verdict = SK_SKIP;
        say(res, "%s", no_events_text());
        return;
    }
    char text[300];
    for (size_t i = 0; i < in->nev; i++) {
        if (call_matches(&s->call, &in->ev[i])) {
            describe_event(&in->ev[i], text, sizeof text);
            evidence(res, packet_cause(c, in->ev[i].t1_ns));
            say(res, "%s", text);
            pass(res);
            return;
        }
    }
    /* The nearest miss: the same call by the same program. */
    for (size_t i = 0; i < in->nev; i++) {
        const struct sk_labevent *e = &in->ev[i];
        if (e->kind == SK_LABEV_CALL && s->call.call && strcmp(e->call, s->call.call) == 0 &&
            (!s->call.prog || strcmp(s->call.prog, e->prog) == 0)) {
            describe_event(e, text, sizeof text);
            say(res, _("no such call among the %zu syscall events; the nearest: %s"), in->nev,
                text);
            return;
        }
    }
    say(res, _("no such call among the %zu syscall events"), in->nev);
}

void sk_chk_step_boundaries(const struct ctx *c, const struct sk_step *s,
                            struct sk_step_result *res)
{
    if (!c->in->events) {
        res->verdict = SK_SKIP;
        say(res, "%s", no_events_text());
        return;
    }
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    const struct sk_conv *cv = conv_of(c, k);
    /* The receiver's recvfrom() results, in the order it made them. */
    size_t nrecv = 0, nmatched = 0;
    size_t di = 0;
    for (size_t i = 0; i < c->in->nev; i++) {
        const struct sk_labevent *e = &c->in->ev[i];
        if (e->kind != SK_LABEV_CALL || strcmp(e->call, "recvfrom") != 0 || e->ret < 0)
            continue;
        if (sk_labevent_side(e, cv) != SK_SERVER)
            continue;
        nrecv++;
        /* The next datagram the client sent. */
        const struct sk_rec *d = NULL;
        while (di < c->nidx[k]) {
            const struct sk_rec *r = rec_at(c, k, di++);
            if (sk_rec_dir(r) == SK_C2S && is_datagram(r)) {
                d = r;
                break;
            }
        }
        if (!d) {
            say(res, _("recvfrom() returned %" PRId64 " bytes, but no datagram of the client's "
                       "is left to match it"),
                e->ret);
            return;
        }
        evidence(res, d->n);
        if ((int64_t)d->len != e->ret) {
            say(res, _("recvfrom() returned %" PRId64 " bytes, but the datagram (packet %u) had "
                       "%u"),
                e->ret, d->n, d->len);
            return;
        }
        nmatched++;
    }
    if (nrecv == 0) {
        say(res, "%s", _("the syscall events hold no recvfrom() by the server"));
        return;
    }
    say(res,
        dngettext(SK_TEXTDOMAIN, "%zu recvfrom() call returned one datagram's bytes",
                  "%zu recvfrom() calls, each returned one datagram's bytes", nmatched),
        nmatched);
    pass(res);
}
