/* crt.c — the terminal: curses set-up, colours named by meaning, glyphs, text by display width. */
#include <curses.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "i18n.h"
#include "mark.h"
#include "ui.h"

static const struct ui_glyphs glyphs_utf8 = {
    .hline = "\u2500", .vline = "\u2502", .right = "\u25b6", .left = "\u25c0",
    .bar = "\u2503", .begin = "\u250f", .ret = "\u2517", .ellipsis = "\u2026", .to = "\u2192",
};
static const struct ui_glyphs glyphs_ascii = {
    .hline = "-", .vline = "|", .right = ">", .left = "<",
    .bar = "|", .begin = ",", .ret = "`", .ellipsis = "...", .to = "->",
};

/* Each element's colours and attributes, and its attributes alone for the
 * monochrome scheme (NO_COLOR, or a terminal without colours). */
static const struct {
    short fg, bg;
    attr_t color_attr;
    attr_t mono_attr;
} scheme[UI__COUNT] = {
    [UI_NORMAL] = {-1, -1, 0, 0},
    [UI_DIM] = {-1, -1, A_DIM, A_DIM},
    [UI_TITLE] = {COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE},
    [UI_TITLE_FOCUS] = {COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE | A_BOLD},
    [UI_HEADER] = {COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [UI_SELECTED] = {-1, -1, A_REVERSE, A_REVERSE},
    [UI_STATUS] = {COLOR_BLACK, COLOR_WHITE, 0, A_REVERSE},
    [UI_STATUS_MODE] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD},
    [UI_HINT] = {-1, -1, 0, 0},
    [UI_MESSAGE] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [UI_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [UI_PROMPT] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [UI_MARK_BAD] = {COLOR_MAGENTA, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [UI_MARK_RESET] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [UI_MARK_TROUBLE] = {COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE},
    [UI_MARK_OPEN] = {COLOR_GREEN, -1, 0, 0},
    [UI_MARK_CLOSE] = {COLOR_CYAN, -1, 0, 0},
    [UI_MARK_DATA] = {-1, -1, A_BOLD, A_BOLD},
    [UI_MARK_DATAGRAM] = {COLOR_BLUE, -1, A_BOLD, 0},
    [UI_MARK_FLOW] = {-1, -1, A_DIM, A_DIM},
    [UI_CONV0] = {COLOR_CYAN, -1, 0, 0},
    [UI_CONV1] = {COLOR_GREEN, -1, 0, 0},
    [UI_CONV2] = {COLOR_YELLOW, -1, 0, 0},
    [UI_CONV3] = {COLOR_MAGENTA, -1, 0, 0},
    [UI_CONV4] = {COLOR_BLUE, -1, A_BOLD, 0},
    [UI_CONV5] = {COLOR_RED, -1, 0, 0},
    [UI_CLIENT] = {COLOR_CYAN, -1, 0, 0},
    [UI_SERVER] = {COLOR_YELLOW, -1, 0, 0},
    [UI_STATE] = {-1, -1, 0, 0},
    [UI_STATE_NEW] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [UI_CALL] = {COLOR_MAGENTA, -1, A_BOLD, A_BOLD},
    [UI_CALL_FAIL] = {COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [UI_HILITE] = {COLOR_BLACK, COLOR_YELLOW, 0, A_REVERSE},
    [UI_MASKED] = {COLOR_BLACK, COLOR_BLACK, A_BOLD, A_DIM},
};

static bool locale_is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int crt_init(struct tui *t, char *err)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        sk_err(err, "%s", _("the UI needs a terminal: for output to a file or a pipe use "
                            "--text, --json or --summary"));
        return -1;
    }
    const char *term = getenv("TERM");
    if (!term || !*term || strcmp(term, "dumb") == 0) {
        sk_err(err, "%s", _("the UI needs a terminal that can move the cursor (TERM is not "
                            "set or is \"dumb\"): use --text instead"));
        return -1;
    }
    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (!scr) {
        sk_err(err, _("the terminal type \"%s\" is unknown to curses: set TERM (for "
                      "example TERM=xterm-256color), or use --text"), term);
        return -1;
    }
    set_term(scr);
    t->utf8 = locale_is_utf8() && !t->o->ascii;
    t->g = t->utf8 ? &glyphs_utf8 : &glyphs_ascii;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    scrollok(stdscr, FALSE);
    curs_set(0);
    set_escdelay(25);
    const char *nc = getenv("NO_COLOR");
    t->color = has_colors() && !(nc && *nc);
    if (t->color) {
        start_color();
        use_default_colors();
    }
    for (int e = 0; e < UI__COUNT; e++) {
        if (t->color && e > 0 && e < COLOR_PAIRS) {
            init_pair((short)e, scheme[e].fg, scheme[e].bg);
            t->attr[e] = (int)(COLOR_PAIR(e) | scheme[e].color_attr);
        } else {
            t->attr[e] = (int)(t->color ? scheme[e].color_attr : scheme[e].mono_attr);
        }
    }
    mmask_t got = mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED |
                                BUTTON5_PRESSED, NULL);
    t->mouse = got != 0;
    mouseinterval(0);
    return 0;
}

