/* The SQLite store's audit log: leaves appended in the change's transaction, the perfect
 * subtrees they complete, walks for verification and proofs, signed tree heads. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/sqlite_internal.h"
#include "jaga/core.h"

/* The log's size as the open transaction sees it. */
static jaga_status log_size(jaga_ctx *ctx, sqlite3 *db, uint64_t *out)
{
    sqlite3_stmt *stmt = jaga__sq_prepare(db, "SELECT max(idx) FROM audit_leaves");
    if (!stmt || sqlite3_step(stmt) != SQLITE_ROW) {
        jaga__sq_finish(stmt);
        return jaga__sq_fail(ctx, db, "reading the audit log's size");
    }
    int empty = sqlite3_column_type(stmt, 0) == SQLITE_NULL;
    *out = empty ? 0 : (uint64_t)sqlite3_column_int64(stmt, 0) + 1;
    jaga__sq_finish(stmt);
    return JAGA_OK;
}

jaga_status jaga__sq_audit_size(jaga_store *s, jaga_ctx *ctx, uint64_t *out)
{
    return log_size(ctx, jaga__sq_of(s)->db, out);
}

jaga_status jaga__sq_audit_node(jaga_store *s, jaga_ctx *ctx, unsigned level, uint64_t index,
                                uint8_t out[32])
{
    sqlite3 *db = jaga__sq_of(s)->db;
    sqlite3_stmt *stmt =
        level ? jaga__sq_prepare(db, "SELECT hash FROM audit_nodes WHERE level = ?1 AND idx = ?2")
              : jaga__sq_prepare(db, "SELECT hash FROM audit_leaves WHERE idx = ?2");
    if (!stmt)
        return jaga__sq_fail(ctx, db, "reading the audit log");
    if (level)
        sqlite3_bind_int(stmt, 1, (int)level);
    sqlite3_bind_int64(stmt, 2, (sqlite3_int64)index);
    int rc = sqlite3_step(stmt);
    jaga_status st = JAGA_OK;
    if (rc == SQLITE_ROW && sqlite3_column_bytes(stmt, 0) == 32)
        memcpy(out, sqlite3_column_blob(stmt, 0), 32);
    else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        st = jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "audit log: no node %u/%llu", level,
                       (unsigned long long)index);
    else
        st = jaga__sq_fail(ctx, db, "reading the audit log");
    jaga__sq_finish(stmt);
    return st;
}

/* The right edge of the log of size leaves, read from its stored perfect subtrees. */
static jaga_status edge_load(jaga_store *s, jaga_ctx *ctx, uint64_t size)
{
    sqlite_store *q = jaga__sq_of(s);
    q->edge.size = size;
    uint64_t start = 0;
    for (int k = JAGA_MERKLE_LEVELS - 1; k >= 0; k--) {
        if (!(size >> k & 1))
            continue;
        jaga_status st = jaga__sq_audit_node(s, ctx, (unsigned)k, start >> k, q->edge.edge[k]);
        if (st != JAGA_OK)
            return st;
        start += (uint64_t)1 << k;
    }
    q->edge_valid = 1;
    return JAGA_OK;
}

typedef struct node_writer {
    sqlite3 *db;
    int failed;
} node_writer;

static void write_node(void *arg, unsigned level, uint64_t index, const uint8_t hash[32])
{
    node_writer *w = arg;
    if (level == 0 || w->failed) /* leaf hashes live in their leaf's row */
        return;
    sqlite3_stmt *stmt =
        jaga__sq_prepare(w->db, "INSERT INTO audit_nodes (level, idx, hash) VALUES (?, ?, ?)");
    if (!stmt) {
        w->failed = 1;
        return;
    }
    sqlite3_bind_int(stmt, 1, (int)level);
    sqlite3_bind_int64(stmt, 2, (sqlite3_int64)index);
    sqlite3_bind_blob(stmt, 3, hash, 32, SQLITE_STATIC);
    w->failed = sqlite3_step(stmt) != SQLITE_DONE;
    jaga__sq_finish(stmt);
}

jaga_status jaga__sq_audit_append(jaga_store *s, jaga_ctx *ctx, const char *kind, const char *data,
                                  size_t len)
{
    sqlite_store *q = jaga__sq_of(s);
    if (!q->in_transaction)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "store: an audit leaf outside a transaction");
    uint64_t size = 0;
    jaga_status st = log_size(ctx, q->db, &size);
    if (st == JAGA_OK && !(q->edge_valid && q->edge.size == size))
        st = edge_load(s, ctx, size);
    if (st != JAGA_OK)
        return st;
    uint8_t hash[32];
    jaga_merkle_leaf_hash(data, len, hash);
    sqlite3_stmt *stmt =
        jaga__sq_prepare(q->db, "INSERT INTO audit_leaves (idx, logged_at, kind, data,"
                                " hash) VALUES (?, ?, ?, ?, ?)");
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, (sqlite3_int64)size);
        sqlite3_bind_int64(stmt, 2, (sqlite3_int64)time(NULL));
        sqlite3_bind_text(stmt, 3, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, data, (int)len, SQLITE_STATIC);
        sqlite3_bind_blob(stmt, 5, hash, 32, SQLITE_STATIC);
    }
    st = jaga__sq_step_done(ctx, q->db, stmt, "appending to the audit log");
    if (st != JAGA_OK)
        return st;
    node_writer w = {q->db, 0};
    jaga_merkle_append(&q->edge, hash, write_node, &w);
    if (w.failed) {
        q->edge_valid = 0;
        return jaga__sq_fail(ctx, q->db, "appending to the audit log");
    }
    return JAGA_OK;
}

