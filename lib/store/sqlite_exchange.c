/* The SQLite store: peers, the numbered changes of banks, subscriptions and verdicts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/entry_features.h"
#include "store/sqlite_internal.h"
#include "jaga/core.h"

static const char peer_columns[] = "id, name, public_key, url, banks, created_at, revoked_at";

static void read_peer(sqlite3_stmt *stmt, void *out)
{
    jaga_peer *p = out;
    memset(p, 0, sizeof(*p));
    p->id = sqlite3_column_int64(stmt, 0);
    jaga__sq_text(stmt, 1, p->name, sizeof(p->name));
    if (sqlite3_column_bytes(stmt, 2) == 32)
        memcpy(p->public_key, sqlite3_column_blob(stmt, 2), 32);
    jaga__sq_text(stmt, 3, p->url, sizeof(p->url));
    jaga__sq_text(stmt, 4, p->banks, sizeof(p->banks));
    p->created_at = sqlite3_column_int64(stmt, 5);
    p->revoked_at = sqlite3_column_int64(stmt, 6);
}

jaga_status jaga__sq_peer_add(jaga_store *s, jaga_ctx *ctx, jaga_peer *p)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, "INSERT INTO peers (name, public_key, url, banks,"
                                                 " created_at) VALUES (?, ?, ?, ?, ?)");
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "adding a peer");
    p->created_at = (int64_t)time(NULL);
    p->revoked_at = 0;
    sqlite3_bind_text(stmt, 1, p->name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(stmt, 2, p->public_key, 32, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, p->url, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, p->banks, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 5, p->created_at);
    int rc = sqlite3_step(stmt);
    jaga__sq_finish(stmt);
    if (rc == SQLITE_CONSTRAINT)
        return jaga_fail(ctx, JAGA_ERR_CONFLICT, "a peer named %s, or with that key, exists",
                         p->name);
    if (rc != SQLITE_DONE)
        return jaga__sq_fail(ctx, q->db, "adding a peer");
    p->id = sqlite3_last_insert_rowid(q->db);
    return JAGA_OK;
}

jaga_status jaga__sq_peer_get(jaga_store *s, jaga_ctx *ctx, const char *name, jaga_peer *out)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT %s FROM peers WHERE name = ?", peer_columns);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading a peer");
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    return jaga__sq_select_one(ctx, q->db, stmt, read_peer, out, "reading a peer", "no peer named",
                               name);
}

jaga_status jaga__sq_peer_by_key(jaga_store *s, jaga_ctx *ctx, const uint8_t key[32],
                                 jaga_peer *out)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT %s FROM peers WHERE public_key = ?", peer_columns);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading a peer");
    sqlite3_bind_blob(stmt, 1, key, 32, SQLITE_STATIC);
    return jaga__sq_select_one(ctx, q->db, stmt, read_peer, out, "reading a peer",
                               "no peer with key", "given");
}

jaga_status jaga__sq_peer_list(jaga_store *s, jaga_ctx *ctx, jaga_peer **out, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT %s FROM peers ORDER BY name", peer_columns);
    return jaga__sq_select_all(ctx, q->db, jaga__sq_prepare(q->db, sql), read_peer,
                               sizeof(jaga_peer), (void **)out, n, "listing peers");
}

jaga_status jaga__sq_peer_revoke(jaga_store *s, jaga_ctx *ctx, const char *name)
{
    return jaga__sq_revoke(ctx, jaga__sq_of(s)->db,
                           "UPDATE peers SET revoked_at = ? WHERE name = ? AND revoked_at = 0",
                           name, "peer");
}

typedef struct changes_walk {
    jaga_change_fn fn;
    void *arg;
} changes_walk;

/* A change: its number; the entry's withdrawn is what the change did (selected so). */
static int change_row(void *arg, sqlite3_stmt *stmt, jaga_entry *e)
{
    changes_walk *w = arg;
    return w->fn(w->arg, sqlite3_column_int64(stmt, 8), e);
}

