/* out.c — buffered output for the batch modes (cli.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void out_init(struct out *o, FILE *f)
{
    o->f = f;
    o->len = 0;
    o->failed = false;
}

static void drain(struct out *o)
{
    if (o->len && !o->failed && fwrite(o->buf, 1, o->len, o->f) != o->len)
        o->failed = true;
    o->len = 0;
}

void out_write(struct out *o, const char *s, size_t n)
{
    if (o->len + n > sizeof o->buf) {
        drain(o);
        if (n > sizeof o->buf) {
            if (!o->failed && fwrite(s, 1, n, o->f) != n)
                o->failed = true;
            return;
        }
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

void out_puts(struct out *o, const char *s) { out_write(o, s, strlen(s)); }

void out_putc(struct out *o, char c)
{
    if (o->len == sizeof o->buf)
        drain(o);
    o->buf[o->len++] = c;
}

void out_u64(struct out *o, unsigned long long v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out_write(o, tmp + i, sizeof tmp - i);
}

void out_i64(struct out *o, long long v)
{
    if (v < 0) {
        out_putc(o, '-');
        out_u64(o, 0ull - (unsigned long long)v);
    } else {
        out_u64(o, (unsigned long long)v);
    }
}

void out_printf(struct out *o, const char *fmt, ...)
{
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        out_write(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void out_spaces(struct out *o, size_t n)
{
    static const char blanks[64] = "                                                                ";
    while (n > 0) {
        size_t k = n < sizeof blanks ? n : sizeof blanks;
        out_write(o, blanks, k);
        n -= k;
    }
}

int out_flush(struct out *o)
{
    drain(o);
    if (!o->failed && fflush(o->f) != 0)
        o->failed = true;
    return o->failed ? -1 : 0;
}
