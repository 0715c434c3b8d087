/* The libmicrohttpd side: request bodies under a cap, route dispatch, access log, start and
 * graceful stop. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "query_check.h"
#include "metrics.h"
#include "rate_limit.h"
#include "spool.h"
#include "work_queue.h"

typedef struct request_state {
    http_request req;
    size_t cap;          /* bytes allocated for an in-memory body */
    size_t route;        /* index in s->routes; s->nroutes for none */
    http_response early; /* decided before the body: the body is read and dropped */
    int decided;
    int spool_fd; /* a spooled body's file, or -1 */
    server_state *s;
    http_response result; /* a worker's answer */
    int done;             /* the worker has answered */
    int answered_early;   /* refused on its headers, answered before any body */
    int spool_failed;     /* the spool file could not take the body (a full disk) */
    size_t spool_len;
    uint64_t received; /* body bytes so far, kept or dropped */
    struct timespec start;
} request_state;

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* Whether path fits pattern segment by segment, a "*" segment standing for any non-empty
 * one. */
static int path_matches(const char *pattern, const char *path)
{
    while (*pattern && *path) {
        if (pattern[0] == '*' && (pattern[1] == '/' || pattern[1] == '\0')) {
            const char *end = strchr(path, '/');
            size_t len = end ? (size_t)(end - path) : strlen(path);
            if (len == 0)
                return 0;
            path += len;
            pattern++;
        } else if (*pattern++ != *path++) {
            return 0;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

/* The n-th (from 0) segment of path into out; "" when there is none. */
void path_segment(const char *path, int n, char *out, size_t cap)
{
    out[0] = '\0';
    for (; *path == '/'; path++) {
        const char *end = strchr(path + 1, '/');
        size_t len = end ? (size_t)(end - path - 1) : strlen(path + 1);
        if (n-- == 0) {
            if (len < cap) /* a longer segment names nothing */
                snprintf(out, cap, "%.*s", (int)len, path + 1);
            return;
        }
        path += len;
    }
}

/* The route of the request, or s->nroutes with the response set (404 or 405). */
static size_t find_route(server_state *s, const http_request *req, http_response *r)
{
    int path_known = 0;
    char allow[sizeof(r->allow)] = "";
    for (size_t i = 0; i < s->nroutes; i++) {
        if (!path_matches(s->routes[i]->path, req->path))
            continue;
        path_known = 1;
        if (strcmp(s->routes[i]->method, req->method) == 0)
            return i;
        if (!strstr(allow, s->routes[i]->method)) /* GET and POST of two patterns once each */
            snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow), "%s%s",
                     allow[0] ? ", " : "", s->routes[i]->method);
    }
    if (path_known) {
        respond_error(r, 405, "method_not_allowed", "%s is not allowed here", req->method);
        memcpy(r->allow, allow, sizeof(allow));
    } else
        respond_error(r, 404, "not_found", "no route %s", req->path);
    return s->nroutes;
}

static const route *(*const families[])(size_t *) = {
    routes_health,     routes_hash,       routes_scan,     routes_banks, routes_keys,
    routes_visibility, routes_notices,    routes_reports,  routes_queue, routes_cases,
    routes_webhooks,   routes_compliance, routes_console,  routes_audit, routes_transparency,
    routes_media,      routes_streams,    routes_exchange, routes_config};
static const size_t nfamilies = sizeof(families) / sizeof(families[0]);

void server_print_routes(FILE *out)
{
    for (size_t f = 0; f < nfamilies; f++) {
        size_t n;
        const route *table = families[f](&n);
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "%s %s ", table[i].method, table[i].path);
            const char *sep = "";
            for (int role = 0; role < JAGA_ROLE_COUNT && table[i].roles != PEER_ROUTE; role++)
                if (table[i].roles & (1u << role))
                    fprintf(out, "%s%s", sep, jaga_role_name((jaga_role)role)), sep = ",";
            fprintf(out, "%s %s ",
                    table[i].roles == PEER_ROUTE ? "peer"
                    : table[i].roles             ? ""
                                                 : "public",
                    table[i].body == BODY_JSON      ? "json"
                    : table[i].body == BODY_SPOOLED ? "spooled"
                                                    : "raw");
            /* The query arguments, comma-separated: the route table's list with its spaces. */
            const char *p = table[i].params && table[i].params[0] ? table[i].params : "-";
            for (; *p; p++)
                fputc(*p == ' ' ? ',' : *p, out);
            fputc('\n', out);
        }
    }
}

