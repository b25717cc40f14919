/* session_priv.h — internal to core/: the session that session.c (open, close,
 * views, the UI's queries) and session_live.c (the live capture) share. */
#ifndef SK_SESSION_PRIV_H
#define SK_SESSION_PRIV_H

#include <pcap/pcap.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analyze.h"
#include "labevents.h"
#include "session.h"

enum {
    BATCH = 1024             /* packets analysed per hold of the lock */
};

/* ------------------------------------------------------------ offsets */

/*
 * Live: where each captured packet starts in the store file. The capture
 * thread appends, the index thread reads below the published count: chunks
 * that never move (chunk k holds 4096 << k offsets), as in trace.c.
 */
enum { OFF_CHUNK0_BITS = 12, OFF_NCHUNK = 21 };

struct offlog {
    uint64_t *chunk[OFF_NCHUNK];
    size_t count;              /* written (capture thread only) */
    atomic_size_t published;   /* flushed to the store: readable by the index thread */
};

/* ------------------------------------------------------------ types */

/* One conversation's packets, as indexes into the trace. */
struct cinfo {
    uint32_t *idx;
    uint32_t n, cap;
    uint8_t before;   /* both states before its first packet */
};

/* What one filter makes of the capture: analysed by one index thread. */
struct view {
    struct sk_session *s;
    char *filter;                /* "" when none */
    struct sk_source *src;       /* files: the file, read through the filter */
    struct sk_reader *rd;        /* live: reads the store */
    struct bpf_program prog;     /* live: the filter, run on each stored record */
    bool has_prog;
    struct sk_analyzer *an;      /* conversations (under s->lock) */
    struct sk_trace *trace;      /* the records (lock-free reads) */
    struct cinfo *ci;            /* per conversation (under s->lock) */
    size_t nci, capci;
    size_t next;                 /* live: the next store record to analyse */
    uint64_t read;               /* records read (files) / consumed (live) (under lock) */
    bool done;                   /* nothing more will come (under lock) */
    atomic_bool stop;            /* asked to end */
    pthread_t thread;
    bool started;
};

struct sk_session {
    bool live;
    char *name;                  /* path or interface */
    char *store;                 /* the file that holds the packets */
    bool temp_store;             /* remove it at close */
    bool user_store;             /* live with -w: keep the events beside it */
    int dlt, snaplen;

    pthread_mutex_t lock;        /* guards what the comments say */
    atomic_int waiters;          /* UI-thread calls waiting for the lock */
    pthread_cond_t cond;         /* signalled when indexing moves on */
    uint64_t version;            /* (lock) */
    bool failed;                 /* (lock) */
    char error[SK_ERRBUF_SIZE];  /* (lock) */
    char warning[SK_ERRBUF_SIZE];/* (lock) */

    struct view *view;           /* the current filter's analysis (UI thread) */
    struct sk_source *first_src; /* files: the open that the first view reads */
    struct sk_reader *rd;        /* the UI thread's reader */

    /* live */
    struct sk_source *src;
    struct sk_dump *dump;
    struct offlog log;
    pthread_t cap_thread;
    bool cap_started;
    atomic_bool cap_stop;
    bool capturing;              /* (lock) */
    struct sk_stats stats;       /* (lock) */
    int wake[2];                 /* capture → index thread: packets were published */

    /* lab events */
    struct sk_labev_rx *rx;      /* live: read by the index thread */
    struct sk_labev_list events; /* (lock) */
    bool events_unsaved;         /* index thread: events came since the sidecar was written */
    int64_t events_saved_ms;     /* index thread: when it was */
};

/* ------------------------------------------------------------ locking */

/*
 * The index thread takes the lock for one batch after another; a mutex is
 * not fair, so without care it would take it again before the UI thread,
 * woken by the unlock, gets to run, and the screen would wait for the end of
 * the file. The UI thread says it waits, and a background thread that lets go
 * of the lock yields until the UI had its turn.
 */
static inline void lock_ui(struct sk_session *s)
{
    atomic_fetch_add(&s->waiters, 1);
    pthread_mutex_lock(&s->lock);
    atomic_fetch_sub(&s->waiters, 1);
}

static inline void unlock_bg(struct sk_session *s)
{
    pthread_mutex_unlock(&s->lock);
    while (atomic_load(&s->waiters) > 0)
        sched_yield();
}

/* Records a stop on error; caller holds the lock. */
static inline void fail_locked(struct sk_session *s, const char *err)
{
    if (!s->failed) {
        s->failed = true;
        snprintf(s->error, sizeof s->error, "%s", err);
    }
    s->version++;
}

/* ------------------------------------------------------------ shared functions */

/* Analyses one record and keeps it (lock held). -1 with err when out of memory. */
int sk_sess_keep(struct view *v, const struct sk_raw *raw, char *err);

/* session_live.c: opens the capture, its store and the lab events' socket
 * (-1 with err); the capture thread (arg: the session) and a live view's index
 * thread (arg: the view); frees the store's offsets. */
int sk_sess_open_live(struct sk_session *s, const struct sk_session_opts *o, char *err);
void *sk_sess_capture(void *arg);
void *sk_sess_index_live(void *arg);
void sk_sess_offlog_free(struct offlog *l);

#endif
