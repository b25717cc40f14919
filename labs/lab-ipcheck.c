/* lab-ipcheck.c — Node's net.isIP(input) for each input: 4, 6 or 0, giving
 * the same answer as Node for every input.
 *
 * Node (lib/internal/net.js) decides with two regular expressions; this file
 * spells the same rules out by hand, with a reason for each "no":
 *   IPv4: exactly four decimal numbers 0..255 joined by dots, no leading
 *         zeros ("01.2.3.4" is not an address: 01 could be read as octal).
 *   IPv6: groups of 1 to 4 hex digits joined by ':'; one "::" at most, which
 *         stands for one or more zero groups; the last two groups may be
 *         written as an IPv4 address; 8 groups in all without "::", at most 7
 *         written with it; then optionally a zone "%eth0" made of letters,
 *         digits, '-', '.' and ':'.
 * Nothing else is accepted: no spaces, no brackets, no names (isIP does no DNS).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labkit.h"

/* Why an input is not an address (printed with --verbose). */
static const char *why;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Four numbers 0..255 without leading zeros, joined by dots: s[0..n). */
static bool is_ipv4(const char *s, size_t n)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (i >= n || s[i] != '.') {
                why = i >= n ? N_("IPv4 needs four numbers")
                             : N_("IPv4 numbers are joined by dots");
                return false;
            }
            i++;
        }
        size_t start = i;
        long v = 0;
        while (i < n && is_digit(s[i]) && i - start < 4)
            v = v * 10 + (s[i++] - '0');
        size_t len = i - start;
        if (len == 0) {
            why = i < n && s[i] != '.' ? N_("IPv4 allows only digits and dots")
                                       : N_("an IPv4 number is missing");
            return false;
        }
        if (len > 1 && s[start] == '0') {
            why = N_("a number has a leading zero (Node refuses it: it could be read as octal)");
            return false;
        }
        if (len > 3 || v > 255) {
            why = N_("a number is above 255");
            return false;
        }
    }
    if (i != n) {
        why = s[i] == '.' ? N_("IPv4 has four numbers, no more")
                          : N_("IPv4 allows only digits and dots");
        return false;
    }
    return true;
}

/* Groups of s[0..n) joined by single colons; counts them in *groups (an
 * IPv4 tail counts two). v4_ok: the last group may be an IPv4 address. */
static bool v6_groups(const char *s, size_t n, bool v4_ok, int *groups)
{
    *groups = 0;
    if (n == 0)
        return true;
    size_t i = 0;
    for (;;) {
        size_t start = i;
        while (i < n && s[i] != ':')
            i++;
        size_t len = i - start;
        bool last = i == n;
        if (len == 0) {
            why = N_("an IPv6 group is empty (a lone ':')");
            return false;
        }
        if (memchr(s + start, '.', len)) {
            if (!last || !v4_ok) {
                why = N_("an IPv4 part may only end an IPv6 address");
                return false;
            }
            if (!is_ipv4(s + start, len))
                return false;
            *groups += 2;
            return true;
        }
        for (size_t k = start; k < i; k++)
            if (!is_hex(s[k])) {
                why = N_("IPv6 groups are hex digits (0-9, a-f)");
                return false;
            }
        if (len > 4) {
            why = N_("an IPv6 group has more than 4 hex digits");
            return false;
        }
        (*groups)++;
        if (last)
            return true;
        i++; /* the colon */
    }
}

