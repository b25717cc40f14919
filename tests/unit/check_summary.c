/* check_summary.c — tcpdump-style one-line summaries (core/summary.c), compared
 * with what tcpdump 4.99 itself printed for the same packets.
 *
 * tests/data/decode-*.pcap hold real loopback traffic and hand-made frames;
 * next to each, decode-*.tcpdump.txt is what `tcpdump -n -S -tt -r` printed
 * for it. Both are made by tests/data/decode-captures.sh (see there to
 * regenerate them); tcpdump is not needed to run these tests. */
#include <check.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "summary.h"
#include "testframes.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The files and how many packets each must hold. */
static const struct {
    const char *name;
    unsigned packets;
} files[] = {
    {"decode-tcp4", 14},         {"decode-ip6", 17},          {"decode-icmp", 4},
    {"decode-snap", 14},         {"decode-crafted", 153},     {"decode-crafted-sll", 4},
    {"decode-crafted-sll2", 3},  {"decode-crafted-null", 6},  {"decode-crafted-loop", 4},
    {"decode-crafted-raw", 3},   {"decode-crafted-ipv4", 3},
};

/* The last "length N" of a tcpdump line, or -1. */
static long last_length(const char *line)
{
    const char *at = NULL;
    for (const char *p = strstr(line, "length "); p; p = strstr(p + 1, "length "))
        at = p;
    return at ? strtol(at + 7, NULL, 10) : -1;
}

START_TEST(test_matches_tcpdump)
{
    const char *name = files[_i].name;
    char path[256], txt[256], err[PCAP_ERRBUF_SIZE];
    snprintf(path, sizeof path, "tests/data/%s.pcap", name);
    snprintf(txt, sizeof txt, "tests/data/%s.tcpdump.txt", name);
    pcap_t *pc = pcap_open_offline(path, err);
    ck_assert_msg(pc != NULL, "%s", err);
    FILE *t = fopen(txt, "r");
    ck_assert_msg(t != NULL, "cannot open %s", txt);
    int dlt = pcap_datalink(pc);
    struct pcap_pkthdr *h;
    const u_char *bytes;
    char want[2048], got[2048];
    unsigned n = 0, lengths = 0;
    while (pcap_next_ex(pc, &h, &bytes) == 1) {
        n++;
        ck_assert_msg(fgets(want, sizeof want, t) != NULL, "%s: no text for packet %u", txt, n);
        want[strcspn(want, "\n")] = '\0';
        const char *expect = strchr(want, ' '); /* after the -tt timestamp */
        ck_assert_ptr_nonnull(expect);
        expect++;
        uint8_t *copy = malloc(h->caplen);
        memcpy(copy, bytes, h->caplen);
        struct sk_packet p;
        sk_decode(dlt, copy, h->caplen, h->len, &p);
        size_t len = sk_packet_summary(&p, got, sizeof got);
        ck_assert_uint_eq(len, strlen(got));
        ck_assert_msg(strcmp(got, expect) == 0, "%s packet %u:\n  ours:    %s\n  tcpdump: %s",
                      name, n, got, expect);
        /* The payload length is the "length" tcpdump prints for TCP and UDP
         * (where it prints one: an IP length of 0 is no length to tcpdump, and
         * segmentation offload's frame length to us). */
        if (p.status == SK_OK && (p.l4 == SK_L4_TCP || p.l4 == SK_L4_UDP) &&
            last_length(expect) >= 0 && strstr(expect, "bad length") == NULL) {
            ck_assert_msg(last_length(expect) == (long)p.payload_len,
                          "%s packet %u: payload_len %u, tcpdump says length %ld", name, n,
                          p.payload_len, last_length(expect));
            lengths++;
        }
        free(copy);
    }
    ck_assert_msg(fgets(want, sizeof want, t) == NULL, "%s: more lines than packets", txt);
    ck_assert_uint_eq(n, files[_i].packets);
    if (strncmp(name, "decode-crafted", 14) != 0)
        ck_assert_uint_gt(lengths, 0);
    fclose(t);
    pcap_close(pc);
}
END_TEST

/* The snapshot length cut the 300-byte segment: the summary and payload_len
 * still count 300, payload_caplen what is there. */
START_TEST(test_snap_truncated)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline("tests/data/decode-snap.pcap", err);
    ck_assert_msg(pc != NULL, "%s", err);
    struct pcap_pkthdr *h;
    const u_char *bytes;
    bool seen = false;
    while (pcap_next_ex(pc, &h, &bytes) == 1) {
        struct sk_packet p;
        ck_assert_int_eq(sk_decode(1, bytes, h->caplen, h->len, &p), SK_OK);
        if (p.payload_len != 300)
            continue;
        seen = true;
        ck_assert_uint_lt(h->caplen, h->len);
        ck_assert_uint_eq(p.payload_caplen, h->caplen - (p.l4_off + p.tcp.hlen));
        char line[512];
        sk_packet_summary(&p, line, sizeof line);
        ck_assert_ptr_nonnull(strstr(line, ", length 300"));
    }
    ck_assert(seen);
    pcap_close(pc);
}
END_TEST

