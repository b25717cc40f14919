/* checker.h — grades a capture against a scenario's expected wire behaviour
 * (scenario.h), step by step, with packet numbers as evidence.
 *
 * The capture may come from anyone: a student's own client and server in any
 * language, captured on a real interface with unrelated traffic around it.
 * So the steps look at "the connection" of the scenario's shape: for a TCP
 * scenario, the TCP conversations whose SYN was seen, in order of their first
 * packet (the first is connection 1); for a UDP scenario, the UDP flows that
 * are not well-known background services (DNS, DHCP, NTP, mDNS, LLMNR, SSDP,
 * NetBIOS, QUIC on 443). Initial sequence numbers, ports, timing and window
 * sizes never decide a step unless they are what the step is about (a zero
 * window; the growing waits of an RTO back-off).
 *
 * Steps that need the labs' syscall events (EADDRINUSE on a restart, read()
 * returning 0) are graded only when events are given (the CAPTURE.events
 * sidecar of a capture recorded with the labs); otherwise they are skipped,
 * never failed.
 */
#ifndef SK_CHECKER_H
#define SK_CHECKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conv.h"
#include "err.h"
#include "labevent.h"
#include "scenario.h"
#include "trace.h"

enum sk_verdict {
    SK_PASS = 0,
    SK_FAIL,
    SK_SKIP, /* not checked: the capture cannot tell (no syscall events) */
    SK_INFO  /* an informational step: reported, never a failure */
};

/* "pass", "fail", "skip", "info" (the --json names, not translated). */
const char *sk_verdict_name(enum sk_verdict v);

#define SK_CHECK_MAX_EVIDENCE 8
#define SK_CHECK_MAX_CONNS 4

struct sk_step_result {
    const struct sk_step *step;  /* in the scenario's table */
    uint8_t verdict;             /* enum sk_verdict */
    bool holds;                  /* the expectation is met (an INFO step: it was seen) */
    uint8_t npackets;
    uint32_t packets[SK_CHECK_MAX_EVIDENCE]; /* evidence: frame numbers in the file */
    char detail[400];            /* translated: PASS/INFO the facts, FAIL what was seen
                                    instead, SKIP why not checked; may be "" */
};

struct sk_check_report {
    const struct sk_scenario *sc;
    size_t nsteps;
    struct sk_step_result step[SK_SCENARIO_MAX_STEPS];
    unsigned passed, failed, skipped, info;
    bool events;                 /* syscall events were available */
    size_t nconns;               /* connections (flows) of the scenario's shape found */
    char conns[SK_CHECK_MAX_CONNS][2 * SK_ADDRSTRLEN + 8]; /* "127.0.0.1:40000 > 127.0.0.1:6666" */
    uint32_t conn_ids[SK_CHECK_MAX_CONNS];                 /* their conversation ids */
    char warning[SK_ERRBUF_SIZE];/* a problem that did not stop grading ("" if none):
                                    a capture cut short, a damaged events file */
};

/* What one capture holds, once read. */
struct sk_check_input {
    const struct sk_trace *trace;   /* every packet's record, in file order */
    const struct sk_convtab *convs; /* its conversations */
    const struct sk_labevent *ev;   /* syscall events (any order), or NULL */
    size_t nev;
    bool events;                    /* events were given (even if nev is 0) */
};

/* Grades in against sc, filling *rep (overwritten). Never fails: what cannot be
 * found is a FAIL with what was seen instead. */
void sk_check_run(const struct sk_scenario *sc, const struct sk_check_input *in,
                  struct sk_check_report *rep);

/* Options of sk_check_file. */
struct sk_check_opts {
    const char *filter;   /* tcpdump-syntax filter applied before grading, or NULL */
    const char *events;   /* events file to use; NULL: the sidecar PATH.events if present */
    bool no_events;       /* ignore every events file: grade the wire only */
};

/* Reads the capture at path (pcap or pcapng) and its events, and grades it.
 * -1 with err when the input is unusable: missing, unreadable, not a capture,
 * a bad filter, out of memory. A capture cut short is graded as far as it goes
 * (rep->warning says so). opts may be NULL. */
int sk_check_file(const struct sk_scenario *sc, const char *path,
                  const struct sk_check_opts *opts, struct sk_check_report *rep, char *err);

/* True when every step passed (INFO and SKIP steps do not count). */
static inline bool sk_check_passed(const struct sk_check_report *rep)
{
    return rep->failed == 0;
}

#endif
