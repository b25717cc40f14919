/* source.c — packets from libpcap files and interfaces, saving them, and re-reading one by offset (source.h). */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "i18n.h"

#define NS_PER_SEC 1000000000LL

/* Live defaults (source.h, struct sk_live_opts). */
enum {
    LIVE_SNAPLEN = 262144,
    LIVE_BUFFER = 32 << 20,
    LIVE_TIMEOUT_MS = 100,
    IFACES_LISTED = 6 /* interfaces named when the one asked for does not exist */
};

struct sk_source {
    pcap_t *p;
    FILE *fp;                /* files: libpcap's stream, for ftell; NULL when live */
    int fd;                  /* live: the descriptor to poll, -1 if none */
    int timeout_ms;          /* live: longest wait in sk_source_next */
    int wake[2];             /* live: a pipe sk_source_break writes to, ends the poll */
    atomic_int stop;         /* sk_source_break was called, not yet reported */
    char *name;              /* path or interface */
    bool live;
    bool nano;               /* libpcap gives ns in tv_usec (else us) */
    bool done;               /* end of file or an error: nothing more is read */
    bool has_filter;         /* files: prog is applied to each record */
    bool seekable;           /* files: ftell works (not a pipe): offsets are real */
    struct bpf_program prog; /* files: the filter, run with pcap_offline_filter */
    uint32_t n;              /* records read (files) or delivered (live) */
    struct pcap_pkthdr hdr;  /* files: the last record, copied in dispatch_cb */
    const u_char *data;      /* files: its bytes (libpcap's buffer) */
    char warning[SK_ERRBUF_SIZE]; /* pcap_activate's warning, or "" */
};

/* ------------------------------------------------------------------ helpers */


static int64_t ts_to_ns(const struct timeval *tv, bool nano)
{
    return (int64_t)tv->tv_sec * NS_PER_SEC + (int64_t)tv->tv_usec * (nano ? 1 : 1000);
}

/* Is this one of the magic numbers libpcap reads (pcap micro/nano, the
 * Kuznetzov variant, pcapng), in either byte order? */
static bool magic_known(const uint8_t b[4])
{
    static const uint32_t magics[] = {0xa1b2c3d4u, 0xa1b23c4du, 0xa1b2cd34u, 0x0a0d0d0au};
    uint32_t be = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    uint32_t le = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
        if (be == magics[i] || le == magics[i])
            return true;
    return false;
}

/* Opens path for libpcap, saying clearly why not ("-" is standard input). */
static FILE *capture_fopen(const char *path, char *err)
{
    if (strcmp(path, "-") == 0)
        return stdin;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        int e = errno;
        if (e == EACCES || e == EPERM)
            sk_err(err, _("cannot open capture file %s: %s (you may not read it: check its "
                          "permissions with ls -l)"), path, strerror(e));
        else if (e == ENOENT)
            sk_err(err, _("cannot open capture file %s: %s (check the path)"), path, strerror(e));
        else
            sk_err(err, _("cannot open capture file %s: %s"), path, strerror(e));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            sk_err(err, _("%s is a directory, not a capture file"), path);
            fclose(fp);
            return NULL;
        }
        if (S_ISREG(st.st_mode) && st.st_size == 0) {
            sk_err(err, _("capture file %s is empty (0 bytes): nothing has been saved in it "
                          "yet"), path);
            fclose(fp);
            return NULL;
        }
    }
    return fp;
}

/* Turns libpcap's refusal of a file into one line that says what it is. */
static void explain_open_failure(const char *path, FILE *fp, const char *pcaperr, char *err)
{
    uint8_t magic[4];
    struct stat st;
    bool regular = fp != stdin && fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode);
    /* libpcap has no error code for this, only its text; the magic number
     * (where the file can be read again) tells the same without it. */
    bool not_capture = strcmp(pcaperr, "unknown file format") == 0;
    if (regular && !not_capture)
        not_capture = st.st_size < 4 || pread(fileno(fp), magic, 4, 0) != 4 || !magic_known(magic);
    if (not_capture)
        sk_err(err, _("%s is not a pcap or pcapng capture file"), path);
    else if (strncmp(pcaperr, "truncated", 9) == 0)
        sk_err(err, _("capture file %s is cut short: its file header is incomplete (%s)"), path,
               pcaperr);
    else
        sk_err(err, _("cannot read capture file %s: %s"), path, pcaperr);
}

