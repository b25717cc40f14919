/* check_source.c — capture files in, capture files out, re-reading by offset, clear errors (core/source.c). */
#include <check.h>
#include <grp.h>
#include <malloc.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "source.h"
#include "tmpdir.h"

/* ------------------------------------------------------------------ fixture */

static bool ng_be;

static void setup(void)
{
    ng_be = false;
    tmpdir_make("source");
}

static void teardown(void)
{
    tmpdir_remove();
}

static void write_file(const char *path, const void *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(b, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

/* ------------------------------------------------------------------ frames */

/* An Ethernet + IPv4 + TCP or UDP frame with len payload bytes; returns its size. */
static size_t frame(uint8_t *f, int proto, uint16_t sport, uint16_t dport, size_t len)
{
    size_t l4 = proto == 6 ? 20 : 8, n = 14 + 20 + l4 + len;
    memset(f, 0, n);
    memcpy(f, "\x00\x11\x22\x33\x44\x55\x00\x66\x77\x88\x99\xaa\x08\x00", 14);
    uint8_t *ip = f + 14;
    ip[0] = 0x45;
    ip[2] = (uint8_t)((n - 14) >> 8);
    ip[3] = (uint8_t)(n - 14);
    ip[8] = 64;
    ip[9] = (uint8_t)proto;
    memcpy(ip + 12, "\x7f\x00\x00\x01\x7f\x00\x00\x01", 8);
    uint8_t *th = ip + 20;
    th[0] = (uint8_t)(sport >> 8);
    th[1] = (uint8_t)sport;
    th[2] = (uint8_t)(dport >> 8);
    th[3] = (uint8_t)dport;
    if (proto == 6) {
        th[12] = 0x50;
        th[13] = 0x18;
    } else {
        th[4] = (uint8_t)((8 + len) >> 8);
        th[5] = (uint8_t)(8 + len);
    }
    for (size_t i = 0; i < len; i++)
        th[l4 + i] = (uint8_t)('A' + i % 26);
    return n;
}

/* ------------------------------------------------------------------ byte writers */

struct buf {
    uint8_t b[8192];
    size_t n;
};

static void put(struct buf *w, const void *p, size_t n)
{
    ck_assert_uint_le(w->n + n, sizeof w->b);
    memcpy(w->b + w->n, p, n);
    w->n += n;
}

static void put16(struct buf *w, uint16_t v, bool be)
{
    uint8_t b[2] = {(uint8_t)(be ? v >> 8 : v), (uint8_t)(be ? v : v >> 8)};
    put(w, b, 2);
}

static void put32(struct buf *w, uint32_t v, bool be)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (be ? 24 - 8 * i : 8 * i));
    put(w, b, 4);
}

static void set32(struct buf *w, size_t at, uint32_t v, bool be)
{
    for (int i = 0; i < 4; i++)
        w->b[at + (size_t)i] = (uint8_t)(v >> (be ? 24 - 8 * i : 8 * i));
}

/* A classic pcap file header: magic in the writer's byte order. */
static void pcap_header(struct buf *w, uint32_t magic, bool be, int dlt)
{
    put32(w, magic, be);
    put16(w, 2, be);
    put16(w, 4, be);
    put32(w, 0, be);
    put32(w, 0, be);
    put32(w, 65535, be);
    put32(w, (uint32_t)dlt, be);
}

static void pcap_record(struct buf *w, bool be, uint32_t sec, uint32_t frac,
                        const uint8_t *d, uint32_t caplen, uint32_t wirelen)
{
    put32(w, sec, be);
    put32(w, frac, be);
    put32(w, caplen, be);
    put32(w, wirelen, be);
    put(w, d, caplen);
}

/* pcapng blocks (draft-ietf-opsawg-pcapng), big-endian if ng_be (set above). */

static size_t ng_begin(struct buf *w, uint32_t type)
{
    size_t at = w->n;
    put32(w, type, ng_be);
    put32(w, 0, ng_be);
    return at;
}

static void ng_end(struct buf *w, size_t at)
{
    while (w->n % 4)
        put(w, "", 1);
    uint32_t len = (uint32_t)(w->n - at + 4);
    set32(w, at + 4, len, ng_be);
    put32(w, len, ng_be);
}

static void ng_shb(struct buf *w)
{
    size_t at = ng_begin(w, 0x0a0d0d0a);
    put32(w, 0x1a2b3c4d, ng_be);
    put16(w, 1, ng_be);
    put16(w, 0, ng_be);
    put32(w, 0xffffffff, ng_be); /* section length: unknown */
    put32(w, 0xffffffff, ng_be);
    ng_end(w, at);
}

/* tsresol: 6 (microseconds, the default) or 9 (nanoseconds). */
static void ng_idb(struct buf *w, int tsresol)
{
    size_t at = ng_begin(w, 1);
    put16(w, 1, ng_be); /* LINKTYPE_ETHERNET */
    put16(w, 0, ng_be);
    put32(w, 262144, ng_be);
    if (tsresol != 6) {
        put16(w, 9, ng_be); /* if_tsresol */
        put16(w, 1, ng_be);
        uint8_t r[4] = {(uint8_t)tsresol, 0, 0, 0};
        put(w, r, 4);
    }
    put32(w, 0, ng_be); /* opt_endofopt */
    ng_end(w, at);
}

