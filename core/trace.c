/* trace.c — the packet records, in chunks that never move: one thread appends, others read (trace.h). */
#include "trace.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The size is part of the contract (a million packets in ~48 MB); a field
 * added carelessly would show up here first. */
_Static_assert(sizeof(struct sk_rec) == 48, "struct sk_rec must stay 48 bytes");

/*
 * Chunk k holds CHUNK0 << k records, so a fixed directory of NCHUNK pointers
 * covers every index below SIZE_MAX's 32-bit share and nothing ever moves or
 * is reallocated: a reader may follow a pointer while the writer appends.
 * The writer fills a record, then publishes the new count with a release
 * store; a reader's acquire load of the count makes every record below it
 * (and the chunk pointer leading to it) visible.
 */
enum {
    CHUNK0_BITS = 12,  /* 4096 records (192 KiB) in the first chunk */
    NCHUNK = 21        /* (4096 << 21) - 4096 > 2^32 records */
};

struct sk_trace {
    struct sk_rec *chunk[NCHUNK];
    atomic_size_t count;   /* records published */
};

static inline void rec_locate(size_t i, unsigned *k, size_t *off)
{
    unsigned long long x = (unsigned long long)i + (1ull << CHUNK0_BITS);
    unsigned msb = 63u - (unsigned)__builtin_clzll(x);
    *k = msb - CHUNK0_BITS;
    *off = (size_t)(x - (1ull << msb));
}

struct sk_trace *sk_trace_new(void)
{
    struct sk_trace *t = calloc(1, sizeof *t);
    if (t)
        atomic_init(&t->count, 0);
    return t;
}

void sk_trace_free(struct sk_trace *t)
{
    if (!t)
        return;
    for (unsigned k = 0; k < NCHUNK; k++)
        free(t->chunk[k]);
    free(t);
}

int sk_trace_add(struct sk_trace *t, const struct sk_rec *r)
{
    size_t n = atomic_load_explicit(&t->count, memory_order_relaxed);
    unsigned k;
    size_t off;
    rec_locate(n, &k, &off);
    if (k >= NCHUNK)
        return -1;
    if (!t->chunk[k]) {
        size_t cap = (size_t)1 << (CHUNK0_BITS + k);
        t->chunk[k] = malloc(cap * sizeof(struct sk_rec));
        if (!t->chunk[k])
            return -1;
    }
    t->chunk[k][off] = *r;
    atomic_store_explicit(&t->count, n + 1, memory_order_release);
    return 0;
}

size_t sk_trace_count(const struct sk_trace *t)
{
    return atomic_load_explicit(&t->count, memory_order_acquire);
}

const struct sk_rec *sk_trace_get(const struct sk_trace *t, size_t i)
{
    if (i >= sk_trace_count(t))
        return NULL;
    unsigned k;
    size_t off;
    rec_locate(i, &k, &off);
    return &t->chunk[k][off];
}

/* The records written and the directory. A chunk's tail beyond the last
 * record is never touched, so the system does not back it with memory (big
 * chunks are mmap'd by malloc): this is what the trace costs in RSS. */
size_t sk_trace_bytes(const struct sk_trace *t)
{
    return sizeof *t + sk_trace_count(t) * sizeof(struct sk_rec);
}
