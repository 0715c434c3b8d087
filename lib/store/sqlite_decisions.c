/* The SQLite store: decisions, statements of reasons, and webhook deliveries. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/sqlite_internal.h"
#include "jaga/core.h"

jaga_status jaga__sq_decision_add(jaga_store *s, jaga_ctx *ctx, jaga_decision *d)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "INSERT INTO decisions (case_id, kind, action, ground, legal_id, category,"
               " countries, note, decided_by, decided_at, appeal_of, statement)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!d->decided_at)
        d->decided_at = (int64_t)time(NULL);
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, d->case_id);
        sqlite3_bind_text(stmt, 2, d->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, d->action, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, d->ground, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 5, d->legal_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 6, d->category, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 7, d->countries, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 8, d->note, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 9, d->decided_by, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 10, d->decided_at);
        sqlite3_bind_int64(stmt, 11, d->appeal_of);
        sqlite3_bind_text(stmt, 12, d->statement, -1, SQLITE_STATIC);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "storing a decision");
    if (st == JAGA_OK)
        d->id = sqlite3_last_insert_rowid(q->db);
    return st;
}

static const char decision_select[] =
    "SELECT id, case_id, kind, action, ground, legal_id, category, countries, note, decided_by,"
    " decided_at, appeal_of, statement FROM decisions";

static void read_decision(sqlite3_stmt *stmt, void *out)
{
    jaga_decision *d = out;
    memset(d, 0, sizeof(*d));
    d->id = sqlite3_column_int64(stmt, 0);
    d->case_id = sqlite3_column_int64(stmt, 1);
    jaga__sq_text(stmt, 2, d->kind, sizeof(d->kind));
    jaga__sq_text(stmt, 3, d->action, sizeof(d->action));
    jaga__sq_text(stmt, 4, d->ground, sizeof(d->ground));
    jaga__sq_text(stmt, 5, d->legal_id, sizeof(d->legal_id));
    jaga__sq_text(stmt, 6, d->category, sizeof(d->category));
    jaga__sq_text(stmt, 7, d->countries, sizeof(d->countries));
    jaga__sq_text(stmt, 8, d->note, sizeof(d->note));
    jaga__sq_text(stmt, 9, d->decided_by, sizeof(d->decided_by));
    d->decided_at = sqlite3_column_int64(stmt, 10);
    d->appeal_of = sqlite3_column_int64(stmt, 11);
    jaga__sq_text(stmt, 12, d->statement, sizeof(d->statement));
}

/* One row by id from select (a SELECT without WHERE). */
static jaga_status by_id(jaga_store *s, jaga_ctx *ctx, const char *select, int64_t id,
                         void (*read)(sqlite3_stmt *, void *), void *out, const char *what,
                         const char *missing)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[512], key[24];
    snprintf(sql, sizeof(sql), "%s WHERE id = ?", select);
    snprintf(key, sizeof(key), "%lld", (long long)id);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, what);
    sqlite3_bind_int64(stmt, 1, id);
    return jaga__sq_select_one(ctx, q->db, stmt, read, out, what, missing, key);
}

jaga_status jaga__sq_decision_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_decision *out)
{
    return by_id(s, ctx, decision_select, id, read_decision, out, "reading a decision",
                 "no decision");
}

jaga_status jaga__sq_decisions(jaga_store *s, jaga_ctx *ctx, int64_t case_id, jaga_decision **out,
                               size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[512];
    snprintf(sql, sizeof(sql), "%s WHERE case_id = ? ORDER BY id", decision_select);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (stmt)
        sqlite3_bind_int64(stmt, 1, case_id);
    return jaga__sq_select_all(ctx, q->db, stmt, read_decision, sizeof(jaga_decision), (void **)out,
                               n, "reading a case's decisions");
}

jaga_status jaga__sq_statement_add(jaga_store *s, jaga_ctx *ctx, jaga_statement *st)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "INSERT INTO statements (puid, content_id, made_at, body) VALUES (?, ?, ?, ?)");
    if (stmt) {
        sqlite3_bind_text(stmt, 1, st->puid, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, st->content_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 3, st->made_at);
        sqlite3_bind_text(stmt, 4, st->body, -1, SQLITE_STATIC);
    }
    jaga_status status = jaga__sq_step_done(ctx, q->db, stmt, "storing a statement of reasons");
    if (status == JAGA_OK)
        st->id = sqlite3_last_insert_rowid(q->db);
    return status;
}

static void read_statement(sqlite3_stmt *stmt, void *out)
{
    jaga_statement *st = out;
    memset(st, 0, sizeof(*st));
    st->id = sqlite3_column_int64(stmt, 0);
    jaga__sq_text(stmt, 1, st->puid, sizeof(st->puid));
    jaga__sq_text(stmt, 2, st->content_id, sizeof(st->content_id));
    st->made_at = sqlite3_column_int64(stmt, 3);
    jaga__sq_text(stmt, 4, st->body, sizeof(st->body));
}

