/* ui.h — the terminal UI's internals: its state, screen elements, actions and views. */
#ifndef SK_UI_H
#define SK_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "conv.h"
#include "labevent.h"
#include "quiz.h"
#include "session.h"
#include "timeline.h"
#include "../cli/cli.h"

/* ------------------------------------------------------------ elements */

/* Screen elements, named by meaning; crt.c maps each to colours or, in the
 * monochrome scheme, to attributes only. */
enum ui_elem {
    UI_NORMAL = 0,
    UI_DIM,            /* secondary text: times, lanes, unchanged states */
    UI_TITLE,          /* a pane's title line */
    UI_TITLE_FOCUS,    /* ... of the pane that has the keys */
    UI_HEADER,         /* column headings */
    UI_SELECTED,       /* the selected row */
    UI_STATUS,         /* the status bar */
    UI_STATUS_MODE,    /* its mode word (REPLAY, LIVE) */
    UI_HINT,           /* the key hints line */
    UI_MESSAGE,        /* a message for the user */
    UI_ERROR,          /* an error message */
    UI_PROMPT,         /* a question being typed */
    UI_MARK_BAD,       /* packet marks (enum sk_mark) */
    UI_MARK_RESET,
    UI_MARK_TROUBLE,
    UI_MARK_OPEN,
    UI_MARK_CLOSE,
    UI_MARK_DATA,
    UI_MARK_DATAGRAM,
    UI_MARK_FLOW,
    UI_CONV0,          /* conversation colours, by id modulo UI_NCONV */
    UI_CONV1,
    UI_CONV2,
    UI_CONV3,
    UI_CONV4,
    UI_CONV5,
    UI_CLIENT,         /* what the client sent or did */
    UI_SERVER,         /* ... the server */
    UI_STATE,          /* a state written after an arrow */
    UI_STATE_NEW,      /* a state that changed with this packet */
    UI_CALL,           /* a lab's system call */
    UI_CALL_FAIL,      /* one that failed */
    UI_HILITE,         /* the bytes of the selected field in the hex dump */
    UI_MASKED,         /* hidden until guessed (quiz) */
    UI__COUNT
};
enum { UI_NCONV = 6 };

/* Line drawing: UTF-8 or ASCII. */
struct ui_glyphs {
    const char *hline;   /* ─ - */
    const char *vline;   /* │ | */
    const char *right;   /* ▶ > */
    const char *left;    /* ◀ < */
    const char *bar;     /* ┃ | : a call in progress */
    const char *begin;   /* ┌ , : where a blocked call began */
    const char *ret;     /* └ ` : where it returned */
    const char *ellipsis;/* … ... */
    const char *to;      /* → -> */
};

/* ------------------------------------------------------------ state */

enum ui_pane { PANE_LIST = 0, PANE_LADDER, PANE_EXPLAIN, PANE_DETAIL, PANE_HEX, PANE__COUNT };
enum ui_screen { SCREEN_MAIN = 1, SCREEN_CONVS = 2, SCREEN_FOLLOW = 4, SCREEN_HELP = 8 };
enum ui_prompt { PROMPT_NONE = 0, PROMPT_SEARCH, PROMPT_GOTO, PROMPT_FILTER, PROMPT_SAVE,
                 PROMPT_QUIZ };

/* What an action did (htop's Htop_Reaction). */
enum {
    UI_OK = 0,         /* nothing to do */
    UI_HANDLED = 1,    /* the key meant something */
    UI_REDRAW = 2,     /* the screen must be drawn again */
    UI_QUIT = 4,       /* leave */
    UI_JUMP = 8        /* a jump: timed for the benchmark */
};

struct rect {
    int y, x, h, w;
};

struct tui;

/* Where "next" and "previous" take the selection: replay by default; a demo
 * that drives the labs replaces it (each step lets the next call happen). */
struct ui_stepper {
    const char *name;                        /* status bar: "replay", "live" */
    int (*next)(struct tui *t, void *ctx);   /* returns UI_* flags */
    int (*prev)(struct tui *t, void *ctx);
    void *ctx;
};

/* One line of the detail pane (a field of sk_dissect, copied). */
struct ui_field {
    int depth;
    int problem;       /* enum sk_status */
    uint32_t off, len; /* bytes it shows */
    char text[200];    /* sk_field_text */
};

/* One line of the follow-stream view. */
struct ui_fline {
    uint32_t rec;      /* record index */
    uint32_t off;      /* first payload byte of the line (text/hex) */
    uint16_t len;      /* payload bytes on the line */
    uint8_t kind;      /* 0 heading, 1 text, 2 hex, 3 "bytes not captured" note */
    uint8_t dir;       /* SK_C2S / SK_S2C */
};

/* Quiz mode (Q): the TCP segments after the furthest packet selected so far
 * hide their flags, seq, ack and states until guessed. Frame numbers, not
 * record indexes, so that a new filter keeps them. */
