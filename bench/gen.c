/* gen.c — writes the benchmark capture: many interleaved TCP conversations
 * (handshake, data both ways with ACKs, FIN close) plus some UDP, as a real
 * kernel would put them on an Ethernet link. Deterministic for a given seed.
 *
 *   gen [-n PACKETS] [-c CONCURRENT] [-s SEED] OUTPUT.pcap
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXPKT 1600

/* xorshift64*: small, fast, reproducible. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

struct conn {
    uint32_t caddr, saddr;
    uint16_t cport, sport;
    uint32_t cseq, sseq;  /* next sequence number of each side */
    int phase;            /* 0 SYN, 1 SYN-ACK, 2 ACK, 3 data, 4.. close */
    int data_left;        /* data segments before closing */
    int pending_ack;      /* 1 if the last data segment awaits its ACK; 2 if the server's */
    int closer;           /* 0 client closes first, 1 server */
};

static pcap_dumper_t *dumper;
static uint64_t now_us = 1700000000ull * 1000000ull;
static uint64_t written;

static void emit(const uint8_t *frame, uint32_t len)
{
    struct pcap_pkthdr h;
    now_us += 1 + rnd() % 40;
    h.ts.tv_sec = (time_t)(now_us / 1000000);
    h.ts.tv_usec = (suseconds_t)(now_us % 1000000);
    h.caplen = h.len = len;
    pcap_dump((u_char *)dumper, &h, frame);
    written++;
}

/* Ethernet + IPv4 header for proto; returns the offset of the transport header. */
static size_t ip_header(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto, size_t l4len)
{
    static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 1}, mac_b[6] = {0x02, 0, 0, 0, 0, 2};
    memcpy(f, mac_b, 6);
    memcpy(f + 6, mac_a, 6);
    put16(f + 12, 0x0800);
    uint8_t *ip = f + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(20 + l4len));
    put16(ip + 4, (uint16_t)rnd());
    ip[6] = 0x40; /* DF */
    ip[8] = 64;
    ip[9] = proto;
    put32(ip + 12, src);
    put32(ip + 16, dst);
    put16(ip + 10, ip_checksum(ip, 20));
    return 34;
}

