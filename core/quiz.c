/* quiz.c — guessing a TCP segment before it is shown: parsing, grading, score (quiz.h). */
#include "quiz.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "i18n.h"
#include "tcp.h"

/* Appends text to buf (n bytes) at *len, truncating; buf stays NUL-terminated. */
static void put(char *buf, size_t n, size_t *len, const char *text)
{
    size_t at = *len;
    while (*text && at + 1 < n)
        buf[at++] = *text++;
    if (n)
        buf[at < n ? at : n - 1] = '\0';
    *len = at;
}

/* Sentences are joined by a space, but not after a wide full stop ("。" of
 * a translation has its own room), as core/explain.c joins them. */
static void sentence_gap(char *buf, size_t n, size_t *len)
{
    if (*len > 0 && (unsigned char)buf[*len - 1] < 0x80)
        put(buf, n, len, " ");
}

/* The text without its leading and trailing blanks, copied into out. */
static void trim(const char *text, char *out, size_t n)
{
    while (*text == ' ' || *text == '\t')
        text++;
    size_t len = strlen(text);
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len >= n)
        len = n - 1;
    memcpy(out, text, len);
    out[len] = '\0';
}

bool sk_quiz_applies(const struct sk_rec *r)
{
    return r && sk_rec_kind(r) == SK_K_TCP && r->conv != SK_NO_CONV && r->status == SK_OK;
}

void sk_quiz_answer(const struct sk_rec *r, const struct sk_conv *c, struct sk_quiz_answer *a)
{
    memset(a, 0, sizeof *a);
    int dir = sk_rec_dir(r);
    a->flags = r->flags;
    a->seq = c ? sk_tcp_rel_seq(&c->tcp, dir, r->seq) : r->seq;
    a->has_ack = (r->flags & SK_TH_ACK) != 0;
    if (a->has_ack)
        a->ack = c ? sk_tcp_rel_ack(&c->tcp, dir, r->ack) : r->ack;
    /* The states the ladder shows once revealed: what the whole capture
     * proved (a refused connection's server was CLOSED throughout). */
    uint8_t st = c ? sk_tcp_shown_states(&c->tcp, r->states) : r->states;
    a->state[SK_CLIENT] = (uint8_t)(st & 0x0f);
    a->state[SK_SERVER] = (uint8_t)(st >> 4);
}

/* ------------------------------------------------------------ parsing */

/* Flag names as people write them, and tcpdump's letters (A too: some books). */
static const struct {
    const char *name;
    uint8_t bit;
} flag_words[] = {
    {"SYN", SK_TH_SYN}, {"ACK", SK_TH_ACK}, {"FIN", SK_TH_FIN}, {"RST", SK_TH_RST},
    {"RESET", SK_TH_RST}, {"PSH", SK_TH_PSH}, {"PUSH", SK_TH_PSH}, {"URG", SK_TH_URG},
    {"ECE", SK_TH_ECE}, {"CWR", SK_TH_CWR},
};
static const struct {
    char letter;
    uint8_t bit;
} flag_letters[] = {
    {'S', SK_TH_SYN}, {'.', SK_TH_ACK}, {'A', SK_TH_ACK}, {'F', SK_TH_FIN},
    {'R', SK_TH_RST}, {'P', SK_TH_PSH}, {'U', SK_TH_URG}, {'E', SK_TH_ECE},
    {'W', SK_TH_CWR},
};

