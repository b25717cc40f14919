/* checker.c — grading a capture against a scenario's steps (checker.h): picking
 * the connections, indexing their records, running each step (checker_tcp.c,
 * checker_udp.c, checker_events.c) and reading a capture file to grade. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "checker_priv.h"
#include "labevents.h"
#include "source.h"

const char *sk_verdict_name(enum sk_verdict v)
{
    switch (v) {
    case SK_PASS: return "pass";
    case SK_FAIL: return "fail";
    case SK_SKIP: return "skip";
    case SK_INFO: return "info";
    }
    return "?";
}

/* ================================================================ the run */

/* UDP ports of services that talk on their own on a real network. */
static bool background_udp(const struct sk_conv *cv)
{
    static const uint16_t ports[] = {53, 67, 68, 123, 137, 138, 443, 546, 547, 1900, 3702, 5353,
                                     5355};
    for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++)
        if (cv->port[0] == ports[i] || cv->port[1] == ports[i])
            return true;
    return false;
}

static bool tcp_opened(const struct sk_conv *cv)
{
    switch (cv->tcp.opened) {
    case SK_OPEN_HANDSHAKE:
    case SK_OPEN_SIMULTANEOUS:
    case SK_OPEN_SYN_ONLY:
    case SK_OPEN_REFUSED:
        return true;
    default:
        return false;
    }
}

static void pick_candidates(struct ctx *c)
{
    const struct sk_convtab *t = c->in->convs;
    size_t n = sk_convtab_count(t);
    for (int pass_no = 0; pass_no < 2 && c->ncand == 0; pass_no++) {
        for (uint32_t id = 0; id < n && c->ncand < MAX_CANDIDATES; id++) {
            const struct sk_conv *cv = sk_convtab_get(t, id);
            if (!cv)
                continue;
            if (pass_no == 0) {
                if (cv->proto == 6)
                    c->ntcp++;
                else if (cv->proto == 17)
                    c->nudp++;
                else
                    c->nother++;
            }
            bool ok;
            /* UDP: never the background services, even when nothing else is there. */
            if (c->sc->proto == 17)
                ok = cv->proto == 17 && cv->pkts[SK_CLIENT] > 0 && !background_udp(cv);
            else
                /* Second pass: no SYN anywhere; grade what there is (mid-stream). */
                ok = cv->proto == 6 && (pass_no == 1 || tcp_opened(cv));
            if (ok)
                c->cand[c->ncand++] = id;
        }
    }
}

static bool index_records(struct ctx *c)
{
    const struct sk_trace *t = c->in->trace;
    size_t n = sk_trace_count(t);
    c->npackets = n;
    for (size_t k = 0; k < c->ncand; k++) {
        const struct sk_conv *cv = conv_of(c, k);
        size_t want = cv ? (size_t)(cv->pkts[0] + cv->pkts[1]) : 0;
        c->idx[k] = malloc((want ? want : 1) * sizeof *c->idx[k]);
        if (!c->idx[k])
            return false;
        c->nidx[k] = 0;
    }
    for (size_t i = 0; i < n; i++) {
        const struct sk_rec *r = sk_trace_get(t, i);
        if (r->conv == SK_NO_CONV)
            continue;
        for (size_t k = 0; k < c->ncand; k++) {
            if (c->cand[k] != r->conv)
                continue;
            const struct sk_conv *cv = conv_of(c, k);
            if (c->nidx[k] < (size_t)(cv->pkts[0] + cv->pkts[1]))
                c->idx[k][c->nidx[k]++] = (uint32_t)i;
            break;
        }
    }
    /* A conversation whose packets are all outside the trace (a filter) is
     * no candidate. */
    size_t kept = 0;
    for (size_t k = 0; k < c->ncand; k++) {
        if (c->nidx[k] == 0) {
            free(c->idx[k]);
            continue;
        }
        c->cand[kept] = c->cand[k];
        c->idx[kept] = c->idx[k];
        c->nidx[kept] = c->nidx[k];
        kept++;
    }
    c->ncand = kept;
    return true;
}

