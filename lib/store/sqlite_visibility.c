/* The SQLite store: restrictions and country blocks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/sqlite_internal.h"
#include "jaga/core.h"

static const char restriction_columns[] =
    "id, content_id, scope, visibility, reason, legal_id, source, ground_terms, provisional,"
    " automated, created_at, expires_at";

static void read_restriction(sqlite3_stmt *stmt, jaga_restriction *r)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(stmt, 0);
    jaga__sq_text(stmt, 1, r->content_id, sizeof(r->content_id));
    jaga__sq_text(stmt, 2, r->scope, sizeof(r->scope));
    int v = sqlite3_column_int(stmt, 3);
    r->visibility = v >= 0 && v < JAGA_VIS_COUNT ? (jaga_visibility)v : JAGA_VIS_WITHHELD;
    jaga__sq_text(stmt, 4, r->reason, sizeof(r->reason));
    jaga__sq_text(stmt, 5, r->legal_id, sizeof(r->legal_id));
    jaga__sq_text(stmt, 6, r->source, sizeof(r->source));
    r->ground_terms = sqlite3_column_int(stmt, 7);
    r->provisional = sqlite3_column_int(stmt, 8);
    r->automated = sqlite3_column_int(stmt, 9);
    r->created_at = sqlite3_column_int64(stmt, 10);
    r->expires_at = sqlite3_column_int64(stmt, 11);
}

jaga_status jaga__sq_restriction_add(jaga_store *s, jaga_ctx *ctx, jaga_restriction *r)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "INSERT INTO restrictions (content_id, scope, visibility, reason, legal_id,"
               " source, ground_terms, provisional, automated, created_at, expires_at)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    r->created_at = (int64_t)time(NULL);
    if (stmt) {
        sqlite3_bind_text(stmt, 1, r->content_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, r->scope, -1, SQLITE_STATIC);
        sqlite3_bind_int(stmt, 3, (int)r->visibility);
        sqlite3_bind_text(stmt, 4, r->reason, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 5, r->legal_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 6, r->source, -1, SQLITE_STATIC);
        sqlite3_bind_int(stmt, 7, r->ground_terms);
        sqlite3_bind_int(stmt, 8, r->provisional);
        sqlite3_bind_int(stmt, 9, r->automated);
        sqlite3_bind_int64(stmt, 10, r->created_at);
        sqlite3_bind_int64(stmt, 11, r->expires_at);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "adding a restriction");
    if (st == JAGA_OK)
        r->id = sqlite3_last_insert_rowid(q->db);
    return st;
}

jaga_status jaga__sq_restriction_lift(jaga_store *s, jaga_ctx *ctx, int64_t id)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "UPDATE restrictions SET lifted_at = ? WHERE id = ? AND lifted_at = 0");
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, (int64_t)time(NULL));
        sqlite3_bind_int64(stmt, 2, id);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "lifting a restriction");
    if (st == JAGA_OK && sqlite3_changes(q->db) == 0)
        st = jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "no restriction %lld in force", (long long)id);
    return st;
}

/* Calls fn for each restriction stmt selects; a non-zero return stops the walk. */
static jaga_status walk(jaga_ctx *ctx, sqlite3 *db, sqlite3_stmt *stmt, jaga_restriction_fn fn,
                        void *arg)
{
    if (!stmt)
        return jaga__sq_fail(ctx, db, "reading restrictions");
    int rc;
    jaga_restriction r;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        read_restriction(stmt, &r);
        if (fn(arg, &r) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    jaga__sq_finish(stmt);
    return rc == SQLITE_DONE ? JAGA_OK : jaga__sq_fail(ctx, db, "reading restrictions");
}

jaga_status jaga__sq_restrictions_each(jaga_store *s, jaga_ctx *ctx, const char *content_id,
                                       jaga_restriction_fn fn, void *arg)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT %s FROM restrictions WHERE lifted_at = 0%s ORDER BY id",
             restriction_columns, content_id ? " AND content_id = ?" : "");
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (stmt && content_id)
        sqlite3_bind_text(stmt, 1, content_id, -1, SQLITE_STATIC);
    return walk(ctx, q->db, stmt, fn, arg);
}

jaga_status jaga__sq_restrictions_expired(jaga_store *s, jaga_ctx *ctx, int64_t now,
                                          jaga_restriction_fn fn, void *arg)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT %s FROM restrictions WHERE expires_at > 0 AND lifted_at = 0"
             " AND expires_at <= ? ORDER BY expires_at, id",
             restriction_columns);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (stmt)
        sqlite3_bind_int64(stmt, 1, now);
    return walk(ctx, q->db, stmt, fn, arg);
}

jaga_status jaga__sq_block_set(jaga_store *s, jaga_ctx *ctx, jaga_country_block *b)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, "INSERT OR REPLACE INTO country_blocks"
                                                 " (country, reason, legal_id, created_at)"
                                                 " VALUES (?, ?, ?, ?)");
    b->created_at = (int64_t)time(NULL);
    if (stmt) {
        sqlite3_bind_text(stmt, 1, b->country, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, b->reason, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, b->legal_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 4, b->created_at);
    }
    return jaga__sq_step_done(ctx, q->db, stmt, "blocking a country");
}

jaga_status jaga__sq_block_clear(jaga_store *s, jaga_ctx *ctx, const char *country)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, "DELETE FROM country_blocks WHERE country = ?");
    if (stmt)
        sqlite3_bind_text(stmt, 1, country, -1, SQLITE_STATIC);
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "lifting a country block");
    if (st == JAGA_OK && sqlite3_changes(q->db) == 0)
        st = jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "%s is not blocked", country);
    return st;
}

static void read_block(sqlite3_stmt *stmt, void *out)
{
    jaga_country_block *b = out;
    memset(b, 0, sizeof(*b));
    jaga__sq_text(stmt, 0, b->country, sizeof(b->country));
    jaga__sq_text(stmt, 1, b->reason, sizeof(b->reason));
    jaga__sq_text(stmt, 2, b->legal_id, sizeof(b->legal_id));
    b->created_at = sqlite3_column_int64(stmt, 3);
}

jaga_status jaga__sq_block_list(jaga_store *s, jaga_ctx *ctx, jaga_country_block **out, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    return jaga__sq_select_all(
        ctx, q->db,
        jaga__sq_prepare(q->db, "SELECT country, reason, legal_id, created_at"
                                " FROM country_blocks ORDER BY country"),
        read_block, sizeof(jaga_country_block), (void **)out, n, "listing country blocks");
}
