/* session.c — a capture read and analysed in the background for the UI (session.h):
 * open and close, a filter's view of it, reading a file, the UI's queries; the live
 * capture is in session_live.c. */
#include <errno.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "session_priv.h"

/* ================================================================ views */

static void cinfo_free(struct view *v)
{
    for (size_t i = 0; i < v->nci; i++)
        free(v->ci[i].idx);
    free(v->ci);
    v->ci = NULL;
    v->nci = v->capci = 0;
}

static void view_free(struct view *v)
{
    if (!v)
        return;
    sk_source_close(v->src);
    sk_reader_close(v->rd);
    if (v->has_prog)
        pcap_freecode(&v->prog);
    sk_analyzer_free(v->an);
    sk_trace_free(v->trace);
    cinfo_free(v);
    free(v->filter);
    free(v);
}

/* Keeps the trace index of a packet in its conversation's list (lock held). */
static int note_packet(struct view *v, const struct sk_result *res, size_t idx)
{
    if (!res->conv)
        return 0;
    uint32_t id = res->conv->id;
    if (id >= v->capci) {
        size_t cap = v->capci ? v->capci : 64;
        while (cap <= id)
            cap *= 2;
        struct cinfo *ci = realloc(v->ci, cap * sizeof *ci);
        if (!ci)
            return -1;
        memset(ci + v->capci, 0, (cap - v->capci) * sizeof *ci);
        v->ci = ci;
        v->capci = cap;
    }
    if (id >= v->nci)
        v->nci = id + 1;
    struct cinfo *c = &v->ci[id];
    if (res->created)
        c->before = (uint8_t)((res->tcp.before[0] & 0x0f) | (res->tcp.before[1] & 0x0f) << 4);
    if (c->n == c->cap) {
        uint32_t cap = c->cap ? c->cap * 2 : 8;
        uint32_t *p = realloc(c->idx, cap * sizeof *p);
        if (!p)
            return -1;
        c->idx = p;
        c->cap = cap;
    }
    c->idx[c->n++] = (uint32_t)idx;
    return 0;
}

/* Analyses one record and keeps it (lock held). -1 with err when out of memory. */
int sk_sess_keep(struct view *v, const struct sk_raw *raw, char *err)
{
    struct sk_result res;
    if (sk_analyzer_add(v->an, raw, &res, err) < 0)
        return -1;
    size_t idx = sk_trace_count(v->trace);
    if (sk_trace_add(v->trace, &res.rec) < 0 || note_packet(v, &res, idx) < 0) {
        sk_err(err, "%s", _("out of memory: the capture is too big to keep in memory"));
        return -1;
    }
    return 0;
}

static void *index_file(void *arg)
{
    struct view *v = arg;
    struct sk_session *s = v->s;
    char err[SK_ERRBUF_SIZE];
    struct sk_raw raw;
    bool over = false;
    while (!over && !atomic_load(&v->stop)) {
        pthread_mutex_lock(&s->lock);
        for (int k = 0; k < BATCH; k++) {
            int r = sk_source_next(v->src, &raw, err);
            if (r == 1) {
                if (sk_sess_keep(v, &raw, err) == 0)
                    continue;
                fail_locked(s, err);
            } else if (r < 0 && r != -2) {
                fail_locked(s, err);
            }
            over = true;
            break;
        }
        if (over)
            v->done = true;
        struct sk_stats st;
        if (sk_source_stats(v->src, &st, NULL) == 0)
            v->read = st.received; /* filtered out or not */
        s->version++;
        pthread_cond_broadcast(&s->cond);
        unlock_bg(s);
    }
    return NULL;
}

/* A new view for filter expr; NULL with err when the filter is bad. */
static struct view *view_new(struct sk_session *s, const char *expr, char *err)
{
    struct view *v = calloc(1, sizeof *v);
    if (!v || !(v->filter = strdup(expr ? expr : ""))) {
        free(v);
        sk_err(err, "%s", _("out of memory"));
        return NULL;
    }
    v->s = s;
    atomic_init(&v->stop, false);
    if (!s->live) {
        v->src = s->first_src ? s->first_src : sk_source_open_file(s->name, err);
        s->first_src = NULL;
        if (!v->src || sk_source_set_filter(v->src, v->filter, err) < 0)
            goto fail;
    } else {
        if (v->filter[0]) {
            pcap_t *dead = pcap_open_dead(s->dlt, s->snaplen);
            if (!dead) {
                sk_err(err, "%s", _("out of memory"));
                goto fail;
            }
            if (pcap_compile(dead, &v->prog, v->filter, 1, PCAP_NETMASK_UNKNOWN) == -1) {
                sk_err(err, _("invalid filter \"%s\": %s"), v->filter, pcap_geterr(dead));
                pcap_close(dead);
                goto fail;
            }
            pcap_close(dead);
            v->has_prog = true;
        }
        v->rd = sk_reader_open(s->store, err);
        if (!v->rd)
            goto fail;
    }
    v->an = sk_analyzer_new(s->dlt);
    v->trace = sk_trace_new();
    if (!v->an || !v->trace) {
        sk_err(err, "%s", _("out of memory"));
        goto fail;
    }
    return v;
fail:
    view_free(v);
    return NULL;
}

