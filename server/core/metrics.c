#include "metrics.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                0.25,  0.5,    1,     2.5,  5,     10};
enum { BUCKETS = sizeof(bounds) / sizeof(bounds[0]), CLASSES = 5, STORE_OPS = 32 };

typedef struct histogram {
    unsigned long long buckets[BUCKETS]; /* cumulative at render time */
    unsigned long long count;
    double sum;
} histogram;

typedef struct route_stats {
    unsigned long long by_class[CLASSES]; /* 1xx..5xx */
    histogram latency;
} route_stats;

struct metrics {
    pthread_mutex_t lock;
    const char *const *methods, *const *paths;
    size_t nroutes;
    route_stats *routes; /* nroutes + 1: the last for unrouted requests */
    unsigned long long scans, matches;
    const char *store_ops[STORE_OPS]; /* string literals, in the order first seen */
    histogram store[STORE_OPS];
};

metrics *metrics_open(const char *const *methods, const char *const *paths, size_t nroutes)
{
    metrics *m = calloc(1, sizeof(*m));
    if (!m || !(m->routes = calloc(nroutes + 1, sizeof(route_stats)))) {
        free(m);
        return NULL;
    }
    pthread_mutex_init(&m->lock, NULL);
    m->methods = methods, m->paths = paths, m->nroutes = nroutes;
    return m;
}

void metrics_free(metrics *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->lock);
    free(m->routes);
    free(m);
}

/* Caller holds m->lock. */
static void observe(histogram *h, double seconds)
{
    size_t b = 0;
    while (b < BUCKETS && seconds > bounds[b])
        b++;
    if (b < BUCKETS)
        h->buckets[b]++;
    h->count++;
    h->sum += seconds;
}

void metrics_request(metrics *m, size_t route, unsigned status, double seconds)
{
    route_stats *r = &m->routes[route < m->nroutes ? route : m->nroutes];
    pthread_mutex_lock(&m->lock);
    if (status >= 100 && status < 600)
        r->by_class[status / 100 - 1]++;
    observe(&r->latency, seconds);
    pthread_mutex_unlock(&m->lock);
}

void metrics_store(void *arg, const char *op, double seconds)
{
    metrics *m = arg;
    pthread_mutex_lock(&m->lock);
    size_t i = 0;
    while (i < STORE_OPS && m->store_ops[i] && strcmp(m->store_ops[i], op) != 0)
        i++;
    if (i < STORE_OPS) {
        m->store_ops[i] = op;
        observe(&m->store[i], seconds);
    }
    pthread_mutex_unlock(&m->lock);
}

void metrics_scan(metrics *m, size_t matches)
{
    pthread_mutex_lock(&m->lock);
    m->scans++;
    m->matches += matches;
    pthread_mutex_unlock(&m->lock);
}

/* Appends printf output to a growing text; on failure the text is dropped. */
typedef struct text {
    FILE *f;
    char *buf;
    size_t len;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(t->f, fmt, ap);
    va_end(ap);
}

/* One histogram's lines; labels is "" or "a=\"b\",...". */
static void put_histogram(text *t, const char *name, const char *labels, const histogram *h)
{
    const char *sep = *labels ? "," : "";
    unsigned long long cumulative = 0;
    for (int b = 0; b < BUCKETS; b++) {
        cumulative += h->buckets[b];
        put(t, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, sep, bounds[b], cumulative);
    }
    put(t, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep, h->count);
    put(t, "%s_sum%s%s%s %.6f\n", name, *labels ? "{" : "", labels, *labels ? "}" : "", h->sum);
    put(t, "%s_count%s%s%s %llu\n", name, *labels ? "{" : "", labels, *labels ? "}" : "", h->count);
}

char *metrics_render(metrics *m, size_t index_entries)
{
    text t = {0};
    if (!(t.f = open_memstream(&t.buf, &t.len)))
        return NULL;
    pthread_mutex_lock(&m->lock);
    put(&t, "# HELP jaga_http_requests_total Requests by route and status class.\n"
            "# TYPE jaga_http_requests_total counter\n");
    for (size_t i = 0; i <= m->nroutes; i++)
        for (int c = 0; c < CLASSES; c++)
            if (m->routes[i].by_class[c])
                put(&t, "jaga_http_requests_total{method=\"%s\",route=\"%s\",code=\"%dxx\"} %llu\n",
                    i < m->nroutes ? m->methods[i] : "", i < m->nroutes ? m->paths[i] : "none",
                    c + 1, m->routes[i].by_class[c]);
    put(&t, "# HELP jaga_http_request_seconds Request latency by route.\n"
            "# TYPE jaga_http_request_seconds histogram\n");
    for (size_t i = 0; i <= m->nroutes; i++) {
        char labels[512];
        snprintf(labels, sizeof(labels), "method=\"%s\",route=\"%s\"",
                 i < m->nroutes ? m->methods[i] : "", i < m->nroutes ? m->paths[i] : "none");
        if (m->routes[i].latency.count)
            put_histogram(&t, "jaga_http_request_seconds", labels, &m->routes[i].latency);
    }
    put(&t, "# HELP jaga_store_seconds Store latency by operation.\n"
            "# TYPE jaga_store_seconds histogram\n");
    for (size_t i = 0; i < STORE_OPS && m->store_ops[i]; i++) {
        char labels[64];
        snprintf(labels, sizeof(labels), "op=\"%s\"", m->store_ops[i]);
        put_histogram(&t, "jaga_store_seconds", labels, &m->store[i]);
    }
    put(&t,
        "# HELP jaga_scans_total Uploads scanned and stored.\n# TYPE jaga_scans_total counter\n"
        "jaga_scans_total %llu\n"
        "# HELP jaga_scan_matches_total Bank matches found by scans.\n"
        "# TYPE jaga_scan_matches_total counter\njaga_scan_matches_total %llu\n"
        "# HELP jaga_index_entries Active bank entries in the matcher.\n"
        "# TYPE jaga_index_entries gauge\njaga_index_entries %zu\n",
        m->scans, m->matches, index_entries);
    pthread_mutex_unlock(&m->lock);
    if (fclose(t.f) != 0) {
        free(t.buf);
        return NULL;
    }
    return t.buf;
}