/* "there is no connection 2": the step names a connection the capture lacks. */
bool sk_chk_need_conv(const struct ctx *c, size_t k, struct sk_step_result *res)
{
    if (k < c->ncand)
        return true;
    if (c->ncand == 0 && c->sc->proto == 17)
        say(res,
            _("no UDP flow in this capture (it holds %zu packets: %zu TCP conversations, "
              "%zu other)"),
            c->npackets, c->ntcp, c->nother);
    else if (c->ncand == 0)
        say(res,
            _("no TCP connection in this capture (it holds %zu packets: %zu UDP flows, "
              "%zu other conversations)"),
            c->npackets, c->nudp, c->nother);
    else if (c->sc->proto == 17)
        say(res, _("there is no flow %zu: the capture holds %zu"), k + 1, c->ncand);
    else
        say(res, _("there is no connection %zu: the capture holds %zu"), k + 1, c->ncand);
    return false;
}

void sk_check_run(const struct sk_scenario *sc, const struct sk_check_input *in,
                  struct sk_check_report *rep)
{
    memset(rep, 0, sizeof *rep);
    rep->sc = sc;
    rep->events = in->events;
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.in = in;
    c.sc = sc;
    pick_candidates(&c);
    c.oom = !index_records(&c);

    rep->nconns = c.ncand;
    for (size_t k = 0; k < c.ncand && k < SK_CHECK_MAX_CONNS; k++) {
        const struct sk_conv *cv = conv_of(&c, k);
        char a[SK_ADDRSTRLEN], b[SK_ADDRSTRLEN];
        snprintf(rep->conns[k], sizeof rep->conns[k], "%s > %s",
                 sk_endpoint_str(&cv->addr[SK_CLIENT], cv->port[SK_CLIENT], a),
                 sk_endpoint_str(&cv->addr[SK_SERVER], cv->port[SK_SERVER], b));
        rep->conn_ids[k] = cv->id;
    }

    rep->nsteps = sk_scenario_nsteps(sc);
    for (size_t i = 0; i < rep->nsteps; i++) {
        const struct sk_step *s = &sc->steps[i];
        struct sk_step_result *res = &rep->step[i];
        res->step = s;
        res->verdict = SK_FAIL;
        if (c.oom) {
            say(res, "%s", _("out of memory"));
        } else {
            switch ((enum sk_check_kind)s->kind) {
            case SK_CK_HANDSHAKE: sk_chk_step_handshake(&c, s, res); break;
            case SK_CK_DATA: sk_chk_step_data(&c, s, res); break;
            case SK_CK_FIRST_FIN: sk_chk_step_first_fin(&c, s, res); break;
            case SK_CK_CLOSED: sk_chk_step_closed(&c, s, res); break;
            case SK_CK_HALF_CLOSE: sk_chk_step_half_close(&c, s, res); break;
            case SK_CK_CLOSE_WAIT: sk_chk_step_close_wait(&c, s, res); break;
            case SK_CK_TIME_WAIT: sk_chk_step_time_wait(&c, s, res); break;
            case SK_CK_ABORT: sk_chk_step_abort(&c, s, res); break;
            case SK_CK_REFUSED: sk_chk_step_refused(&c, s, res); break;
            case SK_CK_SAME_SERVER: sk_chk_step_same_server(&c, s, res); break;
            case SK_CK_CONNECTIONS: sk_chk_step_connections(&c, s, res); break;
            case SK_CK_QUEUED: sk_chk_step_queued(&c, s, res); break;
            case SK_CK_SYN_RETRANS: sk_chk_step_syn_retrans(&c, s, res); break;
            case SK_CK_NAGLE: sk_chk_step_nagle(&c, s, res); break;
            case SK_CK_COALESCED: sk_chk_step_coalesced(&c, s, res); break;
            case SK_CK_ZERO_WINDOW: sk_chk_step_zero_window(&c, s, res); break;
            case SK_CK_WINDOW_OPENS: sk_chk_step_window_opens(&c, s, res); break;
            case SK_CK_RETRANS:
            case SK_CK_DUP_ACKS: sk_chk_step_count_event(&c, s, res); break;
            case SK_CK_RTO_BACKOFF: sk_chk_step_rto_backoff(&c, s, res); break;
            case SK_CK_IPV6: sk_chk_step_ipv6(&c, s, res); break;
            case SK_CK_DATAGRAMS: sk_chk_step_datagrams(&c, s, res); break;
            case SK_CK_REPLIES: sk_chk_step_replies(&c, s, res); break;
            case SK_CK_NO_REPLY: sk_chk_step_no_reply(&c, s, res); break;
            case SK_CK_ICMP_UNREACH: sk_chk_step_icmp(&c, s, res); break;
            case SK_CK_BOUNDARIES: sk_chk_step_boundaries(&c, s, res); break;
            case SK_CK_CALL: sk_chk_step_call(&c, s, res); break;
            case SK_CK_END: break;
            }
        }
        if (res->verdict != SK_SKIP)
            res->verdict = s->info ? SK_INFO : res->holds ? SK_PASS : SK_FAIL;
        /* Evidence in file order, as a reader looks the packets up. */
        for (unsigned a = 1; a < res->npackets; a++)
            for (unsigned b = a; b > 0 && res->packets[b - 1] > res->packets[b]; b--) {
                uint32_t t = res->packets[b];
                res->packets[b] = res->packets[b - 1];
                res->packets[b - 1] = t;
            }
        switch (res->verdict) {
        case SK_PASS: rep->passed++; break;
        case SK_FAIL: rep->failed++; break;
        case SK_SKIP: rep->skipped++; break;
        case SK_INFO: rep->info++; break;
        }
    }
    for (size_t k = 0; k < c.ncand; k++)
        free(c.idx[k]);
}

