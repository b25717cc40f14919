/* labevent.h — the lab programs' syscall events: the one definition of their
 * format, used by labs/ to send and by core/ to receive. Self-contained (libc
 * only) so that the labs share nothing else of core/. Documented for people in
 * docs/events.md.
 *
 * One event is one datagram on a UNIX socket (SOCK_DGRAM), and one line of
 * text: a header word and version, then tab-separated key=value fields:
 *
 *   sockscope-event 1<TAB>kind=call<TAB>prog=lab-tcp-client<TAB>pid=4242<TAB>...
 *
 * Values never contain tabs or newlines: format() escapes \t \n \r and \\ as
 * backslash sequences, and parse() undoes that. Unknown keys are ignored, so a
 * newer lab can talk to an older UI. The same lines, one per line, form the
 * sidecar file that keeps a saved capture's events (CAPTURE.events).
 */
#ifndef SK_LABEVENT_H
#define SK_LABEVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#define SK_LABEV_MAGIC "sockscope-event"
#define SK_LABEV_VERSION 1
#define SK_LABEV_MAX 1400 /* bytes in one datagram (and one sidecar line) */

/* What the event reports. */
enum sk_labev_kind {
    SK_LABEV_CALL = 0, /* a socket call returned: ret/err and state are set */
    SK_LABEV_STEP,     /* --step: the program is about to make `call` and waits */
    SK_LABEV_INFO      /* a message of the program's own (start, exit, ...) in note */
};

struct sk_labevent {
    int kind;            /* enum sk_labev_kind */
    char prog[24];       /* program: "lab-tcp-client" */
    int32_t pid;
    uint32_t seq;        /* per-process counter from 1: orders events whose times tie */
    char call[16];       /* "socket", "connect", "read", "shutdown", "sendto" ... */
    char args[96];       /* the interesting arguments: "fd 3, 127.0.0.1:6666" */
    int64_t ret;         /* what the call returned (-1 on error) */
    char err[20];        /* errno name on error ("ECONNREFUSED"), "" on success */
    int32_t fd;          /* the socket it concerns, -1 if none */
    char proto[8];       /* "tcp" or "udp" */
    char local[64];      /* "127.0.0.1:40000" / "[::1]:6666"; "" if not bound */
    char remote[64];     /* peer address, "" if none */
    char state[16];      /* kernel TCP state just after the call (TCP_INFO tcpi_state,
                            spelled as sk_state_name: "SYN_SENT", "ESTABLISHED"); "" for UDP */
    char node[24];       /* the Node.js event it corresponds to: "connect", "data", "end" ... */
    char note[200];      /* STEP: what the call will put on the wire; INFO: the message */
    int64_t t0_ns;       /* CLOCK_REALTIME when the call began (ns since the epoch) */
    int64_t t1_ns;       /* ... and when it returned (comparable with pcap timestamps) */
};

/* Fills *sun with the UNIX socket address PATH, the events' and the step
 * control's; false when PATH is too long for one. */
static inline bool sk_labev_unix_addr(struct sockaddr_un *sun, const char *path)
{
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sun->sun_path)
        return false;
    memcpy(sun->sun_path, path, strlen(path) + 1);
    return true;
}

static inline const char *sk_labev_kind_name(int kind)
{
    switch (kind) {
    case SK_LABEV_CALL: return "call";
    case SK_LABEV_STEP: return "step";
    case SK_LABEV_INFO: return "info";
    default: return "?";
    }
}

/* Linux TCP_INFO tcpi_state numbers (include/net/tcp_states.h) → RFC 9293
 * names, as sk_state_name spells them. "" for 0 or numbers Linux does not use. */
static inline const char *sk_labev_kstate(int tcpi_state)
{
    static const char *const names[] = {
        "", "ESTABLISHED", "SYN_SENT", "SYN_RECEIVED", "FIN_WAIT_1", "FIN_WAIT_2",
        "TIME_WAIT", "CLOSED", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
        "SYN_RECEIVED" /* TCP_NEW_SYN_RECV: a request sock, still SYN_RECEIVED */
    };
    if (tcpi_state < 0 || (size_t)tcpi_state >= sizeof names / sizeof names[0])
        return "";
    return names[tcpi_state];
}

/* ------------------------------------------------------------- formatting */

