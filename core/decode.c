/* decode.c — the decoder's entry points (decode.h): frame in, sk_packet out. */
#include <string.h>

#include "decode_layers.h"

/* Zeroes *p in pieces small enough to become plain vector stores: one memset
 * of the whole struct compiles to `rep stos`, whose start-up cost was a fifth
 * of the time of decoding a TCP segment. */
static void packet_zero(struct sk_packet *p)
{
    unsigned char *b = (unsigned char *)p;
    size_t i = 0;
    for (; i + 48 <= sizeof *p; i += 48)
        memset(b + i, 0, 48);
    memset(b + i, 0, sizeof *p - i);
}

enum sk_status sk_decode_layers(int dlt, const uint8_t *data, uint32_t caplen,
                                uint32_t wirelen, struct sk_packet *p, struct sk_layers *L)
{
    packet_zero(p);
    p->caplen = caplen;
    p->wirelen = wirelen;
    p->dlt = dlt;
    p->data = data;
    L->n = 0;
    L->dropped = 0;
    if (!data)
        caplen = 0;
    struct sk_dec d = {p, L, data, caplen, wirelen > caplen ? wirelen : caplen};
    sk_dec_link(&d, dlt);
    return p->status;
}

enum sk_status sk_decode(int dlt, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
                         struct sk_packet *p)
{
    struct sk_layers L; /* only its count is initialised: records are written before read */
    return sk_decode_layers(dlt, data, caplen, wirelen, p, &L);
}

bool sk_decode_dlt_supported(int dlt)
{
    switch (dlt) {
    case SK_DLT_NULL:
    case SK_DLT_EN10MB:
    case SK_DLT_RAW:
    case SK_DLT_RAW_OPENBSD:
    case SK_LINKTYPE_RAW:
    case SK_DLT_LOOP:
    case SK_DLT_LINUX_SLL:
    case SK_DLT_IPV4:
    case SK_DLT_IPV6:
    case SK_DLT_LINUX_SLL2:
        return true;
    default:
        return false;
    }
}

/* tcpdump's print-tcp.c tcp_flag_values, in its order. */
static const struct {
    uint8_t bit;
    char letter;
    const char *name;
} tcp_flags[] = {
    {SK_TH_FIN, 'F', "FIN"}, {SK_TH_SYN, 'S', "SYN"}, {SK_TH_RST, 'R', "RST"},
    {SK_TH_PSH, 'P', "PSH"}, {SK_TH_ACK, '.', "ACK"}, {SK_TH_URG, 'U', "URG"},
    {SK_TH_ECE, 'E', "ECE"}, {SK_TH_CWR, 'W', "CWR"},
};

char *sk_tcp_flags_str(uint8_t flags, char *buf)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof tcp_flags / sizeof tcp_flags[0]; i++)
        if (flags & tcp_flags[i].bit)
            buf[n++] = tcp_flags[i].letter;
    if (n == 0)
        memcpy(buf, "none", 5);
    else
        buf[n] = '\0';
    return buf;
}

char *sk_tcp_flags_names(uint8_t flags, char *buf)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof tcp_flags / sizeof tcp_flags[0]; i++) {
        if (!(flags & tcp_flags[i].bit))
            continue;
        if (n)
            buf[n++] = ',';
        memcpy(buf + n, tcp_flags[i].name, 3);
        n += 3;
    }
    if (n == 0)
        memcpy(buf, "none", 5);
    else
        buf[n] = '\0';
    return buf;
}
