/* run.c — running a scenario's lab programs (run.h). */
#define _GNU_SOURCE /* setns */
#include "run.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "tcp.h"

#define MAX_ARGS 48
#define ARGBUF 4096
#define BLOB_LEN 1000
#define STOP_GRACE_MS 1000

/* A lab program's argument vector, kept with the text it points into. */
struct argvec {
    char *argv[MAX_ARGS];
    char buf[ARGBUF];
};

struct sk_run {
    const struct sk_scenario *sc;
    struct sk_run_opts o;
    uint16_t port;            /* {port} */
    uint16_t closed;          /* {closed}, 0 when the plan does not use it */
    char host[64];            /* {host} */
    char blob[BLOB_LEN + 1];  /* {blob} */
    char filter[160];
    char iface[16];
    char ns[2][48];           /* namespace names per side (SK_SETUP_NETNS) */
    bool ns_made[2];
    bool cut;                 /* the link is cut now */
    size_t nactions;
    size_t act;               /* current action */
    bool waiting;             /* the current action has begun and waits */
    int64_t deadline;         /* CLOCK_MONOTONIC ns; 0: none */
    struct sk_run_proc proc[SK_SCENARIO_MAX_ACTIONS];
    struct argvec av[SK_SCENARIO_MAX_ACTIONS];
    size_t nproc;
    size_t started;           /* procs started so far (they start in order) */
};

