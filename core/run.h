/* run.h — runs a scenario's plan (scenario.h): starts the lab programs with
 * their options, waits for ports and exits, and sets up the namespaces and
 * the lossy link of SK_SETUP_NETNS. Used by `sockscope record` (and so by
 * `make captures`) and by the UI's demo mode.
 *
 * The runner never blocks for long: sk_run_step advances the plan as far as it
 * can and returns, so that a caller can capture, receive lab events and draw
 * in between. In step mode every lab waits before each socket call for a "go"
 * on its control socket (docs/events.md); sk_run_go sends it, and the lab's
 * kind=step events (pid) tell which one waits (sk_run_find_pid).
 *
 * Processes: each lab is fork()ed and exec()ed directly (in the namespace of
 * its side for SK_SETUP_NETNS), with its output on opts.out_fd. sk_run_free
 * stops what still runs (SIGTERM, then SIGKILL) and removes the namespaces.
 */
#ifndef SK_RUN_H
#define SK_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "scenario.h"
#include "source.h"

/* The namespaces setup: the client's and the server's addresses. */
#define SK_RUN_NETNS_CLIENT "10.0.0.1"
#define SK_RUN_NETNS_SERVER "10.0.0.2"

struct sk_run_opts {
    const char *bindir;   /* directory of the lab-* programs; NULL: search $PATH */
    const char *events;   /* give every lab --events PATH; NULL: none */
    const char *ctl_dir;  /* step mode: lab i gets --control CTL_DIR/lab-I.ctl; NULL: no */
    int out_fd;           /* the labs' standard output and error; -1: /dev/null */
    int timeout_ms;       /* longest wait for a port or an exit (0: 20000); none in step mode */
    /* Called with one line for people at each thing done ("$ lab-tcp-server
     * --port 40123 ...", "lab-tcp-client exited with status 0"); may be NULL. */
    void (*note)(void *user, const char *line);
    void *user;
};

/* One lab program of the plan. */
struct sk_run_proc {
    const char *prog;     /* "lab-tcp-server" */
    char cmd[1400];       /* the command line as run, for people */
    char ctl[108];        /* its control socket in step mode, else "" */
    int side;             /* SK_CLIENT / SK_SERVER */
    int expect;           /* the exit status expected */
    int pid;              /* 0 until it starts */
    int status;           /* exit status once it ended (128 + signal if killed); -1 before */
    size_t action;        /* the plan action that starts it */
};

struct sk_run;

/* Prepares a run of sc: picks free ports, fills in every command line. Starts
 * nothing. NULL with err when a lab program is missing or memory runs out.
 * Owner: caller, sk_run_free. */
struct sk_run *sk_run_new(const struct sk_scenario *sc, const struct sk_run_opts *opts,
                          char *err);

/* Sets up the hosts: nothing for loopback; for SK_SETUP_NETNS two network
 * namespaces, a veth pair, a slow link (netem delay where the kernel has it,
 * else a tbf rate limit) and random loss on the server's input (nftables).
 * Needs root. -1 with err naming the command that failed. */
int sk_run_setup(struct sk_run *r, char *err);

/* Opens a live capture where the scenario's packets pass (lo, or the client's
 * end of the veth pair, inside its namespace), filtered to the scenario's
 * ports (and ICMP for UDP). After sk_run_setup. NULL with err. */
struct sk_source *sk_run_capture(struct sk_run *r, const struct sk_live_opts *lo, char *err);

/* Advances the plan without waiting: 1 while it runs, 0 once every action is
 * done, -1 with err when it failed (a lab exited with another status than
 * expected, a port was not bound in time ...). */
int sk_run_step(struct sk_run *r, char *err);

/* The programs of the plan, in the order they start (all are known from
 * sk_run_new on; pid is 0 until one starts). */
size_t sk_run_nprocs(const struct sk_run *r);
const struct sk_run_proc *sk_run_proc(const struct sk_run *r, size_t i);

/* The program with this pid, -1 if none. */
int sk_run_find_pid(const struct sk_run *r, int pid);

/* Step mode: sends "go" (or "quit") to program i's control socket. -1 with err
 * when it is not running or not in step mode. */
int sk_run_go(struct sk_run *r, size_t i, char *err);
int sk_run_quit(struct sk_run *r, size_t i, char *err);

/* The server's port, the port nothing listens on (0 if unused), the capture
 * filter and interface. Owned by r. */
uint16_t sk_run_port(const struct sk_run *r);
uint16_t sk_run_closed_port(const struct sk_run *r);
const char *sk_run_filter(const struct sk_run *r);
const char *sk_run_iface(const struct sk_run *r);

/* The index of the action the plan is at (sk_scenario_nactions once done). */
size_t sk_run_action(const struct sk_run *r);

/* Stops the labs still running (SIGTERM, then SIGKILL after a second),
 * removes the namespaces. NULL is allowed. */
void sk_run_free(struct sk_run *r);

#endif
