/* names.c — value→name tables (names.h). Protocol names and tcpdump's tokens
 * are left as they are; words meant for people are marked N_() for the
 * translators and translated by whoever shows them. */
#include "names.h"

#include <stddef.h>

#include "i18n.h"

const char *sk_tok_name(const struct sk_tok *table, unsigned v)
{
    for (; table->name; table++)
        if (table->value == v)
            return table->name;
    return NULL;
}

/* As tcpdump's "link-type" line names them (pcap_datalink_val_to_name and its
 * description); 12 and 14 are DLT_RAW on different systems, 101 the file's
 * LINKTYPE_RAW. */
static const struct sk_tok dlt_names[] = {
    {0, "NULL (BSD loopback)"},
    {1, "EN10MB (Ethernet)"},
    {6, "IEEE802 (Token Ring)"},
    {8, "SLIP (SLIP)"},
    {9, "PPP (PPP)"},
    {10, "FDDI (FDDI)"},
    {12, "RAW (Raw IP)"},
    {14, "RAW (Raw IP)"},
    {50, "PPP_SERIAL (PPP over serial)"},
    {101, "RAW (Raw IP)"},
    {104, "C_HDLC (Cisco HDLC)"},
    {105, "IEEE802_11 (802.11)"},
    {108, "LOOP (OpenBSD loopback)"},
    {113, "LINUX_SLL (Linux cooked v1)"},
    {127, "IEEE802_11_RADIO (802.11 plus radiotap header)"},
    {228, "IPV4 (Raw IPv4)"},
    {229, "IPV6 (Raw IPv6)"},
    {239, "NFLOG (Linux netfilter log messages)"},
    {276, "LINUX_SLL2 (Linux cooked v2)"},
    {0, NULL}};

const char *sk_dlt_name(int dlt)
{
    return dlt < 0 ? NULL : sk_tok_name(dlt_names, (unsigned)dlt);
}

static const struct sk_tok ethertype_names[] = {
    {0x0800, "IPv4"},
    {0x0806, "ARP"},
    {0x0842, "Wake-on-LAN"},
    {0x22f3, "TRILL"},
    {0x6558, "Transparent Ethernet Bridging"},
    {0x8035, "RARP"},
    {0x809b, "AppleTalk"},
    {0x80f3, "AARP"},
    {0x8100, "802.1Q"},
    {0x8137, "IPX"},
    {0x86dd, "IPv6"},
    {0x8808, "Ethernet flow control"},
    {0x8809, "Slow protocols (LACP)"},
    {0x8847, "MPLS unicast"},
    {0x8848, "MPLS multicast"},
    {0x8863, "PPPoE D"},
    {0x8864, "PPPoE S"},
    {0x886f, "NLB"},
    {0x888e, "EAPOL"},
    {0x8892, "PROFINET"},
    {0x889a, "HyperSCSI"},
    {0x88a2, "ATA over Ethernet"},
    {0x88a4, "EtherCAT"},
    {0x88a8, "802.1ad"},
    {0x88b5, "Local experimental 1"},
    {0x88b6, "Local experimental 2"},
    {0x88cc, "LLDP"},
    {0x88e1, "HomePlug AV"},
    {0x88e5, "MACsec"},
    {0x88e7, "802.1ah"},
    {0x88f7, "PTP"},
    {0x8902, "CFM"},
    {0x8906, "FCoE"},
    {0x8914, "FIP"},
    {0x894f, "NSH"},
    {0x9000, "Loopback"},
    {0x9100, "802.1Q QinQ"},
    {0, NULL}};

const char *sk_ethertype_name(uint16_t et)
{
    return sk_tok_name(ethertype_names, et);
}

/* IANA's keywords (protocol-numbers registry), ICMPv6 spelled as people do. */
static const struct sk_tok ipproto_names[] = {
    {0, "HOPOPT"},        {1, "ICMP"},        {2, "IGMP"},          {4, "IPIP"},
    {6, "TCP"},           {8, "EGP"},         {9, "IGP"},           {17, "UDP"},
    {27, "RDP"},          {33, "DCCP"},       {41, "IPv6"},         {43, "IPv6-Route"},
    {44, "IPv6-Frag"},    {46, "RSVP"},       {47, "GRE"},          {50, "ESP"},
    {51, "AH"},           {58, "ICMPv6"},     {59, "IPv6-NoNxt"},   {60, "IPv6-Opts"},
    {88, "EIGRP"},        {89, "OSPF"},       {94, "IPIP-old"},     {97, "EtherIP"},
    {103, "PIM"},         {108, "IPComp"},    {112, "VRRP"},        {115, "L2TP"},
    {124, "IS-IS"},       {132, "SCTP"},      {135, "Mobility Header"},
    {136, "UDPLite"},     {137, "MPLS-in-IP"}, {139, "HIP"},        {140, "Shim6"},
    {143, "Ethernet"},    {0, NULL}};

