/* session.h — what the terminal UI looks at: a capture read in the background
 * into a trace, its conversations, the labs' syscall events and the counters.
 *
 * A session reads a saved capture, or captures live, on threads of its own,
 * so that the first screen appears at once and the capture never waits for
 * the screen. Everything the UI asks for is either lock-free (the records, as
 * sk_trace allows) or copied out under the session's lock (conversations,
 * per-conversation packet lists, events, counters), so the caller never holds
 * a pointer that a background thread is writing.
 *
 * Files: an index thread reads the file through the filter (frame numbers are
 * the file's) and analyses every packet. Live: a capture thread only reads the
 * interface and appends each packet to a pcap file (the -w file, or a
 * temporary one), and the index thread analyses what that file holds; so a
 * new filter on a live session is applied to everything captured so far, and
 * every packet's bytes can be read again. While live, the session listens for
 * lab events (labevents.h); a saved capture keeps them in its sidecar file.
 *
 * One thread (the UI's) calls the functions below.
 */
#ifndef SK_SESSION_H
#define SK_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conv.h"
#include "err.h"
#include "labevent.h"
#include "source.h"
#include "trace.h"

struct sk_session_opts {
    const char *file;        /* a capture file to read; NULL to capture live */
    const char *iface;       /* live: the interface ("lo" when NULL) */
    const char *filter;      /* tcpdump syntax, NULL or "" for none */
    const char *write_path;  /* live: save the packets here (else a temporary file
                                that is removed at close) */
    const char *events_path; /* live: the lab events socket; NULL: $SOCKSCOPE_EVENTS,
                                else sk_labev_default_path; "" listens to none */
    const struct sk_live_opts *live; /* may be NULL */
    /* live: opens the capture in place of sk_source_open_live(iface, ...),
     * given the session's live options (a demo's sk_run_capture, which
     * captures inside the scenario's namespace, filtered to its ports); the
     * session owns the source it returns. NULL with err on failure. NULL: the
     * interface is opened. */
    struct sk_source *(*open_live)(void *user, const struct sk_live_opts *lo, char *err);
    void *open_user;
};

/* What the status bar shows; copied out by sk_session_info. */
struct sk_session_info {
    bool live;
    bool indexing;       /* files: still reading; live: still capturing */
    bool failed;         /* reading or capturing stopped on an error (error says it) */
    size_t packets;      /* records in the trace (those that pass the filter) */
    uint64_t read;       /* records read from the file / captured from the interface */
    uint64_t received;   /* live: pcap_stats ps_recv */
    uint64_t dropped;    /* live: pcap_stats ps_drop (kernel buffer full) */
    uint64_t ifdropped;  /* live: pcap_stats ps_ifdrop */
    size_t convs;        /* conversations so far */
    size_t events;       /* lab events so far */
    uint64_t version;    /* changes whenever any figure above changes */
    char error[SK_ERRBUF_SIZE];   /* why reading stopped ("" if it did not) */
    char warning[SK_ERRBUF_SIZE]; /* something the user should hear once ("" if none):
                                     the interface's warning, events not received */
};

struct sk_session;

/* Opens the file or interface, applies the filter and starts the threads.
 * NULL with err when the capture cannot be opened (missing file, not a
 * capture, no privilege, no such interface), the filter does not compile, or
 * the -w file cannot be created. Owner: caller, sk_session_close. */
struct sk_session *sk_session_open(const struct sk_session_opts *o, char *err);

/* Stops the threads and frees everything. Live with a -w file: the file is
 * complete and its events are saved beside it (CAPTURE.events, which is also
 * rewritten within a second of each new event while capture goes on); -1
 * with err if that failed (everything is freed anyway). NULL is allowed. */
int sk_session_close(struct sk_session *s, char *err);

bool sk_session_is_live(const struct sk_session *s);
const char *sk_session_name(const struct sk_session *s); /* path or interface */
const char *sk_session_filter(const struct sk_session *s); /* "" when none */
int sk_session_datalink(const struct sk_session *s);

/* Live: the file that holds the packets (-w or the temporary one); files: the file. */
const char *sk_session_store_path(const struct sk_session *s);

/* Copies the counters into *info. */
void sk_session_info(struct sk_session *s, struct sk_session_info *info);

/* Blocks until the file is indexed (or failed), or timeout_ms passed (-1:
 * forever). True when indexing is over. Live: waits until every packet
 * captured so far is indexed. For tests and tools. */
bool sk_session_wait(struct sk_session *s, int timeout_ms);

/* Replaces the filter ("" removes it) and indexes again from the first
 * packet: conversations are renumbered as `--text -f` numbers them. Record
 * pointers and indexes obtained before are invalid afterwards. -1 with err
 * (libpcap's message) when it does not compile; the old filter then stays. */
int sk_session_set_filter(struct sk_session *s, const char *expr, char *err);

/* ------------------------------------------------------------ records */

/* Records indexed so far, and record i (0-based, below the count; the
 * pointer stays valid until the next set_filter or close). */
size_t sk_session_count(const struct sk_session *s);
const struct sk_rec *sk_session_rec(const struct sk_session *s, size_t i);

/* The index of the first record whose frame number is >= n (the count if none). */
size_t sk_session_find_frame(const struct sk_session *s, uint32_t n);

/* Reads record i's bytes again (borrowed until the next call). 1, or -1 with err. */
int sk_session_read(struct sk_session *s, size_t i, struct sk_raw *raw, char *err);

/* ------------------------------------------------------ conversations */

/* Conversations so far (ids 0 .. count-1). */
size_t sk_session_conv_count(struct sk_session *s);

/* Copies conversation id into *out; false if there is none (yet). */
bool sk_session_conv(struct sk_session *s, uint32_t id, struct sk_conv *out);

/* Each side's state before the conversation's first packet (client in bits
 * 0-3, server in bits 4-7, as sk_rec.states), for the head of a ladder. */
uint8_t sk_session_conv_before(struct sk_session *s, uint32_t id);

/* The number of packets conversation id has so far. */
size_t sk_session_conv_size(struct sk_session *s, uint32_t id);

/* Copies the record indexes of the conversation's packets at positions
 * from .. from+max-1 (in capture order) into out; returns how many. */
size_t sk_session_conv_recs(struct sk_session *s, uint32_t id, size_t from, uint32_t *out,
                            size_t max);

/* The position of record index rec in its conversation's packets; the size
 * of the conversation when it is not one of them. */
size_t sk_session_conv_pos(struct sk_session *s, uint32_t id, size_t rec);

/* --------------------------------------------------------- lab events */

/* Events so far, ordered by start time (sk_labev_list_sort's order). */
size_t sk_session_event_count(struct sk_session *s);

/* Copies up to max events starting at index from; returns how many. */
size_t sk_session_events(struct sk_session *s, size_t from, struct sk_labevent *out, size_t max);

/* Adds an event as if a lab had sent it (tests; a demo running the labs). */
int sk_session_add_event(struct sk_session *s, const struct sk_labevent *e, char *err);

/* ------------------------------------------------------------- saving */

/* Live: writes every packet captured so far to path (pcap), and the events
 * to path.events when there are any. -1 with err on failure. */
int sk_session_save(struct sk_session *s, const char *path, char *err);

#endif
