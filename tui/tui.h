/* tui.h — the terminal UI's entry point, called by main when no batch mode is chosen. */
#ifndef SK_TUI_H
#define SK_TUI_H

#include "../cli/cli.h"

/* Runs the UI on the capture the options name; returns the exit status. */
int tui_main(const struct cli_opts *o);

#endif
