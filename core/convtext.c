/* convtext.c — sentences about a whole conversation (convtext.h). */
#include "convtext.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"

size_t sk_conv_summary(const struct sk_conv *c, char *buf, size_t n)
{
    if (n == 0)
        return 0;
    char a[SK_ADDRSTRLEN], b[SK_ADDRSTRLEN];
    sk_endpoint_str(&c->addr[SK_CLIENT], c->port[SK_CLIENT], a);
    sk_endpoint_str(&c->addr[SK_SERVER], c->port[SK_SERVER], b);
    double secs = (double)(c->last_ts - c->first_ts) / 1e9;
    int w;
    if (c->proto == 6) {
        w = snprintf(buf, n,
                     _("Summary. Client %s: packets %llu, data bytes %llu. Server %s: packets "
                       "%llu, data bytes %llu. Opened: %s. Ended: %s. Lasted %.6f s."),
                     a, (unsigned long long)c->pkts[SK_CLIENT],
                     (unsigned long long)c->bytes[SK_CLIENT], b,
                     (unsigned long long)c->pkts[SK_SERVER],
                     (unsigned long long)c->bytes[SK_SERVER],
                     _(sk_open_name((enum sk_open)c->tcp.opened)),
                     _(sk_end_name((enum sk_end)c->tcp.ended)), secs);
    } else if (c->proto == 17 && c->icmp[SK_CLIENT] + c->icmp[SK_SERVER] > 0) {
        w = snprintf(buf, n,
                     _("Summary. %s: datagrams %llu, bytes %llu. %s: datagrams %llu, bytes %llu; "
                       "ICMP errors back %llu. UDP has no connection: nothing opens or closes it. "
                       "Lasted %.6f s."),
                     a, (unsigned long long)(c->pkts[SK_CLIENT] - c->icmp[SK_CLIENT]),
                     (unsigned long long)c->bytes[SK_CLIENT], b,
                     (unsigned long long)(c->pkts[SK_SERVER] - c->icmp[SK_SERVER]),
                     (unsigned long long)c->bytes[SK_SERVER],
                     (unsigned long long)(c->icmp[SK_CLIENT] + c->icmp[SK_SERVER]), secs);
    } else if (c->proto == 17) {
        w = snprintf(buf, n,
                     _("Summary. %s: datagrams %llu, bytes %llu. %s: datagrams %llu, bytes %llu. "
                       "UDP has no connection: nothing opens or closes it. Lasted %.6f s."),
                     a, (unsigned long long)c->pkts[SK_CLIENT],
                     (unsigned long long)c->bytes[SK_CLIENT], b,
                     (unsigned long long)c->pkts[SK_SERVER],
                     (unsigned long long)c->bytes[SK_SERVER], secs);
    } else {
        sk_addr_str(&c->addr[SK_CLIENT], a);
        sk_addr_str(&c->addr[SK_SERVER], b);
        w = snprintf(buf, n, _("Summary. %s: packets %llu. %s: packets %llu. Lasted %.6f s."), a,
                     (unsigned long long)c->pkts[SK_CLIENT], b,
                     (unsigned long long)c->pkts[SK_SERVER], secs);
    }
    if (w < 0) {
        buf[0] = '\0';
        return 0;
    }
    return (size_t)w < n ? (size_t)w : n - 1;
}

char *sk_conv_how(const struct sk_conv *c, char *buf, size_t n)
{
    if (c->proto == 6)
        snprintf(buf, n, "%s, %s", _(sk_open_name((enum sk_open)c->tcp.opened)),
                 _(sk_end_name((enum sk_end)c->tcp.ended)));
    else if (c->proto == 17)
        snprintf(buf, n, "%s", _("datagrams"));
    else
        snprintf(buf, n, "-");
    return buf;
}

char *sk_conv_endpoints(const struct sk_conv *c, char *buf, size_t n)
{
    char a[SK_ADDRSTRLEN], b[SK_ADDRSTRLEN];
    if (c->proto == 6 || c->proto == 17) {
        sk_endpoint_str(&c->addr[SK_CLIENT], c->port[SK_CLIENT], a);
        sk_endpoint_str(&c->addr[SK_SERVER], c->port[SK_SERVER], b);
    } else {
        sk_addr_str(&c->addr[SK_CLIENT], a);
        sk_addr_str(&c->addr[SK_SERVER], b);
    }
    snprintf(buf, n, "%s -> %s", a, b);
    return buf;
}