/* Opens a capture file with nanosecond timestamps; NULL with err. */
static pcap_t *capture_open(const char *path, FILE **fpp, char *err)
{
    char pcaperr[PCAP_ERRBUF_SIZE] = "";
    FILE *fp = capture_fopen(path, err);
    if (!fp)
        return NULL;
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, pcaperr);
    if (!p) {
        explain_open_failure(path, fp, pcaperr, err);
        if (fp != stdin)
            fclose(fp);
        return NULL;
    }
    *fpp = fp;
    return p;
}

static struct sk_source *source_alloc(const char *name, char *err)
{
    struct sk_source *s = calloc(1, sizeof *s);
    if (s)
        s->name = strdup(name);
    if (!s || !s->name) {
        free(s);
        sk_err(err, _("out of memory"));
        return NULL;
    }
    s->fd = s->wake[0] = s->wake[1] = -1;
    atomic_init(&s->stop, 0);
    return s;
}

/* Reports a pending sk_source_break once, and forgets it. */
static bool take_break(struct sk_source *s)
{
    if (!atomic_load_explicit(&s->stop, memory_order_relaxed) || !atomic_exchange(&s->stop, 0))
        return false;
    char buf[64];
    if (s->wake[0] >= 0)
        while (read(s->wake[0], buf, sizeof buf) > 0)
            ;
    return true;
}

/* ------------------------------------------------------------------ files */

struct sk_source *sk_source_open_file(const char *path, char *err)
{
    struct sk_source *s = source_alloc(path, err);
    if (!s)
        return NULL;
    s->p = capture_open(path, &s->fp, err);
    if (!s->p) {
        sk_source_close(s);
        return NULL;
    }
    s->nano = true;
    /* glibc's ftell asks the kernel (lseek) every time unless the stream
     * knows its offset, which only a seek teaches it; reads then keep it up
     * to date. One seek to where we are saves a system call per record. */
    off_t here = ftello(s->fp);
    s->seekable = here >= 0 && fseeko(s->fp, here, SEEK_SET) == 0;
    return s;
}

/* pcap_dispatch's callback: h lives on libpcap's stack, so it is copied. */
static void dispatch_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
    struct sk_source *s = (struct sk_source *)(void *)user;
    s->hdr = *h;
    s->data = bytes;
}

static void explain_read_failure(const struct sk_source *s, char *err)
{
    const char *pcaperr = pcap_geterr(s->p);
    uint32_t rec = s->n + 1;
    if (strncmp(pcaperr, "truncated", 9) == 0)
        sk_err(err, _("capture file %s is cut short: record %u is truncated (the file may "
                      "still be being written, or was copied incompletely)"), s->name, rec);
    else
        sk_err(err, _("cannot read record %u of capture file %s: %s (the file is damaged)"),
               rec, s->name, pcaperr);
}

/* Files are read with pcap_dispatch, not pcap_next_ex: for a savefile
 * pcap_next_ex returns -2 both at the end and after pcap_breakloop. */
static int next_file(struct sk_source *s, struct sk_raw *raw, char *err)
{
    for (;;) {
        if (take_break(s))
            return -2;
        off_t pos = s->seekable ? ftello(s->fp) : -1;
        int r = pcap_dispatch(s->p, 1, dispatch_cb, (u_char *)(void *)s);
        if (r == PCAP_ERROR_BREAK) {
            if (take_break(s))
                return -2;
            continue; /* libpcap's half of a break already reported */
        }
        if (r == 0) {
            s->done = true;
            return 0;
        }
        if (r < 0) {
            s->done = true;
            explain_read_failure(s, err);
            return -1;
        }
        s->n++;
        if (s->has_filter && !pcap_offline_filter(&s->prog, &s->hdr, s->data))
            continue;
        raw->n = s->n;
        raw->ts_ns = ts_to_ns(&s->hdr.ts, true);
        raw->caplen = s->hdr.caplen;
        raw->wirelen = s->hdr.len;
        raw->data = s->data;
        raw->off = pos < 0 ? 0 : (uint64_t)pos;
        return 1;
    }
}

/* ------------------------------------------------------------------ live */

/* True if iface names a capture device. Otherwise list holds the first few
 * names pcap_findalldevs knows. When libpcap cannot list devices we cannot
 * tell, and say it exists (pcap_activate will then judge). */
