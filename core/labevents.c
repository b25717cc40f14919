/* labevents.c — lab events: receiving, the sidecar file, matching conversations (labevents.h). */
#include "labevents.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "err.h"
#include "i18n.h"

/* ============================================================ receiving */

struct sk_labev_rx {
    int fd;
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    uint64_t rejected; /* datagrams that were not events */
};

/* Is someone receiving on the socket file at sun? A file left by a program
 * that ended refuses (ECONNREFUSED). */
static bool socket_alive(const struct sockaddr_un *sun)
{
    int probe = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (probe < 0)
        return false;
    bool alive = connect(probe, (const struct sockaddr *)sun, sizeof *sun) == 0;
    close(probe);
    return alive;
}

struct sk_labev_rx *sk_labev_rx_open(const char *path, char *err)
{
    struct sockaddr_un sun;
    if (!sk_labev_unix_addr(&sun, path)) {
        sk_err(err,
               _("lab events socket %s: the path is too long for a UNIX socket "
                 "(at most %zu bytes)."),
               path, sizeof sun.sun_path - 1);
        return NULL;
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            sk_err(err,
                   _("lab events socket %s: the file exists and is not a socket; remove it "
                     "or choose another path."),
                   path);
            return NULL;
        }
        if (socket_alive(&sun)) {
            sk_err(err,
                   _("lab events socket %s: another program (another sockscope?) already "
                     "receives there."),
                   path);
            return NULL;
        }
        if (unlink(path) < 0) {
            sk_err(err, _("lab events socket %s: cannot remove the old socket file: %s."), path,
                   strerror(errno));
            return NULL;
        }
    }
    struct sk_labev_rx *rx = calloc(1, sizeof *rx);
    if (!rx) {
        sk_err(err, _("lab events socket %s: out of memory."), path);
        return NULL;
    }
    rx->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (rx->fd < 0) {
        sk_err(err, _("lab events socket %s: socket: %s."), path, strerror(errno));
        free(rx);
        return NULL;
    }
    if (bind(rx->fd, (const struct sockaddr *)&sun, sizeof sun) < 0) {
        sk_err(err, _("lab events socket %s: bind: %s."), path, strerror(errno));
        close(rx->fd);
        free(rx);
        return NULL;
    }
    memcpy(rx->path, sun.sun_path, sizeof rx->path);
    /* Under sudo, the student's labs run as the student: let them send. */
    const char *sudo_uid = getenv("SUDO_UID");
    if (geteuid() == 0 && sudo_uid && *sudo_uid) {
        const char *sudo_gid = getenv("SUDO_GID");
        uid_t uid = (uid_t)strtoul(sudo_uid, NULL, 10);
        gid_t gid = sudo_gid && *sudo_gid ? (gid_t)strtoul(sudo_gid, NULL, 10) : (gid_t)-1;
        if (chown(path, uid, gid) < 0) {
            /* Not fatal: root's own labs can still send. */
        }
    }
    return rx;
}

int sk_labev_rx_fd(const struct sk_labev_rx *rx)
{
    return rx->fd;
}

const char *sk_labev_rx_path(const struct sk_labev_rx *rx)
{
    return rx->path;
}

int sk_labev_rx_recv(struct sk_labev_rx *rx, struct sk_labevent *e, char *err)
{
    char buf[SK_LABEV_MAX + 1];
    for (;;) {
        ssize_t n = recv(rx->fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            if (errno == EINTR)
                continue;
            sk_err(err, _("lab events socket %s: recv: %s."), rx->path, strerror(errno));
            return -1;
        }
        /* MSG_TRUNC: n is the datagram's real length, even if longer than buf. */
        if ((size_t)n > SK_LABEV_MAX || !sk_labevent_parse(buf, (size_t)n, e)) {
            rx->rejected++;
            continue;
        }
        return 1;
    }
}

uint64_t sk_labev_rx_rejected(const struct sk_labev_rx *rx)
{
    return rx->rejected;
}

void sk_labev_rx_close(struct sk_labev_rx *rx)
{
    if (!rx)
        return;
    close(rx->fd);
    unlink(rx->path);
    free(rx);
}

/* ================================================================ lists */

int sk_labev_list_push(struct sk_labev_list *l, const struct sk_labevent *e, char *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        struct sk_labevent *bigger = realloc(l->ev, cap * sizeof *bigger);
        if (!bigger) {
            sk_err(err, _("out of memory for lab events (%zu so far)."), l->n);
            return -1;
        }
        l->ev = bigger;
        l->cap = cap;
    }
    l->ev[l->n++] = *e;
    return 0;
}

static int by_time(const void *pa, const void *pb)
{
    const struct sk_labevent *a = pa, *b = pb;
    if (a->t0_ns != b->t0_ns)
        return a->t0_ns < b->t0_ns ? -1 : 1;
    if (a->pid != b->pid)
        return a->pid < b->pid ? -1 : 1;
    if (a->seq != b->seq)
        return a->seq < b->seq ? -1 : 1;
    return 0;
}

void sk_labev_list_sort(struct sk_labev_list *l)
{
    if (l->n > 1)
        qsort(l->ev, l->n, sizeof l->ev[0], by_time);
}

void sk_labev_list_free(struct sk_labev_list *l)
{
    free(l->ev);
    l->ev = NULL;
    l->n = l->cap = 0;
}

/* ============================================================== sidecar */

