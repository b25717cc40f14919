/* cursor.h — bounds-checked reading of packet bytes.
 *
 * Every byte a decoder reads goes through a cursor: a pointer and the number of
 * bytes left before caplen. Each reader returns false, and leaves the cursor
 * and the output untouched, when the bytes are not there; nothing ever reads
 * past the end, and no packet byte is ever cast to a struct. Multi-byte reads
 * are explicit about byte order (be = network order, le = little-endian, as in
 * DLT_NULL headers written by a little-endian host).
 */
#ifndef SK_CURSOR_H
#define SK_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sk_cursor {
    const uint8_t *p; /* next unread byte */
    size_t left;      /* bytes from p to the end of the captured data */
};

static inline struct sk_cursor sk_cursor_make(const uint8_t *p, size_t len)
{
    struct sk_cursor c = {p, len};
    return c;
}

static inline bool sk_cur_has(const struct sk_cursor *c, size_t n)
{
    return c->left >= n;
}

static inline bool sk_cur_skip(struct sk_cursor *c, size_t n)
{
    if (c->left < n)
        return false;
    c->p += n;
    c->left -= n;
    return true;
}

static inline bool sk_cur_u8(struct sk_cursor *c, uint8_t *v)
{
    if (c->left < 1)
        return false;
    *v = c->p[0];
    c->p += 1;
    c->left -= 1;
    return true;
}

static inline bool sk_cur_be16(struct sk_cursor *c, uint16_t *v)
{
    if (c->left < 2)
        return false;
    *v = (uint16_t)((unsigned)c->p[0] << 8 | c->p[1]);
    c->p += 2;
    c->left -= 2;
    return true;
}

static inline bool sk_cur_be32(struct sk_cursor *c, uint32_t *v)
{
    if (c->left < 4)
        return false;
    *v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
         (uint32_t)c->p[2] << 8 | (uint32_t)c->p[3];
    c->p += 4;
    c->left -= 4;
    return true;
}

static inline bool sk_cur_le16(struct sk_cursor *c, uint16_t *v)
{
    if (c->left < 2)
        return false;
    *v = (uint16_t)((unsigned)c->p[1] << 8 | c->p[0]);
    c->p += 2;
    c->left -= 2;
    return true;
}

static inline bool sk_cur_le32(struct sk_cursor *c, uint32_t *v)
{
    if (c->left < 4)
        return false;
    *v = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 |
         (uint32_t)c->p[1] << 8 | (uint32_t)c->p[0];
    c->p += 4;
    c->left -= 4;
    return true;
}

/* Copies n bytes out. */
static inline bool sk_cur_copy(struct sk_cursor *c, void *dst, size_t n)
{
    if (c->left < n)
        return false;
    memcpy(dst, c->p, n); /* a constant n becomes plain moves */
    c->p += n;
    c->left -= n;
    return true;
}

/* Splits off the next n bytes as a cursor of their own (a header or an option
 * whose length the packet states) and advances past them. */
static inline bool sk_cur_sub(struct sk_cursor *c, size_t n, struct sk_cursor *sub)
{
    if (c->left < n)
        return false;
    sub->p = c->p;
    sub->left = n;
    c->p += n;
    c->left -= n;
    return true;
}

#endif
