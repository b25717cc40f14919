/* labkit.h — what the lab programs share: options, Stevens-style socket
 * wrappers that explain errors, step mode, syscall events and printing.
 *
 * A lab reads top to bottom as the protocol: every socket call is made in the
 * lab itself, through a capitalised twin of the call (Socket, Bind, Connect
 * ...) in the manner of Stevens' UNIX Network Programming (lib/wrapsock.c).
 * Each twin
 *   - in step mode, first says what the call will put on the wire and waits;
 *   - makes the call, timed with CLOCK_REALTIME;
 *   - reports it as a lab event (core/labevent.h) when someone listens;
 *   - on failure prints one line: the errno name, what it means, what to try.
 * Setup calls (Socket, Setsockopt, Bind, Listen, Connect) then exit, since the
 * program cannot go on. Calls on an open connection (Read, Writen, Shutdown,
 * Sendto, Recvfrom) return -1 instead, so that the lab decides: a server goes
 * on with its next client, as Node's server does after a socket's 'error'.
 *
 * Exit statuses are the same for every lab (docs/labs-exit-status.md).
 */
#ifndef LABKIT_H
#define LABKIT_H

#include <libintl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Translated text (gettext, text domain "sockscope"); N_ only marks; P_ picks
 * the singular or plural sentence by n (xgettext --keyword=P_:1,2). */
#define _(s) dgettext("sockscope", s)
#define N_(s) s
#define P_(one, many, n) dngettext("sockscope", one, many, (unsigned long)(n))

/* ------------------------------------------------------------ exit status */

enum lk_exit {
    LK_EXIT_OK = 0,    /* done; also after Ctrl-C / SIGTERM on a server, or "quit" */
    LK_EXIT_NET = 1,   /* the network said no at run time: refused, reset, unreachable,
                          timed out, broken pipe (lab-ipcheck: an input is not an IP) */
    LK_EXIT_USAGE = 2, /* bad command line: unknown option, bad value, missing argument */
    LK_EXIT_ADDR = 3,  /* the address cannot be used: in use, not ours, port < 1024,
                          no IPv6 on this machine */
    LK_EXIT_SYS = 4    /* this machine ran out of something (files, memory), or a bug */
};

/* -------------------------------------------------------------- start-up */

/* Sets the locale and the message catalogue, makes stdout line-buffered (so
 * that lines from a server and its children arrive whole and in order), and
 * remembers the program's name. Call first. */
void lk_init(const char *prog, int argc, char **argv);

/* Exits with status, after telling the events listener and removing the
 * control socket. Every lab ends through here. */
_Noreturn void lk_exit(int status);

/* Ctrl-C and SIGTERM no longer kill the program at once: blocking calls
 * return, the lab closes its sockets and exits with status 0 (servers use this,
 * so that nothing is left half done and leak checkers get to run). */
void lk_stop_on_signals(void);

/* True once Ctrl-C or SIGTERM arrived (after lk_stop_on_signals). */
bool lk_stopping(void);

/* ------------------------------------------------------------- options */

enum lk_kind {
    LK_FLAG,   /* --name: sets a bool */
    LK_INT,    /* --name N: a long in [min, max] */
    LK_TEXT,   /* --name TEXT: a const char * (points into argv) */
    LK_CHOICE  /* --name WORD: an int, the index of WORD in choices */
};

struct lk_opt {
    const char *name;            /* long name without dashes, or one character ("4") */
    enum lk_kind kind;
    void *val;                   /* bool *, long *, const char **, int * */
    long min, max;               /* LK_INT: the allowed range */
    const char *arg;             /* the argument's name in --help: "N", "MS", "TEXT" */
    const char *help;            /* one line for --help, marked with N_() */
    const char *const *choices;  /* LK_CHOICE: NULL-terminated words */
};

/* What a lab says about itself in --help. */
struct lk_usage {
    const char *operands;        /* "[MESSAGE]", "ADDR..." or "" */
    const char *summary;         /* one line: what the program does (N_) */
    const char *node;            /* the Node.js calls it mirrors (N_) */
    bool sockets;                /* add --step, --control, --events, --quiet, --verbose */
    const char *exits;           /* the exit status line, with %s for the program
                                    (N_); NULL: the labs' common table */
};

/* Parses argv against opts (terminated by an entry with name NULL) plus the
 * common options (--help, and with u->sockets the step/event/print options).
 * Accepts "--name VALUE" and "--name=VALUE". Prints --help and exits 0; on a
 * bad option or value prints one line and exits LK_EXIT_USAGE. Returns the
 * index in argv of the first operand. */
int lk_options(int argc, char **argv, const struct lk_opt *opts, const struct lk_usage *u);

/* True in step mode (--step or --control). */
bool lk_step_mode(void);