/* ================================================================ files */

int sk_check_file(const struct sk_scenario *sc, const char *path,
                  const struct sk_check_opts *opts, struct sk_check_report *rep, char *err)
{
    static const struct sk_check_opts none;
    if (!opts)
        opts = &none;
    int status = -1;
    struct sk_source *src = sk_source_open_file(path, err);
    if (!src)
        return -1;
    struct sk_analyzer *an = NULL;
    struct sk_trace *trace = NULL;
    struct sk_labev_list evs = {0};
    char warning[SK_ERRBUF_SIZE] = "";
    if (opts->filter && sk_source_set_filter(src, opts->filter, err) < 0)
        goto out;
    an = sk_analyzer_new(sk_source_datalink(src));
    trace = sk_trace_new();
    if (!an || !trace) {
        sk_err(err, "%s", _("out of memory"));
        goto out;
    }
    struct sk_raw raw;
    struct sk_result res;
    for (;;) {
        int got = sk_source_next(src, &raw, warning);
        if (got <= 0)
            break; /* end, or cut short: grade what was read (warning says so) */
        if (sk_analyzer_add(an, &raw, &res, err) < 0 || sk_trace_add(trace, &res.rec) < 0) {
            sk_err(err, "%s", _("out of memory"));
            goto out;
        }
    }
    if (sk_trace_count(trace) == 0 && warning[0]) {
        sk_err(err, "%s", warning);
        goto out;
    }

    /* The syscall events: the file named, else the sidecar if there is one. */
    bool have_events = false;
    if (!opts->no_events) {
        char side[4096];
        const char *evpath = opts->events;
        if (!evpath && sk_labev_sidecar_path(path, side, sizeof side) == 0 &&
            access(side, F_OK) == 0)
            evpath = side;
        if (evpath) {
            size_t skipped = 0;
            char everr[SK_ERRBUF_SIZE];
            if (sk_labev_load(evpath, &evs, &skipped, everr) < 0) {
                if (opts->events) {
                    sk_err(err, "%s", everr);
                    goto out;
                }
                snprintf(warning, sizeof warning, "%s", everr);
            } else if (evs.n == 0 && skipped > 0) {
                snprintf(warning, sizeof warning,
                         _("%s holds no syscall events (%zu lines are not events); graded "
                           "without them"),
                         evpath, skipped);
            } else {
                have_events = true;
            }
        }
    }

    struct sk_check_input in = {
        .trace = trace,
        .convs = sk_analyzer_convs(an),
        .ev = evs.ev,
        .nev = evs.n,
        .events = have_events,
    };
    sk_check_run(sc, &in, rep);
    snprintf(rep->warning, sizeof rep->warning, "%s", warning);
    status = 0;
out:
    sk_labev_list_free(&evs);
    sk_trace_free(trace);
    sk_analyzer_free(an);
    sk_source_close(src);
    return status;
}
