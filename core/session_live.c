/* session_live.c — a live session (session.h): the capture thread that stores and
 * publishes packets, the index thread that analyses them, the lab events meanwhile. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "session_priv.h"

enum {
    FLUSH_EVERY = 512,       /* live: packets written before the store is flushed */
    FLUSH_MS = 20,           /* live: ... or milliseconds */
    STATS_MS = 200,          /* live: how often pcap_stats is asked */
    IDLE_MS = 100,           /* live index thread: longest sleep */
    LIVE_TIMEOUT_MS = 20,    /* live: longest wait in sk_source_next */
    SAVE_EVENTS_MS = 1000    /* live with -w: the sidecar is rewritten at most this often */
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ================================================================ offsets */

/* struct offlog (session_priv.h): offset i is in chunk *k, at *off. */
static void off_locate(size_t i, unsigned *k, size_t *off)
{
    unsigned long long x = (unsigned long long)i + (1ull << OFF_CHUNK0_BITS);
    unsigned msb = 63u - (unsigned)__builtin_clzll(x);
    *k = msb - OFF_CHUNK0_BITS;
    *off = (size_t)(x - (1ull << msb));
}

static int offlog_add(struct offlog *l, uint64_t v)
{
    unsigned k;
    size_t o;
    off_locate(l->count, &k, &o);
    if (k >= OFF_NCHUNK)
        return -1;
    if (!l->chunk[k]) {
        l->chunk[k] = malloc(((size_t)1 << (OFF_CHUNK0_BITS + k)) * sizeof(uint64_t));
        if (!l->chunk[k])
            return -1;
    }
    l->chunk[k][o] = v;
    l->count++;
    return 0;
}

static uint64_t offlog_get(const struct offlog *l, size_t i)
{
    unsigned k;
    size_t o;
    off_locate(i, &k, &o);
    return l->chunk[k][o];
}

void sk_sess_offlog_free(struct offlog *l)
{
    for (unsigned k = 0; k < OFF_NCHUNK; k++)
        free(l->chunk[k]);
}

/* ================================================================ lab events */

/* Writes the events beside a -w capture (index thread): a session that ends
 * badly still leaves them. Copied under the lock, written outside it. */
static void save_events(struct sk_session *s)
{
    struct sk_labev_list copy = {0};
    char err[SK_ERRBUF_SIZE], side[4096];
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->events.n; i++)
        if (sk_labev_list_push(&copy, &s->events.ev[i], err) < 0)
            break;
    unlock_bg(s);
    if (copy.n > 0 && sk_labev_sidecar_path(s->store, side, sizeof side) == 0 &&
        sk_labev_save(side, copy.ev, copy.n, err) < 0) {
        pthread_mutex_lock(&s->lock);
        snprintf(s->warning, sizeof s->warning, "%s", err);
        s->version++;
        unlock_bg(s);
    }
    sk_labev_list_free(&copy);
}

/* Live: takes the lab events waiting on the socket (index thread). */
static void drain_events(struct sk_session *s)
{
    if (!s->rx)
        return;
    struct sk_labevent e;
    char err[SK_ERRBUF_SIZE];
    int got;
    while ((got = sk_labev_rx_recv(s->rx, &e, err)) == 1) {
        pthread_mutex_lock(&s->lock);
        if (sk_labev_list_push(&s->events, &e, err) == 0) {
            sk_labev_list_sort(&s->events);
            s->version++;
            s->events_unsaved = true;
        }
        unlock_bg(s);
    }
    if (got < 0) {
        pthread_mutex_lock(&s->lock);
        snprintf(s->warning, sizeof s->warning, "%s", err);
        s->version++;
        unlock_bg(s);
        sk_labev_rx_close(s->rx);
        s->rx = NULL;
    }
    int64_t now = mono_ms();
    if (s->user_store && s->events_unsaved && now - s->events_saved_ms >= SAVE_EVENTS_MS) {
        s->events_unsaved = false;
        s->events_saved_ms = now;
        save_events(s);
    }
}

