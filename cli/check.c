/* check.c — `sockscope check SCENARIO FILE|DIR...`: grades captures against a
 * scenario's expected wire behaviour (core/checker.h), for people or as one JSON
 * document for a folder of student captures (docs/check.md). */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "checker.h"
#include "cli.h"
#include "escape.h"
#include "i18n.h"

/* check's own exit statuses (the contract, documented in sockscope(1)). */
enum { CHECK_PASS = 0, CHECK_FAIL = 1, CHECK_UNUSABLE = 2 };

/* One capture to grade and what came of it. */
struct item {
    char *path;
    int status;                  /* CHECK_* */
    char err[SK_ERRBUF_SIZE];    /* CHECK_UNUSABLE: why */
    struct sk_check_report rep;
};

struct items {
    struct item *v;
    size_t n, cap;
};

static void check_usage(FILE *f)
{
    fputs(_("Usage:\n"
            "  sockscope check [OPTION]... SCENARIO FILE|DIR...\n"
            "  sockscope check --list\n"
            "\n"
            "Grades captures (pcap, pcapng) against a scenario's expected wire behaviour,\n"
            "step by step, with packet numbers as evidence. A DIR stands for every .pcap,\n"
            ".pcapng and .cap file in it, in name order.\n"
            "\n"
            "Options:\n"
            "      --json             one JSON document for all the files (docs/check.md)\n"
            "  -f, --filter EXPR      grade only the packets that match (tcpdump syntax)\n"
            "      --events FILE      the syscall events to use (default: FILE.events if present)\n"
            "      --no-events        grade the wire only, even if FILE.events exists\n"
            "      --list             list the scenarios\n"
            "  -h, --help             this help\n"
            "\n"
            "Exit status: 0 every step of every file passed, 1 a step failed,\n"
            "2 unusable input (missing file, not a capture) or bad command line.\n"
            "See sockscope(1) and docs/check.md.\n"),
          f);
}

static void list_scenarios(FILE *f)
{
    for (size_t i = 0; i < sk_scenario_count(); i++) {
        const struct sk_scenario *sc = sk_scenario_get(i);
        fprintf(f, "  %-16s %s\n", sc->name, _(sc->summary));
    }
}

static bool add_item(struct items *it, const char *path)
{
    if (it->n == it->cap) {
        size_t cap = it->cap ? it->cap * 2 : 16;
        struct item *v = realloc(it->v, cap * sizeof *v);
        if (!v)
            return false;
        it->v = v;
        it->cap = cap;
    }
    struct item *x = &it->v[it->n];
    memset(x, 0, sizeof *x);
    x->path = strdup(path);
    if (!x->path)
        return false;
    it->n++;
    return true;
}

static bool capture_name(const char *name)
{
    static const char *const exts[] = {".pcap", ".pcapng", ".cap"};
    size_t len = strlen(name);
    if (name[0] == '.')
        return false;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t el = strlen(exts[i]);
        if (len > el && strcasecmp(name + len - el, exts[i]) == 0)
            return true;
    }
    return false;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the captures of directory dir, sorted. -1 with err if it cannot be read
 * or holds none. */
static int add_dir(struct items *it, const char *dir, char *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, SK_ERRBUF_SIZE, _("cannot read folder %s: %s"), dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (!capture_name(e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **grown = realloc(names, cap * sizeof *grown);
            if (!grown) {
                rc = -1;
                break;
            }
            names = grown;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) {
            rc = -1;
            break;
        }
        snprintf(names[n], len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                 e->d_name);
        n++;
    }
    closedir(d);
    if (rc < 0)
        snprintf(err, SK_ERRBUF_SIZE, "%s", _("out of memory"));
    if (n > 1)
        qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && !add_item(it, names[i])) {
            snprintf(err, SK_ERRBUF_SIZE, "%s", _("out of memory"));
            rc = -1;
        }
        free(names[i]);
    }
    free(names);
    if (rc == 0 && n == 0) {
        snprintf(err, SK_ERRBUF_SIZE, _("folder %s holds no capture (.pcap, .pcapng, .cap)"),
                 dir);
        rc = -1;
    }
    return rc;
}

/* ---------------------------------------------------------------- output */

