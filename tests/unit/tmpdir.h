/* tmpdir.h — a scratch folder for the unit suites that write files: made
 * fresh before each test (a checked fixture) and removed with its files after. */
#ifndef SK_TEST_TMPDIR_H
#define SK_TEST_TMPDIR_H

/* Makes /tmp/sk-NAME-XXXXXX; the test fails when it cannot. */
void tmpdir_make(const char *name);

/* Removes the folder and the files in it. */
void tmpdir_remove(void);

/* The folder's path. */
const char *tmpdir(void);

/* "<folder>/<file>"; the last four answers stay valid. */
const char *tmpdir_path(const char *file);

#endif