typedef struct sqlite_scan {
    jaga_audit_scan base;
    sqlite3 *db;
    sqlite3_stmt *stmt;
    unsigned level;
} sqlite_scan;

static jaga_status scan_next(jaga_audit_scan *scan, jaga_ctx *ctx, jaga_audit_row *row)
{
    sqlite_scan *sc = (sqlite_scan *)scan;
    int rc = sqlite3_step(sc->stmt);
    if (rc == SQLITE_DONE)
        return jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "audit log: no more rows");
    if (rc != SQLITE_ROW)
        return jaga__sq_fail(ctx, sc->db, "reading the audit log");
    memset(row, 0, sizeof(*row));
    row->level = sc->level;
    row->index = (uint64_t)sqlite3_column_int64(sc->stmt, 0);
    if (sqlite3_column_bytes(sc->stmt, 1) == 32)
        memcpy(row->hash, sqlite3_column_blob(sc->stmt, 1), 32);
    if (sc->level == 0) {
        row->logged_at = sqlite3_column_int64(sc->stmt, 2);
        jaga__sq_text(sc->stmt, 3, row->kind, sizeof(row->kind));
        row->data = (const char *)sqlite3_column_text(sc->stmt, 4);
        row->len = (size_t)sqlite3_column_bytes(sc->stmt, 4);
        if (!row->data)
            row->data = "";
    }
    return JAGA_OK;
}

static void scan_close(jaga_audit_scan *scan)
{
    sqlite_scan *sc = (sqlite_scan *)scan;
    jaga__sq_finish(sc->stmt);
    free(sc);
}

jaga_status jaga__sq_audit_scan(jaga_store *s, jaga_ctx *ctx, unsigned level, uint64_t from,
                                jaga_audit_scan **out)
{
    sqlite_scan *sc = calloc(1, sizeof(*sc));
    if (!sc)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "store: no memory");
    sc->base.next = scan_next;
    sc->base.close = scan_close;
    sc->db = jaga__sq_of(s)->db;
    sc->level = level;
    sc->stmt = level ? jaga__sq_prepare(sc->db, "SELECT idx, hash FROM audit_nodes"
                                                " WHERE level = ?2 AND idx >= ?1 ORDER BY idx")
                     : jaga__sq_prepare(sc->db, "SELECT idx, hash, logged_at, kind, data"
                                                " FROM audit_leaves WHERE idx >= ?1 ORDER BY idx");
    if (!sc->stmt) {
        free(sc);
        return jaga__sq_fail(ctx, jaga__sq_of(s)->db, "reading the audit log");
    }
    sqlite3_bind_int64(sc->stmt, 1, (sqlite3_int64)from);
    if (level)
        sqlite3_bind_int(sc->stmt, 2, (int)level);
    *out = &sc->base;
    return JAGA_OK;
}

jaga_status jaga__sq_audit_head_put(jaga_store *s, jaga_ctx *ctx, const jaga_tree_head *h)
{
    sqlite3 *db = jaga__sq_of(s)->db;
    sqlite3_stmt *stmt =
        jaga__sq_prepare(db, "INSERT OR IGNORE INTO audit_heads"
                             " (size, root, signed_at, signature) VALUES (?, ?, ?, ?)");
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, (sqlite3_int64)h->size);
        sqlite3_bind_blob(stmt, 2, h->root, 32, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 3, h->signed_at);
        sqlite3_bind_blob(stmt, 4, h->signature, 64, SQLITE_STATIC);
    }
    return jaga__sq_step_done(ctx, db, stmt, "storing a tree head");
}

static void read_head(sqlite3_stmt *stmt, void *out)
{
    jaga_tree_head *h = out;
    memset(h, 0, sizeof(*h));
    h->size = (uint64_t)sqlite3_column_int64(stmt, 0);
    if (sqlite3_column_bytes(stmt, 1) == 32)
        memcpy(h->root, sqlite3_column_blob(stmt, 1), 32);
    h->signed_at = sqlite3_column_int64(stmt, 2);
    if (sqlite3_column_bytes(stmt, 3) == 64)
        memcpy(h->signature, sqlite3_column_blob(stmt, 3), 64);
}

jaga_status jaga__sq_audit_head_latest(jaga_store *s, jaga_ctx *ctx, jaga_tree_head *out)
{
    sqlite3 *db = jaga__sq_of(s)->db;
    return jaga__sq_select_one(
        ctx, db,
        jaga__sq_prepare(db, "SELECT size, root, signed_at, signature FROM audit_heads"
                             " ORDER BY size DESC LIMIT 1"),
        read_head, out, "reading a tree head", "no signed tree head", "yet");
}

jaga_status jaga__sq_audit_heads(jaga_store *s, jaga_ctx *ctx, jaga_tree_head **out, size_t *n)
{
    sqlite3 *db = jaga__sq_of(s)->db;
    return jaga__sq_select_all(
        ctx, db,
        jaga__sq_prepare(db, "SELECT size, root, signed_at, signature FROM audit_heads"
                             " ORDER BY size"),
        read_head, sizeof(jaga_tree_head), (void **)out, n, "reading the tree heads");
}