struct ui_quiz {
    bool on;
    uint32_t edge;                 /* frames up to this one are shown */
    size_t target;                 /* PROMPT_QUIZ: the record being guessed */
    int part;                      /* ... and the part asked (enum sk_quiz_field) */
    struct sk_quiz_answer guess;   /* the parts given so far */
    struct sk_quiz_score score;    /* for the whole session */
    uint32_t reveal_frame;         /* the frame the reveal is about (0: none) */
    bool reveal_right;
    char reveal[1024];             /* what was right and wrong, and the score */
};

/* The demo (tui/demo.c): the scenario's labs, stepped. */
struct ui_demo;

struct ui_cached_line {
    size_t rec;        /* record index + 1 (0: empty slot) */
    uint64_t epoch;    /* filter epoch it was made in */
    char text[256];
};

struct tui {
    struct sk_session *s;          /* the capture and everything known about it */
    const struct cli_opts *o;      /* the command line */

    /* terminal */
    bool utf8;                     /* draw UTF-8 (else ASCII, and '?' for other text) */
    bool color;                    /* colours (else the monochrome scheme) */
    int attr[UI__COUNT];           /* curses attributes of each element */
    const struct ui_glyphs *g;
    bool mouse;                    /* the terminal reports clicks */

    /* model, as last read */
    struct sk_session_info info;
    uint64_t epoch;                /* changes with each filter: caches are void */
    size_t count;                  /* records readable */

    /* selection and panes */
    uint32_t want_frame;           /* after a new filter: select this frame once indexed */
    size_t sel;                    /* selected record (index), valid when count > 0 */
    bool following;                /* live: the selection follows the newest packet */
    size_t list_top;               /* first record shown in the list */
    int focus;                     /* enum ui_pane with the keys */
    bool show[PANE__COUNT];        /* panes toggled on */
    int weight[PANE__COUNT];       /* their relative heights */
    int screen;                    /* enum ui_screen */
    struct rect pane[PANE__COUNT]; /* where each was last drawn (h 0: hidden) */

    /* the selected packet's conversation and calls */
    bool have_conv;
    struct sk_conv conv;
    size_t conv_size;              /* its packets so far */
    struct sk_labevent *events;    /* copies of the session's events */
    size_t nevents, capevents;
    struct sk_tl_call *calls;      /* those of the conversation, placed */
    size_t ncalls;
    uint64_t calls_key;            /* what calls were computed for */

    /* ladder, as last drawn: which record each line shows (for the mouse) */
    size_t ladder_rec[256];
    int ladder_lines;

    /* detail and hex */
    size_t fields_for;             /* record the fields are of (SIZE_MAX: none) */
    struct ui_field *fields;
    size_t nfields, capfields;
    size_t field_sel, field_top;
    uint8_t *bytes;                /* the selected packet's bytes */
    size_t nbytes, capbytes;
    char bytes_err[SK_ERRBUF_SIZE];

    /* conversations screen */
    size_t conv_sel, conv_top;

    /* follow-stream screen */
    uint32_t follow_conv;
    bool follow_hex;
    struct ui_fline *flines;
    size_t nflines, capflines;
    size_t follow_top;
    bool follow_cut;               /* stopped at the line limit */
    int follow_width;              /* columns the lines were made for */
    size_t follow_size;            /* packets of the conversation they were made from */

    /* help screen */
    int help_top;

    /* play */
    bool playing;
    int speed;                     /* index in the speed table */
    int64_t due_ns;                /* monotonic time of the next step */
    struct ui_stepper step;

    /* quiz (classroom issue): records from which the ladder hides its words */
    bool (*masked)(const struct tui *t, size_t rec);
    struct ui_quiz quiz;

    /* sockscope demo: the labs being stepped (NULL otherwise) */
    struct ui_demo *demo;

    /* prompt and search */
    int prompt;                    /* enum ui_prompt */
    char input[256];
    size_t input_len;
    char query[256];
    bool searching;
    size_t search_at, search_from;
    int search_dir;
    size_t search_done;

    /* messages */
    char msg[SK_ERRBUF_SIZE + 64];
    bool msg_error;
    bool warned;                   /* the session's warning was shown */

    /* one-line summaries of records, by record */
    struct ui_cached_line cache[128];

    /* terminal too small: say so instead of drawing */
    bool too_small;

    /* benchmark log (SOCKSCOPE_BENCH_LOG) */
    FILE *bench;
    int64_t t0_ns;
    bool logged_first, logged_indexed;
    int64_t jump_ns;               /* when a jump key was read, 0 if none pending */

    bool quit;
};

/* ------------------------------------------------------------ crt.c */

/* Starts curses on the terminal; -1 with err when there is none. */
int crt_init(struct tui *t, char *err);
void crt_done(struct tui *t);

/* Draws s from (y, x) in at most w columns with element e's attribute; pads
 * with spaces to w when pad. Returns the columns used. */
int crt_put(struct tui *t, int y, int x, int w, const char *s, int e, bool pad);

/* Draws s right-aligned so that it ends at column x + w. */
void crt_put_right(struct tui *t, int y, int x, int w, const char *s, int e);

