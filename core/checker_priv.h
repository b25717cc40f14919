/* checker_priv.h — internal to core/: what the checker's files (checker.c, the
 * run; checker_tcp.c, checker_udp.c, checker_events.c, the steps) share. */
#ifndef SK_CHECKER_PRIV_H
#define SK_CHECKER_PRIV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "checker.h"
#include "i18n.h"

#define MAX_CANDIDATES 64

/* One capture being graded. */
struct ctx {
    const struct sk_check_input *in;
    const struct sk_scenario *sc;
    uint32_t cand[MAX_CANDIDATES];  /* conversation ids of the scenario's shape, in order */
    size_t ncand;
    uint32_t *idx[MAX_CANDIDATES];  /* per candidate: indexes of its records in the trace */
    size_t nidx[MAX_CANDIDATES];
    bool oom;
    /* what else the capture holds, to say so when a step finds nothing */
    size_t ntcp, nudp, nother, npackets;
};

/* ------------------------------------------------------------ helpers */

static inline const char *role(int side) { return side == SK_SERVER ? _("server") : _("client"); }

static inline const struct sk_rec *rec_at(const struct ctx *c, size_t k, size_t i)
{
    return sk_trace_get(c->in->trace, c->idx[k][i]);
}

static inline const struct sk_conv *conv_of(const struct ctx *c, size_t k)
{
    return sk_convtab_get(c->in->convs, c->cand[k]);
}

static inline bool is_datagram(const struct sk_rec *r) { return sk_rec_kind(r) == SK_K_UDP; }

static inline void evidence(struct sk_step_result *res, uint32_t n)
{
    if (n == 0)
        return;
    for (unsigned i = 0; i < res->npackets; i++)
        if (res->packets[i] == n)
            return;
    if (res->npackets < SK_CHECK_MAX_EVIDENCE)
        res->packets[res->npackets++] = n;
}

static inline void say(struct sk_step_result *res, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static inline void say(struct sk_step_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->detail, sizeof res->detail, fmt, ap);
    va_end(ap);
}

static inline void pass(struct sk_step_result *res) { res->holds = true; }

/* The first record (index) of candidate k from side dir (-1: either) that
 * satisfies pred, at or after index from; -1 if none. */
typedef bool (*rec_pred)(const struct sk_rec *r);
static inline long find(const struct ctx *c, size_t k, size_t from, int dir, rec_pred pred)
{
    for (size_t i = from; i < c->nidx[k]; i++) {
        const struct sk_rec *r = rec_at(c, k, i);
        if ((dir < 0 || sk_rec_dir(r) == dir) && pred(r))
            return (long)i;
    }
    return -1;
}

static inline uint32_t num_at(const struct ctx *c, size_t k, long i)
{
    return i < 0 ? 0 : rec_at(c, k, (size_t)i)->n;
}

/* "there is no connection 2": the step names a connection the capture lacks. */
bool sk_chk_need_conv(const struct ctx *c, size_t k, struct sk_step_result *res);

/* ------------------------------------------------------------ the steps */

/* Each grades one step of the scenario against the capture: it fills res's
 * detail and evidence and sets res->holds when the step holds (or sets the
 * verdict SK_SKIP when it cannot be graded). */

/* checker_tcp.c */
void sk_chk_step_handshake(const struct ctx *c, const struct sk_step *s,
                           struct sk_step_result *res);
void sk_chk_step_data(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res);
void sk_chk_step_first_fin(const struct ctx *c, const struct sk_step *s,
                           struct sk_step_result *res);
void sk_chk_step_closed(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res);
void sk_chk_step_half_close(const struct ctx *c, const struct sk_step *s,
                            struct sk_step_result *res);
void sk_chk_step_close_wait(const struct ctx *c, const struct sk_step *s,
                            struct sk_step_result *res);
void sk_chk_step_time_wait(const struct ctx *c, const struct sk_step *s,
                           struct sk_step_result *res);
void sk_chk_step_abort(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res);
void sk_chk_step_refused(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res);
void sk_chk_step_same_server(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res);
void sk_chk_step_connections(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res);
void sk_chk_step_queued(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res);
void sk_chk_step_syn_retrans(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res);
void sk_chk_step_nagle(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res);
void sk_chk_step_coalesced(const struct ctx *c, const struct sk_step *s,
                           struct sk_step_result *res);
void sk_chk_step_zero_window(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res);
void sk_chk_step_window_opens(const struct ctx *c, const struct sk_step *s,
                              struct sk_step_result *res);
void sk_chk_step_count_event(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res);
void sk_chk_step_rto_backoff(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res);
void sk_chk_step_ipv6(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res);

/* checker_udp.c */
void sk_chk_step_datagrams(const struct ctx *c, const struct sk_step *s,
                           struct sk_step_result *res);
void sk_chk_step_replies(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res);
void sk_chk_step_no_reply(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res);
void sk_chk_step_icmp(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res);

/* checker_events.c: the steps read the labs' syscall events */
void sk_chk_step_call(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res);
void sk_chk_step_boundaries(const struct ctx *c, const struct sk_step *s,
                            struct sk_step_result *res);

#endif