int sk_labev_sidecar_path(const char *capture, char *buf, size_t n)
{
    int w = snprintf(buf, n, "%s.events", capture);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

int sk_labev_save(const char *path, const struct sk_labevent *ev, size_t n, char *err)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
        sk_err(err, _("cannot save lab events to %s: the path is too long."), path);
        return -1;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        sk_err(err, _("cannot save lab events to %s: %s."), path, strerror(errno));
        return -1;
    }
    char line[SK_LABEV_MAX + 2];
    for (size_t i = 0; i < n; i++) {
        int len = sk_labevent_format(&ev[i], line, sizeof line - 1);
        if (len < 0)
            continue; /* cannot happen for events that came through the socket */
        line[len++] = '\n';
        if (fwrite(line, 1, (size_t)len, f) != (size_t)len)
            break;
    }
    int failed = ferror(f);
    int saved = errno;
    if (fclose(f) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (failed || rename(tmp, path) < 0) {
        if (!failed)
            saved = errno;
        unlink(tmp);
        sk_err(err, _("cannot save lab events to %s: %s."), path, strerror(saved));
        return -1;
    }
    return 0;
}

int sk_labev_load(const char *path, struct sk_labev_list *out, size_t *skipped, char *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        sk_err(err, _("cannot read lab events from %s: %s."), path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    size_t bad = 0;
    int rc = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        size_t n = (size_t)len;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n == 0 || line[0] == '#')
            continue;
        struct sk_labevent e;
        if (!sk_labevent_parse(line, n, &e)) {
            bad++;
            continue;
        }
        if (sk_labev_list_push(out, &e, err) < 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        sk_err(err, _("cannot read lab events from %s: %s."), path, strerror(errno));
        rc = -1;
    }
    free(line);
    fclose(f);
    if (skipped)
        *skipped = bad;
    return rc;
}

/* ============================================================= matching */

bool sk_labev_endpoint(const char *text, struct sk_addr *addr, uint16_t *port)
{
    char host[SK_ADDRSTRLEN];
    const char *colon;
    const char *host_start = text;
    size_t host_len;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':')
            return false;
        host_start = text + 1;
        host_len = (size_t)(close - host_start);
        colon = close + 1;
    } else {
        colon = strrchr(text, ':');
        if (!colon)
            return false;
        host_len = (size_t)(colon - text);
    }
    const char *pct = memchr(host_start, '%', host_len);
    if (pct)
        host_len = (size_t)(pct - host_start); /* the zone is not in the packets */
    if (host_len == 0 || host_len >= sizeof host)
        return false;
    memcpy(host, host_start, host_len);
    host[host_len] = '\0';

    const char *p = colon + 1;
    if (*p == '\0')
        return false;
    unsigned long v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (unsigned long)(*p - '0');
        if (v > 65535)
            return false;
    }
    if (!sk_addr_parse(host, addr))
        return false;
    if (text[0] != '[' && addr->family == 6)
        return false; /* an IPv6 address must be in brackets */
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (addr->family == 6 && memcmp(addr->b, mapped, sizeof mapped) == 0) {
        uint8_t v4[4];
        memcpy(v4, addr->b + 12, 4);
        memset(addr, 0, sizeof *addr);
        addr->family = 4;
        memcpy(addr->b, v4, 4);
    }
    *port = (uint16_t)v;
    return true;
}

static bool same_endpoint(const struct sk_addr *a, uint16_t ap, const struct sk_addr *b,
                          uint16_t bp)
{
    return ap == bp && sk_addr_eq(a, b);
}

/* A wildcard bind (0.0.0.0 or ::) receives for every address of its port;
 * an IPv6 "::" socket also receives IPv4. */
static bool bound_to(const struct sk_addr *bound, uint16_t bp, const struct sk_addr *a,
                     uint16_t ap)
{
    if (bp != ap)
        return false;
    static const uint8_t zero[16];
    if (bound->family == 4 && memcmp(bound->b, zero, 4) == 0)
        return a->family == 4;
    if (bound->family == 6 && memcmp(bound->b, zero, 16) == 0)
        return true;
    return sk_addr_eq(bound, a);
}

int sk_labevent_side(const struct sk_labevent *e, const struct sk_conv *c)
{
    if (e->proto[0]) {
        if (strcmp(e->proto, "tcp") == 0 && c->proto != 6)
            return -1;
        if (strcmp(e->proto, "udp") == 0 && c->proto != 17)
            return -1;
    }
    struct sk_addr la, ra;
    uint16_t lp, rp;
    if (!sk_labev_endpoint(e->local, &la, &lp))
        return -1;
    const struct sk_addr *ca = &c->addr[SK_CLIENT], *sa = &c->addr[SK_SERVER];
    uint16_t cp = c->port[SK_CLIENT], sp = c->port[SK_SERVER];
    if (e->remote[0]) {
        if (!sk_labev_endpoint(e->remote, &ra, &rp))
            return -1;
        /* The local side may be a wildcard: a UDP receiver bound to 0.0.0.0. */
        if (bound_to(&la, lp, ca, cp) && same_endpoint(&ra, rp, sa, sp))
            return SK_CLIENT;
        if (bound_to(&la, lp, sa, sp) && same_endpoint(&ra, rp, ca, cp))
            return SK_SERVER;
        return -1;
    }
    if (bound_to(&la, lp, sa, sp))
        return SK_SERVER;
    if (bound_to(&la, lp, ca, cp))
        return SK_CLIENT;
    return -1;
}