const char *sk_ipproto_name(uint8_t proto)
{
    return sk_tok_name(ipproto_names, proto);
}

/* tcpdump's print-tcp.c tcp_option_values (its "" for CC.ECHO named here). */
static const struct sk_tok tcpopt_names[] = {
    {0, "eol"},     {1, "nop"},        {2, "mss"},     {3, "wscale"},  {4, "sackOK"},
    {5, "sack"},    {6, "echo"},       {7, "echoreply"}, {8, "TS"},    {11, "cc"},
    {12, "ccnew"},  {13, "ccecho"},    {19, "md5"},    {20, "scps"},   {28, "uto"},
    {29, "tcp-ao"}, {30, "mptcp"},     {34, "tfo"},    {254, "exp"},   {0, NULL}};

const char *sk_tcpopt_name(uint8_t kind)
{
    return sk_tok_name(tcpopt_names, kind);
}

/* ------------------------------------------------------------ ICMP */

static const struct sk_tok icmp_types[] = {
    {0, N_("echo reply")},
    {3, N_("destination unreachable")},
    {4, N_("source quench")},
    {5, N_("redirect")},
    {8, N_("echo request")},
    {9, N_("router advertisement")},
    {10, N_("router solicitation")},
    {11, N_("time exceeded")},
    {12, N_("parameter problem")},
    {13, N_("timestamp request")},
    {14, N_("timestamp reply")},
    {15, N_("information request")},
    {16, N_("information reply")},
    {17, N_("address mask request")},
    {18, N_("address mask reply")},
    {42, N_("extended echo request")},
    {43, N_("extended echo reply")},
    {0, NULL}};

static const struct sk_tok icmp_unreach[] = {
    {0, N_("network unreachable")},
    {1, N_("host unreachable")},
    {2, N_("protocol unreachable")},
    {3, N_("port unreachable")},
    {4, N_("fragmentation needed")},
    {5, N_("source route failed")},
    {6, N_("destination network unknown")},
    {7, N_("destination host unknown")},
    {8, N_("source host isolated")},
    {9, N_("network administratively prohibited")},
    {10, N_("host administratively prohibited")},
    {11, N_("network unreachable for type of service")},
    {12, N_("host unreachable for type of service")},
    {13, N_("communication administratively prohibited")},
    {14, N_("host precedence violation")},
    {15, N_("precedence cutoff in effect")},
    {0, NULL}};

static const struct sk_tok icmp_redirect[] = {
    {0, N_("redirect for the network")},
    {1, N_("redirect for the host")},
    {2, N_("redirect for the type of service and network")},
    {3, N_("redirect for the type of service and host")},
    {0, NULL}};

static const struct sk_tok icmp_timxceed[] = {
    {0, N_("time to live exceeded in transit")},
    {1, N_("fragment reassembly time exceeded")},
    {0, NULL}};

static const struct sk_tok icmp_paramprob[] = {
    {0, N_("the pointer indicates the error")},
    {1, N_("missing a required option")},
    {2, N_("bad length")},
    {0, NULL}};

const char *sk_icmp_type_name(uint8_t type)
{
    return sk_tok_name(icmp_types, type);
}

const char *sk_icmp_unreach_name(uint8_t code)
{
    return sk_tok_name(icmp_unreach, code);
}

const char *sk_icmp_code_name(uint8_t type, uint8_t code)
{
    switch (type) {
    case 3:
        return sk_tok_name(icmp_unreach, code);
    case 5:
        return sk_tok_name(icmp_redirect, code);
    case 11:
        return sk_tok_name(icmp_timxceed, code);
    case 12:
        return sk_tok_name(icmp_paramprob, code);
    default:
        return NULL;
    }
}

static const struct sk_tok icmp6_types[] = {
    {1, N_("destination unreachable")},
    {2, N_("packet too big")},
    {3, N_("time exceeded")},
    {4, N_("parameter problem")},
    {128, N_("echo request")},
    {129, N_("echo reply")},
    {130, N_("multicast listener query")},
    {131, N_("multicast listener report")},
    {132, N_("multicast listener done")},
    {133, N_("router solicitation")},
    {134, N_("router advertisement")},
    {135, N_("neighbor solicitation")},
    {136, N_("neighbor advertisement")},
    {137, N_("redirect")},
    {138, N_("router renumbering")},
    {139, N_("node information query")},
    {140, N_("node information reply")},
    {141, N_("inverse neighbor discovery solicitation")},
    {142, N_("inverse neighbor discovery advertisement")},
    {143, N_("multicast listener report v2")},
    {144, N_("home agent address discovery request")},
    {145, N_("home agent address discovery reply")},
    {146, N_("mobile prefix solicitation")},
    {147, N_("mobile prefix advertisement")},
    {148, N_("certification path solicitation")},
    {149, N_("certification path advertisement")},
    {151, N_("multicast router advertisement")},
    {152, N_("multicast router solicitation")},
    {153, N_("multicast router termination")},
    {155, N_("RPL control message")},
    {160, N_("extended echo request")},
    {161, N_("extended echo reply")},
    {0, NULL}};

