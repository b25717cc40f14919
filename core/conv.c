/* conv.c — the conversation table: a hash on the canonical 5-tuple, the choice of client, the counts (conv.h). */
#include "conv.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Conversations live in chunks that never move, so that pointers handed out
 * stay valid while the table grows: chunk k holds CHUNK0 << k of them, and a
 * fixed directory of NCHUNK chunks covers every 32-bit id. Doubling chunks
 * keep small captures small (the first chunk is CHUNK0 conversations) and
 * a million conversations to a few dozen allocations.
 *
 * The index is open addressing with linear probing over (hash, id + 1) slots,
 * at most half full. A slot keeps the hash, so growing never touches the
 * conversations, and a probe compares keys only when the hashes agree.
 */
enum {
    CHUNK0_BITS = 8,
    NCHUNK = 25,         /* (CHUNK0 << 25) - CHUNK0 > UINT32_MAX ids */
    SLOTS0 = 64          /* first index size: a power of two */
};

/* What else the key holds besides addresses, ports and protocol. */
enum key_kind {
    KEY_PORTS = 0,   /* TCP, UDP: the 5-tuple */
    KEY_ECHO,        /* ICMP/ICMPv6 echo: addresses and the identifier */
    KEY_ADDRS        /* other ICMP, other IP protocols: addresses only */
};

struct node {
    struct sk_conv c;   /* first: what sk_convtab_get hands out */
    uint16_t xid;       /* echo identifier (KEY_ECHO) */
    uint8_t kind;       /* enum key_kind */
};

struct slot {
    uint32_t hash;
    uint32_t id1;       /* conversation id + 1; 0: empty */
};

struct sk_convtab {
    struct slot *slots;
    size_t mask;                /* slots - 1 */
    size_t used;                /* slots in use */
    struct node *chunk[NCHUNK];
    atomic_size_t count;        /* conversations; published with release */
    uint64_t seed;
};

/* A packet's tuple, as it travels (a = sender). */
struct key {
    const struct sk_addr *a, *b;
    uint16_t pa, pb;
    uint8_t proto;
    uint8_t kind;
    uint16_t xid;
};

/* ------------------------------------------------------------------ storage */

static inline void conv_locate(uint32_t id, unsigned *k, size_t *off)
{
    uint64_t x = (uint64_t)id + (1u << CHUNK0_BITS);
    unsigned msb = 63u - (unsigned)__builtin_clzll(x);
    *k = msb - CHUNK0_BITS;
    *off = (size_t)(x - (1ull << msb));
}

static inline struct node *node_at(const struct sk_convtab *t, uint32_t id)
{
    unsigned k;
    size_t off;
    conv_locate(id, &k, &off);
    return &t->chunk[k][off];
}

struct sk_convtab *sk_convtab_new(void)
{
    struct sk_convtab *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->slots = calloc(SLOTS0, sizeof *t->slots);
    if (!t->slots) {
        free(t);
        return NULL;
    }
    t->mask = SLOTS0 - 1;
    atomic_init(&t->count, 0);
    /* Where the table landed varies from run to run (ASLR): a capture crafted
     * to make all its tuples collide cannot know the seed. */
    t->seed = (uint64_t)(uintptr_t)t * 0x9e3779b97f4a7c15ull ^ 0x5bd1e9955bd1e995ull;
    return t;
}

void sk_convtab_free(struct sk_convtab *t)
{
    if (!t)
        return;
    for (unsigned k = 0; k < NCHUNK; k++)
        free(t->chunk[k]);
    free(t->slots);
    free(t);
}

size_t sk_convtab_count(const struct sk_convtab *t)
{
    return atomic_load_explicit(&t->count, memory_order_acquire);
}

struct sk_conv *sk_convtab_get(const struct sk_convtab *t, uint32_t id)
{
    if (id >= sk_convtab_count(t))
        return NULL;
    return &node_at(t, id)->c;
}

/* ------------------------------------------------------------------ keys */

static inline uint64_t load64(const uint8_t *b)
{
    uint64_t w;
    memcpy(&w, b, 8);
    return w;
}