static bool iface_exists(const char *iface, char *list, size_t n)
{
    char pcaperr[PCAP_ERRBUF_SIZE];
    pcap_if_t *devs = NULL;
    list[0] = '\0';
    if (if_nametoindex(iface) != 0)
        return true;
    if (pcap_findalldevs(&devs, pcaperr) == -1)
        return true;
    bool found = false;
    size_t len = 0;
    int listed = 0;
    for (pcap_if_t *d = devs; d; d = d->next) {
        if (strcmp(d->name, iface) == 0)
            found = true;
        if (listed < IFACES_LISTED) {
            int w = snprintf(list + len, n - len, "%s%s", listed ? ", " : "", d->name);
            if (w > 0 && (size_t)w < n - len) {
                len += (size_t)w;
                listed++;
            }
        } else if (listed == IFACES_LISTED) {
            int w = snprintf(list + len, n - len, ", ...");
            if (w > 0 && (size_t)w < n - len)
                len += (size_t)w;
            listed++;
        }
    }
    pcap_freealldevs(devs);
    if (listed == 0)
        snprintf(list, n, "%s", _("none"));
    return found;
}

static void explain_activate_failure(const char *iface, pcap_t *p, int status, char *err)
{
    switch (status) {
    case PCAP_ERROR_NO_SUCH_DEVICE:
        sk_err(err, _("cannot capture on %s: no such interface (%s); list them with ip link"),
               iface, pcap_geterr(p));
        break;
    case PCAP_ERROR_PERM_DENIED:
        sk_err(err, _("capturing on %s needs root or the CAP_NET_RAW capability: run with "
                      "sudo, or once `sudo setcap cap_net_raw,cap_net_admin=eip "
                      "bin/sockscope`, or replay a saved capture with -r FILE"), iface);
        break;
    case PCAP_ERROR_PROMISC_PERM_DENIED:
        sk_err(err, _("promiscuous mode on %s needs root: run with sudo, or capture without "
                      "promiscuous mode"), iface);
        break;
    case PCAP_ERROR_IFACE_NOT_UP:
        sk_err(err, _("cannot capture on %s: the interface is down (bring it up with "
                      "`sudo ip link set %s up`)"), iface, iface);
        break;
    case PCAP_ERROR:
        sk_err(err, _("cannot capture on %s: %s"), iface, pcap_geterr(p));
        break;
    default:
        /* The other codes come with no text of their own in the errbuf. */
        sk_err(err, _("cannot capture on %s: %s (%s)"), iface, pcap_statustostr(status),
               pcap_geterr(p));
        break;
    }
}

