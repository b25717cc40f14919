/* demo.c — `sockscope demo [SCENARIO]`: lists the scenarios, or checks that live capture is
 * allowed and opens the UI stepping the scenario's labs (tui/demo.c); --replay opens the
 * scenario's committed capture instead. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "scenario.h"
#include "../tui/tui.h"

/* Capabilities (linux/capability.h) a live capture and the namespaces need. */
enum { CAP_NET_ADMIN_BIT = 12, CAP_NET_RAW_BIT = 13, CAP_SYS_ADMIN_BIT = 21 };

static void demo_usage(FILE *f)
{
    fputs(_("Usage: sockscope demo [OPTION]... [SCENARIO]\n"
            "\n"
            "Without SCENARIO, lists the scenarios. With one, runs its lab programs in step\n"
            "mode, captures them live and opens the UI: at the newest packet, Space (or j)\n"
            "lets the labs make their next system call, and the packets it causes appear\n"
            "with their explanation; k and the usual keys go back over them, G returns to\n"
            "the newest packet. Q starts a quiz. Needs root or CAP_NET_RAW (live capture;\n"
            "root for the loss scenario's network namespaces).\n"
            "\n"
            "Options:\n"
            "  -w, --write FILE   keep the capture in FILE (and the calls in FILE.events)\n"
            "      --replay       open the scenario's committed capture instead (no privilege)\n"
            "      --bin DIR      where the lab-* programs are (default: beside sockscope)\n"
            "      --ascii        ASCII lines and arrows in the UI\n"
            "  -h, --help         this help\n"
            "\n"
            "Exit status: 0 done, 1 no capture privilege or the labs failed, 2 bad command line.\n"
            "See sockscope(1), DEMO.\n"),
          f);
}

static void list_scenarios(void)
{
    printf("%s\n", _("The scenarios (sockscope demo NAME runs one; sudo for live capture):"));
    for (size_t i = 0; i < sk_scenario_count(); i++) {
        const struct sk_scenario *sc = sk_scenario_get(i);
        printf("  %-16s %s\n", sc->name, _(sc->summary));
    }
}

/* The effective capabilities of this process (/proc/self/status CapEff);
 * false if they cannot be read. */
static bool effective_caps(unsigned long long *caps)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return false;
    char line[256];
    bool found = false;
    while (!found && fgets(line, sizeof line, f))
        found = sscanf(line, "CapEff: %llx", caps) == 1;
    fclose(f);
    return found;
}

/* May this process run the scenario: capture live (CAP_NET_RAW) and, for the
 * namespaces setup, make namespaces and links (root, with its capabilities)? */
static bool may_run(const struct sk_scenario *sc)
{
    unsigned long long caps = 0;
    if (!effective_caps(&caps))
        return geteuid() == 0;
    bool raw = caps >> CAP_NET_RAW_BIT & 1;
    if (sc->setup == SK_SETUP_NETNS)
        return geteuid() == 0 && raw && (caps >> CAP_NET_ADMIN_BIT & 1) &&
               (caps >> CAP_SYS_ADMIN_BIT & 1);
    return raw;
}

/* The scenario's committed capture: $SOCKSCOPE_CAPTURES/NAME.pcap, else
 * captures/NAME.pcap here, else beside the program in the source tree
 * (bin/../captures, build/san/bin/../../../captures). False if none. */
static bool committed_capture(const char *name, char *buf, size_t n)
{
    const char *env = getenv("SOCKSCOPE_CAPTURES");
    char self[PATH_MAX], path[PATH_MAX + 64], real[PATH_MAX];
    bool have_self = cli_self_dir(self, sizeof self);
    for (int i = 0; i < 4; i++) {
        if (i == 0 && env && *env)
            snprintf(path, sizeof path, "%s/%s.pcap", env, name);
        else if (i == 1)
            snprintf(path, sizeof path, "captures/%s.pcap", name);
        else if (i >= 2 && have_self)
            snprintf(path, sizeof path, "%s/%s/captures/%s.pcap", self, i == 2 ? ".." : "../../..",
                     name);
        else
            continue;
        if (access(path, R_OK) != 0)
            continue;
        /* Said as found when short (captures/x.pcap here), else resolved. */
        snprintf(buf, n, "%s", i == 1 || !realpath(path, real) ? path : real);
        return true;
    }
    return false;
}

