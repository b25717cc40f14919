/* conv.h — conversations: the packets of one TCP connection, one UDP flow, one
 * ICMP exchange, found by a hash table keyed by the canonical 5-tuple.
 *
 * Each conversation knows its client: the side that sent the first SYN (or
 * received the first SYN-ACK); for a capture that starts mid-stream, the side
 * with the ephemeral port; for UDP, the first sender unless the ports say
 * otherwise (a well-known port is a server's). Ids are stream indexes, from 0,
 * in order of first packet, as Wireshark's tcp.stream / udp.stream count them
 * (one sequence for all protocols).
 *
 * An ICMP/ICMPv6 error that quotes a datagram of a known conversation belongs
 * to that conversation (so "port unreachable" shows up on the UDP flow it
 * answers). A new SYN on the tuple of a connection that has ended starts a new
 * conversation (port reuse): the analyzer asks the TCP tracker and calls
 * sk_convtab_renew, so this module knows nothing of TCP states.
 */
#ifndef SK_CONV_H
#define SK_CONV_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "decode.h"
#include "tcp.h"

#define SK_NO_CONV UINT32_MAX

/* How the client was chosen. */
enum sk_client_by {
    SK_BY_SYN = 0,   /* it sent the first SYN */
    SK_BY_SYNACK,    /* it received the first SYN-ACK */
    SK_BY_PORT,      /* it has the ephemeral port (the other a well-known one) */
    SK_BY_FIRST      /* it sent the first packet seen */
};

struct sk_conv {
    uint32_t id;             /* stream index, from 0 */
    uint8_t proto;           /* IP protocol: 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ... */
    uint8_t client_by;       /* enum sk_client_by */
    uint16_t port[2];        /* [SK_CLIENT], [SK_SERVER]; 0 where the protocol has none */
    struct sk_addr addr[2];  /* [SK_CLIENT], [SK_SERVER] */
    uint64_t pkts[2];        /* packets sent by the client [0] and by the server [1] */
    uint64_t bytes[2];       /* payload bytes sent by each (per the headers) */
    uint64_t wire[2];        /* frame bytes on the wire sent by each */
    uint32_t icmp[2];        /* ICMP errors about it sent from each side (counted in
                                pkts and wire, not in bytes: they carry no data of it) */
    int64_t first_ts, last_ts; /* ns since the epoch */
    uint32_t first_n, last_n;  /* frame numbers */
    struct sk_tcp_conv tcp;  /* TCP tracking (zero for other protocols) */
};

struct sk_convtab;

/* A new, empty table; NULL when out of memory. Owner: caller, sk_convtab_free. */
struct sk_convtab *sk_convtab_new(void);
void sk_convtab_free(struct sk_convtab *t);

/* The conversation of decoded packet p, created if new (then *created is 1);
 * *dir gets SK_C2S or SK_S2C. Returns NULL for packets that belong to none
 * (non-IP, a later fragment, a packet cut before its ports), and when out of
 * memory (*created is then -1). Counts nothing: see sk_conv_account. */
struct sk_conv *sk_convtab_find(struct sk_convtab *t, const struct sk_packet *p, int *dir,
                                int *created);

/* Starts a new conversation for p's tuple, replacing the one found so far
 * (port reuse: the TCP tracker saw a new SYN on an ended connection). *dir is
 * set as for a new conversation. NULL when out of memory. */
struct sk_conv *sk_convtab_renew(struct sk_convtab *t, const struct sk_packet *p, int *dir);

/* Counts packet p, sent by side dir, in c: pkts, bytes, wire, times, numbers;
 * an ICMP error about c's traffic counts in icmp instead of bytes. */
void sk_conv_account(struct sk_conv *c, int dir, const struct sk_packet *p);

/* Number of conversations so far, and conversation number id (NULL if none).
 * Pointers stay valid until sk_convtab_free (conversations never move). */
size_t sk_convtab_count(const struct sk_convtab *t);
struct sk_conv *sk_convtab_get(const struct sk_convtab *t, uint32_t id);

/* "TCP", "UDP", "ICMP", "ICMPv6", or the IP protocol's name or number. buf: 16 bytes. */
const char *sk_conv_proto_name(const struct sk_conv *c, char *buf);

#endif