struct sk_source *sk_source_open_live(const char *iface, const struct sk_live_opts *opts,
                                      char *err)
{
    struct sk_live_opts o = {LIVE_SNAPLEN, LIVE_BUFFER, LIVE_TIMEOUT_MS, false, false};
    if (opts) {
        if (opts->snaplen > 0)
            o.snaplen = opts->snaplen;
        if (opts->buffer_bytes > 0)
            o.buffer_bytes = opts->buffer_bytes;
        if (opts->timeout_ms > 0)
            o.timeout_ms = opts->timeout_ms;
        o.promisc = opts->promisc;
        o.batched = opts->batched;
    }
    if (!iface || !*iface) {
        sk_err(err, _("no interface to capture on: name one, such as lo"));
        return NULL;
    }
    char list[160];
    if (!iface_exists(iface, list, sizeof list)) {
        sk_err(err, _("cannot capture on %s: no such interface (available: %s)"), iface, list);
        return NULL;
    }

    struct sk_source *s = source_alloc(iface, err);
    if (!s)
        return NULL;
    s->live = true;
    char pcaperr[PCAP_ERRBUF_SIZE] = "";
    s->p = pcap_create(iface, pcaperr);
    if (!s->p) {
        sk_err(err, _("cannot capture on %s: %s"), iface, pcaperr);
        sk_source_close(s);
        return NULL;
    }
    /* Setting options on a created, not yet activated handle fails only for
     * values out of range, which these are not: the results would say nothing new. */
    pcap_set_snaplen(s->p, o.snaplen);
    pcap_set_promisc(s->p, o.promisc ? 1 : 0);
    pcap_set_timeout(s->p, o.timeout_ms);
    pcap_set_buffer_size(s->p, o.buffer_bytes);
    /* Immediate mode makes libpcap use TPACKET_V2, whose ring holds a frame
     * of snaplen bytes per packet: a few hundred packets in 32 MiB. */
    pcap_set_immediate_mode(s->p, o.batched ? 0 : 1);
    /* Nanoseconds where the platform has them; microseconds otherwise. */
    (void)pcap_set_tstamp_precision(s->p, PCAP_TSTAMP_PRECISION_NANO);

    int status = pcap_activate(s->p);
    if (status < 0) {
        explain_activate_failure(iface, s->p, status, err);
        sk_source_close(s);
        return NULL;
    }
    if (status > 0) {
        /* A warning: the capture runs; keep the text for the caller to show. */
        if (status == PCAP_WARNING)
            snprintf(s->warning, sizeof s->warning, "%s: %s", iface, pcap_geterr(s->p));
        else
            snprintf(s->warning, sizeof s->warning, "%s: %s (%s)", iface,
                     pcap_statustostr(status), pcap_geterr(s->p));
    }
    s->nano = pcap_get_tstamp_precision(s->p) == PCAP_TSTAMP_PRECISION_NANO;
    /* On Linux (libpcap 1.10) a blocking read waits for a packet however long
     * it takes: the timeout only bounds how long a packet may sit in a kernel
     * buffer. To return 0 after timeout_ms we read without blocking and wait
     * in poll, on the capture and on a pipe that sk_source_break writes to
     * (in non-blocking mode pcap_breakloop wakes nothing). */
    s->timeout_ms = o.timeout_ms;
    s->fd = pcap_get_selectable_fd(s->p);
    if (s->fd >= 0 && pipe(s->wake) == 0) {
        for (int i = 0; i < 2; i++)
            fcntl(s->wake[i], F_SETFL, fcntl(s->wake[i], F_GETFL) | O_NONBLOCK);
        if (pcap_setnonblock(s->p, 1, pcaperr) == -1)
            s->fd = -1;
    } else {
        s->fd = s->wake[0] = s->wake[1] = -1; /* blocking reads: no timeout */
    }
    return s;
}

static int next_live(struct sk_source *s, struct sk_raw *raw, char *err)
{
    struct pcap_pkthdr *h;
    const u_char *d;
    for (bool waited = false;; waited = true) {
        if (take_break(s))
            return -2;
        int r = pcap_next_ex(s->p, &h, &d);
        if (r == 1) {
            s->n++;
            raw->n = s->n;
            raw->ts_ns = ts_to_ns(&h->ts, s->nano);
            raw->caplen = h->caplen;
            raw->wirelen = h->len;
            raw->data = d;
            raw->off = 0;
            return 1;
        }
        if (r == PCAP_ERROR_BREAK) {
            if (take_break(s))
                return -2;
            waited = false;
            continue; /* libpcap's half of a break already reported */
        }
        if (r < 0) {
            s->done = true;
            sk_err(err, _("capture on %s failed: %s"), s->name, pcap_geterr(s->p));
            return -1;
        }
        if (waited || s->fd < 0)
            return 0;
        /* A signal (EINTR) ends the wait early too: its handler may have
         * called sk_source_break. */
        struct pollfd pfd[2] = {{s->fd, POLLIN, 0}, {s->wake[0], POLLIN, 0}};
        (void)poll(pfd, 2, s->timeout_ms);
    }
}

/* ------------------------------------------------------------------ common */

