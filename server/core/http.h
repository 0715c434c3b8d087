/* The request and response plumbing that routes see. */
#ifndef JAGA_SERVER_HTTP_H
#define JAGA_SERVER_HTTP_H

#include <jansson.h>
#include <stddef.h>

#include "jaga/auth.h"
#include "jaga/exchange.h"
#include "server.h"
#include "store_pool.h"

typedef struct http_request {
    struct MHD_Connection *connection;
    const char *method, *path;
    char *body;
    size_t body_len;
    int too_large;
    jaga_key key; /* the caller, once authenticated */
    int authenticated;
    jaga_peer peer;           /* on peer routes, the calling node (peer.id 0 until known) */
    jaga_peer_auth peer_auth; /* on peer routes, the Authorization header's parts */
} http_request;

/* A body produced as it is sent: read fills buf with up to max bytes and returns how many,
 * 0 at the end, -1 on an error (the connection is cut); release frees arg afterwards. */
typedef struct http_stream {
    long (*read)(void *arg, char *buf, size_t max);
    void (*release)(void *arg);
    void *arg;
} http_stream;

typedef struct http_response {
    unsigned status;
    http_stream stream;       /* used when stream.read is set and body is NULL */
    char *body;               /* malloc'd; JSON unless content_type says otherwise */
    size_t body_len;          /* 0: strlen(body) */
    const char *content_type; /* NULL: application/json */
    unsigned retry_after;     /* seconds, for 429; 0: none */
    const char *csp;          /* a Content-Security-Policy for pages; NULL: none */
    const char *cache;        /* Cache-Control for a cacheable body; NULL: none */
    char etag[96];            /* its ETag (quoted); "": none */
    char allow[40];           /* for 405: the methods the path takes */
} http_response;

/* Sets a JSON body (stolen reference) and status. */
void respond_json(http_response *r, unsigned status, json_t *body);