/* ================================================================ helpers */

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void note(const struct sk_run *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void note(const struct sk_run *r, const char *fmt, ...)
{
    if (!r->o.note)
        return;
    char line[1600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    r->o.note(r->o.user, line);
}

/* A port free now on the loopback address of family (4 or 6), for type
 * (SOCK_STREAM, SOCK_DGRAM): the kernel's pick for a bind to port 0. */
static uint16_t free_port(int family, int type, char *err)
{
    int fd = socket(family == 6 ? AF_INET6 : AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        sk_err(err, _("cannot pick a free port: socket(): %s"), strerror(errno));
        return 0;
    }
    struct sockaddr_storage ss;
    socklen_t len;
    memset(&ss, 0, sizeof ss);
    if (family == 6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *a;
    }
    uint16_t port = 0;
    if (bind(fd, (struct sockaddr *)&ss, len) == 0 &&
        getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
        port = ntohs(family == 6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                 : ((struct sockaddr_in *)&ss)->sin_port);
    else
        sk_err(err, _("cannot pick a free port: bind(): %s"), strerror(errno));
    close(fd);
    return port;
}

/* Copies word into out (n bytes) with the placeholders filled in. */
static bool expand(const struct sk_run *r, const char *word, size_t wlen, char *out, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < wlen;) {
        char val[16];
        const char *rep = NULL;
        size_t skip = 0;
        if (word[i] == '{') {
            static const char *const keys[] = {"{port}", "{closed}", "{host}", "{blob}"};
            for (size_t k = 0; k < 4; k++) {
                size_t kl = strlen(keys[k]);
                if (wlen - i >= kl && memcmp(word + i, keys[k], kl) == 0) {
                    skip = kl;
                    if (k == 0 || k == 1) {
                        snprintf(val, sizeof val, "%u", k == 0 ? r->port : r->closed);
                        rep = val;
                    } else {
                        rep = k == 2 ? r->host : r->blob;
                    }
                }
            }
        }
        if (!rep) {
            if (o + 1 >= n)
                return false;
            out[o++] = word[i++];
            continue;
        }
        size_t rl = strlen(rep);
        if (o + rl >= n)
            return false;
        memcpy(out + o, rep, rl);
        o += rl;
        i += skip;
    }
    out[o] = '\0';
    return true;
}

/* Appends s to a command line for people; long words are shortened. */
static void cmd_add(char *cmd, size_t n, const char *s)
{
    size_t at = strlen(cmd);
    if (at && at + 1 < n)
        cmd[at++] = ' ';
    size_t len = strlen(s);
    if (len > 60)
        snprintf(cmd + at, n - at, "%.20s…(%zu bytes)", s, len);
    else
        snprintf(cmd + at, n - at, "%s", s);
}

/* Builds the argument vector of proc i from action a. */
static bool build_argv(struct sk_run *r, size_t i, const struct sk_action *a, char *err)
{
    struct argvec *v = &r->av[i];
    struct sk_run_proc *p = &r->proc[i];
    size_t used = 0, argc = 0;
    char word[ARGBUF];
    char *words[MAX_ARGS];
    size_t nwords = 0;

    /* The words: the program, its scenario options, then the runner's own. */
    char prog_path[1024];
    if (r->o.bindir)
        snprintf(prog_path, sizeof prog_path, "%s/%s", r->o.bindir, a->prog);
    else
        snprintf(prog_path, sizeof prog_path, "%s", a->prog);
    words[nwords++] = NULL; /* argv[0]: the path, stored last */
    p->cmd[0] = '\0';
    cmd_add(p->cmd, sizeof p->cmd, a->prog);

    const char *s = a->args ? a->args : "";
    for (;;) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        const char *e = s;
        while (*e && *e != ' ')
            e++;
        if (nwords + 5 >= MAX_ARGS || !expand(r, s, (size_t)(e - s), word, sizeof word))
            goto too_long;
        size_t wl = strlen(word) + 1;
        if (used + wl > ARGBUF)
            goto too_long;
        memcpy(v->buf + used, word, wl);
        words[nwords++] = v->buf + used;
        used += wl;
        cmd_add(p->cmd, sizeof p->cmd, word);
        s = e;
    }
    const char *extra[4];
    size_t nextra = 0;
    if (r->o.events) {
        extra[nextra++] = "--events";
        extra[nextra++] = r->o.events;
    }
    if (r->o.ctl_dir) {
        snprintf(p->ctl, sizeof p->ctl, "%s/lab-%zu.ctl", r->o.ctl_dir, i + 1);
        extra[nextra++] = "--control";
        extra[nextra++] = p->ctl;
    }
    for (size_t k = 0; k < nextra; k++) {
        size_t wl = strlen(extra[k]) + 1;
        if (used + wl > ARGBUF)
            goto too_long;
        memcpy(v->buf + used, extra[k], wl);
        words[nwords++] = v->buf + used;
        used += wl;
    }
    if (r->o.ctl_dir)
        cmd_add(p->cmd, sizeof p->cmd, "--step");
    /* argv[0] last: it is the path, kept in buf too. */
    size_t pl = strlen(prog_path) + 1;
    if (used + pl > ARGBUF)
        goto too_long;
    memcpy(v->buf + used, prog_path, pl);
    v->argv[argc++] = v->buf + used;
    for (size_t k = 1; k < nwords; k++)
        v->argv[argc++] = words[k];
    v->argv[argc] = NULL;
    return true;
too_long:
    sk_err(err, _("scenario %s: the command line of %s is too long"), r->sc->name, a->prog);
    return false;
}

/* ================================================================ processes */

/* Enters the network namespace called name (ip netns), in this process. */
static int enter_netns(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "/run/netns/%s", name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = setns(fd, CLONE_NEWNET);
    close(fd);
    return rc;
}

/* In a child: its namespace, its standard descriptors, nothing else open. */
static void child_setup(const char *ns, int out_fd)
{
    if (ns && ns[0] && enter_netns(ns) < 0)
        _exit(126);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0)
        dup2(null, 0);
    int out = out_fd >= 0 ? out_fd : null;
    if (out >= 0) {
        dup2(out, 1);
        dup2(out, 2);
    }
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    unsetenv("SOCKSCOPE_CONTROL"); /* step mode only when we ask for it */
    signal(SIGPIPE, SIG_DFL);
}

/* Runs a setup command (ip, tc, nft) in namespace ns (NULL: ours) and waits.
 * 0 when it succeeded; else -1 with the command and its first line of error
 * output in err. */