jaga_status jaga__sq_changes(jaga_store *s, jaga_ctx *ctx, int64_t bank_id, int64_t after,
                             size_t limit, jaga_change_fn fn, void *arg)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "SELECT e.id, e.bank_id, e.signal_type, e.value, e.quality, e.labels, e.added_at,"
               " c.withdrawn, c.seq, c.withdrawn, CASE WHEN c.withdrawn = 0 THEN f.features END"
               " FROM entry_changes c"
               " JOIN entries e ON e.id = c.entry_id LEFT JOIN entry_features f"
               " ON f.entry_id = e.id WHERE c.bank_id = ? AND c.seq > ? ORDER BY c.seq LIMIT ?");
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading a bank's changes");
    sqlite3_bind_int64(stmt, 1, bank_id);
    sqlite3_bind_int64(stmt, 2, after);
    sqlite3_bind_int64(stmt, 3, limit ? (int64_t)limit : -1);
    changes_walk w = {fn, arg};
    return jaga__sq_walk_entries(ctx, q->db, stmt, 10, change_row, &w, "reading a bank's changes");
}

jaga_status jaga__sq_changes_head(jaga_store *s, jaga_ctx *ctx, int64_t bank_id, int64_t *out)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "SELECT coalesce(max(seq), 0) FROM entry_changes WHERE bank_id = ?");
    if (stmt)
        sqlite3_bind_int64(stmt, 1, bank_id);
    int rc = stmt ? sqlite3_step(stmt) : SQLITE_ERROR;
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    jaga__sq_finish(stmt);
    return rc == SQLITE_ROW ? JAGA_OK : jaga__sq_fail(ctx, q->db, "reading a bank's last change");
}

jaga_status jaga__sq_subscription_add(jaga_store *s, jaga_ctx *ctx, jaga_subscription *sub)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, "INSERT INTO subscriptions (peer_id, remote_bank,"
                                                 " bank_id) VALUES (?, ?, ?)");
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "adding a subscription");
    sqlite3_bind_int64(stmt, 1, sub->peer_id);
    sqlite3_bind_text(stmt, 2, sub->remote_bank, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, sub->bank_id);
    int rc = sqlite3_step(stmt);
    jaga__sq_finish(stmt);
    if (rc == SQLITE_CONSTRAINT)
        return jaga_fail(ctx, JAGA_ERR_CONFLICT,
                         "that peer's bank %s, or the local bank, has a subscription already",
                         sub->remote_bank);
    if (rc != SQLITE_DONE)
        return jaga__sq_fail(ctx, q->db, "adding a subscription");
    sub->id = sqlite3_last_insert_rowid(q->db);
    sub->cursor = sub->pulled_at = sub->rejected = 0;
    sub->last_error[0] = '\0';
    return JAGA_OK;
}

static const char subscription_select[] =
    "SELECT s.id, s.peer_id, s.bank_id, p.name, s.remote_bank, b.name, s.cursor, s.pulled_at,"
    " s.rejected, s.last_error FROM subscriptions s JOIN peers p ON p.id = s.peer_id"
    " JOIN banks b ON b.id = s.bank_id";

static void read_subscription(sqlite3_stmt *stmt, void *out)
{
    jaga_subscription *sub = out;
    memset(sub, 0, sizeof(*sub));
    sub->id = sqlite3_column_int64(stmt, 0);
    sub->peer_id = sqlite3_column_int64(stmt, 1);
    sub->bank_id = sqlite3_column_int64(stmt, 2);
    jaga__sq_text(stmt, 3, sub->peer, sizeof(sub->peer));
    jaga__sq_text(stmt, 4, sub->remote_bank, sizeof(sub->remote_bank));
    jaga__sq_text(stmt, 5, sub->bank, sizeof(sub->bank));
    sub->cursor = sqlite3_column_int64(stmt, 6);
    sub->pulled_at = sqlite3_column_int64(stmt, 7);
    sub->rejected = sqlite3_column_int64(stmt, 8);
    jaga__sq_text(stmt, 9, sub->last_error, sizeof(sub->last_error));
}

jaga_status jaga__sq_subscription_get(jaga_store *s, jaga_ctx *ctx, const char *peer,
                                      const char *remote_bank, jaga_subscription *out)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[512];
    snprintf(sql, sizeof(sql), "%s WHERE p.name = ? AND s.remote_bank = ?", subscription_select);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading a subscription");
    sqlite3_bind_text(stmt, 1, peer, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, remote_bank, -1, SQLITE_STATIC);
    return jaga__sq_select_one(ctx, q->db, stmt, read_subscription, out, "reading a subscription",
                               "no subscription to the bank", remote_bank);
}

