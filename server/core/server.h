/* The jaga HTTP server: configuration, the shared state of the routes, and the route table. */
#ifndef JAGA_SERVER_H
#define JAGA_SERVER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jaga/cases.h"
#include "jaga/jaga.h"
#include "jaga/matcher.h"
#include "jaga/store.h"

struct json_t;

#define SERVER_ROUTES_MAX 64

typedef struct server_config {
    char listen_host[64]; /* an IPv4 address; default 127.0.0.1 */
    unsigned port;        /* 0: any free port (printed at start) */
    char db[1024];        /* store path */
    unsigned threads;     /* worker threads (and as many I/O threads); default: online CPUs */
    unsigned max_connections;
    unsigned max_connections_per_ip; /* from one source address; more are closed at once */
    unsigned timeout_s;              /* idle connection timeout */
    unsigned request_timeout_s;      /* the most a request may take to arrive whole */
    unsigned min_body_rate;          /* bytes/s a body must average once timeout_s has passed */
    double key_cache_s;              /* how long a key read from the store is trusted */
    size_t max_body;                 /* bytes; 413 above */
    size_t max_import;               /* bytes of a bank import, spooled to disk as it arrives */
    char index_snapshot[1024];       /* the PDQ index snapshot; "": DB.index; "off": none */
    char policy[1024];               /* the policy document */
    char geo_db[1024];               /* the MaxMind country database; "" for none */
    char public_url[256];            /* where viewers reach the server (landing pages) */
    char web_dir[1024];              /* the page texts (compliance/strings.json) */
    char report_url[512];            /* the platform's page for reporting content */
    char appeal_url[512];            /* the platform's page for appeals */
    char media_origin[512];          /* origins the console may show media from (CSP img-src) */
    double rate_per_key;             /* requests per second per key; 0: unlimited */
    double burst_per_key;
    jaga_decode_limits decode;
    jaga_route routes[SERVER_ROUTES_MAX]; /* "teams": the review queue's routing */
    size_t nroutes;
    unsigned lease_s;               /* how long a claimed case stays held */
    unsigned sweep_interval_s;      /* how often deadlines and expiries are checked */
    char webhook_url[512];          /* where decisions and escalations are posted; "": none */
    char webhook_secret_file[1024]; /* the HMAC secret, in a file of its own */
    char audit_key_file[1024];      /* the audit log's signing key; "": DB.audit-key */
    char classifier_model[1024];    /* the classifier's model.json; "off": none */
    unsigned webhook_timeout_s;
    unsigned webhook_attempts;  /* then the delivery is dead-lettered */
    unsigned webhook_backoff_s; /* the first retry's wait, doubled on each one after */
    unsigned max_streams;       /* live streams watched at once */
    double stream_stall_s;      /* a stream without data this long ends, stalled */
    char stream_hosts[512];     /* the hosts streams may come from, comma-separated */
    unsigned exchange_wait_s;   /* a subscription's long poll at its peer */
    unsigned exchange_batch;    /* changes asked for per batch */
} server_config;

/* The longest a feed request waits for news. */
#define EXCHANGE_WAIT_MAX 30

/* The defaults of every field. */
void server_config_defaults(server_config *c);

/* Reads a JSON config file over c: {"listen": "127.0.0.1:8080", "db": "...",
 * "index_snapshot": "...", "threads": 2, "max_connections": 256,
 * "max_connections_per_ip": 64, "timeout_s": 10, "request_timeout_s": 300, "min_body_rate": 1024,
 * "max_body_bytes": 52428800, "max_import_bytes": 2147483648, "rate_per_key": 50, "burst_per_key":
 * 100, "decode": {"max_bytes": .., "max_pixels": .., "max_width": .., "max_height": ..}, "policy":
 * "...", "geo_db": "...", "public_url": "http://...", "teams": [...], "lease_s": 900,
 * "sweep_interval_s": 15, "webhook_url": "https://...", "webhook_secret_file": "...",
 * "webhook_timeout_s": 10, "webhook_attempts": 12, "max_streams": 4, "stream_stall_s": 10,
 * "stream_hosts": "127.0.0.1,localhost,::1", "exchange_wait_s": 25, "exchange_batch": 500}. Unknown
 * keys are errors. Returns 0, or -1 with a message in err. */
int server_config_load(server_config *c, const char *path, char *err, size_t errlen);

/* The same from len bytes of text (path names it in messages). */
int server_config_parse(server_config *c, const char *text, size_t len, const char *path, char *err,
                        size_t errlen);

/* Config files are small: anything larger is refused. */
#define SERVER_CONFIG_MAX 65536

/* The "teams" array of a config into c->routes: [{"team", "lead", "jurisdictions",
 * "languages", "specialties"}]. 0, or -1 with a message in err. */
int server_config_teams(server_config *c, struct json_t *teams, char *err, size_t errlen);

/* Parses "HOST:PORT" into c. 0 or -1. */
int server_config_listen(server_config *c, const char *text);

/* What every route may use. Requests borrow store handles from the pool; bank changes (the
 * store, then the matcher) happen one at a time under bank_lock, so that the matcher sees
 * them in the order the store does. */