static void ng_epb(struct buf *w, uint32_t iface, uint64_t ts, const uint8_t *d,
                   uint32_t caplen, uint32_t wirelen)
{
    size_t at = ng_begin(w, 6);
    put32(w, iface, ng_be);
    put32(w, (uint32_t)(ts >> 32), ng_be);
    put32(w, (uint32_t)ts, ng_be);
    put32(w, caplen, ng_be);
    put32(w, wirelen, ng_be);
    put(w, d, caplen);
    ng_end(w, at);
}

/* An Interface Statistics Block: a block libpcap skips. */
static void ng_isb(struct buf *w)
{
    size_t at = ng_begin(w, 5);
    put32(w, 0, ng_be);
    put32(w, 0, ng_be);
    put32(w, 0, ng_be);
    ng_end(w, at);
}

/* ------------------------------------------------------------------ checks */

struct want {
    uint32_t n;
    int64_t ts_ns;
    uint32_t caplen, wirelen;
    const uint8_t *data;
};

/* Reads every record of path; checks them against want and that each one's
 * offset brings the same record back through a reader. */
static void read_all(const char *path, const struct want *want, size_t nwant)
{
    char err[SK_ERRBUF_SIZE] = "";
    struct sk_source *s = sk_source_open_file(path, err);
    ck_assert_msg(s != NULL, "open %s: %s", path, err);
    ck_assert(!sk_source_is_live(s));
    ck_assert_str_eq(sk_source_name(s), path);
    ck_assert_int_eq(sk_source_datalink(s), DLT_EN10MB);
    struct sk_reader *r = sk_reader_open(path, err);
    ck_assert_msg(r != NULL, "reader %s: %s", path, err);
    ck_assert_int_eq(sk_reader_datalink(r), DLT_EN10MB);
    uint64_t offs[16];
    struct sk_raw raw;
    for (size_t i = 0; i < nwant; i++) {
        int got = sk_source_next(s, &raw, err);
        ck_assert_msg(got == 1, "record %zu: %d %s", i + 1, got, err);
        ck_assert_uint_eq(raw.n, want[i].n);
        ck_assert_int_eq(raw.ts_ns, want[i].ts_ns);
        ck_assert_uint_eq(raw.caplen, want[i].caplen);
        ck_assert_uint_eq(raw.wirelen, want[i].wirelen);
        ck_assert(memcmp(raw.data, want[i].data, raw.caplen) == 0);
        offs[i] = raw.off;
        if (i > 0)
            ck_assert_uint_gt(offs[i], offs[i - 1]);
    }
    ck_assert_int_eq(sk_source_next(s, &raw, err), 0);
    ck_assert_int_eq(sk_source_next(s, &raw, err), 0);
    struct sk_stats st;
    ck_assert_int_eq(sk_source_stats(s, &st, err), 0);
    ck_assert_uint_eq(st.received, want[nwant - 1].n);
    ck_assert_uint_eq(st.dropped, 0);
    sk_source_close(s);

    /* Random access, backwards then forwards, twice over. */
    for (int round = 0; round < 2; round++) {
        for (size_t k = 0; k < 2 * nwant; k++) {
            size_t i = k < nwant ? nwant - 1 - k : k - nwant;
            ck_assert_msg(sk_reader_read(r, offs[i], &raw, err) == 1, "re-read %zu: %s", i, err);
            ck_assert_uint_eq(raw.n, 0);
            ck_assert_int_eq(raw.ts_ns, want[i].ts_ns);
            ck_assert_uint_eq(raw.caplen, want[i].caplen);
            ck_assert_uint_eq(raw.wirelen, want[i].wirelen);
            ck_assert(memcmp(raw.data, want[i].data, raw.caplen) == 0);
        }
    }
    sk_reader_close(r);
}

/* ------------------------------------------------------------------ Formats */

START_TEST(test_pcap_written_by_libpcap)
{
    /* Written by libpcap itself: pcap, host byte order, microseconds. */
    uint8_t f1[200], f2[200], f3[200];
    size_t n1 = frame(f1, 6, 40000, 6666, 13), n2 = frame(f2, 6, 6666, 40000, 0),
           n3 = frame(f3, 17, 7000, 6666, 100);
    const char *path = tmpdir_path("libpcap.pcap");
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, 96);
    pcap_dumper_t *d = pcap_dump_open(dead, path);
    ck_assert_ptr_nonnull(d);
    struct pcap_pkthdr h = {{1700000000, 123456}, (bpf_u_int32)n1, (bpf_u_int32)n1};
    pcap_dump((u_char *)d, &h, f1);
    h = (struct pcap_pkthdr){{1700000000, 999999}, (bpf_u_int32)n2, (bpf_u_int32)n2};
    pcap_dump((u_char *)d, &h, f2);
    h = (struct pcap_pkthdr){{1700000001, 0}, 96, (bpf_u_int32)n3}; /* cut at the snaplen */
    pcap_dump((u_char *)d, &h, f3);
    pcap_dump_close(d);
    pcap_close(dead);

    struct want w[] = {
        {1, 1700000000123456000LL, (uint32_t)n1, (uint32_t)n1, f1},
        {2, 1700000000999999000LL, (uint32_t)n2, (uint32_t)n2, f2},
        {3, 1700000001000000000LL, 96, (uint32_t)n3, f3},
    };
    read_all(path, w, 3);
}
END_TEST