/* Appends "key=value" with escaping to buf at *len (keeps room for the NUL).
 * Returns false when it does not fit; buf then ends where it did before. */
static inline bool sk_labev_put(char *buf, size_t n, size_t *len, const char *key,
                                const char *val)
{
    size_t at = *len;
    size_t need = strlen(key) + 2; /* tab and '=' */
    if (at + need >= n)
        return false;
    buf[at++] = '\t';
    memcpy(buf + at, key, strlen(key));
    at += strlen(key);
    buf[at++] = '=';
    for (const char *s = val; *s; s++) {
        char esc = 0;
        if (*s == '\t') esc = 't';
        else if (*s == '\n') esc = 'n';
        else if (*s == '\r') esc = 'r';
        else if (*s == '\\') esc = '\\';
        if (at + (esc ? 2 : 1) >= n)
            return false;
        if (esc) {
            buf[at++] = '\\';
            buf[at++] = esc;
        } else {
            buf[at++] = *s;
        }
    }
    buf[at] = '\0';
    *len = at;
    return true;
}

static inline bool sk_labev_put_int(char *buf, size_t n, size_t *len, const char *key,
                                    long long v)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", v);
    return sk_labev_put(buf, n, len, key, num);
}

/* Writes e as one line (no trailing newline) into buf (n bytes, at least
 * SK_LABEV_MAX). Returns its length, or -1 when it does not fit. */
static inline int sk_labevent_format(const struct sk_labevent *e, char *buf, size_t n)
{
    size_t len = 0;
    int w = snprintf(buf, n, "%s %d", SK_LABEV_MAGIC, SK_LABEV_VERSION);
    if (w < 0 || (size_t)w >= n)
        return -1;
    len = (size_t)w;
    bool ok = sk_labev_put(buf, n, &len, "kind", sk_labev_kind_name(e->kind)) &&
              sk_labev_put(buf, n, &len, "prog", e->prog) &&
              sk_labev_put_int(buf, n, &len, "pid", e->pid) &&
              sk_labev_put_int(buf, n, &len, "seq", e->seq) &&
              sk_labev_put(buf, n, &len, "call", e->call) &&
              sk_labev_put(buf, n, &len, "args", e->args) &&
              sk_labev_put_int(buf, n, &len, "ret", e->ret) &&
              sk_labev_put(buf, n, &len, "err", e->err) &&
              sk_labev_put_int(buf, n, &len, "fd", e->fd) &&
              sk_labev_put(buf, n, &len, "proto", e->proto) &&
              sk_labev_put(buf, n, &len, "local", e->local) &&
              sk_labev_put(buf, n, &len, "remote", e->remote) &&
              sk_labev_put(buf, n, &len, "state", e->state) &&
              sk_labev_put(buf, n, &len, "node", e->node) &&
              sk_labev_put(buf, n, &len, "note", e->note) &&
              sk_labev_put_int(buf, n, &len, "t0", e->t0_ns) &&
              sk_labev_put_int(buf, n, &len, "t1", e->t1_ns);
    return ok ? (int)len : -1;
}

/* --------------------------------------------------------------- parsing */

/* Copies an escaped value of vlen bytes into dst (dn bytes), undoing the
 * escapes and truncating if needed. */
static inline void sk_labev_unescape(const char *v, size_t vlen, char *dst, size_t dn)
{
    size_t o = 0;
    for (size_t i = 0; i < vlen && o + 1 < dn; i++) {
        char c = v[i];
        if (c == '\\' && i + 1 < vlen) {
            char e = v[++i];
            c = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e;
        }
        dst[o++] = c;
    }
    dst[o] = '\0';
}

static inline bool sk_labev_num(const char *v, size_t vlen, long long *out)
{
    char tmp[32];
    if (vlen == 0 || vlen >= sizeof tmp)
        return false;
    memcpy(tmp, v, vlen);
    tmp[vlen] = '\0';
    char *end;
    long long x = strtoll(tmp, &end, 10);
    if (*end != '\0')
        return false;
    *out = x;
    return true;
}

/* Parses one datagram or sidecar line (len bytes, need not be NUL-terminated;
 * a trailing newline is allowed). False if it is not a sockscope event of a
 * version we read; *e is then unspecified. */