/* Exits LK_EXIT_USAGE after printing "PROG: MESSAGE Try: PROG --help." */
_Noreturn void lk_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* ----------------------------------------------------------- addresses */

/* Any socket address, without casts: &a.sa for the calls, &a.in / &a.in6 to
 * read it. */
union lk_sockaddr {
    struct sockaddr sa;
    struct sockaddr_in in;
    struct sockaddr_in6 in6;
    struct sockaddr_storage ss;
};

struct lk_addr {
    union lk_sockaddr u;
    socklen_t len;
    int family;      /* AF_INET or AF_INET6 */
};

/* Builds host:port for family (AF_UNSPEC: as the host says; AF_INET with -4,
 * AF_INET6 with -6). host must be numeric, like Node's `host` in the notes
 * ("127.0.0.1", "::1", "fe80::1%lo"); NULL means the loopback address of the
 * family. Exits LK_EXIT_USAGE with one line when that is not possible. */
void lk_addr(struct lk_addr *a, const char *host, long port, int family);

/* "127.0.0.1:6666" or "[::1]:6666" into buf (64 bytes); returns buf. */
char *lk_addr_str(const union lk_sockaddr *a, char *buf);

/* Only the address ("127.0.0.1", "::1") into buf (64 bytes), and the port:
 * Node's rinfo.address and rinfo.port. */
char *lk_host_str(const union lk_sockaddr *a, char *buf);
unsigned lk_port(const union lk_sockaddr *a);

/* The family -4 / -6 asked for: AF_INET, AF_INET6 or AF_UNSPEC. */
int lk_family(bool v4, bool v6);

/* --------------------------------------------------------------- output */

/* One line for a Node event: "[connection] 127.0.0.1:40000  accept() → fd 4".
 * Not with --quiet. */
void lk_say(const char *node, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A detail only --verbose shows. */
void lk_note(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* How received bytes are shown: Node's setEncoding('utf8') or ('hex'). */
enum lk_encoding { LK_UTF8 = 0, LK_HEX = 1 };
extern const char *const lk_encodings[]; /* {"utf8", "hex", NULL} for LK_CHOICE */

/* Writes n bytes of buf as text into out (size bytes): utf8 with control
 * characters and invalid bytes escaped (\n, \x00), or hex. Long data is cut
 * with "…". Returns out. */
char *lk_show(const void *buf, size_t n, int encoding, char *out, size_t size);

/* Sends the event lines to stderr, so that stdout carries only data (--raw). */
void lk_lines_to_stderr(void);

/* Waits ms milliseconds (returns early once lk_stopping()). */
void lk_sleep_ms(long ms);

/* True when fd has something to read (data, FIN or an error) within ms. */
bool lk_readable(int fd, long ms);

/* Reads all of standard input into a malloc'd buffer (*n bytes). Exits
 * LK_EXIT_SYS when out of memory. Owner: caller (free). */
char *lk_slurp_stdin(size_t *n);

/* ------------------------------------------------------------- wrappers */

/* Setup calls: exit on failure. */
int Socket(int family, int type, int protocol);
void Setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen);
void Bind(int fd, const struct sockaddr *sa, socklen_t salen);
void Listen(int fd, int backlog);
void Connect(int fd, const struct sockaddr *sa, socklen_t salen);

/* Waits for the next connection. Retries when a connection was aborted while
 * it waited in the backlog; returns -1 when the program is asked to stop. */
int Accept(int fd, struct sockaddr *sa, socklen_t *salenptr);

/* Calls on a connection: -1 on failure (already explained on stderr). */
ssize_t Read(int fd, void *buf, size_t n);              /* 0: the peer's FIN */
ssize_t Writen(int fd, const void *buf, size_t n);      /* loops until all is written */
int Shutdown(int fd, int how);
ssize_t Sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *sa,
               socklen_t salen);
/* -1 with errno EAGAIN, and nothing printed, when SO_RCVTIMEO expired. */
ssize_t Recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *sa,
                 socklen_t *salenptr);

/* The exit status that goes with the last failure a wrapper explained
 * (LK_EXIT_NET for a reset, LK_EXIT_USAGE for a datagram too big ...). */
int lk_error_status(void);

/* Closes; a failure is reported, never fatal. */
void Close(int fd);

/* fork() for a server's child; exits LK_EXIT_SYS on failure. */
pid_t Fork(void);

/* A forking server's children: reap them as they exit (a SIGCHLD handler with
 * waitpid, so that none stays a zombie), and wait for the last ones. */
void lk_reap_children(void);
void lk_wait_children(void);

/* ----------------------------------------------------- events and steps */

/* The events socket path in use ("" when none), for messages. */
const char *lk_events_path(void);

/* Sends an INFO event with a note (not a socket call: "fork", "pause" ...). */
void lk_info(const char *what, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