/* The route families in one list, with metrics labelled by them. */
int http_routes_open(server_state *s)
{
    size_t total = 0, n;
    for (size_t f = 0; f < nfamilies; f++)
        families[f](&n), total += n;
    s->routes = calloc(total, sizeof(*s->routes));
    const char **methods = calloc(total, sizeof(char *)), **paths = calloc(total, sizeof(char *));
    if (!s->routes || !methods || !paths) {
        free(methods), free(paths);
        return -1;
    }
    for (size_t f = 0; f < nfamilies; f++) {
        const route *table = families[f](&n);
        for (size_t i = 0; i < n; i++, s->nroutes++) {
            s->routes[s->nroutes] = &table[i];
            methods[s->nroutes] = table[i].method;
            paths[s->nroutes] = table[i].path;
        }
    }
    s->metrics = metrics_open(methods, paths, s->nroutes);
    /* The metrics keep the arrays. */
    s->route_labels[0] = methods, s->route_labels[1] = paths;
    return s->metrics ? 0 : -1;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    const http_stream *st = cls;
    long n = st->read(st->arg, buf, max);
    return n > 0    ? (ssize_t)n
           : n == 0 ? MHD_CONTENT_READER_END_OF_STREAM
                    : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_free(void *cls)
{
    http_stream *st = cls;
    st->release(st->arg);
    free(st);
}

/* The MHD response of r (taking its body or stream), or NULL. */
static struct MHD_Response *make_response(http_response *r)
{
    if (!r->body && r->stream.read) {
        http_stream *st = malloc(sizeof(*st));
        struct MHD_Response *resp =
            st ? MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, st,
                                                   stream_free)
               : NULL;
        if (resp)
            *st = r->stream;
        else
            free(st), r->stream.release(r->stream.arg);
        r->stream = (http_stream){0};
        return resp;
    }
    const char *fallback = "{\"error\":{\"code\":\"internal\",\"message\":\"no response\"}}";
    if (!r->body)
        r->status = 500, r->content_type = NULL;
    char *body = r->body ? r->body : strdup(fallback);
    size_t len = r->body && r->body_len ? r->body_len : body ? strlen(body) : 0;
    r->body = NULL;
    struct MHD_Response *resp =
        body ? MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE) : NULL;
    if (!resp)
        free(body);
    return resp;
}

static enum MHD_Result send_response(struct MHD_Connection *c, http_response *r)
{
    struct MHD_Response *resp = make_response(r);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type",
                            r->content_type ? r->content_type : "application/json");
    if (r->status == 401)
        MHD_add_response_header(resp, "WWW-Authenticate", "Bearer");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (r->csp) {
        MHD_add_response_header(resp, "Content-Security-Policy", r->csp);
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
        MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    }
    /* Answers are the caller's own (keys, cases, reports): kept by no cache unless a route
     * says it may be (static files, renditions). */
    MHD_add_response_header(resp, "Cache-Control", r->cache ? r->cache : "no-store");
    if (r->allow[0])
        MHD_add_response_header(resp, "Allow", r->allow);
    if (r->etag[0])
        MHD_add_response_header(resp, "ETag", r->etag);
    if (r->retry_after) {
        char secs[16];
        snprintf(secs, sizeof(secs), "%u", r->retry_after);
        MHD_add_response_header(resp, "Retry-After", secs);
    }
    enum MHD_Result rc = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* Appends upload data to the in-memory body, or marks the request too large past max. */
static void take_upload(request_state *rs, const char *data, size_t n, size_t max)
{
    http_request *req = &rs->req;
    if (req->too_large)
        return;
    if (req->body_len + n > max) {
        req->too_large = 1;
        free(req->body);
        req->body = NULL;
        req->body_len = 0;
        return;
    }
    if (req->body_len + n + 1 > rs->cap) {
        size_t cap = rs->cap ? rs->cap : 65536;
        while (cap < req->body_len + n + 1)
            cap *= 2;
        char *grown = realloc(req->body, cap);
        if (!grown) {
            req->too_large = 1;
            return;
        }
        req->body = grown;
        rs->cap = cap;
    }
    memcpy(req->body + req->body_len, data, n);
    req->body_len += n;
    req->body[req->body_len] = '\0';
}

/* Whether the request's Content-Type, if it has one, is application/json (parameters such
 * as charset aside). */
static int json_content_type(const http_request *req)
{
    const char *type = request_header(req, "Content-Type");
    if (!type)
        return 1;
    size_t n = strcspn(type, "; \t");
    return n == 16 && strncasecmp(type, "application/json", 16) == 0;
}

typedef struct query_args {
    query_arg args[QUERY_ARGS_MAX + 1];
    size_t n;
} query_args;

