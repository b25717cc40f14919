/* timeline.h — the labs' system calls placed among a conversation's packets,
 * for a ladder's margins.
 *
 * A call is drawn on the side that made it (sk_labevent_side). One that
 * returned before the next packet of the conversation takes one line; one
 * that was still blocked when packets went by (connect() from the SYN until
 * the SYN-ACK's ACK, accept() through the handshake, read() until the data or
 * the FIN) takes a line where it began and one where it returned, and a bar
 * in its side's margin beside the packets in between. Times are the lab's
 * CLOCK_REALTIME and the capture's timestamps, both ns since the epoch.
 */
#ifndef SK_TIMELINE_H
#define SK_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conv.h"
#include "labevent.h"

/* One call placed in a conversation. Packet positions count the
 * conversation's packets from 0; npkts means "after the last". */
struct sk_tl_call {
    uint32_t ev;      /* index of the event in the array given to sk_timeline_place */
    uint8_t side;     /* SK_CLIENT or SK_SERVER: who made the call */
    uint32_t begin;   /* the first packet sent after the call began */
    uint32_t end;     /* the first packet sent after it returned (== begin: at once) */
    int64_t t0, t1;   /* when it began and returned */
};

/* The kind of a ladder line. */
enum sk_tl_kind {
    SK_TL_PACKET = 0, /* an arrow */
    SK_TL_CALL,       /* a call that returned before the next packet: "socket() = 3" */
    SK_TL_BEGIN,      /* a call that blocked, where it began: "connect(fd 3, ...) ..." */
    SK_TL_RETURN      /* ... and where it returned: "connect() = 0 ESTABLISHED" */
};

struct sk_tl_line {
    uint8_t kind;     /* enum sk_tl_kind */
    uint8_t side;     /* calls: who made it */
    uint32_t pos;     /* PACKET: its position; calls: the packet it stands before */
    uint32_t call;    /* calls: index in the sk_tl_call array */
};

/* Places the system calls (kind "call") among ev[0..nev) that concern
 * conversation c, whose npkts packets have the times ts_at(ctx, 0 ..
 * npkts-1) (in capture order). Writes at most max of them to out, ordered
 * by where they begin; returns how many. */
size_t sk_timeline_place(const struct sk_labevent *ev, size_t nev, const struct sk_conv *c,
                         size_t npkts, int64_t (*ts_at)(void *ctx, size_t pos), void *ctx,
                         struct sk_tl_call *out, size_t max);

/* The ladder lines for packets from .. to-1: each packet preceded by the
 * call lines that come before it (in time order); when to == npkts the
 * calls that come after the last packet end the list. At most max lines;
 * returns how many. */
size_t sk_timeline_lines(const struct sk_tl_call *calls, size_t ncalls, size_t from, size_t to,
                         size_t npkts, struct sk_tl_line *out, size_t max);

/* True when side has a call in progress while packet pos goes by (a bar in
 * its margin). */
bool sk_timeline_blocked(const struct sk_tl_call *calls, size_t ncalls, size_t pos, int side);

/* The words of a call line for event e: kind SK_TL_CALL "accept(fd 3) = 4
 * ESTABLISHED [connection]", SK_TL_BEGIN "connect(fd 3, 127.0.0.1:6666) ...",
 * SK_TL_RETURN "connect() = 0 ESTABLISHED [connect]", failures "connect() = -1
 * ECONNREFUSED". What the lab sent is escaped (sk_escape_text). Writes buf (n
 * bytes, NUL-terminated); returns the length. */
size_t sk_timeline_text(const struct sk_labevent *e, enum sk_tl_kind kind, char *buf, size_t n);

#endif