int sk_source_set_filter(struct sk_source *s, const char *expr, char *err)
{
    if (!expr)
        expr = "";
    struct bpf_program prog;
    if (pcap_compile(s->p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == -1) {
        sk_err(err, _("invalid filter \"%s\": %s"), expr, pcap_geterr(s->p));
        return -1;
    }
    if (s->live) {
        /* On an interface the kernel filters, so only matches are counted. */
        int r = pcap_setfilter(s->p, &prog);
        pcap_freecode(&prog);
        if (r == -1) {
            sk_err(err, _("cannot apply filter \"%s\" on %s: %s"), expr, s->name,
                   pcap_geterr(s->p));
            return -1;
        }
        return 0;
    }
    if (s->has_filter)
        pcap_freecode(&s->prog);
    s->has_filter = expr[0] != '\0';
    if (s->has_filter)
        s->prog = prog;
    else
        pcap_freecode(&prog);
    return 0;
}

int sk_source_next(struct sk_source *s, struct sk_raw *raw, char *err)
{
    if (s->done)
        return 0;
    return s->live ? next_live(s, raw, err) : next_file(s, raw, err);
}

/* Only async-signal-safe calls: an atomic store, pcap_breakloop (which sets
 * a flag and, in blocking mode, writes to an eventfd) and write(2). */
void sk_source_break(struct sk_source *s)
{
    atomic_store(&s->stop, 1);
    pcap_breakloop(s->p);
    if (s->wake[1] >= 0) {
        ssize_t w = write(s->wake[1], "", 1);
        (void)w; /* a full pipe already holds a wake-up */
    }
}

int sk_source_datalink(const struct sk_source *s)
{
    return pcap_datalink(s->p);
}

int sk_source_snaplen(const struct sk_source *s)
{
    return pcap_snapshot(s->p);
}

const char *sk_source_name(const struct sk_source *s)
{
    return s->name;
}

bool sk_source_is_live(const struct sk_source *s)
{
    return s->live;
}

const char *sk_source_warning(const struct sk_source *s)
{
    return s->warning;
}

int sk_source_stats(struct sk_source *s, struct sk_stats *st, char *err)
{
    memset(st, 0, sizeof *st);
    if (!s->live) {
        st->received = s->n;
        return 0;
    }
    struct pcap_stat ps;
    if (pcap_stats(s->p, &ps) == -1) {
        sk_err(err, _("cannot read the capture counters of %s: %s"), s->name,
               pcap_geterr(s->p));
        return -1;
    }
    st->received = ps.ps_recv;
    st->dropped = ps.ps_drop;
    st->ifdropped = ps.ps_ifdrop;
    return 0;
}

void sk_source_close(struct sk_source *s)
{
    if (!s)
        return;
    if (s->has_filter)
        pcap_freecode(&s->prog);
    if (s->p)
        pcap_close(s->p); /* closes s->fp too */
    for (int i = 0; i < 2; i++)
        if (s->wake[i] >= 0)
            close(s->wake[i]);
    free(s->name);
    free(s);
}

/* ------------------------------------------------------------------ saving */

struct sk_dump {
    pcap_t *dead;     /* gives pcap_dump_open the link type, snaplen, precision */
    pcap_dumper_t *d;
    char *path;
    uint64_t pos;     /* file offset of the next record */
};

/* A write error is sticky on the stream: report it once it shows. */
static int dump_check(struct sk_dump *d, char *err)
{
    FILE *f = pcap_dump_file(d->d);
    if (!ferror(f))
        return 0;
    int e = errno;
    if (e == ENOSPC || e == EDQUOT)
        sk_err(err, _("cannot write capture file %s: %s (the disk is full: free some space or "
                      "save elsewhere)"), d->path, strerror(e));
    else
        sk_err(err, _("cannot write capture file %s: %s"), d->path, strerror(e));
    return -1;
}

struct sk_dump *sk_dump_open_dlt(int dlt, int snaplen, const char *path, char *err)
{
    struct sk_dump *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(path))) {
        free(d);
        sk_err(err, _("out of memory"));
        return NULL;
    }
    if (snaplen <= 0)
        snaplen = LIVE_SNAPLEN;
    d->dead = pcap_open_dead_with_tstamp_precision(dlt, snaplen, PCAP_TSTAMP_PRECISION_NANO);
    if (!d->dead) {
        sk_err(err, _("out of memory"));
        sk_dump_close(d, NULL);
        return NULL;
    }
    d->d = pcap_dump_open(d->dead, path);
    if (!d->d) {
        /* libpcap's text names the file and the system's reason. */
        sk_err(err, _("cannot create capture file: %s"), pcap_geterr(d->dead));
        sk_dump_close(d, NULL);
        return NULL;
    }
    int64_t pos = pcap_dump_ftell64(d->d);
    d->pos = pos < 0 ? 0 : (uint64_t)pos;
    /* The file header on disk at once: a reader may open the file now. */
    if (sk_dump_flush(d, err) < 0) {
        sk_dump_close(d, NULL);
        return NULL;
    }
    return d;
}

struct sk_dump *sk_dump_open(const struct sk_source *src, const char *path, char *err)
{
    return sk_dump_open_dlt(pcap_datalink(src->p), pcap_snapshot(src->p), path, err);
}