static enum MHD_Result add_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                     size_t key_size, const char *value, size_t value_size)
{
    (void)kind, (void)key_size;
    query_args *q = cls;
    /* value_size counts a NUL inside the value too: query_check refuses it as a control. */
    if (q->n <= QUERY_ARGS_MAX)
        q->args[q->n] = (query_arg){key, value, value_size};
    q->n++;
    return MHD_YES;
}

/* The path and query arguments as the route takes them (query_check.h): 0, or -1 with a 400. */
static int check_query(const http_request *req, const route *rt, http_response *r)
{
    query_args q = {.n = 0};
    MHD_get_connection_values_n(req->connection, MHD_GET_ARGUMENT_KIND, add_query_arg, &q);
    char err[256];
    if (query_check(req->path, q.args, q.n, rt->params, err, sizeof(err)) == 0)
        return 0;
    respond_error(r, 400, "bad_request", "%s", err);
    return -1;
}

/* The first call for a request, its headers only: the route, the caller's key and role, the
 * path and query, the declared length. What fails here is answered at once (handle). */
static request_state *request_begin(server_state *s, struct MHD_Connection *c, const char *url,
                                    const char *method)
{
    request_state *rs = calloc(1, sizeof(*rs));
    if (!rs)
        return NULL;
    rs->req.connection = c;
    rs->req.method = method;
    rs->req.path = url;
    rs->spool_fd = -1;
    clock_gettime(CLOCK_MONOTONIC, &rs->start);
    rs->route = find_route(s, &rs->req, &rs->early);
    if (rs->route == s->nroutes) {
        rs->decided = 1;
        return rs;
    }
    const route *rt = s->routes[rs->route];
    if (rt->roles == PEER_ROUTE ? !peer_begin(s, &rs->req, &rs->early)
                                : rt->roles && !require_role(s, &rs->req, &rs->early, rt->roles)) {
        rs->decided = 1;
        return rs;
    }
    if (check_query(&rs->req, rt, &rs->early) != 0) {
        rs->decided = 1;
        return rs;
    }
    if (rt->body == BODY_JSON && !json_content_type(&rs->req)) {
        respond_error(&rs->early, 400, "bad_request",
                      "the body is JSON: Content-Type must be application/json");
        rs->decided = 1;
        return rs;
    }
    const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (length && strtoull(length, NULL, 10) >
                      (rt->body == BODY_SPOOLED ? s->config->max_import : s->config->max_body))
        rs->req.too_large = 1;
    if (rt->body == BODY_SPOOLED && (rs->spool_fd = spool_open(s->config->db)) < 0) {
        respond_error(&rs->early, 503, "store_unavailable", "no room to receive the body");
        rs->decided = 1;
    }
    return rs;
}

/* A worker's turn at a request: the route's handler, then the connection resumes and the
 * access handler is called again to send the answer. */
static void run_on_worker(void *arg)
{
    request_state *rs = arg;
    rs->s->routes[rs->route]->fn(rs->s, &rs->req, &rs->result);
    rs->done = 1;
    MHD_resume_connection(rs->req.connection);
}

/* 413 with the route's cap: declared over it, or grown past it while read. */
static void respond_too_large(server_state *s, const route *rt, http_response *r)
{
    respond_error(r, 413, "too_large", "the body is over the limit of %zu bytes",
                  rt->body == BODY_SPOOLED ? s->config->max_import : s->config->max_body);
}

/* Counts, logs and sends an answer. */
static enum MHD_Result finish_request(server_state *s, request_state *rs, struct MHD_Connection *c,
                                      const char *method, const char *url, http_response *r)
{
    unsigned status = r->body || r->stream.read ? r->status : 500;
    metrics_request(s->metrics, rs->route, status, seconds_since(&rs->start));
    /* The access log names the key by its prefix only. */
    fprintf(stderr, "%s %s %u %.1fms %s=%s\n", method, url, status, seconds_since(&rs->start) * 1e3,
            rs->req.peer.id ? "peer" : "key",
            rs->req.authenticated ? rs->req.key.prefix
            : rs->req.peer.id     ? rs->req.peer.name
                                  : "-");
    return send_response(c, r);
}

/* Whether a body trickling in (each piece in time for the idle timeout) has fallen behind:
 * past request_timeout_s, or averaging under min_body_rate once timeout_s has passed. The
 * caller closes the connection. */
