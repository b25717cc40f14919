/* summary.h — one line per packet, as `tcpdump -n -S` prints it after the timestamp. */
#ifndef SK_SUMMARY_H
#define SK_SUMMARY_H

#include <stddef.h>

#include "decode.h"

/* Writes the line for decoded packet p into buf (n bytes, NUL-terminated) and
 * returns its length (truncated to n - 1). The bytes are read again from
 * p->data (p->dlt, p->caplen, p->wirelen), which must still be valid.
 *
 * For TCP and UDP over IPv4 and IPv6 the line is what tcpdump 4.99 prints with
 * -n -S: "IP 127.0.0.1.40000 > 127.0.0.1.6666: Flags [S], seq 2732216995, win
 * 65495, options [mss 65495,sackOK,TS val 1205737599 ecr 0,nop,wscale 10],
 * length 0", including its truncation markers ("[|tcp]") and complaints ("UDP,
 * bad length 32 > 5"); where tcpdump would go on to decode an application
 * protocol (DNS, HTTP...), the line stops after the transport's length. ICMP,
 * ICMPv6, ARP and other frames get tcpdump's wording where it is simple
 * ("ICMP 127.0.0.1 udp port 7777 unreachable, length 49") and a plain
 * "ethertype LLDP (0x88cc), length 60" otherwise. The text is never
 * translated (it is tcpdump's) and holds only printable ASCII: nothing is
 * copied from the capture but numbers and addresses. */
size_t sk_packet_summary(const struct sk_packet *p, char *buf, size_t n);

#endif
