/* labkit.c — the labs' start-up, options, addresses and printing (labkit.h). */
#include "labkit-priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SK_LOCALEDIR
#define SK_LOCALEDIR "/usr/local/share/locale"
#endif

/* --lang named a language we have (or was not given). */
static bool lang_ok = true;

struct lk_state lk = {
    .prog = "lab",
    .control_fd = -1,
    .events_fd = -1,
};

const char *const lk_encodings[] = {"utf8", "hex", NULL};

/* ============================================================ start-up */

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The catalogues: build/locale beside a program run from its build tree
 * (bin/ or build/san/bin/), else where `make install` put them. */
static void find_catalogue(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const rel[] = {"/../build/locale", "/../../locale"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                char dir[PATH_MAX + 32];
                snprintf(dir, sizeof dir, "%s%s", exe, rel[i]);
                if (is_dir(dir)) {
                    bindtextdomain("sockscope", dir);
                    return;
                }
            }
        }
    }
    bindtextdomain("sockscope", SK_LOCALEDIR);
}

/* The value of --lang in argv (before any "--"), or NULL. */
static const char *lang_option(int argc, char **argv)
{
    const char *lang = NULL;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            lang = argv[++i];
        else if (strncmp(argv[i], "--lang=", 7) == 0)
            lang = argv[i] + 7;
    }
    return lang;
}

/* As sockscope's --lang (core/i18n.c): lang is "zh", "zh_CN", "en", or NULL
 * for the locale's; a Chinese locale that is not generated on this machine
 * (setlocale fell back to C) counts as "zh". False when lang is none of these. */
static bool choose_language(const char *lang)
{
    const char *cur = setlocale(LC_MESSAGES, NULL);
    bool c_locale = !cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0;
    if (!lang) {
        const char *want = getenv("LC_ALL");
        if (!want || !*want)
            want = getenv("LC_MESSAGES");
        if (!want || !*want)
            want = getenv("LANG");
        if (!c_locale || !want || strncmp(want, "zh", 2) != 0)
            return true;
        lang = "zh";
    }
    if (strcmp(lang, "zh") == 0 || strcmp(lang, "zh_CN") == 0)
        setenv("LANGUAGE", "zh_CN", 1);
    else if (strcmp(lang, "en") == 0)
        setenv("LANGUAGE", "en", 1);
    else
        return false;
    /* gettext ignores LANGUAGE under the C locale: make it UTF-8 at least. */
    if (c_locale && !setlocale(LC_ALL, "C.UTF-8"))
        setlocale(LC_ALL, "C.utf8");
    return true;
}

void lk_init(const char *prog, int argc, char **argv)
{
    lk.prog = prog;
    lk.argc = argc;
    lk.argv = argv;
    lk.out = stdout;
    lk.pid = (int32_t)getpid();
    setlocale(LC_ALL, "");
    /* --lang acts before any message: found here, checked by lk_options. */
    lang_ok = choose_language(lang_option(argc, argv));
    find_catalogue();
    bind_textdomain_codeset("sockscope", "UTF-8");
    /* Line by line even into a pipe or a file: a server's children print
     * too, and whoever reads the output (a test, the UI) sees whole lines. */
    setvbuf(stdout, NULL, _IOLBF, 0);
}

static void on_exit_cleanup(void)
{
    lk_events_close();
}

_Noreturn void lk_exit(int status)
{
    if (lk.argv) { /* not before lk_init */
        struct sk_labevent e = {.kind = SK_LABEV_INFO, .fd = -1, .ret = status};
        snprintf(e.call, sizeof e.call, "exit");
        snprintf(e.note, sizeof e.note, "exit status %d", status);
        e.t0_ns = e.t1_ns = lk_now_ns();
        lk_send(&e);
    }
    on_exit_cleanup();
    fflush(NULL);
    exit(status);
}

static void on_stop_signal(int sig)
{
    (void)sig;
    lk.stop = 1;
}

void lk_stop_on_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocked accept() or read() must return */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

bool lk_stopping(void)
{
    return lk.stop != 0;
}

int lk_hide_fd(int fd)
{
    if (fd < 0)
        return fd;
    int high = fcntl(fd, F_DUPFD_CLOEXEC, 100);
    if (high < 0)
        return fd;
    close(fd);
    return high;
}

/* ============================================================= options */

/* The operands lk_options is collecting: freed on a usage error too. */
static char **operands;

