/* trace.h — the model every view reads: one compact record per packet.
 *
 * 48 bytes a packet, so a million-packet capture fits in ~48 MB; the bytes
 * themselves stay in the file (rec.off) and are re-read on demand
 * (sk_reader_read). Records are stored in fixed chunks that never move, so one
 * thread may append while others read the records below sk_trace_count().
 */
#ifndef SK_TRACE_H
#define SK_TRACE_H

#include <stddef.h>
#include <stdint.h>

/* What a record is, at the deepest layer decoded. */
enum sk_kind {
    SK_K_TCP = 0,
    SK_K_UDP,
    SK_K_ICMP,
    SK_K_ICMP6,
    SK_K_IP,     /* another IP protocol, or a later IP fragment */
    SK_K_OTHER,  /* not IP: see the link/network type when re-decoded */
    SK_K_ERROR   /* could not be decoded far enough to say (truncated/invalid link or IP) */
};

struct sk_rec {
    int64_t ts_ns;    /* capture time, ns since the epoch */
    uint64_t off;     /* where to re-read it (sk_raw.off) */
    uint32_t n;       /* frame number in the file, from 1 */
    uint32_t conv;    /* conversation id, SK_NO_CONV if none */
    uint32_t seq;     /* raw TCP sequence number (0 otherwise) */
    uint32_t ack;     /* raw TCP acknowledgement number (0 otherwise) */
    uint32_t events;  /* 1u << SK_EV_* */
    uint32_t aux;     /* event detail (duplicate-ACK number; ICMP type<<8|code) */
    uint16_t len;     /* payload bytes per the headers (saturates at 65535) */
    uint16_t win;     /* raw TCP window field */
    uint8_t flags;    /* TCP flags (SK_TH_*) */
    uint8_t kind;     /* enum sk_kind in bits 0-3; SK_REC_S2C bit; SK_REC_* bits */
    uint8_t states;   /* client state (bits 0-3) and server state (bits 4-7) after it */
    uint8_t status;   /* enum sk_status of its decoding */
};

enum {
    SK_REC_KIND_MASK = 0x0f,
    SK_REC_S2C = 0x10,      /* sent by the server (else by the client) */
};

static inline int sk_rec_kind(const struct sk_rec *r) { return r->kind & SK_REC_KIND_MASK; }
static inline int sk_rec_dir(const struct sk_rec *r) { return (r->kind & SK_REC_S2C) ? 1 : 0; }
static inline int sk_rec_client_state(const struct sk_rec *r) { return r->states & 0x0f; }
static inline int sk_rec_server_state(const struct sk_rec *r) { return r->states >> 4; }
static inline int sk_rec_state(const struct sk_rec *r, int side)
{
    return side ? sk_rec_server_state(r) : sk_rec_client_state(r);
}
static inline int sk_rec_has(const struct sk_rec *r, int ev) { return (r->events >> ev) & 1u; }

struct sk_trace;

/* A new empty trace, NULL when out of memory. Owner: caller, sk_trace_free. */
struct sk_trace *sk_trace_new(void);
void sk_trace_free(struct sk_trace *t);

/* Appends a copy of *r. -1 when out of memory. One appending thread at a time. */
int sk_trace_add(struct sk_trace *t, const struct sk_rec *r);

/* Number of records readable now (safe to call from another thread). */
size_t sk_trace_count(const struct sk_trace *t);

/* Record i (0-based, below sk_trace_count); the pointer stays valid until free. */
const struct sk_rec *sk_trace_get(const struct sk_trace *t, size_t i);

/* Bytes the trace holds (for the memory figures of the benchmark). */
size_t sk_trace_bytes(const struct sk_trace *t);

#endif