static int body_too_slow(const server_config *config, request_state *rs, size_t n,
                         const char *method, const char *url)
{
    rs->received += n;
    double elapsed = seconds_since(&rs->start);
    if (elapsed > config->request_timeout_s) {
        fprintf(stderr, "%s %s closed: the body took over %u s\n", method, url,
                config->request_timeout_s);
        return 1;
    }
    if (elapsed > config->timeout_s && (double)rs->received < elapsed * config->min_body_rate) {
        fprintf(stderr, "%s %s closed: the body came at under %u bytes/s\n", method, url,
                config->min_body_rate);
        return 1;
    }
    return 0;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    server_state *s = cls;
    request_state *rs = *con_cls;
    if (!rs) {
        *con_cls = rs = request_begin(s, c, url, method);
        if (!rs)
            return MHD_NO;
        /* Refused on its headers (no key, no route, a declared length over the cap): answered
         * now, so no body is read, and no "100 Continue" invites one. */
        if (!rs->decided && !rs->req.too_large)
            return MHD_YES;
        if (!rs->decided)
            respond_too_large(s, s->routes[rs->route], &rs->early);
        rs->answered_early = 1;
        return finish_request(s, rs, c, method, url, &rs->early);
    }
    if (rs->answered_early) { /* a body sent anyway is dropped */
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size) {
        if (body_too_slow(s->config, rs, *upload_size, method, url))
            return MHD_NO;
        if (rs->decided || rs->req.too_large)
            ; /* read and dropped */
        else if (rs->spool_fd >= 0 && !rs->spool_failed) {
            int w = spool_write(rs->spool_fd, &rs->spool_len, upload, *upload_size,
                                s->config->max_import);
            rs->req.too_large |= w == -1;
            rs->spool_failed |= w == -2;
        } else
            take_upload(rs, upload, *upload_size, s->config->max_body);
        *upload_size = 0;
        return MHD_YES;
    }
    http_response r = rs->early;
    rs->early = (http_response){0};
    const route *rt = rs->route < s->nroutes ? s->routes[rs->route] : NULL;
    if (rs->done)
        r = rs->result, rs->result = (http_response){0};
    else if (rs->decided)
        ;
    else if (rs->req.too_large)
        respond_too_large(s, rt, &r);
    else if (rs->spool_failed)
        respond_error(&r, 503, "store_unavailable", "no room to receive the body");
    else if (rs->spool_fd >= 0 &&
             spool_map(rs->spool_fd, rs->spool_len, &rs->req.body, &rs->req.body_len) != 0)
        respond_error(&r, 503, "store_unavailable", "the spooled body could not be read");
    else if (rt->roles == PEER_ROUTE && !peer_verify(s, &rs->req, &r))
        ; /* answered */
    else if (rt->run != RUN_INLINE) {
        /* Suspended first: the worker may answer and resume before push returns. */
        rs->s = s;
        MHD_suspend_connection(c);
        work_queue *q = rt->run == RUN_GROUPED   ? s->intake
                        : rt->run == RUN_WAITING ? s->long_polls
                                                 : s->workers;
        if (work_queue_push(q, run_on_worker, rs) != 0)
            run_on_worker(rs);
        return MHD_YES;
    } else
        rt->fn(s, &rs->req, &r);
    return finish_request(s, rs, c, method, url, &r);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    request_state *rs = *con_cls;
    if (!rs)
        return;
    if (rs->spool_fd >= 0) {
        if (rs->req.body)
            munmap(rs->req.body, rs->req.body_len);
        close(rs->spool_fd);
    } else {
        free(rs->req.body);
    }
    free(rs->early.body);
    free(rs->result.body);
    if (rs->result.stream.release)
        rs->result.stream.release(rs->result.stream.arg);
    free(rs);
    *con_cls = NULL;
}

/* Waits for in-flight requests after the listening socket closed, at most grace seconds. */
void http_daemon_drain(struct MHD_Daemon *d, int grace)
{
    for (int i = 0; i < grace * 20; i++) {
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!info || info->num_connections == 0)
            return;
        usleep(50000);
    }
}

struct MHD_Daemon *http_daemon_start(server_state *s, const server_config *config, unsigned *port)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)config->port)};
    if (inet_pton(AF_INET, config->listen_host, &addr.sin_addr) != 1) {
        fprintf(stderr, "jaga serve: %s is not an IPv4 address\n", config->listen_host);
        return NULL;
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME, 0,
        NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_THREAD_POOL_SIZE,
        config->threads, MHD_OPTION_CONNECTION_LIMIT, config->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, config->max_connections_per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, config->timeout_s, MHD_OPTION_NOTIFY_COMPLETED, completed,
        NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "jaga serve: cannot listen on %s:%u\n", config->listen_host, config->port);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    *port = info ? info->port : config->port;
    return d;
}
