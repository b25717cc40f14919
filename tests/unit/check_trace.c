/* check_trace.c — the chunked record store, read while it grows (core/trace.c). */
#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <string.h>

#include "trace.h"

/* An assertion for hot loops: Check's ck_assert reports every passing check
 * to the parent process (fork mode), which makes loops of 100,000 slow under
 * the sanitizers; this one only speaks on failure. */
#define must(cond) do { if (!(cond)) ck_abort_msg("failed: %s", #cond); } while (0)

/* A record whose every field follows from i, so a reader can verify it. */
static struct sk_rec rec_of(size_t i)
{
    struct sk_rec r;
    memset(&r, 0, sizeof r);
    r.ts_ns = (int64_t)i * 1000 + 7;
    r.off = 24 + (uint64_t)i * 80;
    r.n = (uint32_t)i + 1;
    r.conv = (uint32_t)(i % 97);
    r.seq = (uint32_t)(i * 2654435761u);
    r.ack = ~r.seq;
    r.events = (uint32_t)i ^ 0x5a5a5a5au;
    r.aux = (uint32_t)i >> 3;
    r.len = (uint16_t)i;
    r.win = (uint16_t)(i >> 16);
    r.flags = (uint8_t)i;
    r.kind = (uint8_t)(i % 7);
    r.states = (uint8_t)(i >> 8);
    r.status = (uint8_t)(i % 3);
    return r;
}

static bool rec_ok(const struct sk_rec *r, size_t i)
{
    struct sk_rec want = rec_of(i);
    return memcmp(r, &want, sizeof want) == 0;
}

START_TEST(test_empty)
{
    struct sk_trace *t = sk_trace_new();
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(sk_trace_count(t), 0);
    ck_assert_ptr_null(sk_trace_get(t, 0));
    ck_assert_uint_lt(sk_trace_bytes(t), 4096);
    sk_trace_free(t);
    sk_trace_free(NULL);
}
END_TEST

START_TEST(test_add_get_across_chunks)
{
    enum { N = 300000 }; /* well past several chunk boundaries */
    struct sk_trace *t = sk_trace_new();
    const struct sk_rec *first = NULL;
    for (size_t i = 0; i < N; i++) {
        struct sk_rec r = rec_of(i);
        must(sk_trace_add(t, &r) == 0);
        if (i == 0)
            first = sk_trace_get(t, 0);
    }
    ck_assert_uint_eq(sk_trace_count(t), N);
    for (size_t i = 0; i < N; i++)
        must(rec_ok(sk_trace_get(t, i), i));
    ck_assert_ptr_null(sk_trace_get(t, N));
    /* Records never move. */
    ck_assert_ptr_eq(sk_trace_get(t, 0), first);
    /* Chunk edges: each record is its own, contiguous with its neighbour in a chunk. */
    for (size_t i = 4090; i < 4100; i++)
        ck_assert_uint_eq(sk_trace_get(t, i)->n, i + 1);
    /* About 48 bytes a record. */
    ck_assert_uint_ge(sk_trace_bytes(t), (size_t)N * 48);
    ck_assert_uint_lt(sk_trace_bytes(t), (size_t)N * 48 + 4096);
    sk_trace_free(t);
}
END_TEST

struct shared {
    struct sk_trace *t;
    size_t total;
    atomic_bool done;
    size_t bad;       /* records a reader saw wrong */
    size_t reads;     /* records it checked */
    size_t max_seen;  /* the largest count it saw */
};

static void *reader(void *arg)
{
    struct shared *sh = arg;
    size_t checked = 0;
    for (;;) {
        bool finished = atomic_load(&sh->done);
        size_t n = sk_trace_count(sh->t);
        if (n > sh->max_seen)
            sh->max_seen = n;
        /* The newest records (just published) and a spread of older ones. */
        for (size_t k = 0; k < 64 && k < n; k++) {
            size_t i = n - 1 - k;
            const struct sk_rec *r = sk_trace_get(sh->t, i);
            if (!r || !rec_ok(r, i))
                sh->bad++;
            size_t j = (i * 7919) % n;
            r = sk_trace_get(sh->t, j);
            if (!r || !rec_ok(r, j))
                sh->bad++;
            checked += 2;
        }
        if (finished)
            break;
    }
    sh->reads = checked;
    return NULL;
}

START_TEST(test_concurrent_reader)
{
    struct shared sh = {.t = sk_trace_new(), .total = 400000};
    atomic_init(&sh.done, false);
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, reader, &sh), 0);
    for (size_t i = 0; i < sh.total; i++) {
        struct sk_rec r = rec_of(i);
        must(sk_trace_add(sh.t, &r) == 0);
    }
    atomic_store(&sh.done, true);
    pthread_join(th, NULL);
    ck_assert_uint_eq(sh.bad, 0);
    ck_assert_uint_gt(sh.reads, 0);
    ck_assert_uint_eq(sh.max_seen, sh.total);
    sk_trace_free(sh.t);
}
END_TEST

Suite *trace_suite(void); /* found by the runner (tests/unit/main.c) */

Suite *trace_suite(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("Core");
    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_add_get_across_chunks);
    suite_add_tcase(s, tc);
    TCase *tt = tcase_create("Threads");
    tcase_set_timeout(tt, 60);
    tcase_add_test(tt, test_concurrent_reader);
    suite_add_tcase(s, tt);
    return s;
}