/* Repeats glyph g n times from (y, x). */
void crt_repeat(struct tui *t, int y, int x, int n, const char *g, int e);


/* Word-wraps s into lines of at most w columns from row y; at most h rows.
 * Returns the rows used. */
int crt_wrap(struct tui *t, int y, int x, int w, int h, const char *s, int e);

/* The element of a packet mark and of a conversation. */
int crt_mark_elem(int mark);
int crt_conv_elem(uint32_t conv);

/* ------------------------------------------------------------ views.c / ladder.c */

void view_draw(struct tui *t);
void view_list(struct tui *t, struct rect r);
void view_ladder(struct tui *t, struct rect r);
void view_explain(struct tui *t, struct rect r);
void view_detail(struct tui *t, struct rect r);
void view_hex(struct tui *t, struct rect r);
void view_convs(struct tui *t);
void view_follow(struct tui *t);
void view_help(struct tui *t);

/* The one-line summary of record i (cached). */
const char *view_summary(struct tui *t, size_t i);

/* Fills t->fields and t->bytes for the selected packet. */
void view_load_packet(struct tui *t);

/* Makes t->conv, t->calls ... describe the selected packet's conversation. */
void view_load_conv(struct tui *t);

/* Builds the follow-stream lines of t->follow_conv for width cols. */
void view_follow_build(struct tui *t, int cols);

/* Relative time of record i, "12.345678". */
void view_reltime(const struct tui *t, size_t i, char *buf, size_t n);

/* ------------------------------------------------------------ keys.c */

/* Runs the action bound to key on the current screen; returns UI_* flags. */
int keys_dispatch(struct tui *t, int key);

/* Help lines: *n gets their number; line i is keys_help_line(i, ...). */
size_t keys_help_count(void);
void keys_help_line(size_t i, char *keys, size_t kn, char *what, size_t wn, bool *heading);

/* Selecting a record: keeps the list scrolled, stops following. */
void keys_select(struct tui *t, size_t rec);

/* The built-in stepper (replay and live). */
extern const struct ui_stepper keys_replay_stepper;

/* The record "next" (dir +1) or "previous" (-1) goes to in the current scope
 * (the ladder: its conversation; elsewhere: every packet); SIZE_MAX if none. */
size_t keys_neighbour(struct tui *t, int dir);

/* Handles a key typed into the prompt. */
int keys_prompt(struct tui *t, int key, bool is_char);

/* Advances a running search by a slice; returns UI_* flags. */
int keys_search_tick(struct tui *t);

/* Play: the table of speeds and stepping when due. */
const char *keys_speed_name(int speed);
int keys_play_tick(struct tui *t, int64_t now_ns, int *wait_ms);

/* Sets the message line. */
void ui_message(struct tui *t, bool error, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

int64_t ui_now_ns(void);

/* ------------------------------------------------------------ tui.c */

/* Runs the UI on session s (which it closes) until the user quits; with a
 * demo, drives it and stops its labs before the terminal is given back.
 * Returns the exit status. */
int tui_run(const struct cli_opts *o, struct sk_session *s, struct ui_demo *demo);

/* ------------------------------------------------------------ quiz.c */

/* Q: quiz mode on or off. */
int quiz_toggle(struct tui *t);

/* Before "next": in quiz mode, when the packet next is hidden, asks for a
 * guess (opens the prompt) and returns UI_* flags; 0 when next may go on. */
int quiz_before_next(struct tui *t);

/* Keys in the quiz prompt: Enter takes the part typed, Tab completes a
 * state's name, Esc puts the guess off. */
int quiz_submit(struct tui *t);
int quiz_complete(struct tui *t);
void quiz_cancel(struct tui *t);

/* The prompt's words for the part being asked. */
void quiz_prompt_label(const struct tui *t, char *buf, size_t n);

/* Called before each frame is drawn: the selection moved past the edge
 * shows what it passed. */
void quiz_follow_selection(struct tui *t);

/* Draws what the quiz has to say in the explanation pane (the guide while a
 * guess is typed, the reveal after it) from row y; returns the rows used. */
int quiz_explain(struct tui *t, struct rect r, int y);

/* ------------------------------------------------------------ demo.c */

/* Advances the labs, reads their steps; returns UI_* flags. */
int demo_tick(struct tui *t, int *wait_ms);

/* The rows of the demo's status bar (1, or 2 when its words need them).
 * demo_draw writes the line about the last call at row y_last and the
 * status bar from row y_status to the bottom. */
int demo_status_lines(struct tui *t);
void demo_draw(struct tui *t, int y_last, int y_status);

/* After the UI: stops the labs (quit, then signals) and removes what the run
 * set up (namespaces). */
void demo_stop(struct tui *t);

/* The hint line's words in a demo (they depend on where the selection is). */
const char *demo_hint(struct tui *t);

/* The demo's stepper: "next" at the newest packet lets a lab make its call. */
struct ui_stepper demo_stepper(struct ui_demo *d);

#endif
