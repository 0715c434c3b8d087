/* The jaga HTTP server: configuration, the shared state of the routes, and the route table. */
#ifndef JAGA_SERVER_H
#define JAGA_SERVER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "jaga/jaga.h"
#include "jaga/matcher.h"
#include "jaga/store.h"

typedef struct server_config {
    char listen_host[64]; /* an IPv4 address; default 127.0.0.1 */
    unsigned port;        /* 0: any free port (printed at start) */
    char db[1024];        /* store path */
    unsigned threads;     /* worker threads; default: online CPUs */
    unsigned max_connections;
    unsigned timeout_s;  /* idle connection timeout */
    size_t max_body;     /* bytes; 413 above */
    double rate_per_key; /* requests per second per key; 0: unlimited */
    double burst_per_key;
    jaga_decode_limits decode;
} server_config;

/* The defaults of every field. */
void server_config_defaults(server_config *c);

/* Reads a JSON config file over c: {"listen": "127.0.0.1:8080", "db": "...", "threads": 2,
 * "max_connections": 256, "timeout_s": 30, "max_body_bytes": 52428800, "rate_per_key": 50,
 * "burst_per_key": 100, "decode": {"max_bytes": .., "max_pixels": .., "max_width": ..,
 * "max_height": ..}}. Unknown keys are errors. Returns 0, or -1 with a message in err. */
int server_config_load(server_config *c, const char *path, char *err, size_t errlen);

/* The same from len bytes of text (path names it in messages). */
int server_config_parse(server_config *c, const char *text, size_t len, const char *path, char *err,
                        size_t errlen);

/* Config files are small: anything larger is refused. */
#define SERVER_CONFIG_MAX 65536

/* Parses "HOST:PORT" into c. 0 or -1. */
int server_config_listen(server_config *c, const char *text);

/* What every route may use. The store handle is shared under store_lock. */
typedef struct server_state {
    const server_config *config;
    jaga_store *store;
    pthread_mutex_t store_lock;
    jaga_matcher *matcher;
    struct rate_limiter *limiter;
    struct metrics *metrics;
    const struct route **routes; /* every route family's routes, in one list */
    size_t nroutes;
    const char **route_labels[2]; /* methods and paths, for the metrics */
} server_state;

/* Runs the server until SIGINT or SIGTERM: in-flight requests finish, the store is
 * checkpointed. Returns 0, or 1 when it could not start (the reason on stderr). */
int server_run(const server_config *config);

#endif