jaga_status jaga__sq_statements_after(jaga_store *s, jaga_ctx *ctx, int64_t since, int64_t after_id,
                                      size_t limit, jaga_statement **out, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt =
        jaga__sq_prepare(q->db, "SELECT id, puid, content_id, made_at, body FROM statements"
                                " WHERE made_at >= ? AND id > ? ORDER BY id LIMIT ?");
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, since);
        sqlite3_bind_int64(stmt, 2, after_id);
        sqlite3_bind_int64(stmt, 3, (sqlite3_int64)limit);
    }
    return jaga__sq_select_all(ctx, q->db, stmt, read_statement, sizeof(jaga_statement),
                               (void **)out, n, "reading statements of reasons");
}

jaga_status jaga__sq_delivery_add(jaga_store *s, jaga_ctx *ctx, jaga_delivery *d)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "INSERT INTO webhook_deliveries (event_id, event, body, status, attempts,"
               " created_at, next_at, done_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    d->created_at = (int64_t)time(NULL);
    if (!d->status[0])
        snprintf(d->status, sizeof(d->status), "pending");
    if (!d->next_at)
        d->next_at = d->created_at;
    if (stmt) {
        sqlite3_bind_text(stmt, 1, d->event_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, d->event, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, d->body, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, d->status, -1, SQLITE_STATIC);
        sqlite3_bind_int(stmt, 5, d->attempts);
        sqlite3_bind_int64(stmt, 6, d->created_at);
        sqlite3_bind_int64(stmt, 7, d->next_at);
        sqlite3_bind_int64(stmt, 8, d->done_at);
        sqlite3_bind_text(stmt, 9, d->last_error, -1, SQLITE_STATIC);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "queueing a webhook delivery");
    if (st == JAGA_OK)
        d->id = sqlite3_last_insert_rowid(q->db);
    return st;
}

jaga_status jaga__sq_delivery_put(jaga_store *s, jaga_ctx *ctx, const jaga_delivery *d)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, "UPDATE webhook_deliveries SET status = ?,"
                                                 " attempts = ?, next_at = ?, done_at = ?,"
                                                 " last_error = ? WHERE id = ?");
    if (stmt) {
        sqlite3_bind_text(stmt, 1, d->status, -1, SQLITE_STATIC);
        sqlite3_bind_int(stmt, 2, d->attempts);
        sqlite3_bind_int64(stmt, 3, d->next_at);
        sqlite3_bind_int64(stmt, 4, d->done_at);
        sqlite3_bind_text(stmt, 5, d->last_error, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 6, d->id);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "updating a webhook delivery");
    if (st == JAGA_OK && sqlite3_changes(q->db) == 0)
        st = jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "no delivery %lld", (long long)d->id);
    return st;
}

static const char delivery_select[] =
    "SELECT id, event_id, event, body, status, attempts, created_at, next_at, done_at,"
    " last_error FROM webhook_deliveries";

static void read_delivery(sqlite3_stmt *stmt, void *out)
{
    jaga_delivery *d = out;
    memset(d, 0, sizeof(*d));
    d->id = sqlite3_column_int64(stmt, 0);
    jaga__sq_text(stmt, 1, d->event_id, sizeof(d->event_id));
    jaga__sq_text(stmt, 2, d->event, sizeof(d->event));
    jaga__sq_text(stmt, 3, d->body, sizeof(d->body));
    jaga__sq_text(stmt, 4, d->status, sizeof(d->status));
    d->attempts = sqlite3_column_int(stmt, 5);
    d->created_at = sqlite3_column_int64(stmt, 6);
    d->next_at = sqlite3_column_int64(stmt, 7);
    d->done_at = sqlite3_column_int64(stmt, 8);
    jaga__sq_text(stmt, 9, d->last_error, sizeof(d->last_error));
}

jaga_status jaga__sq_delivery_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_delivery *out)
{
    return by_id(s, ctx, delivery_select, id, read_delivery, out, "reading a delivery",
                 "no delivery");
}

jaga_status jaga__sq_deliveries(jaga_store *s, jaga_ctx *ctx, const char *status,
                                int64_t due_before, size_t limit, jaga_delivery **out, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[512];
    snprintf(sql, sizeof(sql),
             "%s WHERE (?1 = '' OR status = ?1) AND (?2 = 0 OR next_at <= ?2)"
             " ORDER BY next_at, id LIMIT ?3",
             delivery_select);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (stmt) {
        sqlite3_bind_text(stmt, 1, status ? status : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(stmt, 2, due_before);
        sqlite3_bind_int64(stmt, 3, (int64_t)limit);
    }
    return jaga__sq_select_all(ctx, q->db, stmt, read_delivery, sizeof(jaga_delivery), (void **)out,
                               n, "listing webhook deliveries");
}
