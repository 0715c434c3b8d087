/* Banks over HTTP: list, create, read, update, import entries, withdraw entries, export.
 * Every change reaches the matcher before it is acknowledged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank_request.h"
#include "exchange_feed.h"
#include "http.h"
#include "jaga/bank_io.h"

#define READERS (PLATFORM_ROLES | AUDIT_ROLES)

static json_t *bank_json(const void *item)
{
    const jaga_bank *b = item;
    json_t *types = json_array();
    for (int t = 0; t < JAGA_SIGNAL_COUNT; t++)
        if (b->signal_types & (1u << t))
            json_array_append_new(types, json_string(jaga_signal_type_name((jaga_signal_type)t)));
    return json_pack("{s:s,s:s,s:o,s:i,s:b,s:b,s:I,s:I,s:I}", "name", b->name, "description",
                     b->description, "signal_types", types, "pdq_threshold", b->pdq_threshold,
                     "verified", b->verified, "enabled", b->enabled, "created_at",
                     (json_int_t)b->created_at, "active_entries", (json_int_t)b->active,
                     "withdrawn_entries", (json_int_t)b->withdrawn);
}

/* The bank named by the path's third segment; 0, or -1 with the response set. */
static int path_bank(jaga_store *db, http_request *req, http_response *r, jaga_bank *b)
{
    char name[JAGA_BANK_NAME_MAX];
    path_segment(req->path, 2, name, sizeof(name));
    jaga_status st = name[0] ? jaga_store_bank_get(db, NULL, name, b) : JAGA_ERR_NOT_FOUND;
    if (st == JAGA_OK)
        return 0;
    if (st == JAGA_ERR_NOT_FOUND)
        respond_error(r, 404, "not_found", "no bank named %s", name);
    else
        respond_error(r, 503, "store_unavailable", "the store could not be read");
    return -1;
}

/* A bank change: the bank lock and a store handle, or NULL with the response set. */
static jaga_store *change_begin(server_state *s, http_response *r)
{
    pthread_mutex_lock(&s->bank_lock);
    jaga_store *db = store_take(s, r);
    if (!db)
        pthread_mutex_unlock(&s->bank_lock);
    return db;
}

static void change_end(server_state *s, jaga_store *db)
{
    store_give(s, db);
    pthread_mutex_unlock(&s->bank_lock);
}

static void list(server_state *s, http_request *req, http_response *r)
{
    (void)req;
    jaga_bank *banks;
    size_t n;
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    jaga_status st = jaga_store_bank_list(db, NULL, &banks, &n);
    store_give(s, db);
    respond_list(r, st, "banks", banks, n, sizeof(*banks), bank_json);
}

/* A stored bank change, answered once the matcher has it too. */
static void settle(server_state *s, jaga_store *db, http_response *r, jaga_ctx *ctx, jaga_status st,
                   jaga_bank *b, unsigned ok_status)
{
    if (st == JAGA_OK)
        st = jaga_matcher_set_bank(s->matcher, ctx, db, b);
    if (st == JAGA_OK)
        st = jaga_store_bank_get(db, ctx, b->name, b);
    if (st == JAGA_OK)
        respond_json(r, ok_status, bank_json(b));
    else if (st == JAGA_ERR_INVALID)
        respond_error(r, 400, "bad_request", "%s", jaga_errmsg(ctx));
    else if (st == JAGA_ERR_CONFLICT)
        respond_error(r, 409, "conflict", "%s", jaga_errmsg(ctx));
    else
        respond_error(r, 503, "store_unavailable", "%s", jaga_errmsg(ctx));
}

static void create(server_state *s, http_request *req, http_response *r)
{
    jaga_bank b;
    char err[256];
    jaga_bank_init(&b, "");
    if (bank_request_parse(req->body, req->body_len, 1, &b, err, sizeof(err)) != 0) {
        respond_error(r, 400, "bad_request", "%s", err);
        return;
    }
    jaga_store *db = change_begin(s, r);
    if (!db)
        return;
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    settle(s, db, r, ctx, jaga_store_bank_create(db, ctx, &b), &b, 201);
    change_end(s, db);
    jaga_ctx_free(ctx);
}

