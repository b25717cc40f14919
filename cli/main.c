/* main.c — the sockscope command line: reads the options and runs a mode
 * (the UI, --text, --json, --summary). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "../tui/tui.h"

#ifndef SK_VERSION
#define SK_VERSION "0.1"
#endif

static void usage(FILE *f)
{
    fputs(_("Usage:\n"
            "  sockscope [-r FILE] [-f FILTER]          the terminal UI on a saved capture\n"
            "  sockscope [-i IFACE] [-f FILTER] [-w FILE]  the UI on a live capture (default lo)\n"
            "  sockscope --text -r FILE [--conv N] [--width N]  annotated ladder per conversation\n"
            "  sockscope --json -r FILE [--explain]     one JSON object per packet (docs/json.md)\n"
            "  sockscope --summary -r FILE              the conversations table, fast\n"
            "  sockscope check SCENARIO FILE|DIR...     grade captures against a scenario\n"
            "  sockscope record SCENARIO -w FILE        run a scenario's labs, capture it\n"
            "  sockscope demo [SCENARIO]                step a scenario's labs in the UI (root)\n"
            "\n"
            "Options:\n"
            "  -r, --read FILE        read a pcap or pcapng capture\n"
            "  -i, --interface IFACE  capture live (needs root or CAP_NET_RAW)\n"
            "  -f, --filter EXPR      tcpdump filter syntax, e.g. \"tcp port 6666\"\n"
            "  -w, --write FILE       save a live capture as it arrives\n"
            "  -c, --count N          stop after N packets\n"
            "      --conv N           only conversation N (--text, --summary)\n"
            "      --width N          columns for --text (default: the terminal's, or 80)\n"
            "      --explain          add each packet's explanation to --json\n"
            "      --ascii            ASCII lines and arrows in the UI\n"
            "      --lang zh|en       language of the messages (default: the locale's)\n"
            "  -h, --help             this help;  -V, --version  the version\n"
            "\n"
            "Exit status: 0 ok, 1 unusable input (file, filter, capture), 2 bad command line.\n"
            "See sockscope(1).\n"),
          f);
}

/* Parses a whole decimal number in [lo, hi]; false otherwise. */
static bool parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

int cli_width(const struct cli_opts *o)
{
    if (o->width > 0)
        return o->width;
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col < 60 ? 60 : ws.ws_col;
    const char *cols = getenv("COLUMNS");
    long v;
    if (cols && parse_long(cols, 60, 1000, &v))
        return (int)v;
    return 80;
}