_Noreturn void lk_usage_error(const char *fmt, ...)
{
    free(operands);
    operands = NULL;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fflush(stdout);
    fprintf(stderr, _("%s: %s Try: %s --help.\n"), lk.prog, msg, lk.prog);
    lk_exit(LK_EXIT_USAGE);
}

/* The options every socket lab has. */
static bool opt_help, opt_step, opt_quiet, opt_verbose;
static const char *opt_events, *opt_control;

static const struct lk_opt common_opts[] = {
    {"step", LK_FLAG, &opt_step, 0, 0, NULL,
     N_("pause before each socket call, say what it will send, wait for Enter"), NULL},
    {"control", LK_TEXT, &opt_control, 0, 0, "PATH",
     N_("step mode driven by \"go\" datagrams on a UNIX socket bound at PATH"), NULL},
    {"events", LK_TEXT, &opt_events, 0, 0, "PATH",
     N_("report each socket call to the UNIX datagram socket PATH"), NULL},
    {"quiet", LK_FLAG, &opt_quiet, 0, 0, NULL, N_("print errors only"), NULL},
    {"verbose", LK_FLAG, &opt_verbose, 0, 0, NULL,
     N_("also print every system call with its result and kernel TCP state"), NULL},
    {NULL, LK_FLAG, NULL, 0, 0, NULL, NULL, NULL}};

static const char *opt_lang;

/* Every lab's: --help first (lk_options tells it by its address), --lang. */
static const struct lk_opt help_opt[] = {
    {"help", LK_FLAG, &opt_help, 0, 0, NULL, N_("show this help and exit"), NULL},
    {"lang", LK_TEXT, &opt_lang, 0, 0, "zh|en",
     N_("language of the messages (default: the locale's)"), NULL},
    {NULL, LK_FLAG, NULL, 0, 0, NULL, NULL, NULL}};

static void help_line(const struct lk_opt *o)
{
    char left[100];
    bool one = o->name[1] == '\0';
    const char *arg = o->kind == LK_FLAG ? "" : o->arg ? o->arg : "VALUE";
    if (o->kind == LK_CHOICE) {
        char words[64] = "";
        for (const char *const *c = o->choices; *c; c++) {
            if (c != o->choices)
                strncat(words, "|", sizeof words - strlen(words) - 1);
            strncat(words, *c, sizeof words - strlen(words) - 1);
        }
        snprintf(left, sizeof left, "--%s %s", o->name, words);
    } else {
        /* --help, --quiet and --verbose also have one letter */
        const char *letter = strcmp(o->name, "help") == 0      ? "-h, "
                             : strcmp(o->name, "quiet") == 0   ? "-q, "
                             : strcmp(o->name, "verbose") == 0 ? "-v, "
                                                               : "";
        snprintf(left, sizeof left, "%s%s%s%s%s", letter, one ? "-" : "--", o->name,
                 *arg ? " " : "", arg);
    }
    printf("  %-24s %s\n", left, _(o->help));
}

static void print_help(const struct lk_opt *opts, const struct lk_usage *u)
{
    printf(_("Usage: %s [OPTION]... %s\n"), lk.prog, u->operands);
    printf("%s\n", _(u->summary));
    if (u->node && *u->node)
        printf(_("Node.js: %s\n"), _(u->node));
    printf("\n");
    for (const struct lk_opt *o = opts; o->name; o++)
        help_line(o);
    if (u->sockets)
        for (const struct lk_opt *o = common_opts; o->name; o++)
            help_line(o);
    for (const struct lk_opt *o = help_opt; o->name; o++)
        help_line(o);
    printf("\n");
    if (u->sockets)
        printf(_("Addresses are numeric (127.0.0.1, ::1), like Node's host option.\n"));
    if (u->exits)
        printf(_(u->exits), lk.prog);
    else
        printf(_("Exit status: 0 done, 1 network error, 2 bad usage, 3 address unusable, "
                 "4 system error (see %s(1)).\n"),
               lk.prog);
}

static const struct lk_opt *find_opt(const struct lk_opt *opts, const char *name, size_t len,
                                     bool sockets)
{
    const struct lk_opt *sets[3] = {opts, sockets ? common_opts : NULL, help_opt};
    for (size_t s = 0; s < 3; s++) {
        if (!sets[s])
            continue;
        for (const struct lk_opt *o = sets[s]; o->name; o++)
            if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
                return o;
    }
    return NULL;
}

