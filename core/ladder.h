/* ladder.h — what one arrow of a ladder diagram says, for --text and the UI.
 *
 * A ladder draws a conversation as arrows between the client (left) and the
 * server (right), one per packet, each side's state written on its own side
 * after the arrow. This module computes the words; the views draw the lines.
 */
#ifndef SK_LADDER_H
#define SK_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conv.h"
#include "trace.h"

struct sk_ladder_row {
    int dir;             /* SK_C2S: the arrow points from client to server */
    char label[100];      /* "SYN seq=0", "PSH,ACK seq=1 ack=1 len=13", "UDP len=13",
                            "ICMP port unreachable", "! truncated TCP header" */
    char head[32];       /* the label's first word(s): flags or protocol ("PSH,ACK") */
    char nums[64];       /* the rest: "seq=1 ack=1 len=13" (label = head + ' ' + nums) */
    char preview[72];    /* the payload's first bytes, escaped and quoted, or "" */
    char tag[48];        /* headline event ("handshake 1/3"), sk_explain_tag */
    const char *state[2];/* client / server state after the packet; NULL when the
                            protocol has no states (UDP, ICMP) */
    bool changed[2];     /* whether that side's state changed with this packet */
};

/* Fills row for record r of conversation c; prev is the previous record of the
 * same conversation (NULL for its first). payload/plen are the first bytes of
 * the payload as captured, for the preview (NULL/0 for none). */
void sk_ladder_row(const struct sk_rec *r, const struct sk_rec *prev, const struct sk_conv *c,
                   const uint8_t *payload, size_t plen, struct sk_ladder_row *row);

#endif