int sk_dump_write(struct sk_dump *d, const struct sk_raw *raw, uint64_t *off, char *err)
{
    struct pcap_pkthdr h;
    int64_t sec = raw->ts_ns / NS_PER_SEC, frac = raw->ts_ns % NS_PER_SEC;
    if (frac < 0) { /* floor, for times before 1970 */
        frac += NS_PER_SEC;
        sec--;
    }
    h.ts.tv_sec = (time_t)sec;
    h.ts.tv_usec = (suseconds_t)frac; /* a nanosecond file: pcap_dump writes it as is */
    h.caplen = raw->caplen;
    h.len = raw->wirelen;
    if (off)
        *off = d->pos;
    pcap_dump((u_char *)d->d, &h, raw->data);
    /* A pcap record is its 16-byte header and the bytes; counting is cheaper
     * than asking the stream (pcap_dump_ftell64) for every record. */
    d->pos += 16 + (uint64_t)raw->caplen;
    return dump_check(d, err);
}

int sk_dump_flush(struct sk_dump *d, char *err)
{
    if (pcap_dump_flush(d->d) == -1 && dump_check(d, err) == 0) {
        sk_err(err, _("cannot write capture file %s: %s"), d->path, strerror(errno));
        return -1;
    }
    return dump_check(d, err);
}

int sk_dump_close(struct sk_dump *d, char *err)
{
    if (!d)
        return 0;
    int r = 0;
    if (d->d) {
        r = sk_dump_flush(d, err);
        pcap_dump_close(d->d);
    }
    if (d->dead)
        pcap_close(d->dead);
    free(d->path);
    free(d);
    return r;
}

/* ------------------------------------------------------------ random access */

/* pcapng block types (draft-ietf-opsawg-pcapng §11.1). */
enum {
    BT_SHB = 0x0a0d0d0a,
    BT_IDB = 0x00000001,
    BT_PB = 0x00000002,
    BT_SPB = 0x00000003,
    BT_EPB = 0x00000006,
    PCAPNG_BOM = 0x1a2b3c4d
};

/* One pcapng section: where its SHB is and which IDBs (indexes in idbs) are its. */
struct ng_section {
    uint64_t shb;
    uint32_t idb0, nidb;
};

/*
 * Re-reading a pcapng record is not as simple as seeking: libpcap learns a
 * section's interfaces (link type, timestamp resolution) from the IDBs it
 * reads, appends one to its list for every IDB it passes — also when it passes
 * the same IDB again — and forgets them all at each SHB. So the reader walks
 * the block headers itself (sections, IDB offsets), seeks straight to the
 * packet block, and first makes libpcap read exactly the SHB and IDBs that
 * the record's section has before it when it does not know them yet. Each
 * IDB is read once per section visit: nothing grows with repeated reads.
 */
struct sk_reader {
    pcap_t *p;
    FILE *fp;
    char *path;
    bool ng;                  /* pcapng (else pcap: a plain seek suffices) */
    struct ng_section *secs;  /* sections found by the walk, in file order */
    uint32_t nsecs, capsecs;
    uint64_t *idbs;           /* offsets of the IDBs found, in file order */
    uint32_t nidbs, capidbs;
    uint64_t walked;          /* offset of the first block not walked yet */
    bool walk_end;            /* a bad block: the walk stops there for good */
    bool be;                  /* the sections' byte order (set by the first SHB) */
    bool hvalid;              /* libpcap knows section hsec's first hidb IDBs */
    uint32_t hsec, hidb;
    uint8_t *win;             /* bytes of the file from win_off, for the walk */
    size_t win_len;
    uint64_t win_off;
};

enum { WALK_WINDOW = 64 * 1024 };

/* n bytes of the file at off, through a window read with pread (which leaves
 * libpcap's stream alone): the walk reads a few bytes per block. A miss reads
 * fill bytes: the whole window when walking on, a little for one lookup. */
static bool read_at(struct sk_reader *r, uint64_t off, void *buf, size_t n, size_t fill)
{
    if (off < r->win_off || off - r->win_off + n > r->win_len) {
        if (off > (uint64_t)INT64_MAX - WALK_WINDOW)
            return false;
        ssize_t got = pread(fileno(r->fp), r->win, fill, (off_t)off);
        r->win_off = off;
        r->win_len = got < 0 ? 0 : (size_t)got;
        if (n > r->win_len)
            return false;
    }
    memcpy(buf, r->win + (off - r->win_off), n);
    return true;
}

