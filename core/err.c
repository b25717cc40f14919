/* err.c — filling a caller's error buffer (see err.h). */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

void sk_err(char *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, SK_ERRBUF_SIZE, fmt, ap);
    va_end(ap);
}

const char *sk_status_name(enum sk_status s)
{
    switch (s) {
    case SK_OK: return "ok";
    case SK_TRUNCATED: return "truncated";
    case SK_INVALID: return "invalid";
    }
    return "?";
}