/* One word of a flags guess: a name, or a run of letters. */
static bool flags_word(const char *w, size_t len, uint8_t *flags)
{
    char up[16];
    if (len == 0 || len >= sizeof up)
        return false;
    for (size_t i = 0; i < len; i++)
        up[i] = (char)toupper((unsigned char)w[i]);
    up[len] = '\0';
    for (size_t i = 0; i < sizeof flag_words / sizeof flag_words[0]; i++)
        if (strcmp(up, flag_words[i].name) == 0) {
            *flags |= flag_words[i].bit;
            return true;
        }
    /* Names run together: "SYNACK", "FINACK". */
    if (len % 3 == 0 && len > 3) {
        uint8_t f = 0;
        size_t i = 0;
        for (; i < len; i += 3) {
            size_t k = 0;
            while (k < sizeof flag_words / sizeof flag_words[0] &&
                   !(strlen(flag_words[k].name) == 3 && memcmp(up + i, flag_words[k].name, 3) == 0))
                k++;
            if (k == sizeof flag_words / sizeof flag_words[0])
                break;
            f |= flag_words[k].bit;
        }
        if (i == len) {
            *flags |= f;
            return true;
        }
    }
    uint8_t f = 0;
    for (size_t i = 0; i < len; i++) {
        size_t k = 0;
        while (k < sizeof flag_letters / sizeof flag_letters[0] && flag_letters[k].letter != up[i])
            k++;
        if (k == sizeof flag_letters / sizeof flag_letters[0])
            return false;
        f |= flag_letters[k].bit;
    }
    *flags |= f;
    return true;
}

int sk_quiz_parse_flags(const char *text, uint8_t *flags, char *err)
{
    char t[128];
    trim(text, t, sizeof t);
    uint8_t f = 0;
    if (strcmp(t, "none") == 0 || strcmp(t, "NONE") == 0) {
        *flags = 0;
        return 0;
    }
    size_t words = 0;
    for (const char *s = t; *s;) {
        /* Words are separated by blanks, commas, '-', '+', '/' and '|';
         * '.' is a letter (ACK), never a separator. */
        while (*s && strchr(" \t,-+/|", *s))
            s++;
        const char *e = s;
        while (*e && !strchr(" \t,-+/|", *e))
            e++;
        if (e == s)
            break;
        if (!flags_word(s, (size_t)(e - s), &f)) {
            sk_err(err, _("\"%.*s\" is not a TCP flag: write tcpdump's letters (S, S., ., P., "
                          "F., R) or names (SYN ACK)"), (int)(e - s), s);
            return -1;
        }
        words++;
        s = e;
    }
    if (words == 0) {
        sk_err(err, "%s", _("type the flags: tcpdump's letters (S, S., ., P., F., R) or names "
                            "(SYN ACK)"));
        return -1;
    }
    *flags = f;
    return 0;
}

/* A whole unsigned 32-bit decimal number. */
static bool parse_u32(const char *t, uint32_t *v)
{
    if (!isdigit((unsigned char)t[0]))
        return false;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(t, &end, 10);
    if (errno || *end || x > UINT32_MAX)
        return false;
    *v = (uint32_t)x;
    return true;
}

int sk_quiz_parse_seq(const char *text, uint32_t *seq, char *err)
{
    char t[64];
    trim(text, t, sizeof t);
    if (!parse_u32(t, seq)) {
        sk_err(err, _("\"%s\" is not a sequence number: type the relative number (0, 1, 14 ...)"),
               t);
        return -1;
    }
    return 0;
}

int sk_quiz_parse_ack(const char *text, bool *has_ack, uint32_t *ack, char *err)
{
    char t[64];
    trim(text, t, sizeof t);
    if (!t[0] || strcmp(t, "-") == 0 || strcmp(t, "none") == 0 || strcmp(t, "NONE") == 0) {
        *has_ack = false;
        *ack = 0;
        return 0;
    }
    if (!parse_u32(t, ack)) {
        sk_err(err, _("\"%s\" is not an acknowledgement number: type the relative number, or - "
                      "when the ACK flag is off"), t);
        return -1;
    }
    *has_ack = true;
    return 0;
}

/* The state name as typed, in capitals, '-' and ' ' as '_'. */
static void state_key(const char *text, char *out, size_t n)
{
    char t[32];
    trim(text, t, sizeof t);
    size_t i = 0;
    for (; t[i] && i + 1 < n; i++)
        out[i] = t[i] == '-' || t[i] == ' ' ? '_' : (char)toupper((unsigned char)t[i]);
    out[i] = '\0';
}