static void set_value(const struct lk_opt *o, const char *shown, const char *value)
{
    switch (o->kind) {
    case LK_FLAG:
        *(bool *)o->val = true;
        return;
    case LK_TEXT:
        *(const char **)o->val = value;
        return;
    case LK_INT: {
        char *end;
        errno = 0;
        long v = strtol(value, &end, 10);
        bool digits = (value[0] >= '0' && value[0] <= '9') ||
                      (value[0] == '-' && value[1] >= '0' && value[1] <= '9');
        if (!digits || *end != '\0' || errno == ERANGE)
            lk_usage_error(_("%s %s: not a whole number."), shown, value);
        if (v < o->min || v > o->max)
            lk_usage_error(_("%s %s: out of range; expected a number from %ld to %ld."), shown,
                           value, o->min, o->max);
        *(long *)o->val = v;
        return;
    }
    case LK_CHOICE:
        for (int i = 0; o->choices[i]; i++)
            if (strcmp(o->choices[i], value) == 0) {
                *(int *)o->val = i;
                return;
            }
        char words[64] = "";
        for (int i = 0; o->choices[i]; i++) {
            if (i)
                strncat(words, ", ", sizeof words - strlen(words) - 1);
            strncat(words, o->choices[i], sizeof words - strlen(words) - 1);
        }
        lk_usage_error(_("%s %s: expected one of %s."), shown, value, words);
    }
}

int lk_options(int argc, char **argv, const struct lk_opt *opts, const struct lk_usage *u)
{
    operands = calloc((size_t)argc + 1, sizeof *operands);
    if (!operands) {
        fprintf(stderr, _("%s: out of memory.\n"), lk.prog);
        lk_exit(LK_EXIT_SYS);
    }
    int nops = 0;
    bool only_operands = false;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (only_operands || a[0] != '-' || a[1] == '\0') {
            operands[nops++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_operands = true;
            continue;
        }
        const struct lk_opt *o;
        const char *value = NULL;
        char shown[64];
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            o = find_opt(opts, name, len, u->sockets);
            snprintf(shown, sizeof shown, "--%.*s", (int)len, name);
            if (o && o->name[1] == '\0')
                o = NULL; /* one-letter options are spelled -4, not --4 */
            if (!o)
                lk_usage_error(_("unknown option %s."), shown);
            if (eq) {
                if (o->kind == LK_FLAG)
                    lk_usage_error(_("%s takes no value."), shown);
                value = eq + 1;
            }
        } else {
            /* -4, -6 and the short forms of --help, --quiet, --verbose */
            const char *name = a + 1;
            if (strcmp(name, "h") == 0) name = "help";
            else if (strcmp(name, "q") == 0) name = "quiet";
            else if (strcmp(name, "v") == 0) name = "verbose";
            o = find_opt(opts, name, strlen(name), u->sockets);
            snprintf(shown, sizeof shown, "%s", a);
            if (!o || (o->name[1] != '\0' && name == a + 1))
                lk_usage_error(_("unknown option %s."), shown);
        }
        if (o->kind != LK_FLAG && !value) {
            if (i + 1 >= argc)
                lk_usage_error(_("%s needs a value (%s)."), shown, o->arg ? o->arg : "VALUE");
            value = argv[++i];
        }
        set_value(o, shown, value);
        if (o == help_opt) {
            print_help(opts, u);
            free(operands);
            operands = NULL;
            lk_exit(LK_EXIT_OK);
        }
    }
    if (!lang_ok && opt_lang)
        lk_usage_error(_("unknown language '%s': use --lang zh or --lang en."), opt_lang);
    int first = argc - nops;
    for (int k = 0; k < nops; k++)
        argv[first + k] = operands[k];
    free(operands);
    operands = NULL;

    if (u->sockets) {
        lk.quiet = opt_quiet;
        lk.verbose = opt_verbose;
        if (opt_quiet && opt_verbose)
            lk_usage_error(_("--quiet and --verbose cannot be used together."));
        lk.step = opt_step || opt_control;
        lk_events_open(opt_events, opt_control);
        struct sk_labevent e = {.kind = SK_LABEV_INFO, .fd = -1};
        snprintf(e.call, sizeof e.call, "start");
        size_t at = 0;
        for (int k = 0; k < argc && at + 1 < sizeof e.note; k++) {
            int w = snprintf(e.note + at, sizeof e.note - at, "%s%s", k ? " " : "", argv[k]);
            if (w < 0)
                break;
            at += (size_t)w;
        }
        e.t0_ns = e.t1_ns = lk_now_ns();
        lk_send(&e);
    }
    return first;
}