static void get(server_state *s, http_request *req, http_response *r)
{
    jaga_bank b;
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    int found = path_bank(db, req, r, &b) == 0;
    store_give(s, db);
    if (found)
        respond_json(r, 200, bank_json(&b));
}

static void update(server_state *s, http_request *req, http_response *r)
{
    jaga_bank b;
    char err[256];
    jaga_store *db = change_begin(s, r);
    if (!db)
        return;
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    if (path_bank(db, req, r, &b) == 0) {
        if (bank_request_parse(req->body, req->body_len, 0, &b, err, sizeof(err)) != 0)
            respond_error(r, 400, "bad_request", "%s", err);
        else
            settle(s, db, r, ctx, jaga_store_bank_update(db, ctx, &b), &b, 200);
    }
    change_end(s, db);
    jaga_ctx_free(ctx);
}

/* What an import collects for the response and the matcher. */
typedef struct import_log {
    json_t *problems;
    jaga_entry *changed;
    size_t n, cap;
    int out_of_memory;
} import_log;

static void log_problem(void *arg, size_t line, const char *message)
{
    import_log *log = arg;
    if (json_array_size(log->problems) < 100)
        json_array_append_new(log->problems,
                              json_pack("{s:I,s:s}", "line", (json_int_t)line, "message", message));
}

static void log_changed(void *arg, const jaga_entry *e)
{
    import_log *log = arg;
    if (log->n == log->cap) {
        size_t cap = log->cap ? 2 * log->cap : 64;
        jaga_entry *grown = realloc(log->changed, cap * sizeof(*grown));
        if (!grown) {
            log->out_of_memory = 1;
            return;
        }
        log->changed = grown;
        log->cap = cap;
    }
    jaga_entry copy = *e;
    if (e->features) { /* borrowed for the call only; the matcher takes them after commit */
        jaga_vpdq_feature *features = malloc(e->nfeatures * sizeof(*features));
        if (!features) {
            log->out_of_memory = 1;
            return;
        }
        memcpy(features, e->features, e->nfeatures * sizeof(*features));
        copy.features = features;
    }
    log->changed[log->n++] = copy;
}

static void log_free(import_log *log)
{
    for (size_t i = 0; i < log->n; i++)
        free((void *)log->changed[i].features);
    free(log->changed);
    json_decref(log->problems);
}

static json_t *report_json(const jaga_import_report *rep, json_t *problems)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "records", (json_int_t)rep->records,
                     "added", (json_int_t)rep->added, "present", (json_int_t)rep->present,
                     "reactivated", (json_int_t)rep->reactivated, "withdrawn",
                     (json_int_t)rep->withdrawn, "unknown", (json_int_t)rep->unknown, "low_quality",
                     (json_int_t)rep->low_quality, "bad", (json_int_t)rep->bad, "problems",
                     problems);
}

/* Applies the committed changes to the matcher; 0, or -1 with the response set. */
static int mirror(server_state *s, jaga_ctx *ctx, const import_log *log, http_response *r)
{
    for (size_t i = 0; i < log->n; i++)
        if (jaga_matcher_apply(s->matcher, ctx, &log->changed[i]) != JAGA_OK) {
            respond_error(r, 503, "overloaded", "the matcher could not take the change");
            return -1;
        }
    if (log->n)
        exchange_notify(s);
    return 0;
}