START_TEST(test_pcap_swapped_byte_order)
{
    /* Written by a big-endian machine: every header field byte-swapped. */
    uint8_t f1[200], f2[200];
    size_t n1 = frame(f1, 17, 5353, 5353, 5), n2 = frame(f2, 6, 80, 50000, 1);
    struct buf w = {.n = 0};
    pcap_header(&w, 0xa1b2c3d4, true, 1);
    pcap_record(&w, true, 1000, 1, f1, (uint32_t)n1, (uint32_t)n1);
    pcap_record(&w, true, 1001, 500000, f2, (uint32_t)n2, 1500);
    const char *path = tmpdir_path("swapped.pcap");
    write_file(path, w.b, w.n);
    struct want want[] = {
        {1, 1000000001000LL, (uint32_t)n1, (uint32_t)n1, f1},
        {2, 1001500000000LL, (uint32_t)n2, 1500, f2},
    };
    read_all(path, want, 2);
}
END_TEST

START_TEST(test_pcap_nanosecond_magic)
{
    uint8_t f1[200], f2[200];
    size_t n1 = frame(f1, 6, 1, 2, 3), n2 = frame(f2, 17, 3, 4, 7);
    struct buf w = {.n = 0};
    pcap_header(&w, 0xa1b23c4d, false, 1);
    pcap_record(&w, false, 1700000000, 123456789, f1, (uint32_t)n1, (uint32_t)n1);
    pcap_record(&w, false, 1700000000, 123456790, f2, (uint32_t)n2, (uint32_t)n2);
    const char *path = tmpdir_path("nano.pcap");
    write_file(path, w.b, w.n);
    struct want want[] = {
        {1, 1700000000123456789LL, (uint32_t)n1, (uint32_t)n1, f1},
        {2, 1700000000123456790LL, (uint32_t)n2, (uint32_t)n2, f2},
    };
    read_all(path, want, 2);
    /* Big-endian nanoseconds too. */
    w.n = 0;
    pcap_header(&w, 0xa1b23c4d, true, 1);
    pcap_record(&w, true, 1, 2, f1, (uint32_t)n1, (uint32_t)n1);
    path = tmpdir_path("nano-be.pcap");
    write_file(path, w.b, w.n);
    struct want one[] = {{1, 1000000002LL, (uint32_t)n1, (uint32_t)n1, f1}};
    read_all(path, one, 1);
}
END_TEST

START_TEST(test_pcapng)
{
    /* SHB, IDB (ns), EPB, a block that is not a packet, EPB (odd length: padded). */
    uint8_t f1[200], f2[200];
    size_t n1 = frame(f1, 6, 40000, 6666, 0), n2 = frame(f2, 17, 9, 10, 19);
    ck_assert_uint_eq(n2 % 4, 1);
    struct buf w = {.n = 0};
    ng_shb(&w);
    ng_idb(&w, 9);
    ng_epb(&w, 0, 1700000000123456789ULL, f1, (uint32_t)n1, (uint32_t)n1);
    ng_isb(&w);
    ng_epb(&w, 0, 1700000000999999999ULL, f2, (uint32_t)n2, 2000);
    const char *path = tmpdir_path("capture.pcapng");
    write_file(path, w.b, w.n);
    struct want want[] = {
        {1, 1700000000123456789LL, (uint32_t)n1, (uint32_t)n1, f1},
        {2, 1700000000999999999LL, (uint32_t)n2, 2000, f2},
    };
    read_all(path, want, 2);
}
END_TEST

/* Bytes allocated through glibc's malloc, mmap'd blocks included (an array
 * that doubles soon lives in one). Under the sanitizers, whose allocator is
 * their own, this stays flat and the check below proves nothing. */
static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

START_TEST(test_pcapng_interfaces_after_packets)
{
    ng_be = _i == 1; /* little-endian, then big-endian */
    /* Interfaces described after packets, with another timestamp resolution,
     * and a second section with its own interface list: re-reading any record
     * in any order must give the right time, and re-reading the record after
     * an IDB many times must not make libpcap learn that IDB again each time. */
    uint8_t f[5][200];
    size_t n[5];
    for (int i = 0; i < 5; i++)
        n[i] = frame(f[i], 17, (uint16_t)(1000 + i), 53, (size_t)(i * 3));
    struct buf w = {.n = 0};
    ng_shb(&w);
    ng_idb(&w, 6);                                   /* interface 0: microseconds */
    ng_epb(&w, 0, 1000000001ULL, f[0], (uint32_t)n[0], (uint32_t)n[0]);
    ng_idb(&w, 9);                                   /* interface 1: nanoseconds */
    ng_epb(&w, 1, 2000000000123ULL, f[1], (uint32_t)n[1], (uint32_t)n[1]);
    ng_epb(&w, 0, 3000000002ULL, f[2], (uint32_t)n[2], (uint32_t)n[2]);
    ng_shb(&w);                                      /* a second section */
    ng_idb(&w, 9);                                   /* its interface 0: ns */
    ng_isb(&w);
    ng_epb(&w, 0, 4000000000004ULL, f[3], (uint32_t)n[3], (uint32_t)n[3]);
    ng_epb(&w, 0, 5000000000005ULL, f[4], (uint32_t)n[4], (uint32_t)n[4]);
    const char *path = tmpdir_path("multi.pcapng");
    write_file(path, w.b, w.n);
    struct want want[] = {
        {1, 1000000001000LL, (uint32_t)n[0], (uint32_t)n[0], f[0]},
        {2, 2000000000123LL, (uint32_t)n[1], (uint32_t)n[1], f[1]},
        {3, 3000000002000LL, (uint32_t)n[2], (uint32_t)n[2], f[2]},
        {4, 4000000000004LL, (uint32_t)n[3], (uint32_t)n[3], f[3]},
        {5, 5000000000005LL, (uint32_t)n[4], (uint32_t)n[4], f[4]},
    };
    read_all(path, want, 5);

    /* A fresh reader asked first for a record on the late interface. */
    char err[SK_ERRBUF_SIZE] = "";
    struct sk_source *s = sk_source_open_file(path, err);
    struct sk_raw raw;
    uint64_t off[5];
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(sk_source_next(s, &raw, err), 1);
        off[i] = raw.off;
    }
    sk_source_close(s);
    struct sk_reader *r = sk_reader_open(path, err);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(sk_reader_read(r, off[2], &raw, err), 1);
    ck_assert_int_eq(raw.ts_ns, 3000000002000LL);
    ck_assert_int_eq(sk_reader_read(r, off[1], &raw, err), 1);
    ck_assert_int_eq(raw.ts_ns, 2000000000123LL);
    ck_assert_int_eq(sk_reader_read(r, off[4], &raw, err), 1);
    ck_assert_int_eq(raw.ts_ns, 5000000000005LL);
    ck_assert_int_eq(sk_reader_read(r, off[1], &raw, err), 1);
    ck_assert_int_eq(raw.ts_ns, 2000000000123LL);

    /* The record right after the late IDB, again and again: libpcap must not
     * learn that IDB anew each time (its interface list would grow by one). */
    size_t before = heap_in_use();
    for (int i = 0; i < 100000; i++) {
        ck_assert_int_eq(sk_reader_read(r, off[1], &raw, err), 1);
        ck_assert_int_eq(raw.ts_ns, 2000000000123LL);
    }
    size_t after = heap_in_use();
    ck_assert_msg(after < before + 64 * 1024, "heap grew from %zu to %zu", before, after);
    /* Back and forth between the sections. */
    for (int i = 0; i < 1000; i++) {
        int k = i % 3 == 0 ? 0 : i % 3 == 1 ? 1 : 3;
        ck_assert_int_eq(sk_reader_read(r, off[k], &raw, err), 1);
        ck_assert_int_eq(raw.ts_ns, want[k].ts_ns);
        ck_assert(memcmp(raw.data, f[k], n[k]) == 0);
    }
    sk_reader_close(r);
}
END_TEST