static void tcp_seg(const struct conn *c, int from_server, uint8_t flags, uint32_t seq,
                    uint32_t ack, uint16_t paylen, int syn_opts)
{
    uint8_t f[MAXPKT];
    size_t optlen = syn_opts ? 20 : 12;
    size_t l4 = 20 + optlen + paylen;
    size_t off = from_server ? ip_header(f, c->saddr, c->caddr, 6, l4)
                             : ip_header(f, c->caddr, c->saddr, 6, l4);
    uint8_t *t = f + off;
    memset(t, 0, 20 + optlen);
    put16(t, from_server ? c->sport : c->cport);
    put16(t + 2, from_server ? c->cport : c->sport);
    put32(t + 4, seq);
    put32(t + 8, ack);
    t[12] = (uint8_t)(((20 + optlen) / 4) << 4);
    t[13] = flags;
    put16(t + 14, syn_opts ? 64240 : 502);
    uint8_t *o = t + 20;
    if (syn_opts) { /* mss 1460, sackOK, TS, nop, wscale 7 */
        const uint8_t opts[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
        memcpy(o, opts, 20);
    } else { /* nop, nop, TS */
        const uint8_t opts[12] = {1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1};
        memcpy(o, opts, 12);
    }
    uint8_t *pl = o + optlen;
    for (uint16_t i = 0; i < paylen; i++)
        pl[i] = (uint8_t)('a' + (i % 26));
    emit(f, (uint32_t)(off + l4));
}

/* A datagram of one of 64 UDP flows (a client's request, or the server's
 * reply), like the labs' sender and receiver talking. */
static void udp_dgram(void)
{
    uint8_t f[MAXPKT];
    uint16_t paylen = (uint16_t)(8 + rnd() % 200);
    uint32_t flow = rnd() % 64;
    uint32_t client = 0x0a000000u | (flow * 3 % 250 + 1), server = 0x0a010001u;
    uint16_t cport = (uint16_t)(40000 + flow * 17), sport = 7777;
    int reply = (int)(rnd() % 2);
    size_t off = reply ? ip_header(f, server, client, 17, 8u + paylen)
                       : ip_header(f, client, server, 17, 8u + paylen);
    uint8_t *u = f + off;
    put16(u, reply ? sport : cport);
    put16(u + 2, reply ? cport : sport);
    put16(u + 4, (uint16_t)(8 + paylen));
    put16(u + 6, 0);
    for (uint16_t i = 0; i < paylen; i++)
        u[8 + i] = (uint8_t)('A' + (i % 26));
    emit(f, (uint32_t)(off + 8 + paylen));
}

static uint32_t next_client = 1;

static void conn_new(struct conn *c)
{
    c->caddr = 0x0a000000u | (next_client % 250 + 1);
    c->saddr = 0x0a010001u + (next_client % 7);
    c->cport = (uint16_t)(32768 + (next_client * 7919u) % 28000);
    c->sport = (uint16_t)(next_client % 3 ? 6666 : 80);
    next_client++;
    c->cseq = rnd();
    c->sseq = rnd();
    c->phase = 0;
    c->data_left = 4 + (int)(rnd() % 40);
    c->pending_ack = 0;
    c->closer = (int)(rnd() % 2);
}

/* Emits the next packet of c; returns 0 when the connection has finished. */
static int conn_step(struct conn *c)
{
    const uint8_t S = 0x02, A = 0x10, P = 0x08, F = 0x01;
    switch (c->phase) {
    case 0: tcp_seg(c, 0, S, c->cseq, 0, 0, 1); c->cseq++; c->phase = 1; return 1;
    case 1: tcp_seg(c, 1, S | A, c->sseq, c->cseq, 0, 1); c->sseq++; c->phase = 2; return 1;
    case 2: tcp_seg(c, 0, A, c->cseq, c->sseq, 0, 0); c->phase = 3; return 1;
    case 3:
        if (c->pending_ack) { /* the receiver acknowledges the last segment */
            int ack_from_server = c->pending_ack == 1;
            tcp_seg(c, ack_from_server, A, ack_from_server ? c->sseq : c->cseq,
                    ack_from_server ? c->cseq : c->sseq, 0, 0);
            c->pending_ack = 0;
            return 1;
        }
        if (c->data_left-- > 0) {
            int from_server = (int)(rnd() % 2);
            uint16_t len = (uint16_t)(1 + rnd() % 300);
            if (from_server) {
                tcp_seg(c, 1, P | A, c->sseq, c->cseq, len, 0);
                c->sseq += len;
                c->pending_ack = 2;
            } else {
                tcp_seg(c, 0, P | A, c->cseq, c->sseq, len, 0);
                c->cseq += len;
                c->pending_ack = 1;
            }
            return 1;
        }
        c->phase = 4;
        /* fall through */
    case 4: { /* first FIN */
        int s = c->closer;
        tcp_seg(c, s, F | A, s ? c->sseq : c->cseq, s ? c->cseq : c->sseq, 0, 0);
        if (s) c->sseq++; else c->cseq++;
        c->phase = 5;
        return 1;
    }
    case 5: { /* the other side's FIN (acking the first) */
        int s = !c->closer;
        tcp_seg(c, s, F | A, s ? c->sseq : c->cseq, s ? c->cseq : c->sseq, 0, 0);
        if (s) c->sseq++; else c->cseq++;
        c->phase = 6;
        return 1;
    }
    case 6: { /* last ACK from the first closer */
        int s = c->closer;
        tcp_seg(c, s, A, s ? c->sseq : c->cseq, s ? c->cseq : c->sseq, 0, 0);
        return 0;
    }
    }
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t want = 1000000;
    int concurrent = 300;
    int opt;
    while ((opt = getopt(argc, argv, "n:c:s:")) != -1) {
        switch (opt) {
        case 'n': want = strtoull(optarg, NULL, 10); break;
        case 'c': concurrent = atoi(optarg); break;
        case 's': rng_state = strtoull(optarg, NULL, 10) | 1; break;
        default:
            fprintf(stderr, "usage: gen [-n PACKETS] [-c CONCURRENT] [-s SEED] OUTPUT.pcap\n");
            return 2;
        }
    }
    if (optind != argc - 1 || concurrent < 1 || want == 0) {
        fprintf(stderr, "usage: gen [-n PACKETS] [-c CONCURRENT] [-s SEED] OUTPUT.pcap\n");
        return 2;
    }
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
    dumper = pcap_dump_open(dead, argv[optind]);
    if (!dumper) {
        fprintf(stderr, "gen: %s\n", pcap_geterr(dead));
        return 1;
    }
    struct conn *conns = calloc((size_t)concurrent, sizeof *conns);
    if (!conns)
        return 1;
    for (int i = 0; i < concurrent; i++)
        conn_new(&conns[i]);
    while (written < want) {
        if (rnd() % 20 == 0) { /* about 5% UDP */
            udp_dgram();
            continue;
        }
        struct conn *c = &conns[rnd() % (uint32_t)concurrent];
        if (!conn_step(c))
            conn_new(c);
    }
    pcap_dump_close(dumper);
    pcap_close(dead);
    free(conns);
    return 0;
}