static void import(server_state *s, http_request *req, http_response *r)
{
    jaga_bank_format format = JAGA_BANK_CSV;
    const char *f = request_arg(req, "format"), *skip = request_arg(req, "skip_bad");
    if (f && jaga_bank_format_parse(f, &format) != JAGA_OK) {
        respond_error(r, 400, "bad_request",
                      "format is csv, te, stopncii, threatexchange or ncmec");
        return;
    }
    import_log log = {.problems = json_array()};
    jaga_import_hooks hooks = {.problem = log_problem,
                               .changed = log_changed,
                               .arg = &log,
                               .labels = request_arg(req, "labels")};
    jaga_import_report rep;
    jaga_bank b;
    jaga_store *db = change_begin(s, r);
    if (!db) {
        json_decref(log.problems);
        return;
    }
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    if (path_bank(db, req, r, &b) == 0) {
        jaga_status st = jaga_bank_import(db, ctx, &b, format, req->body, req->body_len,
                                          skip && strcmp(skip, "1") == 0, &hooks, &rep);
        if (st == JAGA_OK && !log.out_of_memory && mirror(s, ctx, &log, r) == 0) {
            respond_json(r, 200, report_json(&rep, json_incref(log.problems)));
        } else if (st == JAGA_ERR_INVALID || st == JAGA_ERR_LIMIT) {
            json_t *body = report_json(&rep, json_incref(log.problems));
            json_object_set_new(
                body, "error",
                json_pack("{s:s,s:s}", "code", "bad_request", "message", jaga_errmsg(ctx)));
            respond_json(r, st == JAGA_ERR_LIMIT ? 413 : 400, body);
        } else if (st != JAGA_OK) {
            respond_error(r, 503, "store_unavailable", "%s", jaga_errmsg(ctx));
        }
    }
    change_end(s, db);
    log_free(&log);
    jaga_ctx_free(ctx);
}

static void withdraw(server_state *s, http_request *req, http_response *r)
{
    jaga_signal_type type;
    char(*values)[JAGA_SIGNAL_VALUE_MAX];
    size_t n, done = 0, unknown = 0;
    char err[256];
    if (withdraw_request_parse(req->body, req->body_len, &type, &values, &n, err, sizeof(err))) {
        respond_error(r, 400, "bad_request", "%s", err);
        return;
    }
    jaga_store *db = change_begin(s, r);
    if (!db) {
        free(values);
        return;
    }
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_bank b;
    if (path_bank(db, req, r, &b) == 0) {
        jaga_status st = jaga_store_begin(db, ctx);
        import_log log = {0};
        for (size_t i = 0; st == JAGA_OK && i < n; i++) {
            jaga_entry e = {.bank_id = b.id, .type = type, .quality = -1, .withdrawn = 1};
            strcpy(e.value, values[i]);
            jaga_apply_result res;
            st = jaga_store_entry_apply(db, ctx, &e, &res);
            if (st == JAGA_OK && res == JAGA_APPLY_WITHDRAWN)
                log_changed(&log, &e), done++;
            else if (st == JAGA_OK)
                unknown++;
        }
        st = st == JAGA_OK && !log.out_of_memory ? jaga_store_commit(db, ctx) : st;
        if (st != JAGA_OK)
            jaga_store_rollback(db);
        if (st == JAGA_OK && mirror(s, ctx, &log, r) == 0)
            respond_json(r, 200,
                         json_pack("{s:I,s:I}", "withdrawn", (json_int_t)done, "unknown",
                                   (json_int_t)unknown));
        else if (st == JAGA_ERR_INVALID)
            respond_error(r, 400, "bad_request", "%s", jaga_errmsg(ctx));
        else if (st != JAGA_OK)
            respond_error(r, 503, "store_unavailable", "%s", jaga_errmsg(ctx));
        free(log.changed);
    }
    change_end(s, db);
    free(values);
    jaga_ctx_free(ctx);
}

/* An export sent as it is read, a page of entries at a time: the store is not held while
 * the client reads. Entries changed meanwhile may or may not be in it. */
typedef struct export_stream {
    server_state *s;
    jaga_entry_filter filter;
    jaga_bank_format format;
    char *text; /* the page being sent */
    size_t len, sent;
    FILE *page;
    int end, full, failed;
} export_stream;

/* A page ends after this many entries or once past this many bytes (vpdq lines are long). */
enum { EXPORT_PAGE = 1000, EXPORT_PAGE_BYTES = 1 << 20 };

