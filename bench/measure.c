/* measure.c — runs a command several times and prints its best wall time and
 * its peak resident memory, the two figures the benchmarks compare.
 *
 *   measure [-n RUNS] [-o OUTFILE] -- COMMAND [ARGS...]
 *
 * stdout of the command goes to OUTFILE (default /dev/null), stderr is kept.
 * Prints one line: "<best seconds> <median seconds> <peak RSS KiB> <exit status>".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int runs = 3;
    const char *out = "/dev/null";
    int opt;
    while ((opt = getopt(argc, argv, "+n:o:")) != -1) {
        if (opt == 'n') runs = atoi(optarg);
        else if (opt == 'o') out = optarg;
        else { fprintf(stderr, "usage: measure [-n RUNS] [-o OUT] -- CMD...\n"); return 2; }
    }
    if (optind >= argc || runs < 1 || runs > 100) {
        fprintf(stderr, "usage: measure [-n RUNS] [-o OUT] -- CMD...\n");
        return 2;
    }
    double times[100];
    long peak = 0;
    int status = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        pid_t pid = fork();
        if (pid < 0) { perror("measure: fork"); return 1; }
        if (pid == 0) {
            int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0) { perror(out); _exit(127); }
            dup2(fd, 1);
            close(fd);
            execvp(argv[optind], argv + optind);
            perror(argv[optind]);
            _exit(127);
        }
        int st;
        struct rusage ru;
        if (wait4(pid, &st, 0, &ru) < 0) { perror("measure: wait4"); return 1; }
        times[r] = now() - t0;
        if (ru.ru_maxrss > peak) peak = ru.ru_maxrss;
        status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
    qsort(times, (size_t)runs, sizeof times[0], cmp_double);
    printf("%.4f %.4f %ld %d\n", times[0], times[runs / 2], peak, status);
    return 0;
}
