/* Prometheus metrics of the server: requests and latency per route, store latency, scans,
 * matches. */
#ifndef JAGA_SERVER_METRICS_H
#define JAGA_SERVER_METRICS_H

#include <stddef.h>

typedef struct metrics metrics;

/* Metrics for nroutes routes, named by "METHOD PATH" labels. NULL when out of memory. */
metrics *metrics_open(const char *const *methods, const char *const *paths, size_t nroutes);
void metrics_free(metrics *m);

/* One request: its route (nroutes for none), status and duration. */
void metrics_request(metrics *m, size_t route, unsigned status, double seconds);

/* One store operation and its duration: a jaga_store_observer, arg the metrics. */
void metrics_store(void *arg, const char *op, double seconds);

/* One scan stored, with its number of matches. */
void metrics_scan(metrics *m, size_t matches);

/* The text exposition (malloc'd), with the index size given. */
char *metrics_render(metrics *m, size_t index_entries);

#endif
