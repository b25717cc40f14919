/* tmpdir.c — the unit suites' scratch folder (tmpdir.h). */
#include "tmpdir.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[96];

void tmpdir_make(const char *name)
{
    snprintf(dir, sizeof dir, "/tmp/sk-%s-XXXXXX", name);
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

void tmpdir_remove(void)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char p[512];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

const char *tmpdir(void)
{
    return dir;
}

const char *tmpdir_path(const char *file)
{
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, file);
    return p[k];
}