static inline bool sk_labevent_parse(const char *buf, size_t len, struct sk_labevent *e)
{
    memset(e, 0, sizeof *e);
    e->fd = -1;
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        len--;
    size_t mlen = strlen(SK_LABEV_MAGIC);
    if (len < mlen + 2 || memcmp(buf, SK_LABEV_MAGIC, mlen) != 0 || buf[mlen] != ' ')
        return false;
    size_t i = mlen + 1;
    long long ver = 0;
    size_t vstart = i;
    while (i < len && buf[i] != '\t')
        i++;
    if (!sk_labev_num(buf + vstart, i - vstart, &ver) || ver != SK_LABEV_VERSION)
        return false;
    bool have_kind = false;
    while (i < len) {
        i++; /* the tab */
        size_t ks = i;
        while (i < len && buf[i] != '=' && buf[i] != '\t')
            i++;
        if (i >= len || buf[i] != '=')
            return false;
        size_t klen = i - ks;
        const char *k = buf + ks;
        i++;
        size_t vs = i;
        while (i < len && buf[i] != '\t')
            i++;
        const char *v = buf + vs;
        size_t vlen = i - vs;
        long long num;
#define SK_KEY(name) (klen == sizeof(name) - 1 && memcmp(k, name, klen) == 0)
        if (SK_KEY("kind")) {
            if (vlen == 4 && memcmp(v, "call", 4) == 0) e->kind = SK_LABEV_CALL;
            else if (vlen == 4 && memcmp(v, "step", 4) == 0) e->kind = SK_LABEV_STEP;
            else if (vlen == 4 && memcmp(v, "info", 4) == 0) e->kind = SK_LABEV_INFO;
            else return false;
            have_kind = true;
        } else if (SK_KEY("prog")) sk_labev_unescape(v, vlen, e->prog, sizeof e->prog);
        else if (SK_KEY("call")) sk_labev_unescape(v, vlen, e->call, sizeof e->call);
        else if (SK_KEY("args")) sk_labev_unescape(v, vlen, e->args, sizeof e->args);
        else if (SK_KEY("err")) sk_labev_unescape(v, vlen, e->err, sizeof e->err);
        else if (SK_KEY("proto")) sk_labev_unescape(v, vlen, e->proto, sizeof e->proto);
        else if (SK_KEY("local")) sk_labev_unescape(v, vlen, e->local, sizeof e->local);
        else if (SK_KEY("remote")) sk_labev_unescape(v, vlen, e->remote, sizeof e->remote);
        else if (SK_KEY("state")) sk_labev_unescape(v, vlen, e->state, sizeof e->state);
        else if (SK_KEY("node")) sk_labev_unescape(v, vlen, e->node, sizeof e->node);
        else if (SK_KEY("note")) sk_labev_unescape(v, vlen, e->note, sizeof e->note);
        else if (SK_KEY("pid")) { if (!sk_labev_num(v, vlen, &num)) return false; e->pid = (int32_t)num; }
        else if (SK_KEY("seq")) { if (!sk_labev_num(v, vlen, &num)) return false; e->seq = (uint32_t)num; }
        else if (SK_KEY("ret")) { if (!sk_labev_num(v, vlen, &num)) return false; e->ret = num; }
        else if (SK_KEY("fd")) { if (!sk_labev_num(v, vlen, &num)) return false; e->fd = (int32_t)num; }
        else if (SK_KEY("t0")) { if (!sk_labev_num(v, vlen, &num)) return false; e->t0_ns = num; }
        else if (SK_KEY("t1")) { if (!sk_labev_num(v, vlen, &num)) return false; e->t1_ns = num; }
#undef SK_KEY
    }
    return have_kind && e->prog[0] != '\0' && e->call[0] != '\0';
}

/* ------------------------------------------------------------- where */

/* The socket path the labs send to, and the UI listens on, when neither
 * --events nor SOCKSCOPE_EVENTS names one: /tmp/sockscope-UID.events, with UID
 * from SUDO_UID when set, so that `sudo sockscope` and a student's labs meet. */
static inline void sk_labev_default_path(char *buf, size_t n, unsigned long uid)
{
    const char *sudo_uid = getenv("SUDO_UID");
    if (sudo_uid && *sudo_uid)
        uid = strtoul(sudo_uid, NULL, 10);
    snprintf(buf, n, "/tmp/sockscope-%lu.events", uid);
}

#endif