static int view_start(struct view *v, char *err)
{
    int r = pthread_create(&v->thread, NULL, v->s->live ? sk_sess_index_live : index_file, v);
    if (r != 0) {
        sk_err(err, _("cannot start a thread: %s"), strerror(r));
        return -1;
    }
    v->started = true;
    return 0;
}

static void view_stop(struct sk_session *s, struct view *v)
{
    if (!v || !v->started)
        return;
    atomic_store(&v->stop, true);
    if (s->live && s->wake[1] >= 0) {
        ssize_t w = write(s->wake[1], "", 1);
        (void)w;
    }
    pthread_join(v->thread, NULL);
    v->started = false;
}

/* ================================================================ open/close */

static struct sk_session *session_alloc(void)
{
    struct sk_session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->wake[0] = s->wake[1] = -1;
    atomic_init(&s->cap_stop, false);
    atomic_init(&s->waiters, 0);
    atomic_init(&s->log.published, 0);
    pthread_mutex_init(&s->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cond, &ca);
    pthread_condattr_destroy(&ca);
    return s;
}


static int open_file(struct sk_session *s, char *err)
{
    /* Opened here to say early and plainly what is wrong with it; the first
     * view reads from this open (a pipe can be opened only once). */
    s->first_src = sk_source_open_file(s->name, err);
    if (!s->first_src)
        return -1;
    s->dlt = sk_source_datalink(s->first_src);
    s->snaplen = sk_source_snaplen(s->first_src);
    s->store = strdup(s->name);
    if (!s->store) {
        sk_err(err, "%s", _("out of memory"));
        return -1;
    }
    char side[4096];
    if (sk_labev_sidecar_path(s->name, side, sizeof side) == 0 && access(side, F_OK) == 0) {
        char lerr[SK_ERRBUF_SIZE];
        size_t skipped = 0;
        if (sk_labev_load(side, &s->events, &skipped, lerr) < 0)
            snprintf(s->warning, sizeof s->warning, _("lab events not loaded: %s"), lerr);
        sk_labev_list_sort(&s->events);
    }
    return 0;
}

struct sk_session *sk_session_open(const struct sk_session_opts *o, char *err)
{
    struct sk_session *s = session_alloc();
    if (!s) {
        sk_err(err, "%s", _("out of memory"));
        return NULL;
    }
    s->live = o->file == NULL;
    s->name = strdup(s->live ? (o->iface ? o->iface : "lo") : o->file);
    if (!s->name) {
        sk_err(err, "%s", _("out of memory"));
        goto fail;
    }
    if ((s->live ? sk_sess_open_live(s, o, err) : open_file(s, err)) < 0)
        goto fail;
    s->view = view_new(s, o->filter, err);
    if (!s->view)
        goto fail;
    if (s->live) {
        s->capturing = true;
        int r = pthread_create(&s->cap_thread, NULL, sk_sess_capture, s);
        if (r != 0) {
            sk_err(err, _("cannot start a thread: %s"), strerror(r));
            s->capturing = false;
            goto fail;
        }
        s->cap_started = true;
    }
    if (view_start(s->view, err) < 0)
        goto fail;
    return s;
fail:
    sk_session_close(s, NULL);
    return NULL;
}

