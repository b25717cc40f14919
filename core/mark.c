/* mark.c — marks for packet lists, step stops and search matches (mark.h). */
#include "mark.h"

#include <ctype.h>
#include <string.h>

#include "escape.h"
#include "explain.h"
#include "summary.h"
#include "tcp.h"

#define EV(x) (1u << (x))

/* The events of each mark, in the order the marks are tried. */
static const struct {
    enum sk_mark mark;
    uint32_t events;
} mark_events[] = {
    {SK_MARK_BAD, EV(SK_EV_BAD_PACKET)},
    {SK_MARK_RESET, EV(SK_EV_RST) | EV(SK_EV_REFUSED) | EV(SK_EV_ICMP_UNREACH)},
    {SK_MARK_TROUBLE, EV(SK_EV_RETRANS) | EV(SK_EV_FAST_RETRANS) | EV(SK_EV_SPURIOUS_RETRANS) |
                          EV(SK_EV_OUT_OF_ORDER) | EV(SK_EV_LOST_SEGMENT) |
                          EV(SK_EV_ACKED_UNSEEN) | EV(SK_EV_DUP_ACK) | EV(SK_EV_ZERO_WINDOW) |
                          EV(SK_EV_WINDOW_FULL)},
    {SK_MARK_OPEN, EV(SK_EV_SYN) | EV(SK_EV_SYNACK) | EV(SK_EV_HS_ACK) | EV(SK_EV_SIM_OPEN)},
    {SK_MARK_CLOSE, EV(SK_EV_FIN) | EV(SK_EV_FIN_ACKED) | EV(SK_EV_HALF_CLOSE) |
                        EV(SK_EV_SIM_CLOSE)},
    {SK_MARK_DATA, EV(SK_EV_DATA)},
    {SK_MARK_DATAGRAM, EV(SK_EV_UDP)},
    {SK_MARK_FLOW, EV(SK_EV_WINDOW_UPDATE) | EV(SK_EV_KEEPALIVE) | EV(SK_EV_KEEPALIVE_ACK) |
                       EV(SK_EV_ZERO_WINDOW_PROBE) | EV(SK_EV_MIDSTREAM) | EV(SK_EV_PORT_REUSE) |
                       EV(SK_EV_FRAGMENT)},
};

enum sk_mark sk_rec_mark(const struct sk_rec *r)
{
    for (size_t i = 0; i < sizeof mark_events / sizeof mark_events[0]; i++)
        if (r->events & mark_events[i].events)
            return mark_events[i].mark;
    if (r->conv != SK_NO_CONV && (sk_rec_kind(r) == SK_K_ICMP || sk_rec_kind(r) == SK_K_ICMP6))
        return SK_MARK_FLOW;
    return SK_MARK_NONE;
}

bool sk_rec_is_step(const struct sk_rec *r)
{
    return (r->events & ~EV(SK_EV_ACK)) != 0;
}

/* strstr without regard to ASCII case. */
static bool contains(const char *hay, const char *needle)
{
    size_t nl = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < nl && hay[i] &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == nl)
            return true;
    }
    return false;
}

bool sk_packet_matches(const struct sk_packet *p, const struct sk_rec *r, const char *query)
{
    if (!query[0])
        return false;
    char buf[1024];
    sk_packet_summary(p, buf, sizeof buf);
    if (contains(buf, query))
        return true;
    char tag[48];
    if (contains(sk_explain_tag(r, tag), query))
        return true;
    if (p->payload && p->payload_caplen > 0) {
        sk_escape_text(p->payload, p->payload_caplen, buf, sizeof buf, NULL);
        if (contains(buf, query))
            return true;
    }
    return false;
}
