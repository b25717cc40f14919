/* source.h — where packets come from and go to: libpcap files and interfaces.
 *
 * One interface over a saved capture (pcap or pcapng, either byte order, micro-
 * or nanosecond timestamps; always delivered in nanoseconds) and a live
 * interface (pcap_create/pcap_activate). A BPF filter in tcpdump's syntax can
 * be set on either; on a file it is applied per record, so frame numbers stay
 * those of the file (as Wireshark numbers them).
 *
 * Also: saving packets (pcap_dump) and re-reading one packet of a file by its
 * offset, so that a model of a million packets need not keep their bytes.
 */
#ifndef SK_SOURCE_H
#define SK_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

/* One captured record, borrowed from libpcap until the next read. */
struct sk_raw {
    uint32_t n;          /* frame number: files count every record, filtered or not, from 1 */
    int64_t ts_ns;       /* capture time, ns since the epoch */
    uint32_t caplen;     /* bytes captured */
    uint32_t wirelen;    /* bytes on the wire */
    const uint8_t *data; /* caplen bytes; valid until the next read or close */
    uint64_t off;        /* a file position from which sk_reader_read finds this
                            record as the next one (files; live: 0) */
};

struct sk_stats {
    uint64_t received; /* packets the source delivered to us */
    uint64_t dropped;  /* packets the kernel dropped for lack of buffer (live) */
    uint64_t ifdropped;/* packets the interface dropped (live, where known) */
};

/* Options of a live capture. Zero fields take the defaults shown. */
struct sk_live_opts {
    int snaplen;       /* bytes kept per packet: 262144 */
    int buffer_bytes;  /* kernel ring size: 32 MiB (enough for a loopback flood) */
    int timeout_ms;    /* longest wait in sk_source_next before it returns 0: 100 */
    bool promisc;      /* promiscuous mode: off */
    bool batched;      /* let the kernel hand packets over in blocks (Linux TPACKET_V3)
                          rather than one by one: a far larger ring for the same
                          buffer, each packet delivered within timeout_ms. For a
                          capture that must survive a flood (the UI). Off: at once. */
};

struct sk_source;

/* Opens a capture file. NULL on failure, err says why (missing, unreadable,
 * not a capture file, unsupported format). Owner: caller, sk_source_close. */
struct sk_source *sk_source_open_file(const char *path, char *err);

/* Opens a live capture on iface ("lo", "any", "eth0"); opts may be NULL. NULL
 * on failure; err names what is missing and what to do (no such interface;
 * no privilege: run with sudo or `setcap cap_net_raw,cap_net_admin=eip`). */
struct sk_source *sk_source_open_live(const char *iface, const struct sk_live_opts *opts,
                                      char *err);

/* Compiles a tcpdump-syntax filter and applies it. -1 with err (the position of
 * the mistake as libpcap reports it) when it does not compile. "" removes it. */
int sk_source_set_filter(struct sk_source *s, const char *expr, char *err);

/* Reads the next record that passes the filter. Returns
 *    1  a packet is in *raw
 *    0  end of file; live: nothing arrived within the timeout
 *   -1  error: err says what (e.g. "capture file x.pcap is cut short: record
 *       42 is truncated (...)"), the packets already returned stay valid;
 *       nothing more will be read (later calls return 0)
 *   -2  sk_source_break was called */
int sk_source_next(struct sk_source *s, struct sk_raw *raw, char *err);

/* Makes a blocked sk_source_next return -2 (or the next call, if none is
 * blocked); reported once. Async-signal-safe: pcap_breakloop, an atomic flag,
 * and a write(2) to a pipe that wakes a live wait. */
void sk_source_break(struct sk_source *s);

int sk_source_datalink(const struct sk_source *s); /* DLT_* of the records */
int sk_source_snaplen(const struct sk_source *s);
const char *sk_source_name(const struct sk_source *s); /* path or interface */
bool sk_source_is_live(const struct sk_source *s);

/* Live: the warning pcap_activate gave, if it gave one (e.g. promiscuous mode
 * not supported), else "". Owned by s. Capture works despite it; show it once. */
const char *sk_source_warning(const struct sk_source *s);

/* Live: counters from pcap_stats. Files: received = records read, no drops.
 * -1 with err if libpcap cannot tell. */
int sk_source_stats(struct sk_source *s, struct sk_stats *st, char *err);

/* Frees everything; NULL is allowed. */
void sk_source_close(struct sk_source *s);

/* ------------------------------------------------------------------ saving */

struct sk_dump;

/* Creates (truncates) a pcap file for records of src's link type and snaplen. */
struct sk_dump *sk_dump_open(const struct sk_source *src, const char *path, char *err);

/* The same for a given link type and snaplen, without a source (tests, tools). */
struct sk_dump *sk_dump_open_dlt(int dlt, int snaplen, const char *path, char *err);

/* Appends a record; *off (may be NULL) gets the file offset it starts at, for
 * sk_reader_read. -1 with err on a write error (disk full). */
int sk_dump_write(struct sk_dump *d, const struct sk_raw *raw, uint64_t *off, char *err);

/* Pushes buffered records to the file so that a reader sees them. */
int sk_dump_flush(struct sk_dump *d, char *err);

/* Flushes and closes; -1 with err if the last write failed. NULL is allowed. */
int sk_dump_close(struct sk_dump *d, char *err);

/* ------------------------------------------------------------ random access */

struct sk_reader;

/* Opens a capture file for reading records by offset (see sk_raw.off). */
struct sk_reader *sk_reader_open(const char *path, char *err);

/* Reads the record found at off into *raw (borrowed until the next call).
 * 1 on success, -1 with err otherwise. n in *raw is 0: the caller knows it. */
int sk_reader_read(struct sk_reader *r, uint64_t off, struct sk_raw *raw, char *err);

int sk_reader_datalink(const struct sk_reader *r);
void sk_reader_close(struct sk_reader *r);

#endif