static const struct sk_tok icmp6_unreach[] = {
    {0, N_("no route to destination")},
    {1, N_("communication with destination administratively prohibited")},
    {2, N_("beyond scope of source address")},
    {3, N_("address unreachable")},
    {4, N_("port unreachable")},
    {5, N_("source address failed ingress/egress policy")},
    {6, N_("reject route to destination")},
    {7, N_("error in source routing header")},
    {8, N_("headers too long")},
    {0, NULL}};

static const struct sk_tok icmp6_timxceed[] = {
    {0, N_("hop limit exceeded in transit")},
    {1, N_("fragment reassembly time exceeded")},
    {0, NULL}};

static const struct sk_tok icmp6_paramprob[] = {
    {0, N_("erroneous header field")},
    {1, N_("unrecognized next header type")},
    {2, N_("unrecognized IPv6 option")},
    {3, N_("first fragment has an incomplete header chain")},
    {0, NULL}};

const char *sk_icmp6_type_name(uint8_t type)
{
    return sk_tok_name(icmp6_types, type);
}

const char *sk_icmp6_unreach_name(uint8_t code)
{
    return sk_tok_name(icmp6_unreach, code);
}

const char *sk_icmp6_code_name(uint8_t type, uint8_t code)
{
    switch (type) {
    case 1:
        return sk_tok_name(icmp6_unreach, code);
    case 3:
        return sk_tok_name(icmp6_timxceed, code);
    case 4:
        return sk_tok_name(icmp6_paramprob, code);
    default:
        return NULL;
    }
}

/* ------------------------------------------------------------ options, links */

/* RFC 791 and the IANA ip-parameters registry. */
static const struct sk_tok ipopt_names[] = {
    {0, "EOL"},  {1, "NOP"},   {7, "RR"},    {68, "TS"},   {130, "SEC"},  {131, "LSRR"},
    {133, "E-SEC"}, {134, "CIPSO"}, {136, "SID"}, {137, "SSRR"}, {148, "RA"}, {0, NULL}};

const char *sk_ipopt_name(uint8_t type)
{
    return sk_tok_name(ipopt_names, type);
}

/* RFC 8200 §4.2 and the IANA ipv6-parameters registry. */
static const struct sk_tok ip6opt_names[] = {
    {0x00, "Pad1"},          {0x01, "PadN"},        {0x04, "Tunnel Encapsulation Limit"},
    {0x05, "Router Alert"},  {0x26, "Quick-Start"}, {0x63, "RPL Option"},
    {0xc2, "Jumbo Payload"}, {0xc9, "Home Address"}, {0x1e, "Experimental"},
    {0, NULL}};

const char *sk_ip6opt_name(uint8_t type)
{
    return sk_tok_name(ip6opt_names, type);
}

static const struct sk_tok arp_ops[] = {
    {1, N_("request")},         {2, N_("reply")},          {3, N_("reverse request")},
    {4, N_("reverse reply")},   {8, N_("inverse request")}, {9, N_("inverse reply")},
    {0, NULL}};

const char *sk_arp_op_name(uint16_t op)
{
    return sk_tok_name(arp_ops, op);
}

/* Linux if_packet.h PACKET_* types, as Linux cooked captures record them. */
static const struct sk_tok sll_pkttypes[] = {
    {0, N_("unicast to us")},
    {1, N_("broadcast")},
    {2, N_("multicast")},
    {3, N_("unicast to another host")},
    {4, N_("sent by us")},
    {0, NULL}};

const char *sk_sll_pkttype_name(uint16_t t)
{
    return sk_tok_name(sll_pkttypes, t);
}

/* Linux if_arp.h ARPHRD_* hardware types. */
static const struct sk_tok arphrd_names[] = {
    {1, "Ethernet"},  {24, "IEEE 1394"},  {32, "InfiniBand"}, {512, "PPP"},
    {519, "Raw IP"},  {768, "IP over IP tunnel"}, {769, "IPv6 over IPv6 tunnel"},
    {772, "loopback"}, {776, "IPv6 in IPv4 tunnel"}, {778, "GRE tunnel"},
    {801, "802.11"},  {803, "802.11 plus radiotap"}, {823, "IP over GRE over IPv6"},
    {824, "netlink"}, {65534, "none (tun)"}, {0, NULL}};

const char *sk_arphrd_name(uint16_t t)
{
    return sk_tok_name(arphrd_names, t);
}
