/* record.c — `sockscope record SCENARIO -w FILE`: runs a scenario's lab
 * programs (core/run.h), captures what they put on the wire into FILE and
 * keeps their syscall events in FILE.events. `make captures` records every
 * scenario this way. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "labevents.h"
#include "run.h"

#define GRACE_MS 300 /* keep capturing this long after the last lab exited */

/* The capture thread: packets from the source into the dump file. */
struct capture {
    struct sk_source *src;
    struct sk_dump *dump;
    pthread_t thread;
    atomic_bool stop;        /* set by the main thread; then sk_source_break */
    uint64_t packets;        /* written so far (read after join) */
    bool failed;
    char err[SK_ERRBUF_SIZE];
};

static void *capture_main(void *arg)
{
    struct capture *c = arg;
    struct sk_raw raw;
    for (;;) {
        int got = sk_source_next(c->src, &raw, c->err);
        if (got == -2)
            break;
        if (got < 0) {
            c->failed = true;
            break;
        }
        if (got == 0) {
            if (atomic_load(&c->stop))
                break;
            continue;
        }
        if (sk_dump_write(c->dump, &raw, NULL, c->err) < 0) {
            c->failed = true;
            break;
        }
        c->packets++;
    }
    return NULL;
}

static volatile sig_atomic_t interrupted;
static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static bool quiet;
static void print_note(void *user, const char *line)
{
    (void)user;
    if (!quiet) {
        printf("  %s\n", line);
        fflush(stdout);
    }
}

static void record_usage(FILE *f)
{
    fputs(_("Usage: sockscope record [OPTION]... SCENARIO -w FILE\n"
            "\n"
            "Runs the scenario's lab programs (on lo, or in two network namespaces for\n"
            "loss), captures what they put on the wire into FILE (pcap) and keeps their\n"
            "syscall events in FILE.events. Needs root (capture, namespaces). The\n"
            "scenarios are listed by sockscope check --list.\n"
            "\n"
            "Options:\n"
            "  -w, --write FILE   the capture to write (required)\n"
            "      --bin DIR      where the lab-* programs are (default: beside sockscope)\n"
            "  -v, --verbose      show the labs' own output\n"
            "  -q, --quiet        print errors only\n"
            "  -h, --help         this help\n"
            "\n"
            "Exit status: 0 recorded, 1 the run or the capture failed, 2 bad command line.\n"),
          f);
}

bool cli_self_dir(char *buf, size_t n)
{
    ssize_t len = readlink("/proc/self/exe", buf, n - 1);
    if (len <= 0)
        return false;
    buf[len] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return true;
}

/* Takes every waiting event into list. */
static void drain_events(struct sk_labev_rx *rx, struct sk_labev_list *list, bool *oom)
{
    struct sk_labevent e;
    char err[SK_ERRBUF_SIZE];
    while (sk_labev_rx_recv(rx, &e, err) == 1)
        if (sk_labev_list_push(list, &e, err) < 0)
            *oom = true;
}

static void wait_events(struct sk_labev_rx *rx, int ms)
{
    struct pollfd pfd = {.fd = sk_labev_rx_fd(rx), .events = POLLIN};
    poll(&pfd, 1, ms);
}

/* Shows the end of the labs' log after a failure. */
static void show_log(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[1024];
    char *keep[20] = {0};
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        free(keep[n % 20]);
        keep[n % 20] = strdup(line);
        n++;
    }
    fclose(f);
    if (n)
        fprintf(stderr, "%s\n", _("the labs' output (last lines):"));
    for (size_t i = n > 20 ? n - 20 : 0; i < n; i++) {
        fprintf(stderr, "  | %s", keep[i % 20] ? keep[i % 20] : "\n");
        free(keep[i % 20]);
        keep[i % 20] = NULL;
    }
    for (size_t i = 0; i < 20; i++)
        free(keep[i]);
}

enum { OPT_BIN = 256 };