int sk_quiz_parse_state(const char *text, uint8_t *state, char *err)
{
    char key[32], t[32];
    trim(text, t, sizeof t);
    state_key(text, key, sizeof key);
    uint32_t num;
    if (parse_u32(key, &num)) {
        if (num >= SK_ST_CLOSED && num < SK_ST__COUNT) {
            *state = (uint8_t)num;
            return 0;
        }
        sk_err(err, _("there is no state number %s: the states are numbered 1 to %d"), key,
               SK_ST__COUNT - 1);
        return -1;
    }
    if (!key[0]) {
        sk_err(err, "%s", _("type a state: its name (ESTABLISHED, or EST), or its number"));
        return -1;
    }
    enum sk_state s = sk_state_from_name(key);
    if (s != SK_ST_UNKNOWN) {
        *state = (uint8_t)s;
        return 0;
    }
    size_t len = strlen(key), matches = 0;
    char names[160] = "";
    size_t nl = 0;
    for (int i = SK_ST_CLOSED; i < SK_ST__COUNT; i++) {
        const char *name = sk_state_name((enum sk_state)i);
        if (strncmp(name, key, len) != 0)
            continue;
        if (matches++)
            put(names, sizeof names, &nl, ", ");
        put(names, sizeof names, &nl, name);
        s = (enum sk_state)i;
    }
    if (matches == 1) {
        *state = (uint8_t)s;
        return 0;
    }
    if (matches > 1)
        sk_err(err, _("\"%s\" could be %s: type more of the name"), t, names);
    else
        sk_err(err, _("\"%s\" is not a TCP state: CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, "
                      "ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, "
                      "TIME_WAIT"), t);
    return -1;
}

size_t sk_quiz_complete_state(const char *text, char *buf, size_t n)
{
    char key[32];
    state_key(text, key, sizeof key);
    size_t len = strlen(key), matches = 0, common = 0;
    const char *first = NULL;
    for (int i = SK_ST_CLOSED; i < SK_ST__COUNT; i++) {
        const char *name = sk_state_name((enum sk_state)i);
        if (strncmp(name, key, len) != 0)
            continue;
        if (!first) {
            first = name;
            common = strlen(name);
        } else {
            size_t k = 0;
            while (k < common && first[k] == name[k])
                k++;
            common = k;
        }
        matches++;
    }
    if (!matches || n == 0) {
        if (n) {
            size_t l = 0;
            buf[0] = '\0';
            put(buf, n, &l, text);
        }
        return 0;
    }
    if (common >= n)
        common = n - 1;
    memcpy(buf, first, common);
    buf[common] = '\0';
    return matches;
}

size_t sk_quiz_state_list(char *buf, size_t n)
{
    size_t len = 0;
    if (n)
        buf[0] = '\0';
    for (int i = SK_ST_CLOSED; i < SK_ST__COUNT; i++) {
        char item[32];
        snprintf(item, sizeof item, "%s%d %s", i > SK_ST_CLOSED ? "  " : "", i,
                 sk_state_name((enum sk_state)i));
        put(buf, n, &len, item);
    }
    return len;
}

/* ------------------------------------------------------------ grading */

void sk_quiz_grade(const struct sk_quiz_answer *a, const struct sk_quiz_answer *g,
                   struct sk_quiz_result *res)
{
    memset(res, 0, sizeof *res);
    res->ok[SK_QUIZ_FLAGS] = a->flags == g->flags;
    res->ok[SK_QUIZ_SEQ] = a->seq == g->seq;
    res->ok[SK_QUIZ_ACK] = a->has_ack == g->has_ack && (!a->has_ack || a->ack == g->ack);
    for (int side = SK_CLIENT; side <= SK_SERVER; side++)
        res->ok[SK_QUIZ_CLIENT + side] =
            a->state[side] == SK_ST_UNKNOWN || a->state[side] == g->state[side];
    res->right = true;
    for (int f = 0; f < SK_QUIZ__COUNT; f++)
        res->right = res->right && res->ok[f];
}

void sk_quiz_score_add(struct sk_quiz_score *s, const struct sk_quiz_result *res)
{
    s->asked++;
    if (res->right)
        s->right++;
    for (int f = 0; f < SK_QUIZ__COUNT; f++) {
        s->parts_asked++;
        if (res->ok[f])
            s->parts_right++;
    }
}

/* ------------------------------------------------------------ words */