static inline bool addr_eq(const struct sk_addr *x, const struct sk_addr *y)
{
    /* Unused bytes are zero (addr.h), so whole-array compares are exact. */
    return x->family == y->family && load64(x->b) == load64(y->b) &&
           load64(x->b + 8) == load64(y->b + 8);
}

static inline uint64_t mix(uint64_t h, uint64_t w)
{
    h ^= w;
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 33);
}

/* The same for both directions: the endpoints are hashed in a fixed order. */
static uint32_t key_hash(const struct sk_convtab *t, const struct key *k)
{
    const struct sk_addr *lo = k->a, *hi = k->b;
    uint16_t plo = k->pa, phi = k->pb;
    int c = memcmp(k->a->b, k->b->b, sizeof k->a->b);
    if (c > 0 || (c == 0 && k->pa > k->pb)) {
        lo = k->b;
        hi = k->a;
        plo = k->pb;
        phi = k->pa;
    }
    uint64_t h = t->seed;
    h = mix(h, (uint64_t)lo->family | (uint64_t)k->proto << 8 | (uint64_t)k->kind << 16 |
                   (uint64_t)k->xid << 24 | (uint64_t)plo << 40);
    h = mix(h, (uint64_t)phi);
    h = mix(h, load64(lo->b));
    h = mix(h, load64(hi->b));
    if (lo->family == 6) {
        h = mix(h, load64(lo->b + 8));
        h = mix(h, load64(hi->b + 8));
    }
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return (uint32_t)h;
}

/* Does conversation n have tuple k? *dir: k's sender is its client (C2S) or server. */
static inline bool key_match(const struct node *n, const struct key *k, int *dir)
{
    const struct sk_conv *c = &n->c;
    if (c->proto != k->proto || n->kind != k->kind || n->xid != k->xid)
        return false;
    if (c->port[SK_CLIENT] == k->pa && c->port[SK_SERVER] == k->pb &&
        addr_eq(&c->addr[SK_CLIENT], k->a) && addr_eq(&c->addr[SK_SERVER], k->b)) {
        *dir = SK_C2S;
        return true;
    }
    if (c->port[SK_SERVER] == k->pa && c->port[SK_CLIENT] == k->pb &&
        addr_eq(&c->addr[SK_SERVER], k->a) && addr_eq(&c->addr[SK_CLIENT], k->b)) {
        *dir = SK_S2C;
        return true;
    }
    return false;
}

/* The slot holding k's conversation, or the empty slot where it would go. */
static struct slot *lookup(const struct sk_convtab *t, const struct key *k, uint32_t h, int *dir)
{
    size_t i = h & t->mask;
    for (;;) {
        struct slot *s = &t->slots[i];
        if (s->id1 == 0)
            return s;
        if (s->hash == h && key_match(node_at(t, s->id1 - 1), k, dir))
            return s;
        i = (i + 1) & t->mask;
    }
}

static bool grow_index(struct sk_convtab *t)
{
    size_t cap = (t->mask + 1) * 2;
    struct slot *ns = calloc(cap, sizeof *ns);
    if (!ns)
        return false;
    for (size_t i = 0; i <= t->mask; i++) {
        struct slot s = t->slots[i];
        if (s.id1 == 0)
            continue;
        size_t j = s.hash & (cap - 1);
        while (ns[j].id1 != 0)
            j = (j + 1) & (cap - 1);
        ns[j] = s;
    }
    free(t->slots);
    t->slots = ns;
    t->mask = cap - 1;
    return true;
}