enum { OPT_REPLAY = 256, OPT_BIN, OPT_ASCII };

int cli_demo(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"write", required_argument, NULL, 'w'},
        {"replay", no_argument, NULL, OPT_REPLAY},
        {"bin", required_argument, NULL, OPT_BIN},
        {"ascii", no_argument, NULL, OPT_ASCII},
        {"lang", required_argument, NULL, 'L'}, /* read by main already */
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct cli_opts o;
    memset(&o, 0, sizeof o);
    o.conv = -1;
    const char *bindir = NULL;
    bool replay = false;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":w:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'w': o.write_file = optarg; break;
        case OPT_REPLAY: replay = true; break;
        case OPT_BIN: bindir = optarg; break;
        case OPT_ASCII: o.ascii = true; break;
        case 'L': o.lang = optarg; break;
        case 'h': demo_usage(stdout); return SK_EXIT_OK;
        case ':':
            cli_error(_("option '%s' needs a value (see sockscope demo --help)"), argv[optind - 1]);
            return SK_EXIT_USAGE;
        default:
            cli_error(_("unknown option '%s' (see sockscope demo --help)"), argv[optind - 1]);
            return SK_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        if (replay || o.write_file) {
            cli_error("%s", _("which scenario? sockscope demo lists them"));
            return SK_EXIT_USAGE;
        }
        list_scenarios();
        return SK_EXIT_OK;
    }
    const struct sk_scenario *sc = sk_scenario_find(argv[optind]);
    if (!sc) {
        cli_error(_("unknown scenario '%s' (sockscope demo lists them)"), argv[optind]);
        return SK_EXIT_USAGE;
    }
    if (optind + 1 < argc) {
        cli_error(_("unexpected argument '%s' (see sockscope demo --help)"), argv[optind + 1]);
        return SK_EXIT_USAGE;
    }
    if (replay && o.write_file) {
        cli_error("%s", _("--replay opens a saved capture: -w goes with a live demo"));
        return SK_EXIT_USAGE;
    }

    char cap[PATH_MAX + 64];
    bool have_cap = committed_capture(sc->name, cap, sizeof cap);
    if (replay) {
        if (!have_cap) {
            cli_error(_("the committed capture of %s is not here (captures/%s.pcap in the "
                        "source tree; make captures makes it)"), sc->name, sc->name);
            return SK_EXIT_INPUT;
        }
        o.read_file = cap;
        return tui_main(&o);
    }
    /* Privilege first: nothing is started, the terminal is not touched. */
    if (!may_run(sc)) {
        if (sc->setup == SK_SETUP_NETNS)
            cli_error(_("demo %s runs its labs in two network namespaces and captures them "
                        "live: that needs root (sudo sockscope demo %s)"), sc->name, sc->name);
        else
            cli_error(_("demo %s runs its labs and captures them live: that needs root or the "
                        "CAP_NET_RAW capability (sudo sockscope demo %s)"), sc->name, sc->name);
        if (have_cap)
            fprintf(stderr, _("Without it, replay the scenario's committed capture: sockscope "
                              "%s (or sockscope demo --replay %s).\n"), cap, sc->name);
        else
            fprintf(stderr, _("Without it, replay the scenario's capture from the source tree: "
                              "sockscope captures/%s.pcap.\n"), sc->name);
        return SK_EXIT_INPUT;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        cli_error("%s", _("the demo needs a terminal: it is the UI (for a capture of the "
                          "scenario without one, use sockscope record)"));
        return SK_EXIT_USAGE;
    }
    char self[PATH_MAX];
    if (!bindir && cli_self_dir(self, sizeof self))
        bindir = self;
    return tui_demo(&o, sc, bindir);
}