static bool is_ipv6(const char *s)
{
    size_t n = strlen(s);
    const char *pct = strchr(s, '%');
    if (pct) {
        /* The zone: which interface a link-local address is on. */
        const char *z = pct + 1;
        if (*z == '\0') {
            /* xgettext:no-c-format */
            why = N_("the zone after '%' is empty");
            return false;
        }
        for (; *z; z++)
            if (!(is_digit(*z) || (*z >= 'a' && *z <= 'z') || (*z >= 'A' && *z <= 'Z') ||
                  *z == '-' || *z == '.' || *z == ':')) {
                why = N_("a zone is letters, digits, '-', '.' and ':' only");
                return false;
            }
        n = (size_t)(pct - s);
    }
    const char *dc = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == ':' && s[i + 1] == ':') {
            if (dc) {
                why = N_("\"::\" may appear only once");
                return false;
            }
            dc = s + i;
            i++;
        }
    int head, tail;
    if (!dc) {
        if (!v6_groups(s, n, true, &head))
            return false;
        if (head != 8) {
            why = N_("without \"::\" IPv6 needs 8 groups");
            return false;
        }
        return true;
    }
    size_t hlen = (size_t)(dc - s);
    if (!v6_groups(s, hlen, false, &head) || !v6_groups(dc + 2, n - hlen - 2, true, &tail))
        return false;
    if (head + tail > 7) {
        why = N_("too many groups: with \"::\" at most 7 are written");
        return false;
    }
    return true;
}

/* net.isIP(input): 4, 6 or 0. */
static int node_isip(const char *s)
{
    why = N_("neither IPv4 nor IPv6");
    if (*s == '\0') {
        why = N_("empty");
        return 0;
    }
    if (strchr(s, ':') || strchr(s, '%'))
        return is_ipv6(s) ? 6 : 0;
    for (const char *p = s; *p; p++)
        if (!is_digit(*p) && *p != '.') {
            why = strchr(" \t\r\n", *p) ? N_("spaces are not allowed")
                  : is_hex(*p) || (*p >= 'g' && *p <= 'z') || (*p >= 'G' && *p <= 'Z')
                      ? N_("a name is not an address (isIP does no DNS)")
                      : N_("neither IPv4 nor IPv6");
            return 0;
        }
    return is_ipv4(s, strlen(s)) ? 4 : 0;
}

/* The input as typed, with control characters made visible. */
static void print_input(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\t') fputs("\\t", stdout);
        else if (*p == '\r') fputs("\\r", stdout);
        else if (*p == '\n') fputs("\\n", stdout);
        else if (*p < 0x20 || *p == 0x7f) printf("\\x%02x", *p);
        else putchar(*p);
    }
}

static bool verbose;

static int check(const char *s)
{
    int answer = node_isip(s);
    print_input(s);
    printf("\t%d", answer);
    if (verbose)
        printf("\t%s", answer == 4   ? "isIPv4"
                       : answer == 6 ? "isIPv6"
                                     : _(why));
    putchar('\n');
    return answer;
}

int main(int argc, char **argv)
{
    lk_init("lab-ipcheck", argc, argv);
    static const struct lk_opt opts[] = {
        {"verbose", LK_FLAG, &verbose, 0, 0, NULL,
         N_("add a third column: why an input is not an address"), NULL},
        {NULL, LK_FLAG, NULL, 0, 0, NULL, NULL, NULL}};
    static const struct lk_usage usage = {
        "[ADDR]...",
        N_("Prints each ADDR (or each line of standard input), a tab, and net.isIP(ADDR)."),
        N_("net.isIP(input): 4, 6 or 0; net.isIPv4(input); net.isIPv6(input)"), false,
        N_("Exit status: 0 all are addresses, 1 some are not, 2 bad usage (see %s(1)).\n")};
    int first = lk_options(argc, argv, opts, &usage);

    bool all = true;
    if (first < argc) {
        for (int i = first; i < argc; i++)
            all &= check(argv[i]) != 0;
    } else {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = getline(&line, &cap, stdin)) >= 0) {
            if (n > 0 && line[n - 1] == '\n')
                line[--n] = '\0';
            if (memchr(line, '\0', (size_t)n)) {
                /* A NUL byte: no address has one (Node sees the whole line). */
                printf("%s\t0\n", _("(a line with a NUL byte)"));
                all = false;
                continue;
            }
            all &= check(line) != 0;
        }
        free(line);
    }
    fflush(stdout);
    lk_exit(all ? LK_EXIT_OK : LK_EXIT_NET);
}