/* The tuple of p; false for packets that have none (conv.h). */
static bool packet_key(const struct sk_packet *p, struct key *k)
{
    if ((p->l3 != SK_L3_IPV4 && p->l3 != SK_L3_IPV6) || p->src.family == 0)
        return false;
    k->a = &p->src;
    k->b = &p->dst;
    k->pa = k->pb = 0;
    k->xid = 0;
    k->kind = KEY_ADDRS;
    switch (p->l4) {
    case SK_L4_TCP:
    case SK_L4_UDP:
        /* The ports are the first 4 bytes of either header. */
        if ((uint64_t)p->l4_off + 4 > p->caplen)
            return false;
        k->proto = p->l4 == SK_L4_TCP ? 6 : 17;
        k->kind = KEY_PORTS;
        k->pa = p->sport;
        k->pb = p->dport;
        return true;
    case SK_L4_ICMP:
    case SK_L4_ICMP6: {
        bool v6 = p->l4 == SK_L4_ICMP6;
        uint8_t req = v6 ? 128 : 8, rep = v6 ? 129 : 0;
        k->proto = v6 ? 58 : 1;
        /* Echo identifier: bytes 4-5 of the message (RFC 792, RFC 4443 §4.1). */
        if ((p->icmp.type == req || p->icmp.type == rep) &&
            (uint64_t)p->l4_off + 6 <= p->caplen) {
            k->kind = KEY_ECHO;
            k->xid = p->icmp.id;
        }
        return true;
    }
    case SK_L4_OTHER:
        k->proto = p->ip_proto;
        return true;
    case SK_L4_NONE:
        break;
    }
    return false;
}

/* An ICMP error message (RFC 792; RFC 4443 §2.1: ICMPv6 types below 128). */
static bool icmp_is_error(const struct sk_packet *p)
{
    uint8_t t = p->icmp.type;
    if (p->l4 == SK_L4_ICMP)
        return t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
    return p->l4 == SK_L4_ICMP6 && t < 128;
}

/* ------------------------------------------------------------------ client */

/* 0 if p's sender is the client, 1 if its receiver is (conv.h). */
static int choose_client(const struct sk_packet *p, const struct key *k, uint8_t *by)
{
    if (k->proto == 6) {
        uint8_t f = p->tcp.flags;
        if ((f & SK_TH_SYN) && !(f & SK_TH_ACK)) {
            *by = SK_BY_SYN;
            return 0;
        }
        if ((f & SK_TH_SYN) && (f & SK_TH_ACK)) {
            *by = SK_BY_SYNACK;
            return 1;
        }
    }
    if (k->kind == KEY_PORTS) {
        /* A well-known port is a server's; failing that, the one port in the
         * usual ephemeral range (Linux 32768-60999, IANA 49152-65535) is the
         * client's. */
        bool alow = k->pa < 1024, blow = k->pb < 1024;
        if (alow != blow) {
            *by = SK_BY_PORT;
            return alow ? 1 : 0;
        }
        bool ahigh = k->pa >= 32768, bhigh = k->pb >= 32768;
        if (ahigh != bhigh) {
            *by = SK_BY_PORT;
            return ahigh ? 0 : 1;
        }
    }
    *by = SK_BY_FIRST;
    return 0;
}

/* A new conversation for k, first packet p; NULL when out of memory or ids. */
static struct node *conv_create(struct sk_convtab *t, const struct sk_packet *p,
                                const struct key *k, int *dir)
{
    size_t id = atomic_load_explicit(&t->count, memory_order_relaxed);
    if (id >= SK_NO_CONV)
        return NULL;
    unsigned ck;
    size_t off;
    conv_locate((uint32_t)id, &ck, &off);
    if (!t->chunk[ck]) {
        /* malloc, not calloc: untouched pages of a big chunk cost no memory. */
        t->chunk[ck] = malloc(sizeof(struct node) << (CHUNK0_BITS + ck));
        if (!t->chunk[ck])
            return NULL;
    }
    struct node *n = &t->chunk[ck][off];
    memset(n, 0, sizeof *n);
    uint8_t by;
    int rcv_is_client = choose_client(p, k, &by);
    const struct sk_addr *cli = rcv_is_client ? k->b : k->a, *srv = rcv_is_client ? k->a : k->b;
    n->c.id = (uint32_t)id;
    n->c.proto = k->proto;
    n->c.client_by = by;
    n->c.addr[SK_CLIENT] = *cli;
    n->c.addr[SK_SERVER] = *srv;
    n->c.port[SK_CLIENT] = rcv_is_client ? k->pb : k->pa;
    n->c.port[SK_SERVER] = rcv_is_client ? k->pa : k->pb;
    n->c.first_ts = n->c.last_ts = p->ts_ns;
    n->c.first_n = n->c.last_n = p->n;
    n->kind = k->kind;
    n->xid = k->xid;
    *dir = rcv_is_client ? SK_S2C : SK_C2S;
    atomic_store_explicit(&t->count, id + 1, memory_order_release);
    return n;
}