jaga_status jaga__sq_subscription_list(jaga_store *s, jaga_ctx *ctx, jaga_subscription **out,
                                       size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[512];
    snprintf(sql, sizeof(sql), "%s ORDER BY s.id", subscription_select);
    return jaga__sq_select_all(ctx, q->db, jaga__sq_prepare(q->db, sql), read_subscription,
                               sizeof(jaga_subscription), (void **)out, n, "listing subscriptions");
}

jaga_status jaga__sq_subscription_advance(jaga_store *s, jaga_ctx *ctx, int64_t id, int64_t from,
                                          int64_t to)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "UPDATE subscriptions SET cursor = ?, pulled_at = ?, last_error = ''"
               " WHERE id = ? AND cursor = ?");
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, to);
        sqlite3_bind_int64(stmt, 2, (int64_t)time(NULL));
        sqlite3_bind_int64(stmt, 3, id);
        sqlite3_bind_int64(stmt, 4, from);
    }
    int moved;
    jaga_status st =
        jaga__sq_step_changed(ctx, q->db, stmt, "moving a subscription's cursor", &moved);
    if (st == JAGA_OK && !moved)
        st = jaga_fail(ctx, JAGA_ERR_CONFLICT,
                       "the subscription is no longer at %lld: another pull applied it",
                       (long long)from);
    return st;
}

jaga_status jaga__sq_subscription_fail(jaga_store *s, jaga_ctx *ctx, int64_t id, int rejected,
                                       const char *error)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, "UPDATE subscriptions SET rejected = rejected + ?,"
                                                 " last_error = ? WHERE id = ?");
    if (stmt) {
        sqlite3_bind_int(stmt, 1, rejected != 0);
        sqlite3_bind_text(stmt, 2, error, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 3, id);
    }
    return jaga__sq_step_done(ctx, q->db, stmt, "recording a failed pull");
}

jaga_status jaga__sq_feedback_put(jaga_store *s, jaga_ctx *ctx, jaga_feedback *fb, int *kept)
{
    sqlite_store *q = jaga__sq_of(s);
    *kept = 0;
    int withdrawn;
    jaga_status found = jaga__sq_entry_find(ctx, q->db, fb->bank_id, fb->type, fb->value,
                                            &fb->entry_id, &withdrawn);
    if (found == JAGA_ERR_NOT_FOUND)
        return jaga_fail(ctx, found, "the bank has no %s entry %s", jaga_signal_type_name(fb->type),
                         fb->value);
    if (found != JAGA_OK)
        return found;
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "INSERT INTO entry_feedback (entry_id, peer_id, verdict, at) VALUES (?, ?, ?, ?)"
               " ON CONFLICT (entry_id, peer_id) DO UPDATE SET verdict = excluded.verdict,"
               " at = excluded.at WHERE excluded.at >= entry_feedback.at");
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, fb->entry_id);
        sqlite3_bind_int64(stmt, 2, fb->peer_id);
        sqlite3_bind_int(stmt, 3, (int)fb->verdict);
        sqlite3_bind_int64(stmt, 4, fb->at);
    }
    return jaga__sq_step_changed(ctx, q->db, stmt, "storing a verdict", kept);
}

static void read_feedback(sqlite3_stmt *stmt, void *out)
{
    jaga_feedback *fb = out;
    memset(fb, 0, sizeof(*fb));
    fb->entry_id = sqlite3_column_int64(stmt, 0);
    fb->bank_id = sqlite3_column_int64(stmt, 7);
    fb->peer_id = sqlite3_column_int64(stmt, 1);
    jaga__sq_text(stmt, 2, fb->peer, sizeof(fb->peer));
    fb->type = (jaga_signal_type)sqlite3_column_int(stmt, 3);
    jaga__sq_text(stmt, 4, fb->value, sizeof(fb->value));
    fb->verdict = (jaga_feedback_verdict)sqlite3_column_int(stmt, 5);
    fb->at = sqlite3_column_int64(stmt, 6);
}

