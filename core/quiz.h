/* quiz.h — predict before reveal: a student's guess of a TCP segment (its
 * flags, relative seq and ack, and both sides' states after it), read from
 * what the student typed, graded against the capture, and the score kept.
 *
 * What counts as right, field by field:
 *   flags   the same set of flags (SYN, ACK, FIN, RST, PSH, URG, ECE, CWR),
 *           written as tcpdump's letters ("S.", "P.", "F.", "R") or as names
 *           ("SYN ACK", "syn,ack", "SYN-ACK"); order and case do not matter;
 *   seq     the relative sequence number (the sender's ISN is 0), exactly;
 *   ack     the relative acknowledgement number, exactly; "-" (or nothing)
 *           when the segment has no ACK flag, and then only that is right;
 *   states  each side's RFC 9293 state after the segment, by name; a state
 *           the capture cannot tell (a capture begun mid-stream) is not
 *           asked: any answer is right.
 * A segment is right when all five are. The UI hides these fields of the
 * packets ahead (the record is still drawn: its direction and length show).
 */
#ifndef SK_QUIZ_H
#define SK_QUIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conv.h"
#include "err.h"
#include "trace.h"

/* The parts of a guess, in the order they are asked. */
enum sk_quiz_field {
    SK_QUIZ_FLAGS = 0,
    SK_QUIZ_SEQ,
    SK_QUIZ_ACK,
    SK_QUIZ_CLIENT,  /* the client's state after the segment */
    SK_QUIZ_SERVER,  /* the server's */
    SK_QUIZ__COUNT
};

/* What a segment says (the answer), or what the student said (the guess). */
struct sk_quiz_answer {
    uint8_t flags;    /* SK_TH_* */
    uint32_t seq;     /* relative */
    bool has_ack;     /* the ACK flag is on: ack means something */
    uint32_t ack;     /* relative (when has_ack) */
    uint8_t state[2]; /* enum sk_state after it, [SK_CLIENT], [SK_SERVER]; an
                         answer's SK_ST_UNKNOWN: not asked */
};

struct sk_quiz_result {
    bool ok[SK_QUIZ__COUNT];
    bool right;       /* every part is right */
};

/* A session's score: whole segments, and parts. Zero-initialise it. */
struct sk_quiz_score {
    unsigned right, asked;
    unsigned parts_right, parts_asked;
};

/* True when r is a TCP segment whose header was decoded: the quiz asks about
 * it (other packets are never hidden). */
bool sk_quiz_applies(const struct sk_rec *r);

/* The answer for segment r of conversation c (NULL: raw numbers, the
 * record's states): relative numbers and the states a ladder shows
 * (sk_tcp_shown_states), as --text shows them. */
void sk_quiz_answer(const struct sk_rec *r, const struct sk_conv *c, struct sk_quiz_answer *a);

/* Reading what the student typed; each returns 0, or -1 with err saying what
 * is expected. Leading and trailing blanks are ignored. */
int sk_quiz_parse_flags(const char *text, uint8_t *flags, char *err);
int sk_quiz_parse_seq(const char *text, uint32_t *seq, char *err);
/* "-", "none" or "" : no ACK flag (*has_ack false). */
int sk_quiz_parse_ack(const char *text, bool *has_ack, uint32_t *ack, char *err);
/* A state by its name (any case, '-' or ' ' for '_', the kernel's and ss(8)'s
 * spellings), by a prefix only one name has ("EST", "SYN_R", "TIME"), or by
 * its number in sk_quiz_state_list (1 CLOSED ... 11 TIME_WAIT). */
int sk_quiz_parse_state(const char *text, uint8_t *state, char *err);

/* Completion of a state name being typed: the names that start with text (as
 * sk_quiz_parse_state reads it). Writes into buf (n bytes) the longest prefix
 * they share, in capitals; returns how many names match (0: buf is text as
 * it was). */
size_t sk_quiz_complete_state(const char *text, char *buf, size_t n);

/* "1 CLOSED  2 LISTEN  3 SYN_SENT ... 11 TIME_WAIT": the numbered choices.
 * Writes buf (n bytes); returns the length. */
size_t sk_quiz_state_list(char *buf, size_t n);

/* Grades guess g against answer a. */
void sk_quiz_grade(const struct sk_quiz_answer *a, const struct sk_quiz_answer *g,
                   struct sk_quiz_result *res);

/* Counts one graded segment. */
void sk_quiz_score_add(struct sk_quiz_score *s, const struct sk_quiz_result *res);

/* The reveal, for people: each part as guessed, right or wrong and then the
 * right answer ("flags .: wrong, it is S. (SYN,ACK). seq 0: right. ..."),
 * then the verdict. Translated. Writes buf (n bytes); returns the length. */
size_t sk_quiz_reveal(const struct sk_quiz_answer *a, const struct sk_quiz_answer *g,
                      const struct sk_quiz_result *res, char *buf, size_t n);

/* "Quiz: 7 / 9 right this session." Translated. */
size_t sk_quiz_score_text(const struct sk_quiz_score *s, char *buf, size_t n);

/* What a hidden segment still shows: its direction and length, "client ->
 * server, length 13: ???" (for the packet list), and the ladder's arrow
 * label "??? len=13". Translated; return the length. */
size_t sk_quiz_hidden_summary(const struct sk_rec *r, char *buf, size_t n);
size_t sk_quiz_hidden_label(const struct sk_rec *r, char *buf, size_t n);

#endif