/* ------------------------------------------------------------------ Errors */

START_TEST(test_truncated_last_record)
{
    uint8_t f[200];
    size_t n = frame(f, 6, 40000, 6666, 20);
    struct buf w = {.n = 0};
    pcap_header(&w, 0xa1b2c3d4, false, 1);
    for (uint32_t i = 0; i < 42; i++)
        pcap_record(&w, false, 100 + i, 0, f, (uint32_t)n, (uint32_t)n);
    /* Cut in the middle of record 42's bytes, then in its header. */
    const size_t cuts[] = {w.n - 10, w.n - n - 8};
    for (size_t c = 0; c < 2; c++) {
        const char *path = tmpdir_path("cut.pcap");
        write_file(path, w.b, cuts[c]);
        char err[SK_ERRBUF_SIZE] = "";
        struct sk_source *s = sk_source_open_file(path, err);
        ck_assert_ptr_nonnull(s);
        struct sk_raw raw;
        for (uint32_t i = 1; i <= 41; i++) {
            ck_assert_int_eq(sk_source_next(s, &raw, err), 1);
            ck_assert_uint_eq(raw.n, i);
            ck_assert_int_eq(raw.ts_ns, (int64_t)(99 + i) * 1000000000LL);
        }
        ck_assert_int_eq(sk_source_next(s, &raw, err), -1);
        ck_assert_msg(strstr(err, "is cut short: record 42 is truncated (the file may still "
                                  "be being written, or was copied incompletely)") != NULL,
                      "got: %s", err);
        ck_assert_ptr_nonnull(strstr(err, path));
        /* Nothing more is read after an error. */
        ck_assert_int_eq(sk_source_next(s, &raw, err), 0);
        sk_source_close(s);
    }

    /* The same for pcapng: an EPB cut short. */
    struct buf g = {.n = 0};
    ng_shb(&g);
    ng_idb(&g, 6);
    ng_epb(&g, 0, 1, f, (uint32_t)n, (uint32_t)n);
    ng_epb(&g, 0, 2, f, (uint32_t)n, (uint32_t)n);
    const char *path = tmpdir_path("cut.pcapng");
    write_file(path, g.b, g.n - 6);
    char err[SK_ERRBUF_SIZE] = "";
    struct sk_source *s = sk_source_open_file(path, err);
    ck_assert_ptr_nonnull(s);
    struct sk_raw raw;
    ck_assert_int_eq(sk_source_next(s, &raw, err), 1);
    ck_assert_int_eq(sk_source_next(s, &raw, err), -1);
    ck_assert_msg(strstr(err, "record 2 is truncated") != NULL, "got: %s", err);
    sk_source_close(s);
}
END_TEST