int sk_session_close(struct sk_session *s, char *err)
{
    if (!s)
        return 0;
    int status = 0;
    if (s->cap_started) {
        atomic_store(&s->cap_stop, true);
        sk_source_break(s->src);
        pthread_join(s->cap_thread, NULL);
    }
    view_stop(s, s->view);
    view_free(s->view);
    if (s->dump && sk_dump_close(s->dump, err) < 0)
        status = -1;
    sk_source_close(s->src);
    sk_source_close(s->first_src);
    sk_reader_close(s->rd);
    sk_labev_rx_close(s->rx);
    if (s->user_store && s->events.n > 0) {
        char side[4096];
        if (sk_labev_sidecar_path(s->store, side, sizeof side) < 0) {
            sk_err(err, _("cannot save the lab events: the name %s is too long"), s->store);
            status = -1;
        } else if (sk_labev_save(side, s->events.ev, s->events.n, err) < 0) {
            status = -1;
        }
    }
    if (s->temp_store)
        unlink(s->store);
    for (int i = 0; i < 2; i++)
        if (s->wake[i] >= 0)
            close(s->wake[i]);
    sk_sess_offlog_free(&s->log);
    sk_labev_list_free(&s->events);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->cond);
    free(s->name);
    free(s->store);
    free(s);
    return status;
}

/* ================================================================ queries */

bool sk_session_is_live(const struct sk_session *s) { return s->live; }
const char *sk_session_name(const struct sk_session *s) { return s->name; }
const char *sk_session_filter(const struct sk_session *s) { return s->view->filter; }
int sk_session_datalink(const struct sk_session *s) { return s->dlt; }
const char *sk_session_store_path(const struct sk_session *s) { return s->store; }

void sk_session_info(struct sk_session *s, struct sk_session_info *info)
{
    memset(info, 0, sizeof *info);
    lock_ui(s);
    struct view *v = s->view;
    info->live = s->live;
    info->indexing = s->live ? s->capturing || !v->done : !v->done;
    info->failed = s->failed;
    info->packets = sk_trace_count(v->trace);
    info->read = s->live ? atomic_load(&s->log.published) : v->read;
    info->received = s->stats.received;
    info->dropped = s->stats.dropped;
    info->ifdropped = s->stats.ifdropped;
    info->convs = sk_convtab_count(sk_analyzer_convs(v->an));
    info->events = s->events.n;
    info->version = s->version;
    snprintf(info->error, sizeof info->error, "%s", s->error);
    snprintf(info->warning, sizeof info->warning, "%s", s->warning);
    pthread_mutex_unlock(&s->lock);
}

bool sk_session_wait(struct sk_session *s, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    if (timeout_ms >= 0) {
        until.tv_sec += timeout_ms / 1000;
        until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
    }
    lock_ui(s);
    bool over;
    for (;;) {
        struct view *v = s->view;
        if (s->live)
            over = v->done || v->next >= atomic_load(&s->log.published);
        else
            over = v->done;
        if (over)
            break;
        if (timeout_ms < 0)
            pthread_cond_wait(&s->cond, &s->lock);
        else if (pthread_cond_timedwait(&s->cond, &s->lock, &until) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&s->lock);
    return over;
}

int sk_session_set_filter(struct sk_session *s, const char *expr, char *err)
{
    struct view *v = view_new(s, expr, err);
    if (!v)
        return -1;
    view_stop(s, s->view);
    lock_ui(s);
    struct view *old = s->view;
    s->view = v;
    /* A failure of the old view's reading says nothing about the new one's. */
    if (!s->live || !s->capturing) {
        s->failed = false;
        s->error[0] = '\0';
    }
    s->version++;
    pthread_mutex_unlock(&s->lock);
    view_free(old);
    if (view_start(v, err) < 0) {
        lock_ui(s);
        v->done = true;
        fail_locked(s, err);
        pthread_mutex_unlock(&s->lock);
        return -1;
    }
    return 0;
}

size_t sk_session_count(const struct sk_session *s)
{
    return sk_trace_count(s->view->trace);
}

const struct sk_rec *sk_session_rec(const struct sk_session *s, size_t i)
{
    return sk_trace_get(s->view->trace, i);
}

size_t sk_session_find_frame(const struct sk_session *s, uint32_t n)
{
    const struct sk_trace *t = s->view->trace;
    size_t lo = 0, hi = sk_trace_count(t);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sk_trace_get(t, mid)->n < n)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int sk_session_read(struct sk_session *s, size_t i, struct sk_raw *raw, char *err)
{
    const struct sk_rec *r = sk_session_rec(s, i);
    if (!r) {
        sk_err(err, _("there is no packet %zu"), i + 1);
        return -1;
    }
    if (!s->rd && !(s->rd = sk_reader_open(s->store, err)))
        return -1;
    if (sk_reader_read(s->rd, r->off, raw, err) < 0)
        return -1;
    raw->n = r->n;
    return 1;
}

size_t sk_session_conv_count(struct sk_session *s)
{
    lock_ui(s);
    size_t n = sk_convtab_count(sk_analyzer_convs(s->view->an));
    pthread_mutex_unlock(&s->lock);
    return n;
}

bool sk_session_conv(struct sk_session *s, uint32_t id, struct sk_conv *out)
{
    lock_ui(s);
    const struct sk_convtab *t = sk_analyzer_convs(s->view->an);
    const struct sk_conv *c = id < sk_convtab_count(t) ? sk_convtab_get(t, id) : NULL;
    if (c)
        *out = *c;
    pthread_mutex_unlock(&s->lock);
    return c != NULL;
}

uint8_t sk_session_conv_before(struct sk_session *s, uint32_t id)
{
    lock_ui(s);
    uint8_t b = id < s->view->nci ? s->view->ci[id].before : 0;
    pthread_mutex_unlock(&s->lock);
    return b;
}

size_t sk_session_conv_size(struct sk_session *s, uint32_t id)
{
    lock_ui(s);
    size_t n = id < s->view->nci ? s->view->ci[id].n : 0;
    pthread_mutex_unlock(&s->lock);
    return n;
}

size_t sk_session_conv_recs(struct sk_session *s, uint32_t id, size_t from, uint32_t *out,
                            size_t max)
{
    lock_ui(s);
    size_t got = 0;
    if (id < s->view->nci) {
        const struct cinfo *c = &s->view->ci[id];
        if (from < c->n) {
            got = c->n - from < max ? c->n - from : max;
            memcpy(out, c->idx + from, got * sizeof *out);
        }
    }
    pthread_mutex_unlock(&s->lock);
    return got;
}

size_t sk_session_conv_pos(struct sk_session *s, uint32_t id, size_t rec)
{
    lock_ui(s);
    size_t pos = 0;
    if (id < s->view->nci) {
        const struct cinfo *c = &s->view->ci[id];
        size_t lo = 0, hi = c->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (c->idx[mid] < rec)
                lo = mid + 1;
            else
                hi = mid;
        }
        pos = lo < c->n && c->idx[lo] == rec ? lo : c->n;
    }
    pthread_mutex_unlock(&s->lock);
    return pos;
}

