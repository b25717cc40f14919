/* names.h — value→name tables for the numbers protocols use (tcpdump's tok tables). */
#ifndef SK_NAMES_H
#define SK_NAMES_H

#include <stdint.h>

/* A value and its name; tables end with {0, NULL}. */
struct sk_tok {
    unsigned value;
    const char *name;
};

/* The name of v in table, or NULL. */
const char *sk_tok_name(const struct sk_tok *table, unsigned v);

/* Names of common numbers; NULL when unknown (callers print the number). */
const char *sk_dlt_name(int dlt);            /* "EN10MB (Ethernet)", "LINUX_SLL2" ... */
const char *sk_ethertype_name(uint16_t et);  /* "IPv4", "ARP", "802.1Q", "LLDP" ... */
const char *sk_ipproto_name(uint8_t proto);  /* "TCP", "UDP", "ICMP", "ICMPv6", "GRE" ... */
const char *sk_tcpopt_name(uint8_t kind);    /* "mss", "wscale", "sackOK", "sack", "TS", "nop", "eol" */
const char *sk_icmp_type_name(uint8_t type); /* "echo request", "destination unreachable" ... */
const char *sk_icmp_unreach_name(uint8_t code);  /* "port unreachable" ... */
const char *sk_icmp6_type_name(uint8_t type);
const char *sk_icmp6_unreach_name(uint8_t code);

/* Added for the dissection (same conventions: NULL when unknown). Names that
 * are words for people are gettext msgids (marked N_() in names.c): translate
 * them with _() when shown; protocol names and tcpdump's tokens are not. */
const char *sk_icmp_code_name(uint8_t type, uint8_t code);  /* any ICMP type with codes */
const char *sk_icmp6_code_name(uint8_t type, uint8_t code);
const char *sk_ipopt_name(uint8_t type);     /* IPv4 options: "NOP", "RR", "TS", "RA" ... */
const char *sk_ip6opt_name(uint8_t type);    /* IPv6 options: "Pad1", "PadN", "Jumbo Payload" ... */
const char *sk_arp_op_name(uint16_t op);     /* "request", "reply" ... */
const char *sk_sll_pkttype_name(uint16_t t); /* "unicast to us", "sent by us" ... */
const char *sk_arphrd_name(uint16_t t);      /* Linux ARPHRD_*: "Ethernet", "loopback" ... */

#endif