START_TEST(test_not_a_capture)
{
    char err[SK_ERRBUF_SIZE] = "";
    const char *txt = tmpdir_path("x.txt");
    const char *text = "GET / HTTP/1.1\r\nHost: example\r\n\r\n";
    write_file(txt, text, strlen(text));
    ck_assert_ptr_null(sk_source_open_file(txt, err));
    char want[300];
    snprintf(want, sizeof want, "%s is not a pcap or pcapng capture file", txt);
    ck_assert_str_eq(err, want);
    ck_assert_ptr_null(sk_reader_open(txt, err));
    ck_assert_str_eq(err, want);

    /* Too short to hold even a magic number. */
    const char *tiny = tmpdir_path("tiny");
    write_file(tiny, "ab", 2);
    ck_assert_ptr_null(sk_source_open_file(tiny, err));
    ck_assert_msg(strstr(err, "is not a pcap or pcapng capture file") != NULL, "got: %s", err);

    /* A pcap magic with half a header: a cut capture, not a text file. */
    struct buf w = {.n = 0};
    pcap_header(&w, 0xa1b2c3d4, false, 1);
    const char *half = tmpdir_path("half.pcap");
    write_file(half, w.b, 10);
    ck_assert_ptr_null(sk_source_open_file(half, err));
    ck_assert_msg(strstr(err, "is cut short: its file header is incomplete") != NULL, "got: %s",
                  err);

    /* A directory */
    ck_assert_ptr_null(sk_source_open_file(tmpdir(), err));
    ck_assert_msg(strstr(err, "is a directory, not a capture file") != NULL, "got: %s", err);
}
END_TEST

START_TEST(test_empty_missing_unreadable)
{
    char err[SK_ERRBUF_SIZE] = "";
    const char *empty = tmpdir_path("empty.pcap");
    write_file(empty, "", 0);
    ck_assert_ptr_null(sk_source_open_file(empty, err));
    ck_assert_msg(strstr(err, "is empty (0 bytes)") != NULL, "got: %s", err);
    ck_assert_ptr_nonnull(strstr(err, empty));

    const char *missing = tmpdir_path("missing.pcap");
    ck_assert_ptr_null(sk_source_open_file(missing, err));
    ck_assert_msg(strstr(err, "cannot open capture file") && strstr(err, missing) &&
                      strstr(err, "No such file or directory") && strstr(err, "check the path"),
                  "got: %s", err);
    ck_assert_ptr_null(sk_reader_open(missing, err));
    ck_assert_ptr_nonnull(strstr(err, "No such file or directory"));

    struct buf w = {.n = 0};
    pcap_header(&w, 0xa1b2c3d4, false, 1);
    const char *locked = tmpdir_path("locked.pcap");
    write_file(locked, w.b, w.n);
    ck_assert_int_eq(chmod(locked, 0), 0);
    struct sk_source *s = sk_source_open_file(locked, err);
    if (geteuid() == 0) {
        /* Root reads it regardless of its mode: no assertion here. The
         * message is checked by test_unprivileged, as user nobody. */
        sk_source_close(s);
    } else {
        ck_assert_ptr_null(s);
        ck_assert_msg(strstr(err, "Permission denied") && strstr(err, "permissions"),
                      "got: %s", err);
    }
}
END_TEST

/* What an ordinary user is told: for a file it may not read, and for a live
 * capture without CAP_NET_RAW. Two lines in out. */
static void unprivileged_errors(const char *locked, char *out, size_t n)
{
    char e1[SK_ERRBUF_SIZE] = "", e2[SK_ERRBUF_SIZE] = "";
    struct sk_source *s = sk_source_open_file(locked, e1);
    if (s) {
        snprintf(e1, sizeof e1, "opened");
        sk_source_close(s);
    }
    s = sk_source_open_live("lo", NULL, e2);
    if (s) {
        snprintf(e2, sizeof e2, "opened");
        sk_source_close(s);
    }
    snprintf(out, n, "%s\n%s", e1, e2);
}

START_TEST(test_unprivileged)
{
    struct buf w = {.n = 0};
    pcap_header(&w, 0xa1b2c3d4, false, 1);
    const char *locked = tmpdir_path("locked.pcap");
    write_file(locked, w.b, w.n);
    ck_assert_int_eq(chmod(locked, 0), 0);
    ck_assert_int_eq(chmod(tmpdir(), 0755), 0);
    char out[2 * SK_ERRBUF_SIZE + 2] = "";
    if (geteuid() != 0) {
        unprivileged_errors(locked, out, sizeof out);
    } else {
        /* As root: become nobody in a child (which drops every capability). */
        int fd[2];
        ck_assert_int_eq(pipe(fd), 0);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            close(fd[0]);
            char msg[sizeof out] = "cannot drop privileges";
            if (setgroups(0, NULL) == 0 && setgid(65534) == 0 && setuid(65534) == 0)
                unprivileged_errors(locked, msg, sizeof msg);
            ssize_t wr = write(fd[1], msg, strlen(msg));
            _exit(wr < 0);
        }
        close(fd[1]);
        size_t got = 0;
        ssize_t k;
        while (got < sizeof out - 1 && (k = read(fd[0], out + got, sizeof out - 1 - got)) > 0)
            got += (size_t)k;
        out[got] = '\0';
        close(fd[0]);
        int status;
        waitpid(pid, &status, 0);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    char want_file[600];
    snprintf(want_file, sizeof want_file,
             "cannot open capture file %s: Permission denied (you may not read it: check its "
             "permissions with ls -l)\n",
             locked);
    ck_assert_msg(strncmp(out, want_file, strlen(want_file)) == 0, "got: %s", out);
    ck_assert_str_eq(out + strlen(want_file),
                     "capturing on lo needs root or the CAP_NET_RAW capability: run with sudo, "
                     "or once `sudo setcap cap_net_raw,cap_net_admin=eip bin/sockscope`, or "
                     "replay a saved capture with -r FILE");
}
END_TEST

/* A file of four frames: UDP, TCP, UDP, TCP. */
static const char *mixed_file(void)
{
    uint8_t f[200];
    struct buf w = {.n = 0};
    pcap_header(&w, 0xa1b2c3d4, false, 1);
    for (uint32_t i = 0; i < 4; i++) {
        size_t n = frame(f, i % 2 ? 6 : 17, (uint16_t)(40000 + i), 6666, i);
        pcap_record(&w, false, 10 + i, 0, f, (uint32_t)n, (uint32_t)n);
    }
    const char *path = tmpdir_path("mixed.pcap");
    write_file(path, w.b, w.n);
    return path;
}