size_t sk_session_event_count(struct sk_session *s)
{
    lock_ui(s);
    size_t n = s->events.n;
    pthread_mutex_unlock(&s->lock);
    return n;
}

size_t sk_session_events(struct sk_session *s, size_t from, struct sk_labevent *out, size_t max)
{
    lock_ui(s);
    size_t got = 0;
    if (from < s->events.n) {
        got = s->events.n - from < max ? s->events.n - from : max;
        memcpy(out, s->events.ev + from, got * sizeof *out);
    }
    pthread_mutex_unlock(&s->lock);
    return got;
}

int sk_session_add_event(struct sk_session *s, const struct sk_labevent *e, char *err)
{
    lock_ui(s);
    int r = sk_labev_list_push(&s->events, e, err);
    if (r == 0) {
        sk_labev_list_sort(&s->events);
        s->version++;
    }
    pthread_mutex_unlock(&s->lock);
    return r;
}

int sk_session_save(struct sk_session *s, const char *path, char *err)
{
    if (strcmp(path, s->store) == 0) {
        sk_err(err, _("%s is the file being read: choose another name"), path);
        return -1;
    }
    struct sk_dump *d = sk_dump_open_dlt(s->dlt, s->snaplen, path, err);
    if (!d)
        return -1;
    size_t n = sk_session_count(s);
    struct sk_raw raw;
    for (size_t i = 0; i < n; i++) {
        if (sk_session_read(s, i, &raw, err) < 0 || sk_dump_write(d, &raw, NULL, err) < 0) {
            sk_dump_close(d, NULL);
            return -1;
        }
    }
    if (sk_dump_close(d, err) < 0)
        return -1;
    lock_ui(s);
    struct sk_labev_list copy = {0};
    int r = 0;
    for (size_t i = 0; i < s->events.n && r == 0; i++)
        r = sk_labev_list_push(&copy, &s->events.ev[i], err);
    pthread_mutex_unlock(&s->lock);
    if (r == 0 && copy.n > 0) {
        char side[4096];
        if (sk_labev_sidecar_path(path, side, sizeof side) < 0) {
            sk_err(err, _("cannot save the lab events: the name %s is too long"), path);
            r = -1;
        } else {
            r = sk_labev_save(side, copy.ev, copy.n, err);
        }
    }
    sk_labev_list_free(&copy);
    return r;
}