void crt_done(struct tui *t)
{
    if (t->mouse)
        mousemask(0, NULL);
    curs_set(1);
    endwin();
    SCREEN *scr = set_term(NULL);
    if (scr)
        delscreen(scr);
}

/* ------------------------------------------------------------ text */

/* Writes n bytes of s at the cursor: UTF-8 as is, or ASCII with a '?' per
 * column of anything else when the terminal cannot show it. */
static void put_bytes(struct tui *t, const char *s, size_t n)
{
    if (t->utf8) {
        addnstr(s, (int)n);
        return;
    }
    for (size_t i = 0; i < n;) {
        size_t w;
        size_t cl = sk_text_char(s + i, &w);
        if (cl == 1 && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f) {
            addch((chtype)(unsigned char)s[i]);
        } else {
            for (size_t k = 0; k < (w ? w : 1); k++)
                addch('?');
        }
        i += cl;
    }
}

int crt_put(struct tui *t, int y, int x, int w, const char *s, int e, bool pad)
{
    if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
        return 0;
    if (x + w > COLS)
        w = COLS - x;
    size_t used;
    size_t n = sk_text_fit(s, (size_t)w, &used);
    attrset((attr_t)t->attr[e]);
    move(y, x);
    put_bytes(t, s, n);
    if (pad)
        for (int i = (int)used; i < w; i++)
            addch(' ');
    attrset(A_NORMAL);
    return pad ? w : (int)used;
}

void crt_put_right(struct tui *t, int y, int x, int w, const char *s, int e)
{
    size_t tw = sk_text_width(s);
    if ((int)tw > w) {
        crt_put(t, y, x, w, s, e, false);
        return;
    }
    crt_put(t, y, x + w - (int)tw, (int)tw, s, e, false);
}

void crt_repeat(struct tui *t, int y, int x, int n, const char *g, int e)
{
    if (y < 0 || y >= LINES)
        return;
    attrset((attr_t)t->attr[e]);
    move(y, x);
    for (int i = 0; i < n && x + i < COLS; i++)
        addstr(g);
    attrset(A_NORMAL);
}

int crt_wrap(struct tui *t, int y, int x, int w, int h, const char *s, int e)
{
    int rows = 0;
    if (w < 4)
        return 0;
    const char *part;
    size_t n;
    while (rows < h && sk_text_next_line(&s, (size_t)w, &part, &n)) {
        char line[1024];
        size_t len = n < sizeof line - 1 ? n : sizeof line - 1;
        memcpy(line, part, len);
        line[len] = '\0';
        crt_put(t, y + rows, x, w, line, e, false);
        rows++;
    }
    return rows;
}

int crt_mark_elem(int mark)
{
    switch (mark) {
    case SK_MARK_BAD: return UI_MARK_BAD;
    case SK_MARK_RESET: return UI_MARK_RESET;
    case SK_MARK_TROUBLE: return UI_MARK_TROUBLE;
    case SK_MARK_OPEN: return UI_MARK_OPEN;
    case SK_MARK_CLOSE: return UI_MARK_CLOSE;
    case SK_MARK_DATA: return UI_MARK_DATA;
    case SK_MARK_DATAGRAM: return UI_MARK_DATAGRAM;
    case SK_MARK_FLOW: return UI_MARK_FLOW;
    default: return UI_DIM;
    }
}

int crt_conv_elem(uint32_t conv)
{
    if (conv == SK_NO_CONV)
        return UI_DIM;
    return UI_CONV0 + (int)(conv % UI_NCONV);
}
