/* flood.c — a UDP flood on loopback at a steady rate, for the live-capture
 * benchmark: can the UI capture it all (pcap_stats drops = 0) and still answer
 * keys? It binds the destination port itself and never reads, so the kernel
 * drops the datagrams at the socket (after the capture point) and sends no
 * ICMP port unreachable.
 *
 *   flood [-r PACKETS_PER_SECOND] [-d SECONDS] [-s PAYLOAD] -p PORT
 *
 * Prints one line: "<datagrams sent> <seconds taken> <rate achieved>".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { BATCH = 64 };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
    fprintf(stderr, "usage: flood [-r PPS] [-d SECONDS] [-s PAYLOAD] -p PORT\n");
    exit(2);
}

int main(int argc, char **argv)
{
    double rate = 150000, secs = 3;
    long port = 0, size = 18;
    int opt;
    while ((opt = getopt(argc, argv, "r:d:s:p:")) != -1) {
        switch (opt) {
        case 'r': rate = atof(optarg); break;
        case 'd': secs = atof(optarg); break;
        case 's': size = atol(optarg); break;
        case 'p': port = atol(optarg); break;
        default: usage();
        }
    }
    if (port <= 0 || port > 65535 || rate <= 0 || secs <= 0 || size < 0 || size > 1400)
        usage();

    struct sockaddr_in dst;
    memset(&dst, 0, sizeof dst);
    dst.sin_family = AF_INET;
    dst.sin_port = htons((uint16_t)port);
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    /* The sink: bound, tiny, never read. */
    int sink = socket(AF_INET, SOCK_DGRAM, 0);
    int one = 1, small = 4096;
    setsockopt(sink, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(sink, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    if (sink < 0 || bind(sink, (struct sockaddr *)&dst, sizeof dst) < 0) {
        perror("flood: bind");
        return 1;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0) {
        perror("flood: connect");
        return 1;
    }

    char payload[1400];
    memset(payload, 'x', sizeof payload);
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BATCH; i++) {
        iov[i].iov_base = payload;
        iov[i].iov_len = (size_t)size;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }

    unsigned long long sent = 0, want_total = (unsigned long long)(rate * secs);
    double t0 = now();
    while (sent < want_total) {
        /* Send what the clock says is due, a batch at a time. */
        double el = now() - t0;
        unsigned long long due = (unsigned long long)(el * rate);
        if (due > want_total)
            due = want_total;
        if (due <= sent) {
            struct timespec ts = {0, 200000}; /* 0.2 ms */
            nanosleep(&ts, NULL);
            continue;
        }
        unsigned n = due - sent > BATCH ? BATCH : (unsigned)(due - sent);
        int r = sendmmsg(fd, msgs, n, 0);
        if (r < 0) {
            if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN)
                continue;
            perror("flood: sendmmsg");
            return 1;
        }
        sent += (unsigned long long)r;
    }
    double took = now() - t0;
    printf("%llu %.3f %.0f\n", sent, took, (double)sent / took);
    close(fd);
    close(sink);
    return 0;
}