jaga_status jaga__sq_feedback_list(jaga_store *s, jaga_ctx *ctx, int64_t bank_id,
                                   jaga_feedback **out, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "SELECT f.entry_id, f.peer_id, p.name, e.signal_type, e.value, f.verdict, f.at,"
               " e.bank_id"
               " FROM entry_feedback f JOIN entries e ON e.id = f.entry_id"
               " JOIN peers p ON p.id = f.peer_id WHERE e.bank_id = ? ORDER BY f.entry_id, p.name");
    if (stmt)
        sqlite3_bind_int64(stmt, 1, bank_id);
    return jaga__sq_select_all(ctx, q->db, stmt, read_feedback, sizeof(jaga_feedback), (void **)out,
                               n, "listing verdicts");
}

jaga_status jaga__sq_verdict_queue(jaga_store *s, jaga_ctx *ctx, int64_t entry_id,
                                   jaga_feedback_verdict verdict, int64_t at, int *queued)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "INSERT INTO verdict_outbox (subscription_id, signal_type, value, verdict, at)"
               " SELECT s.id, e.signal_type, e.value, ?, ? FROM entries e"
               " JOIN subscriptions s ON s.bank_id = e.bank_id WHERE e.id = ?");
    if (stmt) {
        sqlite3_bind_int(stmt, 1, (int)verdict);
        sqlite3_bind_int64(stmt, 2, at);
        sqlite3_bind_int64(stmt, 3, entry_id);
    }
    return jaga__sq_step_changed(ctx, q->db, stmt, "queueing a verdict", queued);
}

static void read_outgoing(sqlite3_stmt *stmt, void *out)
{
    jaga_outgoing_verdict *v = out;
    memset(v, 0, sizeof(*v));
    v->id = sqlite3_column_int64(stmt, 0);
    v->subscription_id = sqlite3_column_int64(stmt, 1);
    jaga__sq_text(stmt, 2, v->peer, sizeof(v->peer));
    jaga__sq_text(stmt, 3, v->remote_bank, sizeof(v->remote_bank));
    v->type = (jaga_signal_type)sqlite3_column_int(stmt, 4);
    jaga__sq_text(stmt, 5, v->value, sizeof(v->value));
    v->verdict = (jaga_feedback_verdict)sqlite3_column_int(stmt, 6);
    v->at = sqlite3_column_int64(stmt, 7);
    v->attempts = sqlite3_column_int(stmt, 8);
}

jaga_status jaga__sq_verdicts_due(jaga_store *s, jaga_ctx *ctx, int64_t now, size_t limit,
                                  jaga_outgoing_verdict **out, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "SELECT o.id, o.subscription_id, p.name, s.remote_bank, o.signal_type, o.value,"
               " o.verdict, o.at, o.attempts FROM verdict_outbox o"
               " JOIN subscriptions s ON s.id = o.subscription_id JOIN peers p ON p.id = s.peer_id"
               " WHERE o.sent_at = 0 AND o.next_at <= ? ORDER BY o.id LIMIT ?");
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, now);
        sqlite3_bind_int64(stmt, 2, (int64_t)limit);
    }
    return jaga__sq_select_all(ctx, q->db, stmt, read_outgoing, sizeof(jaga_outgoing_verdict),
                               (void **)out, n, "listing verdicts to send");
}

jaga_status jaga__sq_verdict_done(jaga_store *s, jaga_ctx *ctx, int64_t id, const char *error,
                                  int64_t next_at)
{
    sqlite_store *q = jaga__sq_of(s);
    /* Given up (no next try): kept, with sent_at -1, so that it is never due again. */
    sqlite3_stmt *stmt = jaga__sq_prepare(
        q->db, "UPDATE verdict_outbox SET attempts = attempts + 1, last_error = ?,"
               " next_at = ?, sent_at = CASE WHEN ?3 IS NULL THEN ?4 WHEN ?2 = 0 THEN -1"
               " ELSE 0 END WHERE id = ?5");
    if (stmt) {
        sqlite3_bind_text(stmt, 1, error ? error : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 2, next_at);
        if (error)
            sqlite3_bind_text(stmt, 3, error, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(stmt, 3);
        sqlite3_bind_int64(stmt, 4, (int64_t)time(NULL));
        sqlite3_bind_int64(stmt, 5, id);
    }
    return jaga__sq_step_done(ctx, q->db, stmt, "recording a verdict sent");
}