static void summary_of(int dlt, const struct fb *f, char *line, size_t n)
{
    struct sk_packet p;
    sk_decode(dlt, f->b, (uint32_t)f->n, (uint32_t)f->n, &p);
    sk_packet_summary(&p, line, n);
}

/* The lines the brief of this module gives as examples. */
START_TEST(test_examples)
{
    struct fb f = {.n = 0};
    char line[512];
    fb_eth(&f, 0x0800);
    size_t ip = fb_ip4(&f, 6, NULL, 0);
    memcpy(f.b + ip + 16, IP4_A, 4);
    fb_tcp(&f, 40000, 6666, 2732216995u, 0, SK_TH_SYN, 65495, SYN_OPTS, sizeof SYN_OPTS);
    fb_ip4_done(&f, ip);
    summary_of(1, &f, line, sizeof line);
    ck_assert_str_eq(line, "IP 127.0.0.1.40000 > 127.0.0.1.6666: Flags [S], seq 2732216995, "
                           "win 65495, options [mss 65495,sackOK,TS val 1205737599 ecr 0,nop,"
                           "wscale 10], length 0");

    f.n = 0;
    fb_eth(&f, 0x86dd);
    ip = fb_ip6(&f, 17);
    memcpy(f.b + ip + 24, IP6_A, 16);
    size_t u = fb_udp(&f, 5000, 6000);
    putn(&f, "HelloWorld!!!", 13);
    fb_udp_done(&f, u);
    fb_ip6_done(&f, ip);
    summary_of(1, &f, line, sizeof line);
    ck_assert_str_eq(line, "IP6 ::1.5000 > ::1.6000: UDP, length 13");

    f.n = 0;
    fb_eth(&f, 0x0800);
    ip = fb_ip4(&f, 1, NULL, 0);
    memcpy(f.b + ip + 16, IP4_A, 4);
    fb_icmp(&f, 3, 3, 0);
    size_t qip = fb_ip4(&f, 17, NULL, 0);
    memcpy(f.b + qip + 16, IP4_A, 4);
    u = fb_udp(&f, 40000, 7777);
    putn(&f, "HelloWorld!!!", 13);
    fb_udp_done(&f, u);
    fb_ip4_done(&f, qip);
    fb_ip4_done(&f, ip);
    summary_of(1, &f, line, sizeof line);
    ck_assert_str_eq(line, "IP 127.0.0.1 > 127.0.0.1: ICMP 127.0.0.1 udp port 7777 unreachable, "
                           "length 49");

    f.n = 0;
    fb_eth(&f, 0x88cc);
    while (f.n < 60)
        put8(&f, 0);
    summary_of(1, &f, line, sizeof line);
    ck_assert_str_eq(line, "ethertype LLDP (0x88cc), length 60");
}
END_TEST

START_TEST(test_buffer_and_bytes)
{
    struct fb f = {.n = 0};
    char line[512];
    fb_eth(&f, 0x0800);
    size_t ip = fb_ip4(&f, 17, NULL, 0);
    size_t u = fb_udp(&f, 5000, 6000);
    fb_udp_done(&f, u);
    fb_ip4_done(&f, ip);
    struct sk_packet p;
    sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p);
    size_t full = sk_packet_summary(&p, line, sizeof line);
    ck_assert_str_eq(line, "IP 127.0.0.1.5000 > 10.1.2.3.6000: UDP, length 0");
    ck_assert_uint_eq(full, strlen(line));
    /* A short buffer: cut, terminated, its length returned. */
    char small[11];
    memset(small, 'z', sizeof small);
    ck_assert_uint_eq(sk_packet_summary(&p, small, sizeof small), 10);
    ck_assert_str_eq(small, "IP 127.0.0");
    ck_assert_uint_eq(sk_packet_summary(&p, small, 0), 0);
    ck_assert_int_eq(small[0], 'I');
    /* Without its bytes a packet still gets a line. */
    p.data = NULL;
    sk_packet_summary(&p, line, sizeof line);
    ck_assert_str_eq(line, " [|ether]");
    /* A link type we do not decode. */
    sk_decode(105, f.b, (uint32_t)f.n, (uint32_t)f.n, &p);
    sk_packet_summary(&p, line, sizeof line);
    ck_assert_ptr_nonnull(strstr(line, "105"));
}
END_TEST

Suite *summary_suite(void);
Suite *summary_suite(void)
{
    Suite *s = suite_create("summary");
    TCase *tc = tcase_create("Tcpdump");
    tcase_add_loop_test(tc, test_matches_tcpdump, 0, (int)N(files));
    tcase_add_test(tc, test_snap_truncated);
    suite_add_tcase(s, tc);
    tc = tcase_create("Core");
    tcase_add_test(tc, test_examples);
    tcase_add_test(tc, test_buffer_and_bytes);
    suite_add_tcase(s, tc);
    return s;
}