static int export_line(void *arg, const jaga_entry *e)
{
    export_stream *x = arg;
    x->filter.after_id = e->id;
    x->filter.limit--;
    x->failed |= jaga_bank_export_write(x->format, e, x->page) != 0;
    x->full = ftell(x->page) >= EXPORT_PAGE_BYTES;
    return x->failed || x->full;
}

/* The next page into x->text; 0, or -1. */
static int export_page(export_stream *x)
{
    free(x->text);
    x->text = NULL, x->len = x->sent = 0;
    if (!(x->page = open_memstream(&x->text, &x->len)))
        return -1;
    x->filter.limit = EXPORT_PAGE;
    x->full = 0;
    jaga_store *db = store_pool_take(x->s->stores, NULL);
    jaga_status st =
        db ? jaga_store_entries_each(db, NULL, &x->filter, export_line, x) : JAGA_ERR_IO;
    store_pool_give(x->s->stores, db);
    x->end = x->filter.limit > 0 && !x->full; /* a short page is the last */
    return fclose(x->page) == 0 && st == JAGA_OK && !x->failed ? 0 : -1;
}

static long export_read(void *arg, char *buf, size_t max)
{
    export_stream *x = arg;
    while (x->sent == x->len && !x->end)
        if (export_page(x) != 0)
            return -1;
    size_t n = x->len - x->sent < max ? x->len - x->sent : max;
    memcpy(buf, x->text + x->sent, n);
    x->sent += n;
    return (long)n;
}

static void export_release(void *arg)
{
    export_stream *x = arg;
    free(x->text);
    free(x);
}

static void export(server_state *s, http_request *req, http_response *r)
{
    jaga_bank_format format = JAGA_BANK_CSV;
    const char *f = request_arg(req, "format"), *all = request_arg(req, "all");
    if (f && (jaga_bank_format_parse(f, &format) != JAGA_OK || format > JAGA_BANK_TE)) {
        respond_error(r, 400, "bad_request", "format is csv or te");
        return;
    }
    jaga_bank b;
    jaga_store *db = store_take(s, r);
    if (!db)
        return;
    int found = path_bank(db, req, r, &b) == 0;
    store_give(s, db);
    export_stream *x = found ? calloc(1, sizeof(*x)) : NULL;
    if (found && (!x || !(x->text = strdup(jaga_bank_export_header(format))))) {
        free(x);
        respond_error(r, 503, "overloaded", "no memory for the export");
        return;
    }
    if (!found)
        return;
    x->s = s;
    x->format = format;
    x->len = strlen(x->text);
    x->filter = (jaga_entry_filter){
        .bank_id = b.id, .with_withdrawn = format == JAGA_BANK_CSV && all && strcmp(all, "1") == 0};
    r->status = 200;
    r->stream = (http_stream){export_read, export_release, x};
    r->content_type = format == JAGA_BANK_CSV ? "text/csv" : "text/plain";
}

static const route table[] = {
    {"GET", "/v1/banks", READERS, list, BODY_IN_MEMORY, RUN_INLINE, NULL},
    {"POST", "/v1/banks", ADMIN_ROLES, create, BODY_JSON, RUN_INLINE, NULL},
    {"GET", "/v1/banks/*", READERS, get, BODY_IN_MEMORY, RUN_INLINE, NULL},
    {"PATCH", "/v1/banks/*", ADMIN_ROLES, update, BODY_JSON, RUN_INLINE, NULL},
    {"POST", "/v1/banks/*/entries", ADMIN_ROLES, import, BODY_SPOOLED, RUN_ON_WORKER,
     "format skip_bad labels"},
    {"GET", "/v1/banks/*/entries", AUDIT_ROLES, export, BODY_IN_MEMORY, RUN_INLINE, "format all"},
    {"POST", "/v1/banks/*/withdraw", ADMIN_ROLES, withdraw, BODY_JSON, RUN_INLINE, NULL},
};

const route *routes_banks(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}
