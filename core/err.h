/* err.h — how core/ reports failure: a status and a caller's error buffer.
 *
 * core/ never prints and never exits. A function that can fail for a reason the
 * user must hear about takes `char *err` (SK_ERRBUF_SIZE bytes, owned by the
 * caller), returns -1 / NULL on failure and leaves one line in err that names
 * the call or the input and what to do ("cannot open capture x.pcap: No such
 * file or directory"). On success err is left untouched.
 */
#ifndef SK_ERR_H
#define SK_ERR_H

#include <stddef.h>

/* Big enough for libpcap's PCAP_ERRBUF_SIZE (256) plus our own context. */
#define SK_ERRBUF_SIZE 512

/* Formats one line into err (SK_ERRBUF_SIZE bytes), truncating safely. A NULL
 * err is allowed and ignored. */
void sk_err(char *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Outcome of decoding one layer of a packet. */
enum sk_status {
    SK_OK = 0,        /* every field of the layer was present and sane */
    SK_TRUNCATED = 1, /* the capture stopped (caplen) before the layer ended */
    SK_INVALID = 2    /* the bytes are there but contradict the protocol */
};

/* "ok", "truncated", "invalid". */
const char *sk_status_name(enum sk_status s);

#endif
