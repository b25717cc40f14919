/* tui.c — placeholder until the terminal UI lands: says what to use instead. */
#include "tui.h"

#include "i18n.h"

int tui_main(const struct cli_opts *o)
{
    (void)o;
    cli_error("%s", _("the terminal UI is not in this build yet: use --text, --json or --summary"));
    return SK_EXIT_USAGE;
}
