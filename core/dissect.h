/* dissect.h — a frame, layer by layer and field by field, for the detail pane
 * and the hex dump.
 *
 * The dissection is made from what the decoder itself read (decode.h): the
 * same readers, the same checks, the same verdict. Each field says which bytes
 * of the frame it comes from, so that a viewer can highlight them.
 */
#ifndef SK_DISSECT_H
#define SK_DISSECT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* One line of the dissection. */
struct sk_field {
    int depth;           /* 0: a layer heading ("Internet Protocol Version 4");
                            1: a field of it; 2: a part of a field (a flag bit,
                            one TCP option, a field of a quoted datagram) */
    const char *label;   /* translated: "Source port", "Flags" */
    const char *value;   /* "40000", "0x012 (SYN, ACK)"; "" when the label says
                            it all. Printable text only: no byte of the capture
                            is ever copied into it, only numbers and names. */
    uint32_t off, len;   /* the bytes of the frame it shows (len 0: none) */
    enum sk_status problem; /* SK_OK, or this line tells where and why the layer
                               is truncated (SK_TRUNCATED) or malformed (SK_INVALID) */
};

/* Calls cb once per line, in order, for the frame of link type dlt (data holds
 * caplen bytes of a frame that had wirelen). The first line is the frame
 * itself; then each layer the decoder went through: a heading with a short
 * summary in its value ("Src: 127.0.0.1, Dst: 127.0.0.1"), then every field
 * the capture holds, then, where the layer is cut or broken, a line saying so.
 * A payload the decoder does not take apart ends as a "Data" heading.
 *
 * The strings passed to cb are valid during the call only. Never reads past
 * caplen; allocates nothing. Returns what sk_decode returns for the frame. */
enum sk_status sk_dissect(int dlt, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
                          void (*cb)(const struct sk_field *f, void *user), void *user);

/* The line as a viewer shows it: "label: value" for a field, "label, value"
 * for a heading (or just the label when the value is ""). Writes into buf (n
 * bytes, NUL-terminated) and returns its length (truncated to n - 1). */
size_t sk_field_text(const struct sk_field *f, char *buf, size_t n);

#endif