static uint32_t get32(const uint8_t *b, bool be)
{
    if (be)
        return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    return (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

/* Reads the type and total length of the block at off: 1, 0 at the end of
 * the file, -1 for a block libpcap would refuse too. Each SHB states the byte
 * order; libpcap refuses files whose sections differ, so one r->be serves.
 * fill: as for read_at. */
static int ng_block(struct sk_reader *r, uint64_t off, uint32_t *type, uint32_t *len,
                    size_t fill)
{
    uint8_t b[12];
    if (!read_at(r, off, b, 8, fill))
        return 0;
    *type = get32(b, true);
    if (*type == BT_SHB) {
        if (!read_at(r, off + 8, b + 8, 4, fill))
            return 0;
        if (get32(b + 8, true) == PCAPNG_BOM)
            r->be = true;
        else if (get32(b + 8, false) == PCAPNG_BOM)
            r->be = false;
        else
            return -1;
    }
    *type = get32(b, r->be);
    *len = get32(b + 4, r->be);
    return *len >= 12 && *len % 4 == 0 ? 1 : -1;
}

static bool ng_is_packet(uint32_t type)
{
    return type == BT_EPB || type == BT_SPB || type == BT_PB;
}

/* Walks block headers from r->walked until the block at upto is walked. */
static bool ng_walk(struct sk_reader *r, uint64_t upto)
{
    while (!r->walk_end && r->walked <= upto) {
        uint32_t type, len;
        int st = ng_block(r, r->walked, &type, &len, WALK_WINDOW);
        if (st <= 0) {
            r->walk_end = st < 0; /* at the end, a growing file may go on later */
            break;
        }
        if (type == BT_SHB) {
            if (r->nsecs == r->capsecs) {
                uint32_t cap = r->capsecs ? r->capsecs * 2 : 4;
                struct ng_section *ns = realloc(r->secs, cap * sizeof *ns);
                if (!ns)
                    return false;
                r->secs = ns;
                r->capsecs = cap;
            }
            r->secs[r->nsecs++] = (struct ng_section){r->walked, r->nidbs, 0};
        } else if (type == BT_IDB && r->nsecs > 0) {
            if (r->nidbs == r->capidbs) {
                uint32_t cap = r->capidbs ? r->capidbs * 2 : 8;
                uint64_t *ni = realloc(r->idbs, cap * sizeof *ni);
                if (!ni)
                    return false;
                r->idbs = ni;
                r->capidbs = cap;
            }
            r->idbs[r->nidbs++] = r->walked;
            r->secs[r->nsecs - 1].nidb++;
        }
        r->walked += len;
    }
    return true;
}

/* IDBs of section sec that start before off. */
static uint32_t ng_idbs_before(const struct sk_reader *r, uint32_t sec, uint64_t off)
{
    const struct ng_section *s = &r->secs[sec];
    uint32_t k = 0;
    while (k < s->nidb && r->idbs[s->idb0 + k] < off)
        k++;
    return k;
}

/* Has libpcap read the blocks from off up to its next packet (an SHB or the
 * IDBs among them), discarding the packet. Returns the offset after it. */
static int ng_step(struct sk_reader *r, uint64_t off, uint64_t *after, char *err)
{
    struct pcap_pkthdr *h;
    const u_char *d;
    if (off > (uint64_t)INT64_MAX || fseeko(r->fp, (off_t)off, SEEK_SET) != 0) {
        sk_err(err, _("cannot seek in capture file %s: %s"), r->path, strerror(errno));
        return -1;
    }
    int st = pcap_next_ex(r->p, &h, &d);
    if (st != 1) {
        r->hvalid = false;
        sk_err(err, _("cannot read capture file %s at offset %llu: %s"), r->path,
               (unsigned long long)off, st == -1 ? pcap_geterr(r->p) : _("end of file"));
        return -1;
    }
    *after = (uint64_t)ftello(r->fp);
    return 0;
}

/* Puts libpcap in the state of a sequential read just before the first packet
 * block at or after off, and returns in *seekto where to read it from: that
 * block (*exact), or off itself when the blocks cannot be walked (libpcap then
 * reads from off and says what is wrong, or finds the record anyway). */
static int ng_prepare(struct sk_reader *r, uint64_t off, uint64_t *seekto, bool *exact,
                      char *err)
{
    uint64_t pkt = off;
    uint32_t type, len;
    if (!ng_walk(r, off)) {
        sk_err(err, _("out of memory"));
        return -1;
    }
    *seekto = off;
    *exact = false;
    if (r->nsecs == 0)
        return 0;
    /* The first packet block at or after off: the record the caller means. */
    for (;;) {
        if (ng_block(r, pkt, &type, &len, 512) <= 0)
            return 0;
        if (ng_is_packet(type))
            break;
        pkt += len;
    }
    /* The SHBs and IDBs up to it, those between off and it included. */
    if (!ng_walk(r, pkt)) {
        sk_err(err, _("out of memory"));
        return -1;
    }
    if (r->walked <= pkt)
        return 0;
    uint32_t sec = r->nsecs - 1;
    while (sec > 0 && r->secs[sec].shb > pkt)
        sec--;
    uint32_t need = ng_idbs_before(r, sec, pkt);
    uint64_t after;
    if (!r->hvalid || r->hsec != sec) {
        /* From the SHB: libpcap forgets the old interfaces, reads the section's
         * first IDBs and stops at its first packet. */
        if (ng_step(r, r->secs[sec].shb, &after, err) < 0)
            return -1;
        r->hvalid = true;
        r->hsec = sec;
        r->hidb = ng_idbs_before(r, sec, after);
    }
    while (r->hidb < need) {
        /* IDBs that come after packets: read each one once, in order. */
        if (ng_step(r, r->idbs[r->secs[sec].idb0 + r->hidb], &after, err) < 0)
            return -1;
        uint32_t k = ng_idbs_before(r, sec, after);
        if (k <= r->hidb) {
            r->hvalid = false;
            sk_err(err, _("cannot read capture file %s: its interface blocks are not where "
                          "they were"), r->path);
            return -1;
        }
        r->hidb = k;
    }
    *seekto = pkt;
    *exact = true;
    return 0;
}

struct sk_reader *sk_reader_open(const char *path, char *err)
{
    if (strcmp(path, "-") == 0) {
        sk_err(err, _("cannot re-read packets from standard input: save the capture to a file "
                      "first"));
        return NULL;
    }
    struct sk_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path)) || !(r->win = malloc(WALK_WINDOW))) {
        if (r)
            free(r->path);
        free(r);
        sk_err(err, _("out of memory"));
        return NULL;
    }
    r->p = capture_open(path, &r->fp, err);
    if (!r->p) {
        sk_reader_close(r);
        return NULL;
    }
    uint8_t magic[4];
    r->ng = pread(fileno(r->fp), magic, 4, 0) == 4 && get32(magic, true) == BT_SHB;
    /* Opening read the first SHB and the first IDB, no more. */
    r->hvalid = true;
    r->hsec = 0;
    r->hidb = 1;
    return r;
}