enum { OPT_TEXT = 256, OPT_JSON, OPT_SUMMARY, OPT_CONV, OPT_WIDTH, OPT_ASCII, OPT_LANG,
       OPT_EXPLAIN };

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    char err[SK_ERRBUF_SIZE];

    /* --lang must act before any message is printed: find it first. */
    const char *lang = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            lang = argv[i + 1];
        else if (strncmp(argv[i], "--lang=", 7) == 0)
            lang = argv[i] + 7;
    }
    if (sk_i18n_init(lang, err) < 0) {
        sk_i18n_init(NULL, err);
        cli_error("%s", err);
        return SK_EXIT_USAGE;
    }

    /* Sub-commands have options of their own; only --lang (read above) may
     * come before their name: `sockscope --lang zh check ...`. */
    int sub = 1;
    while (sub < argc && (strncmp(argv[sub], "--lang=", 7) == 0 ||
                          (strcmp(argv[sub], "--lang") == 0 && sub + 1 < argc)))
        sub += strcmp(argv[sub], "--lang") == 0 ? 2 : 1;
    if (sub < argc && strcmp(argv[sub], "check") == 0)
        return cli_check(argc - sub, argv + sub);
    if (sub < argc && strcmp(argv[sub], "record") == 0)
        return cli_record(argc - sub, argv + sub);
    if (sub < argc && strcmp(argv[sub], "demo") == 0)
        return cli_demo(argc - sub, argv + sub);

    static const struct option longopts[] = {
        {"read", required_argument, NULL, 'r'},
        {"interface", required_argument, NULL, 'i'},
        {"filter", required_argument, NULL, 'f'},
        {"write", required_argument, NULL, 'w'},
        {"count", required_argument, NULL, 'c'},
        {"text", no_argument, NULL, OPT_TEXT},
        {"json", no_argument, NULL, OPT_JSON},
        {"summary", no_argument, NULL, OPT_SUMMARY},
        {"conv", required_argument, NULL, OPT_CONV},
        {"width", required_argument, NULL, OPT_WIDTH},
        {"ascii", no_argument, NULL, OPT_ASCII},
        {"explain", no_argument, NULL, OPT_EXPLAIN},
        {"lang", required_argument, NULL, OPT_LANG},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct cli_opts o;
    memset(&o, 0, sizeof o);
    o.conv = -1;
    int modes = 0;
    long v;

    opterr = 0; /* our own messages, one line each */
    int c;
    while ((c = getopt_long(argc, argv, ":r:i:f:w:c:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'r': o.read_file = optarg; break;
        case 'i': o.iface = optarg; break;
        case 'f': o.filter = optarg; break;
        case 'w': o.write_file = optarg; break;
        case 'c':
            if (!parse_long(optarg, 1, LONG_MAX, &v)) {
                cli_error(_("-c needs a number of packets (1 or more), not '%s'"), optarg);
                return SK_EXIT_USAGE;
            }
            o.count = v;
            break;
        case OPT_TEXT: o.mode = CLI_TEXT; modes++; break;
        case OPT_JSON: o.mode = CLI_JSON; modes++; break;
        case OPT_SUMMARY: o.mode = CLI_SUMMARY; modes++; break;
        case OPT_CONV:
            if (!parse_long(optarg, 0, UINT32_MAX - 1L, &v)) {
                cli_error(_("--conv needs a conversation number (0, 1, ...), not '%s'"), optarg);
                return SK_EXIT_USAGE;
            }
            o.conv = v;
            break;
        case OPT_WIDTH:
            if (!parse_long(optarg, 60, 1000, &v)) {
                cli_error(_("--width needs a number of columns from 60 to 1000, not '%s'"), optarg);
                return SK_EXIT_USAGE;
            }
            o.width = (int)v;
            break;
        case OPT_ASCII: o.ascii = true; break;
        case OPT_EXPLAIN: o.explain = true; break;
        case OPT_LANG: o.lang = optarg; break;
        case 'h': usage(stdout); return SK_EXIT_OK;
        case 'V': printf("sockscope %s\n", SK_VERSION); return SK_EXIT_OK;
        case ':':
            cli_error(_("option '%s' needs a value (see sockscope --help)"), argv[optind - 1]);
            return SK_EXIT_USAGE;
        default:
            if (optopt)
                cli_error(_("unknown option '-%c' (see sockscope --help)"), optopt);
            else
                cli_error(_("unknown option '%s' (see sockscope --help)"), argv[optind - 1]);
            return SK_EXIT_USAGE;
        }
    }

    /* One bare argument is the capture to read: `sockscope handshake.pcap`. */
    if (optind < argc && !o.read_file && argc - optind == 1) {
        o.read_file = argv[optind++];
    }
    if (optind < argc) {
        cli_error(_("unexpected argument '%s' (see sockscope --help)"), argv[optind]);
        return SK_EXIT_USAGE;
    }
    if (modes > 1) {
        cli_error("%s", _("choose one of --text, --json and --summary"));
        return SK_EXIT_USAGE;
    }
    if (o.read_file && o.iface) {
        cli_error("%s", _("-r reads a saved capture and -i captures live: choose one"));
        return SK_EXIT_USAGE;
    }
    if (o.write_file && !o.iface && o.read_file) {
        cli_error("%s", _("-w saves a live capture: use it with -i IFACE, not with -r"));
        return SK_EXIT_USAGE;
    }
    if (o.explain && o.mode != CLI_JSON) {
        cli_error("%s", _("--explain goes with --json"));
        return SK_EXIT_USAGE;
    }
    if (o.mode == CLI_TEXT && !o.read_file) {
        cli_error("%s", _("--text draws a saved capture: give -r FILE (record one with "
                          "sockscope -i lo -w FILE)"));
        return SK_EXIT_USAGE;
    }

    switch (o.mode) {
    case CLI_TEXT: return cli_text(&o);
    case CLI_JSON: return cli_json(&o);
    case CLI_SUMMARY: return cli_summary(&o);
    case CLI_UI: break;
    }
    return tui_main(&o);
}
