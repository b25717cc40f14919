/* i18n.h — translated text through gettext, text domain "sockscope".
 *
 * English message ids in the source; catalogues in po/ (zh_CN). _() translates
 * now, N_() only marks a string for xgettext (tables of names).
 */
#ifndef SK_I18N_H
#define SK_I18N_H

#include <libintl.h>
#include <stdbool.h>

#define SK_TEXTDOMAIN "sockscope"

/* Set by sk_i18n_init when messages are English anyway (C or English locale,
 * no LANGUAGE): then _() skips gettext's lookup, which costs more than the
 * sentence itself when millions of packets are explained. The one piece of
 * process-wide state in core/, like gettext's own bindings. */
extern bool sk_i18n_english;

#if defined(__GNUC__)
__attribute__((format_arg(1)))
#endif
static inline const char *sk_tr(const char *msgid)
{
    return sk_i18n_english ? msgid : dgettext(SK_TEXTDOMAIN, msgid);
}

/* gettext's own conventions: xgettext looks for these two names. */
#define _(s) sk_tr(s)
#define N_(s) s

/* Selects the language and finds the catalogues. lang is "zh", "en" or NULL
 * (from the locale: LANGUAGE, LC_ALL, LC_MESSAGES, LANG). Catalogues are looked
 * for next to the program (build/locale, for a program run from its build tree)
 * and in SK_LOCALEDIR. A Chinese locale asked for (LANG=zh_CN.UTF-8) but not
 * generated on the machine counts as "zh". Call once, after
 * setlocale(LC_ALL, ""). Returns 0, or -1 with err when lang is not one we ship. */
int sk_i18n_init(const char *lang, char *err);

#endif
