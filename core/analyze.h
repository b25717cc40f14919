/* analyze.h — the pipeline for one packet: decode → conversation → TCP tracking
 * → trace record. Every view (--text, --json, --summary, the UI, check) feeds
 * packets through an analyzer and reads what it fills.
 */
#ifndef SK_ANALYZE_H
#define SK_ANALYZE_H

#include "conv.h"
#include "decode.h"
#include "source.h"
#include "tcp.h"
#include "trace.h"

struct sk_analyzer;

/* A new analyzer for packets of link type dlt; NULL when out of memory.
 * Owner: caller, sk_analyzer_free. */
struct sk_analyzer *sk_analyzer_new(int dlt);
void sk_analyzer_free(struct sk_analyzer *a);

/* Everything the analyzer learnt about one packet. */
struct sk_result {
    struct sk_packet pkt;      /* decoded; borrows raw->data */
    struct sk_rec rec;         /* the compact record (append it to a trace if kept) */
    struct sk_conv *conv;      /* its conversation, NULL if none */
    struct sk_tcp_result tcp;  /* TCP only: events, states before and after */
    int created;               /* 1 if this packet opened a new conversation */
};

/* Analyses one record; fills *res. -1 only when out of memory (err says so);
 * undecodable packets are results too (res->rec.status, res->pkt.why). */
int sk_analyzer_add(struct sk_analyzer *a, const struct sk_raw *raw, struct sk_result *res,
                    char *err);

/* The conversations seen so far (owned by the analyzer). */
struct sk_convtab *sk_analyzer_convs(const struct sk_analyzer *a);

int sk_analyzer_datalink(const struct sk_analyzer *a);

#endif