/* Finds or (when create) makes the conversation of key k. */
static struct sk_conv *find_key(struct sk_convtab *t, const struct sk_packet *p,
                                const struct key *k, int *dir, int *created, bool renew)
{
    uint32_t h = key_hash(t, k);
    struct slot *s = lookup(t, k, h, dir);
    if (s->id1 != 0 && !renew)
        return &node_at(t, s->id1 - 1)->c;
    if (s->id1 == 0 && (t->used + 1) * 2 > t->mask + 1) {
        if (!grow_index(t)) {
            *created = -1;
            return NULL;
        }
        s = lookup(t, k, h, dir);
    }
    struct node *n = conv_create(t, p, k, dir);
    if (!n) {
        *created = -1;
        return NULL;
    }
    if (s->id1 == 0)
        t->used++;
    s->hash = h;
    s->id1 = n->c.id + 1;
    *created = 1;
    return &n->c;
}

struct sk_conv *sk_convtab_find(struct sk_convtab *t, const struct sk_packet *p, int *dir,
                                int *created)
{
    struct key k;
    int dummy_created, dummy_dir;
    if (!created)
        created = &dummy_created;
    if (!dir)
        dir = &dummy_dir;
    *created = 0;
    if (!packet_key(p, &k))
        return NULL;
    if (k.kind != KEY_PORTS && icmp_is_error(p) && p->icmp.q.valid && p->icmp.q.has_ports &&
        (p->icmp.q.proto == 6 || p->icmp.q.proto == 17)) {
        /* The error belongs to the conversation of the datagram it quotes, as
         * sent by that datagram's receiver; a quote never creates one. */
        const struct sk_quoted *q = &p->icmp.q;
        struct key qk = {&q->src, &q->dst, q->sport, q->dport, q->proto, KEY_PORTS, 0};
        int qdir;
        struct slot *s = lookup(t, &qk, key_hash(t, &qk), &qdir);
        if (s->id1 != 0) {
            *dir = qdir == SK_C2S ? SK_S2C : SK_C2S;
            return &node_at(t, s->id1 - 1)->c;
        }
    }
    return find_key(t, p, &k, dir, created, false);
}

struct sk_conv *sk_convtab_renew(struct sk_convtab *t, const struct sk_packet *p, int *dir)
{
    struct key k;
    int created;
    if (!packet_key(p, &k))
        return NULL;
    return find_key(t, p, &k, dir, &created, true);
}

void sk_conv_account(struct sk_conv *c, int dir, const struct sk_packet *p)
{
    int d = dir ? 1 : 0;
    if (c->pkts[0] + c->pkts[1] == 0) {
        c->first_ts = p->ts_ns;
        c->first_n = p->n;
    }
    c->pkts[d]++;
    bool icmp_about_c = (p->l4 == SK_L4_ICMP || p->l4 == SK_L4_ICMP6) && c->proto != p->ip_proto;
    if (icmp_about_c)
        c->icmp[d]++;
    else
        c->bytes[d] += p->payload_len;
    c->wire[d] += p->wirelen;
    c->last_ts = p->ts_ns;
    c->last_n = p->n;
}

/* IP protocol numbers (IANA "Assigned Internet Protocol Numbers"). */
static const struct {
    uint8_t proto;
    const char *name;
} proto_names[] = {
    {1, "ICMP"}, {2, "IGMP"}, {4, "IPIP"}, {6, "TCP"}, {17, "UDP"}, {33, "DCCP"},
    {41, "IPv6"}, {47, "GRE"}, {50, "ESP"}, {51, "AH"}, {58, "ICMPv6"}, {88, "EIGRP"},
    {89, "OSPF"}, {103, "PIM"}, {112, "VRRP"}, {132, "SCTP"}, {136, "UDPLite"},
};

const char *sk_conv_proto_name(const struct sk_conv *c, char *buf)
{
    for (size_t i = 0; i < sizeof proto_names / sizeof proto_names[0]; i++)
        if (proto_names[i].proto == c->proto)
            return proto_names[i].name;
    snprintf(buf, 16, "%u", (unsigned)c->proto);
    return buf;
}