static void flags_text(uint8_t flags, char *buf, size_t n)
{
    char letters[12], names[40];
    sk_tcp_flags_str(flags, letters);
    sk_tcp_flags_names(flags, names);
    if (strcmp(letters, "none") == 0)
        snprintf(buf, n, "%s", letters);
    else
        snprintf(buf, n, "%s (%s)", letters, names);
}

static void number_text(bool has, uint32_t v, char *buf, size_t n)
{
    if (has)
        snprintf(buf, n, "%u", v);
    else
        snprintf(buf, n, "-");
}

/* One part of the reveal: "what: guess: right." or "what: guess: wrong, it is X." */
static void reveal_part(char *buf, size_t n, size_t *len, const char *what, const char *guess,
                        bool ok, const char *answer)
{
    char part[256];
    if (ok)
        /* TRANSLATORS: a part of a quiz answer: "flags S.: right." */
        snprintf(part, sizeof part, _("%s %s: right."), what, guess);
    else
        /* TRANSLATORS: "seq 1: wrong, it is 0." */
        snprintf(part, sizeof part, _("%s %s: wrong, it is %s."), what, guess, answer);
    sentence_gap(buf, n, len);
    put(buf, n, len, part);
}

size_t sk_quiz_reveal(const struct sk_quiz_answer *a, const struct sk_quiz_answer *g,
                      const struct sk_quiz_result *res, char *buf, size_t n)
{
    size_t len = 0;
    char gs[64], as[64];
    if (n)
        buf[0] = '\0';
    char letters[12];
    flags_text(a->flags, as, sizeof as);
    reveal_part(buf, n, &len, _("flags"), sk_tcp_flags_str(g->flags, letters),
                res->ok[SK_QUIZ_FLAGS], as);
    snprintf(gs, sizeof gs, "%u", g->seq);
    snprintf(as, sizeof as, "%u", a->seq);
    reveal_part(buf, n, &len, "seq", gs, res->ok[SK_QUIZ_SEQ], as);
    number_text(g->has_ack, g->ack, gs, sizeof gs);
    number_text(a->has_ack, a->ack, as, sizeof as);
    reveal_part(buf, n, &len, "ack", gs, res->ok[SK_QUIZ_ACK], as);
    static const char *const who[2] = {N_("client"), N_("server")};
    for (int side = SK_CLIENT; side <= SK_SERVER; side++) {
        const char *ans = a->state[side] == SK_ST_UNKNOWN
                              ? _("(not known from the capture)")
                              : sk_state_name((enum sk_state)a->state[side]);
        reveal_part(buf, n, &len, _(who[side]), sk_state_name((enum sk_state)g->state[side]),
                    res->ok[SK_QUIZ_CLIENT + side], ans);
    }
    sentence_gap(buf, n, &len);
    put(buf, n, &len, res->right ? _("All right!") : _("Not quite."));
    return len;
}

size_t sk_quiz_score_text(const struct sk_quiz_score *s, char *buf, size_t n)
{
    int w = snprintf(buf, n, _("Quiz: %u / %u right this session."), s->right, s->asked);
    return w < 0 ? 0 : (size_t)w < n ? (size_t)w : n ? n - 1 : 0;
}

size_t sk_quiz_hidden_summary(const struct sk_rec *r, char *buf, size_t n)
{
    int w = snprintf(buf, n, "%s", sk_rec_dir(r) == SK_C2S
                                       ? _("client -> server")
                                       : _("server -> client"));
    size_t len = w < 0 ? 0 : (size_t)w < n ? (size_t)w : n ? n - 1 : 0;
    char more[128];
    /* TRANSLATORS: after "client -> server": a packet whose flags, seq, ack
     * and states the quiz hides. */
    snprintf(more, sizeof more, _(", length %u: ??? (guess first)"), (unsigned)r->len);
    put(buf, n, &len, more);
    return len;
}

size_t sk_quiz_hidden_label(const struct sk_rec *r, char *buf, size_t n)
{
    int w = snprintf(buf, n, "??? len=%u", (unsigned)r->len);
    return w < 0 ? 0 : (size_t)w < n ? (size_t)w : n ? n - 1 : 0;
}
