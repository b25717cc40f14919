/* tui.h — the terminal UI's entry point, called by main when no batch mode is chosen. */
#ifndef SK_TUI_H
#define SK_TUI_H

#include "../cli/cli.h"

/* Runs the UI on the capture the options name; returns the exit status. */
int tui_main(const struct cli_opts *o);

struct sk_scenario;

/* sockscope demo: runs scenario sc's lab programs (found in bindir, NULL:
 * $PATH) in step mode, captures them live and opens the UI, where each step
 * key lets the next system call happen (-w FILE in o saves the capture).
 * Needs capture privilege: the caller checked. Returns the exit status. */
int tui_demo(const struct cli_opts *o, const struct sk_scenario *sc, const char *bindir);

#endif
