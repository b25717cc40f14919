/* labevents.h — core's side of the lab events: receiving them, keeping them
 * beside a capture, and finding the conversation side that made each call.
 *
 * The format of one event is defined once, in labevent.h (the labs send with
 * sk_labevent_format); people read about it in docs/events.md.
 *
 * Receiving: the UI binds a UNIX datagram socket (by default at
 * sk_labev_default_path) and polls it with the packet source; each datagram
 * is one event. Keeping: a saved capture CAPTURE keeps its events in the
 * sidecar file CAPTURE.events, one formatted event per line.
 */
#ifndef SK_LABEVENTS_H
#define SK_LABEVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "conv.h"
#include "labevent.h"

/* ------------------------------------------------------------ receiving */

struct sk_labev_rx;

/* Binds a non-blocking UNIX datagram socket at path. A socket file left there
 * by a run that ended is replaced; a live listener (another sockscope) or a
 * file that is not a socket is an error. Run as root by sudo, the socket is
 * given to SUDO_UID, so that the student's labs may send to it. NULL with err
 * on failure. Owner: caller, sk_labev_rx_close (which removes the file). */
struct sk_labev_rx *sk_labev_rx_open(const char *path, char *err);

/* The descriptor to poll() for input, and the path bound. */
int sk_labev_rx_fd(const struct sk_labev_rx *rx);
const char *sk_labev_rx_path(const struct sk_labev_rx *rx);

/* Takes one event without waiting: 1 when *e is filled, 0 when none is
 * waiting, -1 with err when the socket fails. Datagrams that are not events
 * (another program, a newer version, cut short) are skipped and counted. */
int sk_labev_rx_recv(struct sk_labev_rx *rx, struct sk_labevent *e, char *err);

/* How many datagrams were skipped as not events. */
uint64_t sk_labev_rx_rejected(const struct sk_labev_rx *rx);

/* Closes the socket and removes its file. NULL is allowed. */
void sk_labev_rx_close(struct sk_labev_rx *rx);

/* ---------------------------------------------------------------- lists */

/* A growable array of events; zero-initialise it. */
struct sk_labev_list {
    struct sk_labevent *ev;
    size_t n, cap;
};

/* Appends a copy of e. -1 with err when out of memory. */
int sk_labev_list_push(struct sk_labev_list *l, const struct sk_labevent *e, char *err);

/* Orders by start time, then pid and seq (events of one process whose
 * clocks tie keep their order). */
void sk_labev_list_sort(struct sk_labev_list *l);

/* Frees the array and empties the list. */
void sk_labev_list_free(struct sk_labev_list *l);

/* -------------------------------------------------------------- sidecar */

/* The sidecar of capture file capture: "capture.events" (the whole name, so
 * that x.pcap and x.pcapng keep theirs apart). -1 when it does not fit in n. */
int sk_labev_sidecar_path(const char *capture, char *buf, size_t n);

/* Writes n events to path, one line each, replacing the file at once (a
 * temporary file renamed). -1 with err on failure. */
int sk_labev_save(const char *path, const struct sk_labevent *ev, size_t n, char *err);

/* Appends the events of the sidecar file path to out (in file order). Empty
 * lines and lines starting with '#' are allowed; other lines that are not
 * events are skipped and counted in *skipped (may be NULL). -1 with err when
 * the file cannot be read (out keeps what was read) or memory runs out. */
int sk_labev_load(const char *path, struct sk_labev_list *out, size_t *skipped, char *err);

/* ------------------------------------------------------------- matching */

/* Parses an event's endpoint, "127.0.0.1:40000" or "[::1]:6666" (a zone
 * "%lo" is dropped; an IPv4-mapped IPv6 address "::ffff:a.b.c.d" becomes
 * IPv4, as the packets show it). False for "" and anything else. */
bool sk_labev_endpoint(const char *text, struct sk_addr *addr, uint16_t *port);

/* Which side of conversation c made the call e reports: SK_CLIENT or
 * SK_SERVER, -1 when e is not about c. An event with a remote address
 * matches by the 4-tuple (local, remote) = (client, server) or (server,
 * client). An event with only a local address (socket, bind, listen, close of
 * a listener) matches the endpoint it is bound to, a wildcard address
 * (0.0.0.0, ::) matching any address with that port. The protocol must agree
 * when the event names one ("tcp" is 6, "udp" 17). */
int sk_labevent_side(const struct sk_labevent *e, const struct sk_conv *c);

#endif