int cli_record(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"write", required_argument, NULL, 'w'},
        {"bin", required_argument, NULL, OPT_BIN},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"lang", required_argument, NULL, 'L'}, /* read by main already */
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *bindir = NULL;
    bool verbose = false;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":w:vqh", longopts, NULL)) != -1) {
        switch (c) {
        case 'w': out = optarg; break;
        case OPT_BIN: bindir = optarg; break;
        case 'v': verbose = true; break;
        case 'q': quiet = true; break;
        case 'L': break;
        case 'h': record_usage(stdout); return SK_EXIT_OK;
        case ':':
            cli_error(_("option '%s' needs a value (see sockscope record --help)"),
                      argv[optind - 1]);
            return SK_EXIT_USAGE;
        default:
            cli_error(_("unknown option '%s' (see sockscope record --help)"), argv[optind - 1]);
            return SK_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        record_usage(stderr);
        return SK_EXIT_USAGE;
    }
    const struct sk_scenario *sc = sk_scenario_find(argv[optind]);
    if (!sc) {
        cli_error(_("unknown scenario '%s' (sockscope check --list lists them)"), argv[optind]);
        return SK_EXIT_USAGE;
    }
    if (optind + 1 < argc) {
        cli_error(_("unexpected argument '%s' (see sockscope record --help)"), argv[optind + 1]);
        return SK_EXIT_USAGE;
    }
    if (!out) {
        cli_error("%s", _("record needs -w FILE: where to write the capture"));
        return SK_EXIT_USAGE;
    }

    char self[PATH_MAX];
    if (!bindir && cli_self_dir(self, sizeof self))
        bindir = self;

    int status = SK_EXIT_INPUT;
    char err[SK_ERRBUF_SIZE] = "";
    char tmpdir[] = "/tmp/sockscope-record.XXXXXX";
    char evpath[sizeof tmpdir + 16], logpath[sizeof tmpdir + 16];
    char part[PATH_MAX], sidecar[PATH_MAX];
    struct sk_labev_rx *rx = NULL;
    struct sk_run *run = NULL;
    struct capture cap;
    memset(&cap, 0, sizeof cap);
    bool thread_up = false, oom = false;
    struct sk_labev_list evs = {0};
    FILE *log = NULL;

    if (snprintf(part, sizeof part, "%s.part", out) >= (int)sizeof part ||
        sk_labev_sidecar_path(out, sidecar, sizeof sidecar) < 0) {
        cli_error("%s", _("the file name is too long"));
        return SK_EXIT_USAGE;
    }
    if (!mkdtemp(tmpdir)) {
        cli_error(_("cannot make a temporary folder: %s"), strerror(errno));
        return SK_EXIT_INPUT;
    }
    snprintf(evpath, sizeof evpath, "%s/events", tmpdir);
    snprintf(logpath, sizeof logpath, "%s/labs.log", tmpdir);
    /* Under sudo the labs are ours (root) anyway; the folder must let them in. */
    rx = sk_labev_rx_open(evpath, err);
    if (!rx)
        goto out;
    if (!verbose) {
        log = fopen(logpath, "w");
        if (!log) {
            snprintf(err, sizeof err, _("cannot write %s: %s"), logpath, strerror(errno));
            goto out;
        }
    }

    struct sk_run_opts ro = {
        .bindir = bindir,
        .events = evpath,
        .out_fd = verbose ? STDOUT_FILENO : fileno(log),
        .note = print_note,
    };
    fflush(stdout);
    run = sk_run_new(sc, &ro, err);
    if (!run)
        goto out;
    if (!quiet)
        printf(_("record %s: %s\n"), sc->name, _(sc->summary));
    if (sk_run_setup(run, err) < 0)
        goto out;
    struct sk_live_opts lo = {.timeout_ms = 20};
    cap.src = sk_run_capture(run, &lo, err);
    if (!cap.src)
        goto out;
    cap.dump = sk_dump_open(cap.src, part, err);
    if (!cap.dump)
        goto out;
    atomic_init(&cap.stop, false);
    if (pthread_create(&cap.thread, NULL, capture_main, &cap) != 0) {
        snprintf(err, sizeof err, "%s", _("cannot start the capture thread"));
        goto out;
    }
    thread_up = true;
    if (!quiet)
        printf(_("  capturing on %s (%s)\n"), sk_run_iface(run), sk_run_filter(run));

    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    int st;
    while ((st = sk_run_step(run, err)) == 1 && !interrupted) {
        drain_events(rx, &evs, &oom);
        wait_events(rx, 5);
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (interrupted) {
        snprintf(err, sizeof err, "%s", _("interrupted"));
        st = -1;
    }
    /* The last packets (a final ACK) and events (the labs' exit) arrive now. */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        drain_events(rx, &evs, &oom);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
        if (ms >= GRACE_MS)
            break;
        wait_events(rx, (int)(GRACE_MS - ms));
    }
    atomic_store(&cap.stop, true);
    sk_source_break(cap.src);
    pthread_join(cap.thread, NULL);
    thread_up = false;
    drain_events(rx, &evs, &oom);
    if (st < 0)
        goto out;
    if (cap.failed) {
        snprintf(err, sizeof err, "%s", cap.err);
        goto out;
    }
    struct sk_stats stats;
    char serr[SK_ERRBUF_SIZE];
    if (sk_source_stats(cap.src, &stats, serr) == 0 && stats.dropped > 0)
        fprintf(stderr, _("sockscope: warning: the kernel dropped %llu packets of the capture\n"),
                (unsigned long long)stats.dropped);
    if (sk_dump_close(cap.dump, err) < 0) {
        cap.dump = NULL;
        goto out;
    }
    cap.dump = NULL;
    if (cap.packets == 0) {
        snprintf(err, sizeof err, _("nothing was captured on %s (filter: %s)"), sk_run_iface(run),
                 sk_run_filter(run));
        goto out;
    }
    if (oom) {
        snprintf(err, sizeof err, "%s", _("out of memory while keeping the syscall events"));
        goto out;
    }
    sk_labev_list_sort(&evs);
    if (sk_labev_save(sidecar, evs.ev, evs.n, err) < 0)
        goto out;
    if (rename(part, out) < 0) {
        snprintf(err, sizeof err, _("cannot rename %s to %s: %s"), part, out, strerror(errno));
        goto out;
    }
    if (!quiet)
        printf(_("  wrote %s (%llu packets) and %s (%zu syscall events)\n"), out,
               (unsigned long long)cap.packets, sidecar, evs.n);
    status = SK_EXIT_OK;

out:
    if (thread_up) {
        atomic_store(&cap.stop, true);
        sk_source_break(cap.src);
        pthread_join(cap.thread, NULL);
    }
    if (cap.dump) {
        char ignore[SK_ERRBUF_SIZE];
        sk_dump_close(cap.dump, ignore);
    }
    sk_source_close(cap.src);
    if (status != SK_EXIT_OK) {
        unlink(part);
        cli_error(_("record %s: %s"), sc->name, err);
        if (log) {
            fflush(log);
            show_log(logpath);
        }
    }
    sk_run_free(run); /* stops what still runs, removes the namespaces */
    sk_labev_rx_close(rx);
    sk_labev_list_free(&evs);
    if (log)
        fclose(log);
    unlink(logpath);
    rmdir(tmpdir);
    return status;
}