START_TEST(test_filter_keeps_frame_numbers)
{
    char err[SK_ERRBUF_SIZE] = "";
    const char *path = mixed_file();
    struct sk_source *s = sk_source_open_file(path, err);
    ck_assert_int_eq(sk_source_set_filter(s, "tcp", err), 0);
    struct sk_raw raw;
    uint64_t off[2];
    ck_assert_int_eq(sk_source_next(s, &raw, err), 1);
    ck_assert_uint_eq(raw.n, 2);
    ck_assert_int_eq(raw.ts_ns, 11000000000LL);
    off[0] = raw.off;
    ck_assert_int_eq(sk_source_next(s, &raw, err), 1);
    ck_assert_uint_eq(raw.n, 4);
    off[1] = raw.off;
    ck_assert_int_eq(sk_source_next(s, &raw, err), 0);
    struct sk_stats st;
    ck_assert_int_eq(sk_source_stats(s, &st, err), 0);
    ck_assert_uint_eq(st.received, 4);
    sk_source_close(s);

    /* The offsets are those of the records in the file. */
    struct sk_reader *r = sk_reader_open(path, err);
    ck_assert_int_eq(sk_reader_read(r, off[1], &raw, err), 1);
    ck_assert_int_eq(raw.ts_ns, 13000000000LL);
    ck_assert_int_eq(sk_reader_read(r, off[0], &raw, err), 1);
    ck_assert_int_eq(raw.ts_ns, 11000000000LL);
    sk_reader_close(r);

    /* Another filter, then none. */
    s = sk_source_open_file(path, err);
    ck_assert_int_eq(sk_source_set_filter(s, "udp and dst port 6666", err), 0);
    ck_assert_int_eq(sk_source_next(s, &raw, err), 1);
    ck_assert_uint_eq(raw.n, 1);
    ck_assert_int_eq(sk_source_set_filter(s, "", err), 0);
    ck_assert_int_eq(sk_source_next(s, &raw, err), 1);
    ck_assert_uint_eq(raw.n, 2);
    ck_assert_int_eq(sk_source_set_filter(s, NULL, err), 0);
    ck_assert_int_eq(sk_source_next(s, &raw, err), 1);
    ck_assert_uint_eq(raw.n, 3);
    sk_source_close(s);
}
END_TEST

START_TEST(test_bad_filter)
{
    char err[SK_ERRBUF_SIZE] = "";
    struct sk_source *s = sk_source_open_file(mixed_file(), err);
    ck_assert_int_eq(sk_source_set_filter(s, "tcp port", err), -1);
    ck_assert_msg(strstr(err, "invalid filter \"tcp port\": ") == err, "got: %s", err);
    ck_assert_msg(strstr(err, "syntax error") != NULL, "libpcap's reason: %s", err);
    ck_assert_int_eq(sk_source_set_filter(s, "port 99999", err), -1);
    ck_assert_msg(strstr(err, "99999") != NULL, "got: %s", err);
    /* The source still reads, unfiltered. */
    struct sk_raw raw;
    ck_assert_int_eq(sk_source_next(s, &raw, err), 1);
    ck_assert_uint_eq(raw.n, 1);
    sk_source_close(s);
}
END_TEST

START_TEST(test_break_on_file)
{
    char err[SK_ERRBUF_SIZE] = "";
    struct sk_source *s = sk_source_open_file(mixed_file(), err);
    struct sk_raw raw;
    ck_assert_int_eq(sk_source_next(s, &raw, err), 1);
    sk_source_break(s);
    ck_assert_int_eq(sk_source_next(s, &raw, err), -2);
    /* A break is used up once reported. */
    ck_assert_int_eq(sk_source_next(s, &raw, err), 1);
    ck_assert_uint_eq(raw.n, 2);
    sk_source_close(s);
}
END_TEST

START_TEST(test_live_no_such_interface)
{
    char err[SK_ERRBUF_SIZE] = "";
    struct sk_source *s = sk_source_open_live("sk-nosuch0", NULL, err);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(err, "cannot capture on sk-nosuch0: no such interface (available: ") ==
                      err,
                  "got: %s", err);
    /* Every machine has a loopback, and it is listed. */
    ck_assert_msg(strstr(err, "lo") != NULL, "got: %s", err);
    ck_assert_ptr_null(sk_source_open_live("", NULL, err));
    ck_assert_ptr_nonnull(strstr(err, "no interface"));
}
END_TEST

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *break_later(void *arg)
{
    usleep(200 * 1000);
    sk_source_break(arg);
    return NULL;
}