int sk_reader_read(struct sk_reader *r, uint64_t off, struct sk_raw *raw, char *err)
{
    uint64_t at = off;
    bool exact = true;
    if (r->ng && ng_prepare(r, off, &at, &exact, err) < 0)
        return -1;
    if (at > (uint64_t)INT64_MAX || fseeko(r->fp, (off_t)at, SEEK_SET) != 0) {
        sk_err(err, _("cannot seek to offset %llu of capture file %s: %s"),
               (unsigned long long)off, r->path, strerror(errno));
        return -1;
    }
    struct pcap_pkthdr *h;
    const u_char *d;
    int st = pcap_next_ex(r->p, &h, &d);
    if (r->ng && !exact)
        r->hvalid = false; /* libpcap may have passed an SHB or IDB */
    if (st == 1) {
        raw->n = 0;
        raw->ts_ns = ts_to_ns(&h->ts, true);
        raw->caplen = h->caplen;
        raw->wirelen = h->len;
        raw->data = d;
        raw->off = off;
        return 1;
    }
    if (r->ng)
        r->hvalid = false; /* a failed read may have left libpcap anywhere */
    if (st == -1)
        sk_err(err, _("cannot read the record at offset %llu of capture file %s: %s"),
               (unsigned long long)off, r->path, pcap_geterr(r->p));
    else
        sk_err(err, _("no record at offset %llu of capture file %s: it lies past the end"),
               (unsigned long long)off, r->path);
    return -1;
}

int sk_reader_datalink(const struct sk_reader *r)
{
    return pcap_datalink(r->p);
}

void sk_reader_close(struct sk_reader *r)
{
    if (!r)
        return;
    if (r->p)
        pcap_close(r->p);
    free(r->secs);
    free(r->idbs);
    free(r->win);
    free(r->path);
    free(r);
}