bool lk_step_mode(void)
{
    return lk.step;
}

/* =========================================================== addresses */

int lk_family(bool v4, bool v6)
{
    if (v4 && v6)
        lk_usage_error(_("-4 and -6 cannot be used together."));
    return v4 ? AF_INET : v6 ? AF_INET6 : AF_UNSPEC;
}

void lk_addr(struct lk_addr *a, const char *host, long port, int family)
{
    memset(a, 0, sizeof *a);
    if (!host)
        host = family == AF_INET6 ? "::1" : "127.0.0.1";
    char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
    if (strlen(host) >= sizeof text)
        lk_usage_error(_("--host %.40s...: not a numeric IP address."), host);
    snprintf(text, sizeof text, "%s", host);
    char *zone = strchr(text, '%');
    if (zone)
        *zone++ = '\0';

    if (!zone && inet_pton(AF_INET, text, &a->u.in.sin_addr) == 1) {
        if (family == AF_INET6)
            lk_usage_error(_("--host %s is an IPv4 address but -6 asks for IPv6 (try ::1)."),
                           host);
        a->u.in.sin_family = AF_INET;
        a->u.in.sin_port = htons((uint16_t)port);
        a->len = sizeof a->u.in;
        a->family = AF_INET;
        return;
    }
    if (inet_pton(AF_INET6, text, &a->u.in6.sin6_addr) == 1) {
        if (family == AF_INET)
            lk_usage_error(_("--host %s is an IPv6 address but -4 asks for IPv4 "
                             "(try 127.0.0.1)."),
                           host);
        a->u.in6.sin6_family = AF_INET6;
        a->u.in6.sin6_port = htons((uint16_t)port);
        if (zone) {
            /* A zone says which interface a link-local address is on: fe80::1%eth0. */
            unsigned idx = if_nametoindex(zone);
            char *end;
            if (idx == 0) {
                unsigned long n = strtoul(zone, &end, 10);
                if (*zone == '\0' || *end != '\0' || n == 0 || n > UINT32_MAX)
                    lk_usage_error(_("--host %s: no network interface is called %s."), host,
                                   zone);
                idx = (unsigned)n;
            }
            a->u.in6.sin6_scope_id = idx;
        }
        a->len = sizeof a->u.in6;
        a->family = AF_INET6;
        return;
    }
    lk_usage_error(_("--host %s: not a numeric IP address. The labs take numeric addresses "
                     "such as 127.0.0.1 or ::1, like Node's host option in the course notes "
                     "(no names, no DNS)."),
                   host);
}

char *lk_host_str(const union lk_sockaddr *a, char *buf)
{
    snprintf(buf, 64, "?");
    if (a->sa.sa_family == AF_INET)
        inet_ntop(AF_INET, &a->in.sin_addr, buf, 64);
    else if (a->sa.sa_family == AF_INET6)
        inet_ntop(AF_INET6, &a->in6.sin6_addr, buf, 64);
    return buf;
}

unsigned lk_port(const union lk_sockaddr *a)
{
    if (a->sa.sa_family == AF_INET)
        return ntohs(a->in.sin_port);
    if (a->sa.sa_family == AF_INET6)
        return ntohs(a->in6.sin6_port);
    return 0;
}

char *lk_addr_str(const union lk_sockaddr *a, char *buf)
{
    char host[INET6_ADDRSTRLEN] = "?";
    if (a->sa.sa_family == AF_INET) {
        inet_ntop(AF_INET, &a->in.sin_addr, host, sizeof host);
        snprintf(buf, 64, "%s:%u", host, (unsigned)ntohs(a->in.sin_port));
    } else if (a->sa.sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &a->in6.sin6_addr, host, sizeof host);
        char zone[IF_NAMESIZE + 1] = "";
        char name[IF_NAMESIZE];
        if (a->in6.sin6_scope_id && if_indextoname(a->in6.sin6_scope_id, name))
            snprintf(zone, sizeof zone, "%%%.*s", IF_NAMESIZE - 2, name);
        char whole[96]; /* a long zone could overflow 64 bytes: cut it */
        snprintf(whole, sizeof whole, "[%s%s]:%u", host, zone,
                 (unsigned)ntohs(a->in6.sin6_port));
        size_t len = strlen(whole) < 63 ? strlen(whole) : 63;
        memcpy(buf, whole, len);
        buf[len] = '\0';
    } else {
        snprintf(buf, 64, "?");
    }
    return buf;
}