START_TEST(test_live_timeout_and_break)
{
    /* Where capturing is allowed (root, CAP_NET_RAW): nothing arrives, so
     * each call returns 0 after about timeout_ms; a break from another
     * thread ends a wait with -2. Elsewhere: the permission message. */
    char err[SK_ERRBUF_SIZE] = "";
    struct sk_live_opts o = {.timeout_ms = 50};
    struct sk_source *s = sk_source_open_live("lo", &o, err);
    if (!s) {
        ck_assert_msg(strstr(err, "needs root or the CAP_NET_RAW capability") != NULL, "got: %s",
                      err);
        return;
    }
    ck_assert(sk_source_is_live(s));
    ck_assert_str_eq(sk_source_name(s), "lo");
    ck_assert_int_eq(sk_source_snaplen(s), 262144);
    ck_assert_str_eq(sk_source_warning(s), "");
    /* A filter nothing on loopback matches. */
    ck_assert_int_eq(sk_source_set_filter(s, "udp port 1 and udp port 2", err), 0);
    struct sk_raw raw;
    for (int i = 0; i < 3; i++) {
        double t0 = now_s();
        ck_assert_int_eq(sk_source_next(s, &raw, err), 0);
        double dt = now_s() - t0;
        ck_assert_msg(dt >= 0.04 && dt < 1.0, "waited %.3f s", dt);
    }
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, break_later, s), 0);
    double t0 = now_s();
    int got;
    while ((got = sk_source_next(s, &raw, err)) == 0 && now_s() - t0 < 5)
        ;
    pthread_join(th, NULL);
    ck_assert_int_eq(got, -2);
    ck_assert_int_eq(sk_source_next(s, &raw, err), 0); /* the break was used up */
    struct sk_stats st;
    ck_assert_int_eq(sk_source_stats(s, &st, err), 0);
    ck_assert_uint_eq(st.dropped, 0);
    ck_assert_int_eq(sk_source_set_filter(s, "tcp port", err), -1);
    ck_assert_ptr_nonnull(strstr(err, "invalid filter \"tcp port\""));
    sk_source_close(s);
}
END_TEST

/* ------------------------------------------------------------------ Saving */

START_TEST(test_dump_and_reread)
{
    char err[SK_ERRBUF_SIZE] = "";
    uint8_t f1[200], f2[200];
    size_t n1 = frame(f1, 6, 40000, 6666, 13), n2 = frame(f2, 6, 6666, 40000, 10);
    const char *path = tmpdir_path("saved.pcap");
    struct sk_dump *d = sk_dump_open_dlt(DLT_EN10MB, 0, path, err);
    ck_assert_msg(d != NULL, "%s", err);
    /* The file header is written at once: a reader can open the file now. */
    struct sk_reader *early = sk_reader_open(path, err);
    ck_assert_msg(early != NULL, "%s", err);
    struct sk_raw r1 = {7, 1700000000123456789LL, (uint32_t)n1, (uint32_t)n1, f1, 0};
    struct sk_raw r2 = {8, 1700000001000000001LL, (uint32_t)n2, 1514, f2, 0};
    uint64_t o1, o2;
    ck_assert_int_eq(sk_dump_write(d, &r1, &o1, err), 0);
    ck_assert_int_eq(sk_dump_write(d, &r2, &o2, err), 0);
    ck_assert_uint_eq(o1, 24);
    ck_assert_uint_eq(o2, 24 + 16 + n1);
    ck_assert_int_eq(sk_dump_flush(d, err), 0);
    struct sk_raw raw;
    ck_assert_int_eq(sk_reader_read(early, o1, &raw, err), 1);
    ck_assert_int_eq(raw.ts_ns, r1.ts_ns);
    sk_reader_close(early);

    /* A reader sees what was flushed while the dump is still open. */
    struct sk_reader *rd = sk_reader_open(path, err);
    ck_assert_msg(rd != NULL, "%s", err);
    ck_assert_int_eq(sk_reader_read(rd, o2, &raw, err), 1);
    ck_assert_int_eq(raw.ts_ns, r2.ts_ns);
    ck_assert_uint_eq(raw.wirelen, 1514);
    ck_assert(memcmp(raw.data, f2, n2) == 0);
    /* ... and records appended after it opened. */
    struct sk_raw r3 = {9, 1700000002000000000LL, (uint32_t)n1, (uint32_t)n1, f1, 0};
    uint64_t o3;
    ck_assert_int_eq(sk_dump_write(d, &r3, &o3, err), 0);
    ck_assert_int_eq(sk_dump_flush(d, err), 0);
    ck_assert_int_eq(sk_reader_read(rd, o3, &raw, err), 1);
    ck_assert_int_eq(raw.ts_ns, r3.ts_ns);
    ck_assert_int_eq(sk_reader_read(rd, o3 + 16 + n1, &raw, err), -1);
    ck_assert_msg(strstr(err, "past the end") != NULL, "got: %s", err);
    sk_reader_close(rd);
    ck_assert_int_eq(sk_dump_close(d, err), 0);

    /* Read back as a whole: a nanosecond file, exact times, offsets as written. */
    struct want want[] = {
        {1, r1.ts_ns, (uint32_t)n1, (uint32_t)n1, f1},
        {2, r2.ts_ns, (uint32_t)n2, 1514, f2},
        {3, r3.ts_ns, (uint32_t)n1, (uint32_t)n1, f1},
    };
    read_all(path, want, 3);
    struct sk_source *s = sk_source_open_file(path, err);
    ck_assert_int_eq(sk_source_snaplen(s), 262144);
    ck_assert_int_eq(sk_source_next(s, &raw, err), 1);
    ck_assert_uint_eq(raw.off, o1);
    ck_assert_int_eq(sk_source_next(s, &raw, err), 1);
    ck_assert_uint_eq(raw.off, o2);

    /* sk_dump_open takes the source's link type and snaplen. */
    const char *copy = tmpdir_path("copy.pcap");
    struct sk_dump *d2 = sk_dump_open(s, copy, err);
    ck_assert_ptr_nonnull(d2);
    ck_assert_int_eq(sk_dump_write(d2, &raw, NULL, err), 0);
    ck_assert_int_eq(sk_dump_close(d2, err), 0);
    sk_source_close(s);
    struct want again[] = {{1, r2.ts_ns, (uint32_t)n2, 1514, f2}};
    read_all(copy, again, 1);
    ck_assert_int_eq(sk_dump_close(NULL, err), 0);
}
END_TEST