static int run_cmd(const char *ns, char *err, const char *const *argv)
{
    char cmd[256] = "";
    for (size_t i = 0; argv[i]; i++)
        cmd_add(cmd, sizeof cmd, argv[i]);
    int pipefd[2];
    if (pipe(pipefd) < 0) {
        sk_err(err, "%s: pipe(): %s", cmd, strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        sk_err(err, "%s: fork(): %s", cmd, strerror(errno));
        close(pipefd[0]);
        close(pipefd[1]);
        return -1;
    }
    if (pid == 0) {
        close(pipefd[0]);
        child_setup(ns, pipefd[1]);
        /* exec wants char *const[]: copy the pointers rather than cast const away */
        char *args[32];
        size_t n = 0;
        for (; argv[n] && n + 1 < sizeof args / sizeof args[0]; n++)
            memcpy(&args[n], &argv[n], sizeof args[n]);
        args[n] = NULL;
        execvp(args[0], args);
        _exit(127);
    }
    close(pipefd[1]);
    char out[400];
    size_t got = 0;
    for (;;) {
        ssize_t n = read(pipefd[0], out + got, sizeof out - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
        if (got == sizeof out - 1) {
            char sink[256]; /* drain the rest, so that the command never blocks */
            while (read(pipefd[0], sink, sizeof sink) > 0)
                ;
            break;
        }
    }
    out[got] = '\0';
    close(pipefd[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    char *nl = strchr(out, '\n');
    if (nl)
        *nl = '\0';
    if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
        sk_err(err, _("%s: %s is not installed (scripts/install-deps test installs it)"), cmd,
               argv[0]);
    else if (WIFEXITED(st) && WEXITSTATUS(st) == 126)
        sk_err(err, _("%s: cannot enter network namespace %s"), cmd, ns ? ns : "");
    else
        sk_err(err, "%s: %s", cmd, out[0] ? out : _("failed"));
    return -1;
}

/* Starts proc i. -1 with err if fork fails (exec failures show as status 127). */
static int spawn(struct sk_run *r, size_t i, char *err)
{
    struct sk_run_proc *p = &r->proc[i];
    const char *ns = r->sc->setup == SK_SETUP_NETNS ? r->ns[p->side] : NULL;
    pid_t pid = fork();
    if (pid < 0) {
        sk_err(err, _("cannot start %s: fork(): %s"), p->prog, strerror(errno));
        return -1;
    }
    if (pid == 0) {
        child_setup(ns, r->o.out_fd);
        char *const *argv = r->av[i].argv;
        if (strchr(argv[0], '/'))
            execv(argv[0], argv);
        else
            execvp(argv[0], argv);
        fprintf(stderr, "sockscope: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    p->pid = (int)pid;
    p->status = -1;
    if (r->started < i + 1)
        r->started = i + 1;
    note(r, "$ %s", p->cmd);
    return 0;
}

/* Collects the labs that ended. -1 with err when one ended with another status
 * than its action expects. */
static int reap(struct sk_run *r, char *err)
{
    for (size_t i = 0; i < r->nproc; i++) {
        struct sk_run_proc *p = &r->proc[i];
        if (p->pid <= 0 || p->status >= 0)
            continue;
        int st;
        pid_t w = waitpid(p->pid, &st, WNOHANG);
        if (w != p->pid)
            continue;
        p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        note(r, _("%s exited with status %d"), p->prog, p->status);
        if (p->status != p->expect) {
            if (p->status == 127)
                sk_err(err, _("%s could not be run (is it built? make)"), p->prog);
            else
                sk_err(err, _("%s exited with status %d, expected %d (see its output above)"),
                       p->prog, p->status, p->expect);
            return -1;
        }
    }
    return 0;
}

/* Is something of the lab with this pid bound to port (TCP: listening)? Read
 * from /proc/PID/net, which shows the lab's own network namespace. */
static bool port_bound(int pid, bool udp, uint16_t port)
{
    static const char *const tcp_files[] = {"tcp", "tcp6"};
    static const char *const udp_files[] = {"udp", "udp6"};
    for (int f = 0; f < 2; f++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/net/%s", pid, udp ? udp_files[f] : tcp_files[f]);
        FILE *fp = fopen(path, "r");
        if (!fp)
            continue;
        char line[512];
        bool found = false;
        while (!found && fgets(line, sizeof line, fp)) {
            /* "  0: 0100007F:1A0A 00000000:0000 0A ..." */
            char local[80], remote[80], st[8];
            if (sscanf(line, " %*[0-9]: %79s %79s %7s", local, remote, st) != 3)
                continue;
            char *colon = strrchr(local, ':');
            if (!colon)
                continue;
            unsigned long p = strtoul(colon + 1, NULL, 16);
            if (p == port && (udp || strcmp(st, "0A") == 0))
                found = true;
        }
        fclose(fp);
        if (found)
            return true;
    }
    return false;
}

/* ================================================================ the link */

static int cut_link(struct sk_run *r, bool on, char *err)
{
    const char *ns = r->ns[SK_SERVER];
    if (on) {
        const char *const t[] = {"nft", "add", "table", "inet", "sockscope_cut", NULL};
        const char *const ch[] = {"nft", "add", "chain", "inet", "sockscope_cut", "input",
                                  "{ type filter hook input priority -10; policy accept; }",
                                  NULL};
        const char *const rule[] = {"nft", "add", "rule", "inet", "sockscope_cut", "input",
                                    "meta", "l4proto", "tcp", "drop", NULL};
        if (run_cmd(ns, err, t) < 0 || run_cmd(ns, err, ch) < 0 || run_cmd(ns, err, rule) < 0)
            return -1;
        r->cut = true;
        note(r, _("the link is cut: every packet to the server is dropped"));
    } else {
        const char *const del[] = {"nft", "delete", "table", "inet", "sockscope_cut", NULL};
        r->cut = false;
        if (run_cmd(ns, err, del) < 0)
            return -1;
        note(r, "%s", _("the link is back"));
    }
    return 0;
}

int sk_run_setup(struct sk_run *r, char *err)
{
    if (r->sc->setup != SK_SETUP_NETNS)
        return 0;
    const char *c = r->ns[SK_CLIENT], *s = r->ns[SK_SERVER];
    {
        const char *const a[] = {"ip", "netns", "add", c, NULL};
        if (run_cmd(NULL, err, a) < 0)
            return -1;
        r->ns_made[SK_CLIENT] = true;
        const char *const b[] = {"ip", "netns", "add", s, NULL};
        if (run_cmd(NULL, err, b) < 0)
            return -1;
        r->ns_made[SK_SERVER] = true;
    }
    const char *const link[] = {"ip", "link", "add", "sk-client", "netns", c, "type", "veth",
                                "peer", "name", "sk-server", "netns", s, NULL};
    const char *const addr_c[] = {"ip", "-n", c, "addr", "add", SK_RUN_NETNS_CLIENT "/24",
                                  "dev", "sk-client", NULL};
    const char *const addr_s[] = {"ip", "-n", s, "addr", "add", SK_RUN_NETNS_SERVER "/24",
                                  "dev", "sk-server", NULL};
    const char *const lo_c[] = {"ip", "-n", c, "link", "set", "lo", "up", NULL};
    const char *const lo_s[] = {"ip", "-n", s, "link", "set", "lo", "up", NULL};
    const char *const up_c[] = {"ip", "-n", c, "link", "set", "sk-client", "up", NULL};
    const char *const up_s[] = {"ip", "-n", s, "link", "set", "sk-server", "up", NULL};
    const char *const *steps[] = {link, addr_c, addr_s, lo_c, lo_s, up_c, up_s};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (run_cmd(NULL, err, steps[i]) < 0)
            return -1;

    /* Segments as the wire carries them, not 64 KB GSO/GRO super-packets
     * (older ip(8) lacks these settings: then the kernel's default stays). */
    char ignore[SK_ERRBUF_SIZE];
    const char *const gso_c[] = {"ip", "-n", c, "link", "set", "dev", "sk-client",
                                 "gso_max_size", "1500", "gro_max_size", "1500", NULL};
    const char *const gso_s[] = {"ip", "-n", s, "link", "set", "dev", "sk-server",
                                 "gso_max_size", "1500", "gro_max_size", "1500", NULL};
    run_cmd(NULL, ignore, gso_c);
    run_cmd(NULL, ignore, gso_s);

    /* A slow link: netem's delay where the kernel has it; else a token bucket
     * at 2 Mbit/s, one packet of burst, so that packets queue (some kernels
     * are built without sch_netem). */
    const char *const netem_c[] = {"tc", "-n", c, "qdisc", "add", "dev", "sk-client", "root",
                                   "netem", "delay", "10ms", NULL};
    const char *const netem_s[] = {"tc", "-n", s, "qdisc", "add", "dev", "sk-server", "root",
                                   "netem", "delay", "10ms", NULL};
    if (run_cmd(NULL, ignore, netem_c) == 0) {
        if (run_cmd(NULL, err, netem_s) < 0)
            return -1;
        note(r, "%s", _("link: 10 ms delay each way (tc netem)"));
    } else {
        const char *const tbf_c[] = {"tc", "-n", c, "qdisc", "add", "dev", "sk-client", "root",
                                     "tbf", "rate", "2mbit", "burst", "1600", "latency",
                                     "400ms", NULL};
        const char *const tbf_s[] = {"tc", "-n", s, "qdisc", "add", "dev", "sk-server", "root",
                                     "tbf", "rate", "2mbit", "burst", "1600", "latency",
                                     "400ms", NULL};
        if (run_cmd(NULL, err, tbf_c) < 0 || run_cmd(NULL, err, tbf_s) < 0)
            return -1;
        note(r, "%s", _("link: 2 Mbit/s, packets queue (tc tbf; this kernel has no netem)"));
    }

    /* Loss on the receiver's input: a packet dropped there is lost on the wire
     * for the sender (dropped on the sender's own output, the kernel would
     * tell the sending socket with EPERM instead). */
    const char *const table[] = {"nft", "add", "table", "inet", "sockscope", NULL};
    const char *const chain[] = {"nft", "add", "chain", "inet", "sockscope", "input",
                                 "{ type filter hook input priority 0; policy accept; }", NULL};
    /* SYNs pass: a lost SYN waits a whole second (and Linux resends SYNs at
     * linear intervals), which would only delay the experiment. */
    const char *const loss[] = {"nft", "add", "rule", "inet", "sockscope", "input", "tcp",
                                "flags", "&", "syn", "==", "0", "numgen", "random", "mod", "10",
                                "0", "drop", NULL};
    if (run_cmd(s, err, table) < 0 || run_cmd(s, err, chain) < 0 || run_cmd(s, err, loss) < 0)
        return -1;
    note(r, "%s", _("loss: one TCP packet in ten to the server (SYNs aside) is dropped "
                    "(nftables)"));
    return 0;
}

struct sk_source *sk_run_capture(struct sk_run *r, const struct sk_live_opts *lo, char *err)
{
    int home = -1;
    if (r->sc->setup == SK_SETUP_NETNS) {
        home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        if (home < 0 || enter_netns(r->ns[SK_CLIENT]) < 0) {
            sk_err(err, _("cannot enter network namespace %s: %s"), r->ns[SK_CLIENT],
                   strerror(errno));
            if (home >= 0)
                close(home);
            return NULL;
        }
    }
    /* The capture socket belongs to the namespace it was opened in. */
    struct sk_source *src = sk_source_open_live(r->iface, lo, err);
    if (home >= 0) {
        if (setns(home, CLONE_NEWNET) < 0 && src) {
            sk_err(err, _("cannot return to the first network namespace: %s"), strerror(errno));
            sk_source_close(src);
            src = NULL;
        }
        close(home);
    }
    if (src && sk_source_set_filter(src, r->filter, err) < 0) {
        sk_source_close(src);
        return NULL;
    }
    return src;
}

/* ================================================================ the run */

struct sk_run *sk_run_new(const struct sk_scenario *sc, const struct sk_run_opts *opts,
                          char *err)
{
    struct sk_run *r = calloc(1, sizeof *r);
    if (!r) {
        sk_err(err, "%s", _("out of memory"));
        return NULL;
    }
    r->sc = sc;
    r->o = *opts;
    if (r->o.timeout_ms <= 0)
        r->o.timeout_ms = 20000;
    r->nactions = sk_scenario_nactions(sc);

    for (size_t i = 0; i < BLOB_LEN; i++)
        r->blob[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[i % 36];
    r->blob[BLOB_LEN] = '\0';

    bool netns = sc->setup == SK_SETUP_NETNS;
    int type = sc->proto == 17 ? SOCK_DGRAM : SOCK_STREAM;
    snprintf(r->host, sizeof r->host, "%s",
             netns ? SK_RUN_NETNS_SERVER : sc->family == 6 ? "::1" : "127.0.0.1");
    snprintf(r->iface, sizeof r->iface, "%s", netns ? "sk-client" : "lo");
    snprintf(r->ns[SK_CLIENT], sizeof r->ns[0], "sockscope-%ld-client", (long)getpid());
    snprintf(r->ns[SK_SERVER], sizeof r->ns[1], "sockscope-%ld-server", (long)getpid());

    bool uses_port = false, uses_closed = false;
    for (size_t a = 0; a < r->nactions; a++) {
        const char *args = sc->plan[a].args;
        if (args && strstr(args, "{port}"))
            uses_port = true;
        if (args && strstr(args, "{closed}"))
            uses_closed = true;
    }
    if (uses_port && !(r->port = free_port(sc->family, type, err)))
        goto fail;
    if (uses_closed) {
        do {
            r->closed = free_port(sc->family, type, err);
        } while (r->closed && r->closed == r->port);
        if (!r->closed)
            goto fail;
    }
    size_t f = 0;
    if (uses_port)
        f += (size_t)snprintf(r->filter + f, sizeof r->filter - f, "port %u", r->port);
    if (uses_closed)
        f += (size_t)snprintf(r->filter + f, sizeof r->filter - f, "%sport %u", f ? " or " : "",
                              r->closed);
    if (sc->proto == 17 && f < sizeof r->filter)
        snprintf(r->filter + f, sizeof r->filter - f, "%sicmp or icmp6", f ? " or " : "");

    for (size_t a = 0; a < r->nactions; a++) {
        const struct sk_action *act = &sc->plan[a];
        if (act->act != SK_ACT_SERVER && act->act != SK_ACT_START && act->act != SK_ACT_RUN)
            continue;
        size_t i = r->nproc++;
        struct sk_run_proc *p = &r->proc[i];
        p->prog = act->prog;
        p->side = act->side;
        p->expect = act->expect;
        p->status = -1;
        p->action = a;
        if (!build_argv(r, i, act, err))
            goto fail;
        if (r->o.bindir && access(r->av[i].argv[0], X_OK) != 0) {
            sk_err(err, _("%s: %s (build the labs first: make)"), r->av[i].argv[0],
                   strerror(errno));
            goto fail;
        }
    }
    return r;
fail:
    free(r);
    return NULL;
}

/* The proc started by action a. */
static struct sk_run_proc *proc_of(struct sk_run *r, size_t a)
{
    for (size_t i = 0; i < r->nproc; i++)
        if (r->proc[i].action == a)
            return &r->proc[i];
    return NULL;
}

static bool overdue(const struct sk_run *r)
{
    return r->deadline && now_ns() > r->deadline;
}

static void arm(struct sk_run *r, int ms)
{
    r->waiting = true;
    /* In step mode the user sets the pace: no limit on waiting for a lab. */
    if (r->o.ctl_dir && ms < 0)
        r->deadline = 0;
    else
        r->deadline = now_ns() + (int64_t)(ms < 0 ? r->o.timeout_ms : ms) * 1000000;
}

static void next_action(struct sk_run *r)
{
    r->act++;
    r->waiting = false;
    r->deadline = 0;
}

int sk_run_step(struct sk_run *r, char *err)
{
    if (reap(r, err) < 0)
        return -1;
    while (r->act < r->nactions) {
        const struct sk_action *a = &r->sc->plan[r->act];
        struct sk_run_proc *p = proc_of(r, r->act);
        switch ((enum sk_act)a->act) {
        case SK_ACT_SERVER:
            if (!r->waiting) {
                if (spawn(r, (size_t)(p - r->proc), err) < 0)
                    return -1;
                arm(r, -1);
            }
            if (p->status >= 0) {
                sk_err(err, _("%s exited (status %d) before its port %u was bound"), p->prog,
                       p->status, r->port);
                return -1;
            }
            if (!port_bound(p->pid, strstr(p->prog, "udp") != NULL, r->port)) {
                if (overdue(r)) {
                    sk_err(err, _("%s did not bind port %u within %d ms"), p->prog, r->port,
                           r->o.timeout_ms);
                    return -1;
                }
                return 1;
            }
            next_action(r);
            break;
        case SK_ACT_START:
            if (spawn(r, (size_t)(p - r->proc), err) < 0)
                return -1;
            next_action(r);
            break;
        case SK_ACT_RUN:
            if (!r->waiting) {
                if (spawn(r, (size_t)(p - r->proc), err) < 0)
                    return -1;
                arm(r, -1);
            }
            if (p->status < 0) {
                if (reap(r, err) < 0)
                    return -1;
                if (p->status < 0) {
                    if (overdue(r)) {
                        sk_err(err, _("%s did not exit within %d ms"), p->prog, r->o.timeout_ms);
                        return -1;
                    }
                    return 1;
                }
            }
            next_action(r);
            break;
        case SK_ACT_WAIT:
            if (!r->waiting)
                arm(r, -1);
            for (size_t i = 0; i < r->started; i++) {
                if (r->proc[i].pid > 0 && r->proc[i].status < 0) {
                    if (overdue(r)) {
                        sk_err(err, _("%s did not exit within %d ms"), r->proc[i].prog,
                               r->o.timeout_ms);
                        return -1;
                    }
                    return 1;
                }
            }
            next_action(r);
            break;
        case SK_ACT_SLEEP:
            if (!r->waiting)
                arm(r, a->ms);
            if (!overdue(r))
                return 1;
            next_action(r);
            break;
        case SK_ACT_CUT:
            if (r->sc->setup != SK_SETUP_NETNS) {
                next_action(r);
                break;
            }
            if (!r->waiting) {
                if (cut_link(r, true, err) < 0)
                    return -1;
                arm(r, a->ms);
            }
            if (!overdue(r))
                return 1;
            if (cut_link(r, false, err) < 0)
                return -1;
            next_action(r);
            break;
        case SK_ACT_END:
            r->act = r->nactions;
            break;
        }
    }
    return 0;
}

size_t sk_run_nprocs(const struct sk_run *r) { return r->nproc; }

const struct sk_run_proc *sk_run_proc(const struct sk_run *r, size_t i)
{
    return i < r->nproc ? &r->proc[i] : NULL;
}

int sk_run_find_pid(const struct sk_run *r, int pid)
{
    for (size_t i = 0; i < r->nproc; i++)
        if (r->proc[i].pid == pid)
            return (int)i;
    return -1;
}

static int send_ctl(struct sk_run *r, size_t i, const char *msg, char *err)
{
    if (i >= r->nproc || !r->proc[i].ctl[0] || r->proc[i].pid <= 0 || r->proc[i].status >= 0) {
        sk_err(err, "%s", _("that lab is not running in step mode"));
        return -1;
    }
    struct sockaddr_un sun;
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", r->proc[i].ctl);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        sk_err(err, "socket(AF_UNIX): %s", strerror(errno));
        return -1;
    }
    ssize_t n = sendto(fd, msg, strlen(msg), MSG_DONTWAIT, (struct sockaddr *)&sun, sizeof sun);
    int e = errno;
    close(fd);
    if (n < 0) {
        sk_err(err, _("control socket %s: %s"), sun.sun_path, strerror(e));
        return -1;
    }
    return 0;
}

int sk_run_go(struct sk_run *r, size_t i, char *err) { return send_ctl(r, i, "go", err); }
int sk_run_quit(struct sk_run *r, size_t i, char *err) { return send_ctl(r, i, "quit", err); }

uint16_t sk_run_port(const struct sk_run *r) { return r->port; }
uint16_t sk_run_closed_port(const struct sk_run *r) { return r->closed; }
const char *sk_run_filter(const struct sk_run *r) { return r->filter; }
const char *sk_run_iface(const struct sk_run *r) { return r->iface; }
size_t sk_run_action(const struct sk_run *r) { return r->act; }

void sk_run_free(struct sk_run *r)
{
    if (!r)
        return;
    bool any = false;
    for (size_t i = 0; i < r->nproc; i++) {
        if (r->proc[i].pid > 0 && r->proc[i].status < 0) {
            kill(r->proc[i].pid, SIGTERM);
            any = true;
        }
    }
    int64_t until = now_ns() + (int64_t)STOP_GRACE_MS * 1000000;
    while (any) {
        any = false;
        for (size_t i = 0; i < r->nproc; i++) {
            struct sk_run_proc *p = &r->proc[i];
            if (p->pid <= 0 || p->status >= 0)
                continue;
            int st;
            if (waitpid(p->pid, &st, WNOHANG) == p->pid) {
                p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
                continue;
            }
            if (now_ns() > until) {
                kill(p->pid, SIGKILL);
                waitpid(p->pid, &st, 0);
                p->status = 128 + SIGKILL;
                continue;
            }
            any = true;
        }
        if (any) {
            struct timespec ts = {0, 10000000};
            nanosleep(&ts, NULL);
        }
    }
    char ignore[SK_ERRBUF_SIZE];
    for (int side = SK_CLIENT; side <= SK_SERVER; side++) {
        if (!r->ns_made[side])
            continue;
        const char *const del[] = {"ip", "netns", "del", r->ns[side], NULL};
        run_cmd(NULL, ignore, del);
    }
    free(r);
}
