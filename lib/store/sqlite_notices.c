/* The SQLite store: regulators' notices and their items. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/sqlite_internal.h"
#include "jaga/core.h"

jaga_status jaga__sq_notice_items_action(jaga_store *s, jaga_ctx *ctx, int64_t case_id,
                                         const char *action, int64_t at)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt =
        jaga__sq_prepare(q->db, "UPDATE notice_items SET actioned_at = ?, action = ?"
                                " WHERE case_id = ? AND actioned_at = 0 AND withdrawn_at = 0");
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, at);
        sqlite3_bind_text(stmt, 2, action, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 3, case_id);
    }
    return jaga__sq_step_done(ctx, q->db, stmt, "actioning notice items");
}

jaga_status jaga__sq_notice_create(jaga_store *s, jaga_ctx *ctx, jaga_notice *n)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "INSERT INTO notices (jurisdiction, key_prefix, reference, legal_basis, urgent,"
               " received_at, deadline_at, penalty_currency, penalty_amount)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (stmt) {
        sqlite3_bind_text(stmt, 1, n->jurisdiction, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, n->key_prefix, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, n->reference, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, n->legal_basis, -1, SQLITE_STATIC);
        sqlite3_bind_int(stmt, 5, n->urgent);
        sqlite3_bind_int64(stmt, 6, n->received_at);
        sqlite3_bind_int64(stmt, 7, n->deadline_at);
        sqlite3_bind_text(stmt, 8, n->penalty_currency, -1, SQLITE_STATIC);
        sqlite3_bind_double(stmt, 9, n->penalty_amount);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "storing a notice");
    if (st == JAGA_OK)
        n->id = sqlite3_last_insert_rowid(q->db);
    return st;
}

jaga_status jaga__sq_notice_item_add(jaga_store *s, jaga_ctx *ctx, jaga_notice_item *it)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "INSERT INTO notice_items (notice_id, kind, value, case_id) VALUES (?, ?, ?, ?)");
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, it->notice_id);
        sqlite3_bind_text(stmt, 2, it->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, it->value, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 4, it->case_id);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "storing a notice item");
    if (st == JAGA_OK)
        it->id = sqlite3_last_insert_rowid(q->db);
    return st;
}

static const char notice_columns[] = "id, jurisdiction, key_prefix, reference, legal_basis,"
                                     " urgent, received_at, deadline_at, penalty_currency,"
                                     " penalty_amount";

static void read_notice(sqlite3_stmt *stmt, void *out)
{
    jaga_notice *n = out;
    memset(n, 0, sizeof(*n));
    n->id = sqlite3_column_int64(stmt, 0);
    jaga__sq_text(stmt, 1, n->jurisdiction, sizeof(n->jurisdiction));
    jaga__sq_text(stmt, 2, n->key_prefix, sizeof(n->key_prefix));
    jaga__sq_text(stmt, 3, n->reference, sizeof(n->reference));
    jaga__sq_text(stmt, 4, n->legal_basis, sizeof(n->legal_basis));
    n->urgent = sqlite3_column_int(stmt, 5);
    n->received_at = sqlite3_column_int64(stmt, 6);
    n->deadline_at = sqlite3_column_int64(stmt, 7);
    jaga__sq_text(stmt, 8, n->penalty_currency, sizeof(n->penalty_currency));
    n->penalty_amount = sqlite3_column_double(stmt, 9);
}

jaga_status jaga__sq_notice_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_notice *out)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[256], key[24];
    snprintf(sql, sizeof(sql), "SELECT %s FROM notices WHERE id = ?", notice_columns);
    snprintf(key, sizeof(key), "%lld", (long long)id);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading a notice");
    sqlite3_bind_int64(stmt, 1, id);
    return jaga__sq_select_one(ctx, q->db, stmt, read_notice, out, "reading a notice", "no notice",
                               key);
}

jaga_status jaga__sq_notice_list(jaga_store *s, jaga_ctx *ctx, const char *jurisdiction,
                                 jaga_notice **out, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT %s FROM notices%s ORDER BY id DESC LIMIT 1000",
             notice_columns, jurisdiction ? " WHERE jurisdiction = ?" : "");
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (stmt && jurisdiction)
        sqlite3_bind_text(stmt, 1, jurisdiction, -1, SQLITE_TRANSIENT);
    return jaga__sq_select_all(ctx, q->db, stmt, read_notice, sizeof(jaga_notice), (void **)out, n,
                               "listing notices");
}

static void read_item(sqlite3_stmt *stmt, void *out)
{
    jaga_notice_item *it = out;
    memset(it, 0, sizeof(*it));
    it->id = sqlite3_column_int64(stmt, 0);
    it->notice_id = sqlite3_column_int64(stmt, 1);
    jaga__sq_text(stmt, 2, it->kind, sizeof(it->kind));
    jaga__sq_text(stmt, 3, it->value, sizeof(it->value));
    it->case_id = sqlite3_column_int64(stmt, 4);
    it->actioned_at = sqlite3_column_int64(stmt, 5);
    jaga__sq_text(stmt, 6, it->action, sizeof(it->action));
    it->withdrawn_at = sqlite3_column_int64(stmt, 7);
}

static const char item_select[] =
    "SELECT i.id, i.notice_id, i.kind, i.value, i.case_id, i.actioned_at, i.action,"
    " i.withdrawn_at FROM notice_items i";

jaga_status jaga__sq_notice_items(jaga_store *s, jaga_ctx *ctx, int64_t notice_id,
                                  jaga_notice_item **out, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[256];
    snprintf(sql, sizeof(sql), "%s WHERE i.notice_id = ? ORDER BY i.id", item_select);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (stmt)
        sqlite3_bind_int64(stmt, 1, notice_id);
    return jaga__sq_select_all(ctx, q->db, stmt, read_item, sizeof(jaga_notice_item), (void **)out,
                               n, "reading notice items");
}

jaga_status jaga__sq_notice_items_naming(jaga_store *s, jaga_ctx *ctx, const char *jurisdiction,
                                         const char *kind, const char *value,
                                         jaga_notice_item **out, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[384];
    snprintf(sql, sizeof(sql),
             "%s JOIN notices n ON n.id = i.notice_id"
             " WHERE i.kind = ? AND i.value = ? AND n.jurisdiction = ? ORDER BY i.id",
             item_select);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (stmt) {
        sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, value, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, jurisdiction, -1, SQLITE_STATIC);
    }
    return jaga__sq_select_all(ctx, q->db, stmt, read_item, sizeof(jaga_notice_item), (void **)out,
                               n, "finding notice items");
}

jaga_status jaga__sq_notice_item_withdraw(jaga_store *s, jaga_ctx *ctx, int64_t item_id, int64_t at)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, "UPDATE notice_items SET withdrawn_at = ?"
                                                 " WHERE id = ? AND withdrawn_at = 0");
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, at);
        sqlite3_bind_int64(stmt, 2, item_id);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "withdrawing a notice item");
    if (st == JAGA_OK && sqlite3_changes(q->db) == 0)
        st = jaga_fail(ctx, JAGA_ERR_CONFLICT, "notice item %lld is withdrawn already",
                       (long long)item_id);
    return st;
}
