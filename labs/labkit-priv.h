/* labkit-priv.h — the state the labkit*.c files share; not for the labs. */
#ifndef LABKIT_PRIV_H
#define LABKIT_PRIV_H

#include <signal.h>
#include <stdio.h>

#include "labevent.h"
#include "labkit.h"

/* The running lab: one per process (a forked child inherits a copy). */
struct lk_state {
    const char *prog;          /* "lab-tcp-server" */
    int argc;                  /* the command line, for the start event */
    char **argv;
    bool quiet;                /* --quiet: only errors */
    bool verbose;              /* --verbose: every call, every detail */
    bool step;                 /* --step: pause before each socket call */
    FILE *out;                 /* where event lines go: stdout, or stderr with --raw */
    FILE *tty;                 /* where step mode reads Enter; NULL until first needed */
    int control_fd;            /* the bound control socket, -1 without one */
    char control_path[108];    /* its path, removed at exit */
    int events_fd;             /* unbound datagram socket for events, -1 if none */
    char events_path[108];     /* where events go ("" when disabled) */
    bool events_warned;        /* --verbose said once that nobody listens */
    int32_t pid;               /* whose seq counts: reset when a fork makes a new process */
    uint32_t seq;              /* last event number sent by this process */
    volatile sig_atomic_t stop;/* Ctrl-C / SIGTERM arrived */
};

extern struct lk_state lk;

/* A descriptor number no lab socket will get, so that the labs' own sockets
 * keep the small numbers students expect (3, 4 ...). */
int lk_hide_fd(int fd);

/* labkit-events.c: opens the events socket (path from --events, the
 * environment or the default) and, in step mode, the control socket. */
void lk_events_open(const char *opt_events, const char *opt_control);
void lk_events_close(void);

/* Sends e after filling prog, pid and seq. Never blocks, never fails. */
void lk_send(struct sk_labevent *e);

/* The local and remote address of fd (zeroed when it has none); for a TCP
 * socket that has become CLOSED, the last ones seen. True when the socket
 * itself still has its peer. */
bool lk_fd_ends(int fd, union lk_sockaddr ends[2]);

/* Forgets what lk_fd_ends remembered of fd (it was closed, or is new). */
void lk_forget_fd(int fd);

/* Fills e's proto, local, remote and state from the socket fd. */
void lk_describe_fd(struct sk_labevent *e, int fd);

/* The kernel's state of the TCP connection local → remote after its
 * descriptor was closed, by asking sock_diag: "CLOSED" when the kernel has
 * forgotten it, "" when it cannot be asked. */
const char *lk_kstate_after_close(const union lk_sockaddr *local,
                                  const union lk_sockaddr *remote);

/* Step mode: sends a STEP event, prints the note, waits for Enter or "go". */
void lk_step(const char *call, const char *note);

/* CLOCK_REALTIME in ns since the epoch (comparable with pcap timestamps). */
int64_t lk_now_ns(void);

/* Prints "[error] MESSAGE" on stderr (also with --quiet). */
void lk_error_line(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
