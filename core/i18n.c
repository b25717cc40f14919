/* i18n.c — choosing the language and finding the message catalogues (i18n.h). */
#include "i18n.h"

#include <limits.h>
#include <stdbool.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"

bool sk_i18n_english = false;

/* True when gettext would answer every msgid with itself. */
static bool messages_are_english(void)
{
    const char *language = getenv("LANGUAGE");
    if (language && *language && strncmp(language, "en", 2) != 0)
        return false;
    const char *loc = setlocale(LC_MESSAGES, NULL);
    if (!loc)
        return true;
    return strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0 || strncmp(loc, "C.", 2) == 0 ||
           strncmp(loc, "en", 2) == 0;
}

#ifndef SK_LOCALEDIR
#define SK_LOCALEDIR "/usr/local/share/locale"
#endif

/* build/locale next to the program's bin/ (or build/san/bin), if it exists. */
static bool build_tree_dir(char *dir, size_t n)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return false;
    exe[len] = '\0';
    static const char *const ups[] = {"/../build/locale", "/../../../build/locale"};
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = '\0';
    for (size_t i = 0; i < sizeof ups / sizeof ups[0]; i++) {
        struct stat st;
        if (strlen(exe) + strlen(ups[i]) + 1 > n)
            continue;
        strcpy(dir, exe);
        strcat(dir, ups[i]);
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
            return true;
    }
    return false;
}

/* "zh" when the environment asks for a Chinese locale that setlocale could
 * not set (not generated on this machine: `locale -a` lacks it), which
 * leaves the C locale, where gettext would answer in English. */
static const char *missing_chinese_locale(void)
{
    const char *want = getenv("LC_ALL");
    if (!want || !*want)
        want = getenv("LC_MESSAGES");
    if (!want || !*want)
        want = getenv("LANG");
    const char *cur = setlocale(LC_MESSAGES, NULL);
    bool c_locale = !cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0;
    return c_locale && want && strncmp(want, "zh", 2) == 0 ? "zh" : NULL;
}

int sk_i18n_init(const char *lang, char *err)
{
    if (!lang)
        lang = missing_chinese_locale();
    if (lang) {
        if (strcmp(lang, "zh") == 0 || strcmp(lang, "zh_CN") == 0) {
            setenv("LANGUAGE", "zh_CN", 1);
        } else if (strcmp(lang, "en") == 0) {
            setenv("LANGUAGE", "en", 1);
        } else {
            sk_err(err, _("unknown language '%s': use --lang zh or --lang en"), lang);
            return -1;
        }
        /* gettext ignores LANGUAGE under the C locale: make messages UTF-8 at least. */
        const char *cur = setlocale(LC_MESSAGES, NULL);
        if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0) {
            if (!setlocale(LC_ALL, "C.UTF-8"))
                setlocale(LC_ALL, "C.utf8");
        }
    }
    char dir[PATH_MAX];
    if (build_tree_dir(dir, sizeof dir))
        bindtextdomain(SK_TEXTDOMAIN, dir);
    else
        bindtextdomain(SK_TEXTDOMAIN, SK_LOCALEDIR);
    bind_textdomain_codeset(SK_TEXTDOMAIN, "UTF-8");
    sk_i18n_english = messages_are_english();
    return 0;
}