typedef struct server_state {
    const server_config *config;
    struct store_pool *stores;
    struct work_queue *workers; /* config->threads of them, for CPU-heavy routes */
    struct work_queue *intake;  /* many, for routes that mostly wait on a group commit */
    struct commit_group *commits;
    pthread_mutex_t bank_lock;
    jaga_matcher *matcher;
    char snapshot[1040];          /* where the index snapshot is kept; "" for none */
    pthread_rwlock_t policy_lock; /* policy: swapped whole on reload */
    struct jaga_policy *policy;
    struct jaga_geo *geo; /* NULL: no database, countries must be given */
    struct jaga_visibility_map *visibility;
    struct json_t *texts; /* the compliance page's texts by language */
    char public_url[256]; /* the config's, or http://HOST:PORT once listening */
    struct rate_limiter *limiter;
    struct replay_guard *replays; /* peer signatures served within the skew */
    struct key_cache *keys;
    struct metrics *metrics;
    jaga_routing routing;
    char webhook_secret[256];           /* never logged */
    struct jaga_audit_key *audit_key;   /* signs the audit log's tree heads */
    struct classifier_pool *classifier; /* NULL: scans are not classified */
    struct rendition_cache *renditions; /* blurred renditions drawn already */
    struct work_queue *video_queue;     /* video scan jobs, one at a time (video_jobs.h) */
    struct stream_set *streams;         /* live streams watched (streams.h) */
    char jobs_dir[1100];                /* their media: DB.jobs */
    _Atomic int video_stopping;
    pthread_mutex_t head_lock; /* one signer at a time */
    pthread_t housekeeper;     /* the sweeper and the webhook deliveries */
    int housekeeper_running;
    _Atomic int stopping;
    struct work_queue *long_polls; /* feed requests waiting for news (exchange_feed.h) */
    pthread_mutex_t news_lock;
    pthread_cond_t news_cond;
    uint64_t news;                    /* bank changes made here, counted */
    _Atomic int exchange_stopping;    /* long polls answer, pulls end */
    struct exchange_fetcher *fetcher; /* the subscriptions' pulls */
    char console_csp[1024];           /* the console's Content-Security-Policy */
    const struct route **routes;      /* every route family's routes, in one list */
    size_t nroutes;
    const char **route_labels[2]; /* methods and paths, for the metrics */
} server_state;

/* Opens what the routes share: the store pool, the matcher (from the index snapshot when it
 * is still valid), the rate limiter. 0, or -1 with the reason on stderr; close either way. */
int server_state_open(server_state *s, const server_config *config);

/* Loads the policy file again; on any problem keeps the one in force. 0 or -1 (the reason
 * on stderr). */
int server_policy_reload(server_state *s);

/* The policy in force, read-locked until policy_release: hold it only for one request. */
const struct jaga_policy *policy_acquire(server_state *s);
void policy_release(server_state *s);

/* The teams cases can reach that no moderator key works in, as a JSON array of names into
 * *out (teams_config.c; GET /v1/config/check answers them). 0, or -1 when the keys could not be
 * read. */
int server_unreachable_teams(server_state *s, jaga_store *db, struct json_t **out);

/* The review context of one request on db: the policy in force (read-locked until
 * review_end), the matcher, the visibility map, the routing, webhooks when configured. */
void review_begin(server_state *s, jaga_store *db, jaga_review *rv);
void review_end(server_state *s);

/* A scan's environment (jaga/scan.h): the review above (no store: the scan takes one from
 * the pool for its record) and a PDQ hasher. JAGA_OK or JAGA_ERR_NOMEM; scan_env_end ends it
 * either way. */
jaga_status scan_env_begin(server_state *s, jaga_ctx *ctx, jaga_scan_env *env);
void scan_env_end(server_state *s, jaga_scan_env *env);

/* Queues the webhook event with body (a JSON object, stolen) through db when webhooks are
 * configured. JAGA_OK, or why not (on ctx). */
jaga_status event_post(server_state *s, jaga_ctx *ctx, jaga_store *db, const char *event,
                       struct json_t *body);

/* Runs op with a review context under the bank lock (review changes reach the store and
 * then memory in one order): op's status, or JAGA_ERR_IO when no store handle was free. */
typedef jaga_status (*review_op)(jaga_ctx *ctx, const jaga_review *rv, void *arg);
jaga_status review_run(server_state *s, jaga_ctx *ctx, review_op op, void *arg);

/* Starts (and stops) the thread that sweeps the queue every sweep_interval_s and delivers
 * webhooks. 0 or -1. */
int housekeeper_start(server_state *s);
void housekeeper_stop(server_state *s);

/* Saves the index snapshot, checkpoints the store and frees everything. */
void server_state_close(server_state *s);

/* Every route, a line each: "METHOD PATH ROLES BODY ARGS": roles comma-separated, "public"
 * or "peer"; the body "json", "spooled" or "raw"; the query arguments it takes,
 * comma-separated, or "-". */
void server_print_routes(FILE *out);

/* Runs the server until SIGINT or SIGTERM: in-flight requests finish, the store is
 * checkpointed. Returns 0, or 1 when it could not start (the reason on stderr). */
int server_run(const server_config *config);

#endif