/* {"error": {"code": code, "message": message}} with status. */
void respond_error(http_response *r, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* {"name": [to_json(item), ...]} of n items (size bytes each) read with status st, or 503
 * when st is not JAGA_OK. Frees items either way. */
void respond_list(http_response *r, jaga_status st, const char *name, void *items, size_t n,
                  size_t size, json_t *(*to_json)(const void *item));

/* A request header, or NULL. */
const char *request_header(const http_request *req, const char *name);

/* A query-string argument, or NULL. */
const char *request_arg(const http_request *req, const char *name);

/* Authenticates the caller and checks that its role is one of roles (a bitmask of
 * 1u << jaga_role). Returns 1 when the request may go on; otherwise the response is set
 * (401, 403 or 429). The dispatcher calls it with the route's roles before the body is
 * read. */
int require_role(server_state *s, http_request *req, http_response *r, unsigned roles);

/* Peer routes (PEER_ROUTE) are called by other jaga nodes, never with an API key. peer_begin
 * checks the headers before the body is read (a peer in force, the request's time, the
 * peer's rate); peer_verify the signature over the whole request once it is. Each returns 1
 * when the request may go on, else sets the response (401 or 429). */
int peer_begin(server_state *s, http_request *req, http_response *r);
int peer_verify(server_state *s, http_request *req, http_response *r);

/* Whether the caller works in team: an admin anywhere, a moderator in its key's teams. */
int key_has_team(const jaga_key *key, const char *team);

/* Borrows a store handle for the request: NULL with the response set to 503 when none can
 * be had. store_give returns it (a no-op on NULL). Handles are held briefly: never across
 * a decode or a wait on the network. */
jaga_store *store_take(server_state *s, http_response *r);
void store_give(server_state *s, jaga_store *db);

/* The roles that upload and match content. */
#define PLATFORM_ROLES (1u << JAGA_ROLE_PLATFORM | 1u << JAGA_ROLE_ADMIN)

/* A media file that could not be decoded, as its status says: 413 over a limit, 415 a kind
 * jaga does not take, 503 no memory, else 422; the message from ctx. */
void respond_decode_error(http_response *r, jaga_status st, const jaga_ctx *ctx);

/* JSON strings of bytes in hex (at most HEX_STRING_MAX bytes) and of a PDQ hash. */
enum { HEX_STRING_MAX = 64 };
json_t *hex_string(const uint8_t *bytes, size_t n);
json_t *pdq_string(const jaga_pdq_hash *h);

/* The n matches as the API shows them (jaga_scan_matches_text), or NULL without memory. */
json_t *matches_to_json(server_state *s, jaga_store *db, const jaga_match *m, size_t n);

/* The n-th (from 0) '/'-separated segment of path into out (cap bytes); "" when absent or
 * too long to fit. */
void path_segment(const char *path, int n, char *out, size_t cap);

/* A route: method, path, the roles that may call it (0: anyone, no key), handler, its body
 * (held in memory up to max_body; JSON, the same with any Content-Type given required to be
 * application/json; or spooled to a temporary file as it arrives, up to max_import bytes,
 * for bank imports), and whether the handler runs on a
 * worker thread (CPU-heavy work: decoding, hashing, imports) while the connection waits
 * suspended, on one of the many intake threads (RUN_GROUPED: handlers whose store changes go
 * through commit_group_run and mostly wait for their group's commit), on one of the long
 * poll threads (RUN_WAITING: handlers that may wait for news), or on the I/O thread itself, and
 * the query arguments it takes (any other is refused with 400, as is a path or argument that is
 * not UTF-8 text: query_check.h). A "*" segment in the path stands for any one segment. */
typedef void (*route_fn)(server_state *s, http_request *req, http_response *r);
typedef struct route {
    const char *method, *path;
    unsigned roles;
    route_fn fn;
    enum { BODY_IN_MEMORY, BODY_JSON, BODY_SPOOLED } body;
    enum { RUN_INLINE, RUN_ON_WORKER, RUN_GROUPED, RUN_WAITING } run;
    const char *params; /* the query arguments it takes, separated by spaces; NULL: none */
} route;

#define PUBLIC 0u
#define PEER_ROUTE (1u << 31) /* signed by a peer node (jaga/exchange.h) */
#define ADMIN_ROLES (1u << JAGA_ROLE_ADMIN)
#define AUDIT_ROLES (1u << JAGA_ROLE_ADMIN | 1u << JAGA_ROLE_AUDITOR)
#define REVIEW_ROLES (1u << JAGA_ROLE_ADMIN | 1u << JAGA_ROLE_MODERATOR)

/* The route families; each returns its table and its length. */
const route *routes_health(size_t *n);
const route *routes_config(size_t *n);
const route *routes_hash(size_t *n);
const route *routes_scan(size_t *n);
const route *routes_banks(size_t *n);
const route *routes_keys(size_t *n);
const route *routes_visibility(size_t *n);
const route *routes_notices(size_t *n);
const route *routes_cases(size_t *n);
const route *routes_compliance(size_t *n);
const route *routes_reports(size_t *n);
const route *routes_queue(size_t *n);
const route *routes_webhooks(size_t *n);
const route *routes_console(size_t *n);
const route *routes_audit(size_t *n);
const route *routes_transparency(size_t *n);
const route *routes_media(size_t *n);
const route *routes_streams(size_t *n);
const route *routes_exchange(size_t *n);

/* The daemon (http.c): every route family's routes in s->routes, with metrics labelled by
 * them (0 or -1); libmicrohttpd listening on the config's address under its connection
 * limits, its port in *port (NULL with the reason printed); a wait of at most grace seconds
 * for in-flight requests once it stopped listening. */
struct MHD_Daemon;
int http_routes_open(server_state *s);
struct MHD_Daemon *http_daemon_start(server_state *s, const server_config *config, unsigned *port);
void http_daemon_drain(struct MHD_Daemon *d, int grace);

/* The audit log's head now (audit_head.c): a new one signed when the log grew. */
jaga_status audit_head_now(server_state *s, jaga_store *db, jaga_ctx *ctx, jaga_tree_head *out);
json_t *tree_head_json(const jaga_tree_head *h);

#endif
