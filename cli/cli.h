/* cli.h — the sockscope program's shared pieces: options, exit statuses, the
 * packet walk every batch mode uses, and the modes themselves. */
#ifndef SK_CLI_H
#define SK_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "analyze.h"
#include "err.h"
#include "source.h"

/* Exit statuses (documented in docs/man/sockscope.1). */
enum {
    SK_EXIT_OK = 0,
    SK_EXIT_INPUT = 1, /* unusable input: file, filter, capture, truncated record */
    SK_EXIT_USAGE = 2  /* bad command line */
};

enum cli_mode { CLI_UI = 0, CLI_TEXT, CLI_JSON, CLI_SUMMARY };

struct cli_opts {
    enum cli_mode mode;
    const char *read_file;  /* -r FILE */
    const char *iface;      /* -i IFACE */
    const char *filter;     /* -f EXPR (tcpdump syntax) */
    const char *write_file; /* -w FILE (live) */
    long conv;              /* --conv N, -1 for all */
    int width;              /* --width N; 0 = the terminal's, or 80 */
    long count;             /* -c N: stop after N packets; 0 = no limit */
    bool ascii;             /* --ascii: no UTF-8 line drawing in the UI */
    bool explain;           /* --json --explain: add each packet's explanation */
    const char *lang;       /* --lang zh|en */
};

/* Prints "sockscope: MESSAGE" on stderr as one line. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* ---------------------------------------------------------------- walk */

/* Called for every packet; return 0 to go on, 1 to stop. */
typedef int (*cli_packet_fn)(struct sk_result *res, const struct sk_raw *raw, void *user);

struct cli_walk {
    struct sk_source *src;   /* the file or interface */
    struct sk_analyzer *an;  /* conversations and tracking */
    bool failed;             /* reading stopped on an error (err holds it) */
    char err[SK_ERRBUF_SIZE];
};

/* Opens what the options name (-r or -i, -f), feeds every packet through the
 * analyzer and fn. On an error before the first packet (cannot open, bad
 * filter) prints it and returns its exit status; an error in the middle
 * (truncated record) is kept in w->err for cli_walk_finish, so that what was
 * read is shown first. Returns SK_EXIT_OK otherwise. */
int cli_walk_run(struct cli_walk *w, const struct cli_opts *o, cli_packet_fn fn, void *user);

/* Prints a kept mid-file error, frees everything; returns the exit status. */
int cli_walk_finish(struct cli_walk *w);

/* ---------------------------------------------------------------- output */

/* A large stdout buffer: per-packet output without stdio's per-call cost. */
struct out {
    FILE *f;
    size_t len;
    bool failed;          /* a write failed (EPIPE, ENOSPC): stop producing */
    char buf[1 << 16];
};

void out_init(struct out *o, FILE *f);
void out_write(struct out *o, const char *s, size_t n);
void out_puts(struct out *o, const char *s);
void out_putc(struct out *o, char c);
void out_u64(struct out *o, unsigned long long v);
void out_i64(struct out *o, long long v);
void out_printf(struct out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void out_spaces(struct out *o, size_t n);
/* Flushes; -1 if anything failed to be written. */
int out_flush(struct out *o);

/* ---------------------------------------------------------------- modes */

int cli_text(const struct cli_opts *o);
int cli_json(const struct cli_opts *o);
int cli_summary(const struct cli_opts *o);

/* Sub-commands, given their own argv (argv[0] is the sub-command's name);
 * each returns its exit status. check: 0 pass, 1 fail, 2 unusable input or
 * usage (check.c); record: SK_EXIT_* (record.c). */
int cli_check(int argc, char **argv);
int cli_record(int argc, char **argv);
int cli_demo(int argc, char **argv);    /* demo.c: SK_EXIT_* */

/* The directory this program lives in (where make puts the labs too), from
 * /proc/self/exe; false if it cannot be told. (record.c) */
bool cli_self_dir(char *buf, size_t n);

/* Terminal width for text output: --width, the terminal's, $COLUMNS, or 80. */
int cli_width(const struct cli_opts *o);

#endif