/* ================================================================ the index thread */

void *sk_sess_index_live(void *arg)
{
    struct view *v = arg;
    struct sk_session *s = v->s;
    char err[SK_ERRBUF_SIZE];
    struct sk_raw raw;
    while (!atomic_load(&v->stop)) {
        drain_events(s);
        size_t pub = atomic_load_explicit(&s->log.published, memory_order_acquire);
        if (v->next < pub && !v->done) {
            pthread_mutex_lock(&s->lock);
            size_t end = pub - v->next > BATCH ? v->next + BATCH : pub;
            for (; v->next < end; v->next++) {
                if (sk_reader_read(v->rd, offlog_get(&s->log, v->next), &raw, err) < 0) {
                    fail_locked(s, err);
                    v->done = true;
                    break;
                }
                raw.n = (uint32_t)(v->next + 1); /* frame numbers of the store file */
                v->read = raw.n;
                if (v->has_prog) {
                    struct pcap_pkthdr h;
                    memset(&h, 0, sizeof h);
                    h.caplen = raw.caplen;
                    h.len = raw.wirelen;
                    if (!pcap_offline_filter(&v->prog, &h, raw.data))
                        continue;
                }
                if (sk_sess_keep(v, &raw, err) < 0) {
                    fail_locked(s, err);
                    v->done = true;
                    break;
                }
            }
            s->version++;
            pthread_cond_broadcast(&s->cond);
            unlock_bg(s);
            continue;
        }
        pthread_mutex_lock(&s->lock);
        bool capturing = s->capturing;
        if (!capturing && v->next >= pub && !v->done) {
            v->done = true;
            s->version++;
        }
        pthread_cond_broadcast(&s->cond);
        unlock_bg(s);

        struct pollfd pfd[2] = {{s->wake[0], POLLIN, 0}, {s->rx ? sk_labev_rx_fd(s->rx) : -1, POLLIN, 0}};
        (void)poll(pfd, 2, IDLE_MS);
        if (pfd[0].revents & POLLIN) {
            char buf[256];
            while (read(s->wake[0], buf, sizeof buf) > 0)
                ;
        }
    }
    return NULL;
}

/* ================================================================ capture */

static void publish(struct sk_session *s)
{
    atomic_store_explicit(&s->log.published, s->log.count, memory_order_release);
    ssize_t w = write(s->wake[1], "", 1);
    (void)w; /* a full pipe already holds a wake-up */
}

static void take_stats(struct sk_session *s)
{
    struct sk_stats st;
    char err[SK_ERRBUF_SIZE];
    if (sk_source_stats(s->src, &st, err) < 0)
        return;
    pthread_mutex_lock(&s->lock);
    if (memcmp(&st, &s->stats, sizeof st) != 0) {
        s->stats = st;
        s->version++;
    }
    unlock_bg(s);
}

/* The capture thread does as little as it can: read, store, publish. */
void *sk_sess_capture(void *arg)
{
    struct sk_session *s = arg;
    char err[SK_ERRBUF_SIZE];
    struct sk_raw raw;
    size_t pending = 0;
    int64_t last_flush = mono_ms(), last_stats = 0;
    bool failed = false;
    while (!atomic_load(&s->cap_stop)) {
        int r = sk_source_next(s->src, &raw, err);
        if (r == 1) {
            uint64_t off;
            if (sk_dump_write(s->dump, &raw, &off, err) < 0) {
                failed = true;
                break;
            }
            if (offlog_add(&s->log, off) < 0) {
                sk_err(err, "%s", _("out of memory: the capture is too big to keep in memory"));
                failed = true;
                break;
            }
            pending++;
        } else if (r == -2) {
            break;
        } else if (r < 0) {
            failed = true;
            break;
        }
        int64_t now = mono_ms();
        if (pending && (r != 1 || pending >= FLUSH_EVERY || now - last_flush >= FLUSH_MS)) {
            if (sk_dump_flush(s->dump, err) < 0) {
                failed = true;
                break;
            }
            publish(s);
            pending = 0;
            last_flush = now;
        }
        if (now - last_stats >= STATS_MS) {
            take_stats(s);
            last_stats = now;
        }
    }
    char ferr[SK_ERRBUF_SIZE];
    if (sk_dump_flush(s->dump, ferr) < 0 && !failed) {
        failed = true;
        memcpy(err, ferr, sizeof err);
    }
    publish(s);
    take_stats(s);
    pthread_mutex_lock(&s->lock);
    s->capturing = false;
    if (failed)
        fail_locked(s, err);
    s->version++;
    unlock_bg(s);
    return NULL;
}