static void packets_text(const struct sk_step_result *s, char *buf, size_t n)
{
    buf[0] = '\0';
    if (!s->npackets)
        return;
    size_t used = (size_t)snprintf(buf, n, "  (%s ", s->npackets == 1 ? _("packet") : _("packets"));
    for (unsigned i = 0; i < s->npackets && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%u", i ? ", " : "", s->packets[i]);
    if (used < n)
        snprintf(buf + used, n - used, ")");
}

static const char *verdict_word(int v)
{
    switch (v) {
    case SK_PASS: return "PASS";
    case SK_FAIL: return "FAIL";
    case SK_SKIP: return "SKIP";
    default: return "INFO";
    }
}

static void print_human(const struct item *x, const struct sk_scenario *sc)
{
    char path[1024];
    sk_escape_text((const uint8_t *)x->path, strlen(x->path), path, sizeof path, NULL);
    printf(_("%s: check %s — %s\n"), path, sc->name, _(sc->summary));
    if (x->status == CHECK_UNUSABLE) {
        printf(_("  UNUSABLE  %s\n"), x->err);
        return;
    }
    const struct sk_check_report *r = &x->rep;
    if (r->warning[0]) {
        char safe[sizeof r->warning * 4];
        sk_escape_text((const uint8_t *)r->warning, strlen(r->warning), safe, sizeof safe, NULL);
        printf(_("  warning: %s\n"), safe);
    }
    for (size_t k = 0; k < r->nconns && k < SK_CHECK_MAX_CONNS; k++)
        printf(sc->proto == 17 ? _("  flow %zu: %s (conversation %u)\n")
                               : _("  connection %zu: %s (conversation %u)\n"),
               k + 1, r->conns[k], r->conn_ids[k]);
    if (r->nconns > SK_CHECK_MAX_CONNS)
        printf(_("  ... and %zu more\n"), r->nconns - SK_CHECK_MAX_CONNS);
    for (size_t i = 0; i < r->nsteps; i++) {
        const struct sk_step_result *s = &r->step[i];
        char pk[160];
        packets_text(s, pk, sizeof pk);
        printf("  %s  %s", verdict_word(s->verdict), _(s->step->text));
        if (s->detail[0]) {
            /* A detail may quote a sidecar's text: never raw to a terminal. */
            char safe[sizeof s->detail * 4];
            sk_escape_text((const uint8_t *)s->detail, strlen(s->detail), safe, sizeof safe, NULL);
            printf(" — %s", safe);
        }
        printf("%s\n", pk);
    }
    if (x->status == CHECK_PASS)
        printf(_("  result: PASS (%u of %zu steps passed, %u not checked)\n"), r->passed,
               r->nsteps - r->info, r->skipped);
    else
        printf(_("  result: FAIL (%u of %zu steps passed, %u failed, %u not checked)\n"),
               r->passed, r->nsteps - r->info, r->failed, r->skipped);
}

static void print_table(const struct items *it, const struct sk_scenario *sc)
{
    unsigned pass = 0, fail = 0, bad = 0;
    for (size_t i = 0; i < it->n; i++) {
        if (it->v[i].status == CHECK_PASS)
            pass++;
        else if (it->v[i].status == CHECK_FAIL)
            fail++;
        else
            bad++;
    }
    printf(_("\nsummary (%s): %zu files, %u passed, %u failed, %u unusable\n"), sc->name, it->n,
           pass, fail, bad);
    for (size_t i = 0; i < it->n; i++) {
        const struct item *x = &it->v[i];
        char path[1024];
        sk_escape_text((const uint8_t *)x->path, strlen(x->path), path, sizeof path, NULL);
        if (x->status == CHECK_UNUSABLE) {
            printf("  %-8s  %s  %s\n", "UNUSABLE", path, x->err);
            continue;
        }
        printf("  %-8s  %s  %u/%zu", x->status == CHECK_PASS ? "PASS" : "FAIL", path,
               x->rep.passed, x->rep.nsteps - x->rep.info);
        bool first = true;
        for (size_t s = 0; s < x->rep.nsteps; s++) {
            if (x->rep.step[s].verdict != SK_FAIL)
                continue;
            printf("%s%s", first ? "  " : ", ", x->rep.step[s].step->id);
            first = false;
        }
        printf("\n");
    }
}

static void json_str(const char *s)
{
    char esc[2048];
    sk_escape_json(s, esc, sizeof esc);
    printf("\"%s\"", esc);
}

static const char *status_name(int status)
{
    return status == CHECK_PASS ? "pass" : status == CHECK_FAIL ? "fail" : "unusable";
}

static void print_json(const struct items *it, const struct sk_scenario *sc)
{
    size_t nsteps = sk_scenario_nsteps(sc);
    printf("{\"scenario\":");
    json_str(sc->name);
    printf(",\"steps\":[");
    for (size_t i = 0; i < nsteps; i++) {
        printf("%s{\"id\":", i ? "," : "");
        json_str(sc->steps[i].id);
        printf(",\"expect\":");
        json_str(_(sc->steps[i].text));
        printf(",\"informational\":%s}", sc->steps[i].info ? "true" : "false");
    }
    printf("],\n\"files\":[\n");
    unsigned counts[3] = {0, 0, 0};
    for (size_t i = 0; i < it->n; i++) {
        const struct item *x = &it->v[i];
        counts[x->status]++;
        printf("{\"file\":");
        json_str(x->path);
        printf(",\"result\":\"%s\"", status_name(x->status));
        if (x->status == CHECK_UNUSABLE) {
            printf(",\"error\":");
            json_str(x->err);
            printf("}%s\n", i + 1 < it->n ? "," : "");
            continue;
        }
        const struct sk_check_report *r = &x->rep;
        printf(",\"passed\":%u,\"failed\":%u,\"skipped\":%u,\"events\":%s", r->passed, r->failed,
               r->skipped, r->events ? "true" : "false");
        if (r->warning[0]) {
            printf(",\"warning\":");
            json_str(r->warning);
        }
        printf(",\"connections\":[");
        for (size_t k = 0; k < r->nconns && k < SK_CHECK_MAX_CONNS; k++) {
            printf("%s", k ? "," : "");
            json_str(r->conns[k]);
        }
        printf("],\"steps\":[");
        for (size_t s = 0; s < r->nsteps; s++) {
            const struct sk_step_result *st = &r->step[s];
            printf("%s{\"id\":", s ? "," : "");
            json_str(st->step->id);
            printf(",\"result\":\"%s\",\"holds\":%s,\"packets\":[", sk_verdict_name(st->verdict),
                   st->holds ? "true" : "false");
            for (unsigned p = 0; p < st->npackets; p++)
                printf("%s%u", p ? "," : "", st->packets[p]);
            printf("],\"detail\":");
            json_str(st->detail);
            printf("}");
        }
        printf("]}%s\n", i + 1 < it->n ? "," : "");
    }
    printf("],\n\"summary\":{\"files\":%zu,\"pass\":%u,\"fail\":%u,\"unusable\":%u}}\n", it->n,
           counts[CHECK_PASS], counts[CHECK_FAIL], counts[CHECK_UNUSABLE]);
}

/* ---------------------------------------------------------------- main */

enum { OPT_JSON = 256, OPT_EVENTS, OPT_NO_EVENTS, OPT_LIST };

int cli_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {"filter", required_argument, NULL, 'f'},
        {"events", required_argument, NULL, OPT_EVENTS},
        {"no-events", no_argument, NULL, OPT_NO_EVENTS},
        {"list", no_argument, NULL, OPT_LIST},
        {"lang", required_argument, NULL, 'L'}, /* read by main already */
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool json = false, list = false;
    struct sk_check_opts copts;
    memset(&copts, 0, sizeof copts);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_JSON: json = true; break;
        case 'f': copts.filter = optarg; break;
        case OPT_EVENTS: copts.events = optarg; break;
        case OPT_NO_EVENTS: copts.no_events = true; break;
        case OPT_LIST: list = true; break;
        case 'L': break;
        case 'h': check_usage(stdout); return CHECK_PASS;
        case ':':
            cli_error(_("option '%s' needs a value (see sockscope check --help)"),
                      argv[optind - 1]);
            return CHECK_UNUSABLE;
        default:
            cli_error(_("unknown option '%s' (see sockscope check --help)"), argv[optind - 1]);
            return CHECK_UNUSABLE;
        }
    }
    if (list) {
        list_scenarios(stdout);
        return CHECK_PASS;
    }
    if (copts.events && copts.no_events) {
        cli_error("%s", _("--events and --no-events cannot be used together"));
        return CHECK_UNUSABLE;
    }
    if (optind >= argc) {
        check_usage(stderr);
        fprintf(stderr, "\n%s\n", _("Scenarios:"));
        list_scenarios(stderr);
        return CHECK_UNUSABLE;
    }
    const struct sk_scenario *sc = sk_scenario_find(argv[optind]);
    if (!sc) {
        cli_error(_("unknown scenario '%s'; the scenarios are:"), argv[optind]);
        list_scenarios(stderr);
        return CHECK_UNUSABLE;
    }
    optind++;
    if (optind >= argc) {
        cli_error(_("check %s: which capture? Give a FILE or a DIR (see sockscope check --help)"),
                  sc->name);
        return CHECK_UNUSABLE;
    }

    struct items it = {NULL, 0, 0};
    int worst = CHECK_PASS;
    for (int i = optind; i < argc; i++) {
        struct stat st;
        char err[SK_ERRBUF_SIZE];
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (add_dir(&it, argv[i], err) == 0)
                continue;
            /* An unreadable or empty folder is an unusable input of its own. */
            if (!add_item(&it, argv[i]))
                goto oom;
            it.v[it.n - 1].status = CHECK_UNUSABLE;
            snprintf(it.v[it.n - 1].err, SK_ERRBUF_SIZE, "%s", err);
            continue;
        }
        if (!add_item(&it, argv[i]))
            goto oom;
    }
    for (size_t i = 0; i < it.n; i++) {
        struct item *x = &it.v[i];
        if (x->status != CHECK_UNUSABLE) {
            if (sk_check_file(sc, x->path, &copts, &x->rep, x->err) < 0)
                x->status = CHECK_UNUSABLE;
            else
                x->status = sk_check_passed(&x->rep) ? CHECK_PASS : CHECK_FAIL;
        }
        if (x->status > worst)
            worst = x->status;
        if (!json) {
            if (i > 0)
                printf("\n");
            print_human(x, sc);
        }
    }
    if (json)
        print_json(&it, sc);
    else if (it.n > 1)
        print_table(&it, sc);
    if (fflush(stdout) != 0)
        worst = CHECK_UNUSABLE;
    for (size_t i = 0; i < it.n; i++)
        free(it.v[i].path);
    free(it.v);
    return worst;
oom:
    cli_error("%s", _("out of memory"));
    for (size_t i = 0; i < it.n; i++)
        free(it.v[i].path);
    free(it.v);
    return CHECK_UNUSABLE;
}
