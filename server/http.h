/* The request and response plumbing that routes see. */
#ifndef JAGA_SERVER_HTTP_H
#define JAGA_SERVER_HTTP_H

#include <jansson.h>
#include <stddef.h>

#include "jaga/auth.h"
#include "server.h"

typedef struct http_request {
    struct MHD_Connection *connection;
    const char *method, *path;
    char *body;
    size_t body_len;
    int too_large;
    jaga_key key; /* the caller, once authenticated */
    int authenticated;
} http_request;

typedef struct http_response {
    unsigned status;
    char *body;               /* malloc'd; JSON unless content_type says otherwise */
    size_t body_len;          /* 0: strlen(body) */
    const char *content_type; /* NULL: application/json */
    unsigned retry_after;     /* seconds, for 429; 0: none */
} http_response;

/* Sets a JSON body (stolen reference) and status. */
void respond_json(http_response *r, unsigned status, json_t *body);

/* {"error": {"code": code, "message": message}} with status. */
void respond_error(http_response *r, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A request header, or NULL. */
const char *request_header(const http_request *req, const char *name);

/* A query-string argument, or NULL. */
const char *request_arg(const http_request *req, const char *name);

/* Authenticates the caller and checks that its role is one of roles (a bitmask of
 * 1u << jaga_role). Returns 1 when the request may go on; otherwise the response is set
 * (401, 403 or 429). */
int require_role(server_state *s, http_request *req, http_response *r, unsigned roles);

/* The roles that upload and match content. */
#define PLATFORM_ROLES (1u << JAGA_ROLE_PLATFORM | 1u << JAGA_ROLE_ADMIN)

/* The signals of the request body (an image) into out: 0, or -1 with the response set to
 * 413, 415, 503 or 422. */
int request_signals(server_state *s, http_request *req, http_response *r, int dihedral,
                    jaga_signals *out);

/* JSON strings of bytes in hex and of a PDQ hash. */
json_t *hex_string(const uint8_t *bytes, size_t n);
json_t *pdq_string(const jaga_pdq_hash *h);

/* [{"bank", "signal_type", "distance", "entry_id", "labels"}, ...] of n matches. */
json_t *matches_to_json(server_state *s, const jaga_match *m, size_t n);

/* The n-th (from 0) '/'-separated segment of path into out (cap bytes); "" when absent or
 * too long to fit. */
void path_segment(const char *path, int n, char *out, size_t cap);

/* A route: method, path, handler. A "*" segment in the path stands for any one segment. */
typedef void (*route_fn)(server_state *s, http_request *req, http_response *r);
typedef struct route {
    const char *method, *path;
    route_fn fn;
} route;

/* The route families; each returns its table and its length. */
const route *routes_health(size_t *n);
const route *routes_hash(size_t *n);
const route *routes_scan(size_t *n);
const route *routes_banks(size_t *n);
const route *routes_keys(size_t *n);

#endif