/* ============================================================== output */

static void vline(FILE *f, const char *tag, const char *fmt, va_list ap)
{
    fprintf(f, "[%s] ", tag);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    fflush(f);
}

void lk_say(const char *node, const char *fmt, ...)
{
    if (lk.quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vline(lk.out, node, fmt, ap);
    va_end(ap);
}

void lk_note(const char *fmt, ...)
{
    if (!lk.verbose)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("    ", lk.out);
    vfprintf(lk.out, fmt, ap);
    fputc('\n', lk.out);
    fflush(lk.out);
    va_end(ap);
}

void lk_error_line(const char *fmt, ...)
{
    fflush(lk.out);
    va_list ap;
    va_start(ap, fmt);
    vline(stderr, "error", fmt, ap);
    va_end(ap);
}

void lk_lines_to_stderr(void)
{
    lk.out = stderr;
}

/* Length of the valid UTF-8 sequence at p (at most left bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t left)
{
    size_t n;
    unsigned min;
    unsigned c = p[0];
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) { n = 2; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { n = 3; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 4; min = 0x10000; }
    else return 0;
    if (n > left) return 0;
    unsigned cp = c & (0x7fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return n;
}

char *lk_show(const void *buf, size_t n, int encoding, char *out, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = buf;
    size_t o = 0;
    size_t room = size > 8 ? size - 8 : 0; /* keep space for "…" and the NUL */
    size_t i = 0;
    while (i < n) {
        char piece[8];
        size_t plen = 0;
        size_t used = 1;
        if (encoding == LK_HEX) {
            piece[plen++] = hex[p[i] >> 4];
            piece[plen++] = hex[p[i] & 15];
        } else if (p[i] == '\n' || p[i] == '\r' || p[i] == '\t') {
            piece[plen++] = '\\';
            piece[plen++] = p[i] == '\n' ? 'n' : p[i] == '\r' ? 'r' : 't';
        } else if (p[i] < 0x20 || p[i] == 0x7f) {
            plen = (size_t)snprintf(piece, sizeof piece, "\\x%02x", p[i]);
        } else {
            used = utf8_len(p + i, n - i);
            if (used == 0) {
                plen = (size_t)snprintf(piece, sizeof piece, "\\x%02x", p[i]);
                used = 1;
            } else {
                memcpy(piece, p + i, used);
                plen = used;
            }
        }
        if (o + plen > room) {
            memcpy(out + o, "\xe2\x80\xa6", 3); /* … */
            o += 3;
            break;
        }
        memcpy(out + o, piece, plen);
        o += plen;
        i += used;
    }
    if (size > 0)
        out[o < size ? o : size - 1] = '\0';
    return out;
}

/* ======================================================= time and waits */

int64_t lk_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void lk_sleep_ms(long ms)
{
    struct timespec want = {ms / 1000, (ms % 1000) * 1000000L}, left;
    while (ms > 0 && !lk.stop && nanosleep(&want, &left) < 0 && errno == EINTR)
        want = left;
}

bool lk_readable(int fd, long ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    for (;;) {
        int r = poll(&p, 1, ms > INT_MAX ? INT_MAX : (int)ms);
        if (r >= 0)
            return r > 0;
        if (errno != EINTR || lk.stop)
            return false;
    }
}

char *lk_slurp_stdin(size_t *n)
{
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fprintf(stderr, _("%s: out of memory.\n"), lk.prog);
            lk_exit(LK_EXIT_SYS);
        }
        if (len == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger)
                free(buf);
            buf = bigger;
            cap *= 2;
            continue;
        }
        ssize_t r = read(STDIN_FILENO, buf + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    *n = len;
    return buf;
}

/* ======================================================== child servers */

static void on_sigchld(int sig)
{
    (void)sig;
    int saved = errno;
    /* Several children may end while one signal is pending: reap them all. */
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    errno = saved;
}

void lk_reap_children(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigchld;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
}

void lk_wait_children(void)
{
    for (;;) {
        pid_t p = waitpid(-1, NULL, 0);
        if (p > 0 || (p < 0 && errno == EINTR))
            continue;
        break; /* ECHILD: none left */
    }
}