/* ================================================================ open */

/* A temporary store for a live capture without -w. */
static char *temp_store(char *err)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t n = strlen(dir) + 40;
    char *path = malloc(n);
    if (!path) {
        sk_err(err, "%s", _("out of memory"));
        return NULL;
    }
    snprintf(path, n, "%s/sockscope-live-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        sk_err(err, _("cannot create a temporary file in %s for the captured packets: %s "
                      "(set TMPDIR, or save with -w FILE)"), dir, strerror(errno));
        free(path);
        return NULL;
    }
    close(fd);
    return path;
}

static void listen_events(struct sk_session *s, const char *path)
{
    char def[256], err[SK_ERRBUF_SIZE];
    if (!path) {
        path = getenv("SOCKSCOPE_EVENTS");
        if (!path || !*path) {
            sk_labev_default_path(def, sizeof def, (unsigned long)getuid());
            path = def;
        }
    }
    if (!*path)
        return;
    s->rx = sk_labev_rx_open(path, err);
    if (!s->rx)
        snprintf(s->warning, sizeof s->warning, _("lab events will not be shown: %s"), err);
}

int sk_sess_open_live(struct sk_session *s, const struct sk_session_opts *o, char *err)
{
    struct sk_live_opts lo;
    memset(&lo, 0, sizeof lo);
    if (o->live)
        lo = *o->live;
    if (lo.timeout_ms <= 0 || lo.timeout_ms > LIVE_TIMEOUT_MS)
        lo.timeout_ms = LIVE_TIMEOUT_MS;
    /* The capture must not lose packets while the screen is busy: blocks. */
    lo.batched = true;
    s->src = o->open_live ? o->open_live(o->open_user, &lo, err)
                          : sk_source_open_live(s->name, &lo, err);
    if (!s->src)
        return -1;
    if (o->filter && o->filter[0] && sk_source_set_filter(s->src, o->filter, err) < 0)
        return -1;
    const char *w = sk_source_warning(s->src);
    if (w[0])
        snprintf(s->warning, sizeof s->warning, "%s", w);
    s->dlt = sk_source_datalink(s->src);
    s->snaplen = sk_source_snaplen(s->src);
    if (o->write_path) {
        s->store = strdup(o->write_path);
        s->user_store = true;
    } else {
        s->store = temp_store(err);
        s->temp_store = s->store != NULL;
        if (!s->store)
            return -1;
    }
    if (!s->store) {
        sk_err(err, "%s", _("out of memory"));
        return -1;
    }
    s->dump = sk_dump_open_dlt(s->dlt, s->snaplen, s->store, err);
    if (!s->dump)
        return -1;
    if (pipe(s->wake) < 0) {
        sk_err(err, _("cannot make a pipe: %s"), strerror(errno));
        s->wake[0] = s->wake[1] = -1;
        return -1;
    }
    for (int i = 0; i < 2; i++)
        fcntl(s->wake[i], F_SETFL, fcntl(s->wake[i], F_GETFL) | O_NONBLOCK);
    listen_events(s, o->events_path);
    return 0;
}
