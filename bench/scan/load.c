/* load: a small HTTP/1.1 load generator for bench/scan, on loopback only. Each of C
 * connections (one thread each, keep-alive) sends R requests in turn; prints requests/s and
 * the p50/p99 latency.
 *
 *   load HOST PORT KEY C R METHOD PATH [FILE...]
 *
 * PATH may hold "%d", replaced by a request number unique across connections (for content
 * ids). With FILEs, each request sends the next file's bytes as its body, in turn; a body of
 * at most 4 KiB holding "%d" is a template, the request number put in the same way.
 *
 * With LOAD_RATE=N in the environment, the connections together send N requests/s on a fixed
 * schedule instead of as fast as answers come, and each latency counts from the request's
 * scheduled time (so queueing behind a slow answer is not hidden). With LOAD_SOURCE=ADDRESS,
 * the connections are made from that local address (127.0.0.2, say). */
#define _GNU_SOURCE /* memmem, strcasestr */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct body {
    char *data;
    size_t len;
    int template; /* holds "%d" */
} body;

static const char *host, *key, *method, *path, *source;
static int port, per_conn, conns;
static double rate, start; /* rate 0: as fast as answers come */
static body *bodies;
static int nbodies;
static double *latencies;
static int failures;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            return -1;
        p += w, n -= (size_t)w;
    }
    return 0;
}

/* Reads one response; returns its status, or -1. */
static int read_response(int fd)
{
    char buf[65536];
    size_t have = 0;
    char *end = NULL;
    while (!(end = memmem(buf, have, "\r\n\r\n", 4))) {
        ssize_t r = read(fd, buf + have, sizeof(buf) - 1 - have);
        if (r <= 0)
            return -1;
        have += (size_t)r;
        buf[have] = '\0';
    }
    int status = atoi(buf + 9);
    const char *cl = strcasestr(buf, "Content-Length:");
    size_t length = cl && cl < end ? strtoul(cl + 15, NULL, 10) : 0;
    size_t got = have - (size_t)(end + 4 - buf);
    while (got < length) {
        ssize_t r = read(fd, buf, sizeof(buf) < length - got ? sizeof(buf) : length - got);
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return status;
}

static void *connection(void *arg)
{
    int id = (int)(long)arg;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, host, &a.sin_addr);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct sockaddr_in from = {.sin_family = AF_INET};
    if (source && (inet_pton(AF_INET, source, &from.sin_addr) != 1 ||
                   bind(fd, (struct sockaddr *)&from, sizeof(from)) != 0)) {
        fprintf(stderr, "load: cannot send from %s\n", source);
        exit(1);
    }
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        pthread_mutex_lock(&lock);
        failures += per_conn;
        pthread_mutex_unlock(&lock);
        close(fd);
        return NULL;
    }
    for (int i = 0; i < per_conn; i++) {
        int n = id * per_conn + i;
        const body *b = nbodies ? &bodies[n % nbodies] : NULL;
        char target[512], head[1024], filled[4200];
        snprintf(target, sizeof(target), path, n);
        body one;
        if (b && b->template) {
            one.data = filled;
            one.len = (size_t)snprintf(filled, sizeof(filled), b->data, n);
            b = &one;
        }
        int hl = snprintf(head, sizeof(head),
                          "%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
                          "Content-Length: %zu\r\n\r\n",
                          method, target, host, key, b ? b->len : 0);
        double t0 = now();
        if (rate > 0) {
            double due = start + (double)i * conns / rate + (double)id / rate;
            while (t0 < due) {
                double wait = due - t0;
                usleep((useconds_t)(wait * 1e6));
                t0 = now();
            }
            t0 = due;
        }
        int status =
            write_all(fd, head, (size_t)hl) == 0 && (!b || write_all(fd, b->data, b->len) == 0)
                ? read_response(fd)
                : -1;
        double dt = now() - t0;
        pthread_mutex_lock(&lock);
        latencies[n] = dt;
        failures += status < 200 || status >= 300;
        pthread_mutex_unlock(&lock);
    }
    close(fd);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 8) {
        fputs("usage: load HOST PORT KEY C R METHOD PATH [FILE...]\n", stderr);
        return 2;
    }
    host = argv[1], port = atoi(argv[2]), key = argv[3];
    conns = atoi(argv[4]);
    rate = getenv("LOAD_RATE") ? atof(getenv("LOAD_RATE")) : 0;
    source = getenv("LOAD_SOURCE");
    per_conn = atoi(argv[5]);
    method = argv[6], path = argv[7];
    nbodies = argc - 8;
    bodies = calloc((size_t)nbodies + 1, sizeof(body));
    for (int i = 0; i < nbodies; i++) {
        FILE *f = fopen(argv[8 + i], "rb");
        if (!f)
            return 2;
        fseek(f, 0, SEEK_END);
        bodies[i].len = (size_t)ftell(f);
        fseek(f, 0, SEEK_SET);
        bodies[i].data = malloc(bodies[i].len + 1);
        if (fread(bodies[i].data, 1, bodies[i].len, f) != bodies[i].len)
            return 2;
        bodies[i].data[bodies[i].len] = '\0';
        bodies[i].template =
            bodies[i].len <= 4096 && memmem(bodies[i].data, bodies[i].len, "%d", 2);
        fclose(f);
    }
    int total = conns * per_conn;
    latencies = calloc((size_t)total, sizeof(double));
    pthread_t tid[256];
    if (conns < 1 || conns > 256 || total < 1)
        return 2;
    double t0 = now();
    start = t0 + (rate > 0 ? 0.05 : 0); /* the schedule starts once every thread is up */
    for (int c = 0; c < conns; c++)
        pthread_create(&tid[c], NULL, connection, (void *)(long)c);
    for (int c = 0; c < conns; c++)
        pthread_join(tid[c], NULL);
    double elapsed = now() - t0;
    qsort(latencies, (size_t)total, sizeof(double), cmp);
    printf("%.1f requests/s, p50 %.2f ms, p99 %.2f ms, %d failed of %d\n", total / elapsed,
           latencies[total / 2] * 1e3, latencies[(int)(total * 0.99)] * 1e3, failures, total);
    return failures ? 1 : 0;
}