/* In a child limited to 4 KiB files: fills a dump until a write fails, and
 * sends back what sk_dump_write / sk_dump_flush / sk_dump_close said. */
static void dump_past_limit(const char *path, char *out, size_t n)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fd[0]);
        char err[SK_ERRBUF_SIZE] = "no error", msg[2 * SK_ERRBUF_SIZE + 32];
        signal(SIGXFSZ, SIG_IGN); /* get EFBIG instead of dying */
        struct rlimit rl = {4096, 4096};
        setrlimit(RLIMIT_FSIZE, &rl);
        struct sk_dump *d = sk_dump_open_dlt(DLT_EN10MB, 0, path, err);
        uint8_t f[200];
        size_t len = frame(f, 6, 1, 2, 100);
        struct sk_raw r = {1, 0, (uint32_t)len, (uint32_t)len, f, 0};
        int w = 0, i = 0;
        for (; d && i < 1000 && w == 0; i++)
            w = sk_dump_write(d, &r, NULL, err);
        if (w == 0 && d)
            w = sk_dump_flush(d, err);
        char cerr[SK_ERRBUF_SIZE] = "";
        int c = sk_dump_close(d, cerr);
        snprintf(msg, sizeof msg, "%d %d %s|%s", w, c, err, cerr);
        ssize_t k = write(fd[1], msg, strlen(msg));
        _exit(k < 0);
    }
    close(fd[1]);
    size_t got = 0;
    ssize_t k;
    while (got < n - 1 && (k = read(fd[0], out + got, n - 1 - got)) > 0)
        got += (size_t)k;
    out[got] = '\0';
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

START_TEST(test_dump_errors)
{
    char err[SK_ERRBUF_SIZE] = "";
    ck_assert_ptr_null(sk_dump_open_dlt(DLT_EN10MB, 0, "/nonexistent-dir/x.pcap", err));
    ck_assert_msg(strstr(err, "cannot create capture file: /nonexistent-dir/x.pcap") == err &&
                      strstr(err, "No such file or directory"),
                  "got: %s", err);

    /* /dev/full: the file header, written at once, already fails. */
    ck_assert_ptr_null(sk_dump_open_dlt(DLT_EN10MB, 0, "/dev/full", err));
    ck_assert_str_eq(err, "cannot write capture file /dev/full: No space left on device (the "
                          "disk is full: free some space or save elsewhere)");

    /* A write that fails later (file size limit): the write or flush that
     * meets it fails, and so does closing. */
    const char *path = tmpdir_path("limited.pcap");
    char out[3 * SK_ERRBUF_SIZE];
    dump_past_limit(path, out, sizeof out);
    char want[600];
    snprintf(want, sizeof want, "-1 -1 cannot write capture file %s: File too large|", path);
    ck_assert_msg(strncmp(out, want, strlen(want)) == 0, "got: %s", out);
    ck_assert_msg(strstr(out + strlen(want), "File too large") != NULL, "got: %s", out);
}
END_TEST

START_TEST(test_reader_errors)
{
    char err[SK_ERRBUF_SIZE] = "";
    const char *path = mixed_file();
    struct sk_reader *r = sk_reader_open(path, err);
    struct sk_raw raw;
    ck_assert_int_eq(sk_reader_read(r, 1u << 20, &raw, err), -1);
    ck_assert_msg(strstr(err, "past the end") != NULL, "got: %s", err);
    /* After an error the reader still works. */
    ck_assert_int_eq(sk_reader_read(r, 24, &raw, err), 1);
    ck_assert_int_eq(raw.ts_ns, 10000000000LL);
    sk_reader_close(r);
    sk_reader_close(NULL);
    sk_source_close(NULL);
    ck_assert_ptr_null(sk_reader_open("-", err));
}
END_TEST

Suite *source_suite(void); /* found by the runner (tests/unit/main.c) */

Suite *source_suite(void)
{
    Suite *s = suite_create("source");
    TCase *tf = tcase_create("Formats");
    tcase_add_checked_fixture(tf, setup, teardown);
    tcase_set_timeout(tf, 60);
    tcase_add_test(tf, test_pcap_written_by_libpcap);
    tcase_add_test(tf, test_pcap_swapped_byte_order);
    tcase_add_test(tf, test_pcap_nanosecond_magic);
    tcase_add_test(tf, test_pcapng);
    tcase_add_loop_test(tf, test_pcapng_interfaces_after_packets, 0, 2);
    suite_add_tcase(s, tf);
    TCase *te = tcase_create("Errors");
    tcase_add_checked_fixture(te, setup, teardown);
    tcase_add_test(te, test_truncated_last_record);
    tcase_add_test(te, test_not_a_capture);
    tcase_add_test(te, test_empty_missing_unreadable);
    tcase_add_test(te, test_unprivileged);
    tcase_add_test(te, test_bad_filter);
    tcase_add_test(te, test_live_no_such_interface);
    tcase_add_test(te, test_live_timeout_and_break);
    tcase_add_test(te, test_reader_errors);
    suite_add_tcase(s, te);
    TCase *tc = tcase_create("Core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_filter_keeps_frame_numbers);
    tcase_add_test(tc, test_break_on_file);
    tcase_add_test(tc, test_dump_and_reread);
    tcase_add_test(tc, test_dump_errors);
    suite_add_tcase(s, tc);
    return s;
}
