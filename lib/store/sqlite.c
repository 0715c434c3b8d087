/* The SQLite store: WAL, full synchronous commits, versioned schema migrations. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/entry_features.h"
#include "store/sqlite_internal.h"
#include "jaga/core.h"

#define GENERATION_TRIGGER(table, event)                                                           \
    "CREATE TRIGGER " table "_" event "_generation AFTER " event " ON " table                      \
    " BEGIN UPDATE meta SET value = value + 1 WHERE name = 'generation'; END;"

/* Schema migrations, applied in order; user_version counts those applied. */
static const char *const migrations[] = {
    "CREATE TABLE banks ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  description TEXT NOT NULL DEFAULT '',"
    "  signal_types INTEGER NOT NULL,"
    "  pdq_threshold INTEGER NOT NULL,"
    "  verified INTEGER NOT NULL,"
    "  enabled INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE entries ("
    "  id INTEGER PRIMARY KEY,"
    "  bank_id INTEGER NOT NULL REFERENCES banks(id),"
    "  signal_type INTEGER NOT NULL,"
    "  value TEXT NOT NULL,"
    "  quality INTEGER NOT NULL,"
    "  labels TEXT NOT NULL,"
    "  added_at INTEGER NOT NULL,"
    "  withdrawn INTEGER NOT NULL DEFAULT 0,"
    "  changed_at INTEGER NOT NULL,"
    "  UNIQUE (bank_id, signal_type, value));"
    "CREATE INDEX entries_by_value ON entries (signal_type, value);",

    "CREATE TABLE api_keys ("
    "  id INTEGER PRIMARY KEY,"
    "  prefix TEXT NOT NULL UNIQUE,"
    "  secret_hash BLOB NOT NULL,"
    "  role INTEGER NOT NULL,"
    "  jurisdiction TEXT NOT NULL DEFAULT '',"
    "  teams TEXT NOT NULL DEFAULT '',"
    "  name TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  revoked_at INTEGER NOT NULL DEFAULT 0);",

    "CREATE TABLE contents ("
    "  id INTEGER PRIMARY KEY,"
    "  content_id TEXT NOT NULL UNIQUE,"
    "  uploader_id TEXT NOT NULL,"
    "  uploader_country TEXT NOT NULL,"
    "  pdq TEXT NOT NULL, quality INTEGER NOT NULL,"
    "  sha256 TEXT NOT NULL, md5 TEXT NOT NULL,"
    "  width INTEGER NOT NULL, height INTEGER NOT NULL, format TEXT NOT NULL,"
    "  scanned_at INTEGER NOT NULL,"
    "  matches TEXT NOT NULL);",

    /* Entry counts per bank without reading the entries themselves. */
    "CREATE INDEX entries_by_bank ON entries (bank_id, withdrawn);",

    /* A bank's entries in id order (paged exports); the generation that snapshots of the
     * index are checked against, bumped by every change to a bank or an entry. It starts at
     * a random number so that two stores are unlikely ever to share one. */
    "CREATE INDEX entries_by_bank_id ON entries (bank_id, id);"
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    "INSERT INTO meta VALUES ('generation', random() & 0x3fffffffffffffff);" GENERATION_TRIGGER(
        "entries", "INSERT") GENERATION_TRIGGER("entries", "UPDATE")
        GENERATION_TRIGGER("entries", "DELETE") GENERATION_TRIGGER("banks", "INSERT")
            GENERATION_TRIGGER("banks", "UPDATE") GENERATION_TRIGGER("banks", "DELETE"),

    /* What is shown where, whole-country blocks, and the review cases policies open. */
    "CREATE TABLE restrictions ("
    "  id INTEGER PRIMARY KEY,"
    "  content_id TEXT NOT NULL,"
    "  scope TEXT NOT NULL,"
    "  visibility INTEGER NOT NULL,"
    "  reason TEXT NOT NULL, legal_id TEXT NOT NULL, source TEXT NOT NULL,"
    "  ground_terms INTEGER NOT NULL, provisional INTEGER NOT NULL, automated INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  lifted_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX restrictions_by_content ON restrictions (content_id, lifted_at);"
    "CREATE TABLE country_blocks ("
    "  country TEXT PRIMARY KEY,"
    "  reason TEXT NOT NULL, legal_id TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE cases ("
    "  id INTEGER PRIMARY KEY,"
    "  content_id TEXT NOT NULL,"
    "  jurisdiction TEXT NOT NULL,"
    "  source TEXT NOT NULL, reason TEXT NOT NULL,"
    "  priority INTEGER NOT NULL,"
    "  deadline_at INTEGER NOT NULL,"
    "  team TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  opened_at INTEGER NOT NULL);"
    "CREATE INDEX cases_by_content ON cases (content_id);",

    /* Regulators' notices and their items; decisions on cases. */
    "CREATE TABLE notices ("
    "  id INTEGER PRIMARY KEY,"
    "  jurisdiction TEXT NOT NULL, key_prefix TEXT NOT NULL,"
    "  reference TEXT NOT NULL, legal_basis TEXT NOT NULL, urgent INTEGER NOT NULL,"
    "  received_at INTEGER NOT NULL, deadline_at INTEGER NOT NULL,"
    "  penalty_currency TEXT NOT NULL, penalty_amount REAL NOT NULL);"
    "CREATE INDEX notices_by_jurisdiction ON notices (jurisdiction, id);"
    "CREATE TABLE notice_items ("
    "  id INTEGER PRIMARY KEY,"
    "  notice_id INTEGER NOT NULL REFERENCES notices(id),"
    "  kind TEXT NOT NULL, value TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL,"
    "  actioned_at INTEGER NOT NULL DEFAULT 0, action TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX notice_items_by_notice ON notice_items (notice_id, id);"
    "CREATE INDEX notice_items_by_case ON notice_items (case_id);"
    "ALTER TABLE cases ADD COLUMN decision TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN ground TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN legal_id TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN category TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN note TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN decided_by TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN decided_at INTEGER NOT NULL DEFAULT 0;",

    /* The review queue: one case per content under review with its sources, history,
     * reports and decisions; leases; deadlines; webhook deliveries; provisional restrictions
     * that expire. Cases of earlier versions keep their one source. */
    "ALTER TABLE cases ADD COLUMN language TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN first_review_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cases ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cases ADD COLUMN lead_team TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN first_reviewed_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cases ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cases ADD COLUMN reports INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cases ADD COLUMN machine_only INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cases ADD COLUMN breaches INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cases ADD COLUMN breached INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cases ADD COLUMN decision_id INTEGER NOT NULL DEFAULT 0;"
    "UPDATE cases SET due_at = deadline_at, machine_only = source LIKE 'rule:%';"
    "CREATE INDEX cases_waiting ON cases (team, due_at, priority, reports DESC, id)"
    "  WHERE status IN ('open', 'escalated', 'appealed');"
    "CREATE INDEX cases_due ON cases (status, due_at);"
    "CREATE INDEX cases_active ON cases (content_id, status);"
    "CREATE TABLE case_sources ("
    "  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL,"
    "  ref TEXT NOT NULL, jurisdiction TEXT NOT NULL, reason TEXT NOT NULL, team TEXT NOT NULL,"
    "  priority INTEGER NOT NULL, first_review_at INTEGER NOT NULL, deadline_at INTEGER NOT NULL,"
    "  added_at INTEGER NOT NULL);"
    "CREATE INDEX case_sources_by_case ON case_sources (case_id, id);"
    "INSERT INTO case_sources (case_id, ref, jurisdiction, reason, team, priority,"
    "  first_review_at, deadline_at, added_at)"
    "  SELECT id, source, jurisdiction, reason, team, priority, 0, deadline_at, opened_at"
    "  FROM cases;"
    "CREATE TABLE case_events ("
    "  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, at INTEGER NOT NULL,"
    "  kind TEXT NOT NULL, actor TEXT NOT NULL, detail TEXT NOT NULL);"
    "CREATE INDEX case_events_by_case ON case_events (case_id, id);"
    "CREATE TABLE reports ("
    "  id INTEGER PRIMARY KEY, content_id TEXT NOT NULL, content_known INTEGER NOT NULL,"
    "  reporter_id TEXT NOT NULL, key_prefix TEXT NOT NULL, trusted_flagger INTEGER NOT NULL,"
    "  category TEXT NOT NULL, text TEXT NOT NULL, country TEXT NOT NULL, language TEXT NOT NULL,"
    "  rapid INTEGER NOT NULL, case_id INTEGER NOT NULL, received_at INTEGER NOT NULL);"
    "CREATE INDEX reports_by_case ON reports (case_id, id);"
    "CREATE INDEX reports_by_content ON reports (content_id);"
    "CREATE TABLE decisions ("
    "  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, kind TEXT NOT NULL,"
    "  action TEXT NOT NULL, ground TEXT NOT NULL, legal_id TEXT NOT NULL,"
    "  category TEXT NOT NULL, countries TEXT NOT NULL, note TEXT NOT NULL,"
    "  decided_by TEXT NOT NULL, decided_at INTEGER NOT NULL, appeal_of INTEGER NOT NULL,"
    "  statement TEXT NOT NULL);"
    "CREATE INDEX decisions_by_case ON decisions (case_id, id);"
    "INSERT INTO decisions (case_id, kind, action, ground, legal_id, category, countries, note,"
    "  decided_by, decided_at, appeal_of, statement)"
    "  SELECT id, 'review', decision, ground, legal_id, category, '', note, decided_by,"
    "  decided_at, 0, '{}' FROM cases WHERE status = 'decided';"
    "UPDATE cases SET decision_id = (SELECT max(d.id) FROM decisions d"
    "  WHERE d.case_id = cases.id) WHERE status = 'decided';"
    "CREATE TABLE webhook_deliveries ("
    "  id INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, event TEXT NOT NULL,"
    "  body TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL, next_at INTEGER NOT NULL, done_at INTEGER NOT NULL,"
    "  last_error TEXT NOT NULL);"
    "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_at);"
    "ALTER TABLE restrictions ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX restrictions_expiring ON restrictions (expires_at)"
    "  WHERE expires_at > 0 AND lifted_at = 0;"
    "ALTER TABLE contents ADD COLUMN media_url TEXT NOT NULL DEFAULT '';",
    /* 9: the audit log. Leaves (with their hash), the roots of the perfect subtrees above
     * them (what proofs read), and the signed tree heads. */
    "CREATE TABLE audit_leaves ("
    "  idx INTEGER PRIMARY KEY, logged_at INTEGER NOT NULL, kind TEXT NOT NULL,"
    "  data TEXT NOT NULL, hash BLOB NOT NULL);"
    "CREATE TABLE audit_nodes ("
    "  level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,"
    "  PRIMARY KEY (level, idx)) WITHOUT ROWID;"
    "CREATE TABLE audit_heads ("
    "  size INTEGER PRIMARY KEY, root BLOB NOT NULL, signed_at INTEGER NOT NULL,"
    "  signature BLOB NOT NULL);",
    /* 10: the explicit-content classifier's scores of a scanned content (JSON), "" unscored. */
    "ALTER TABLE contents ADD COLUMN scores TEXT NOT NULL DEFAULT '';",
    /* 11: the seed of a scanned image's blurred rendition (jaga/blur.h); NULL: none. */
    "ALTER TABLE contents ADD COLUMN blur_seed BLOB;",
    /* 12: vpdq entries' features (store/entry_features.h); banks made with every signal type
     * hold vpdq too. */
    "CREATE TABLE entry_features ("
    "  entry_id INTEGER PRIMARY KEY REFERENCES entries(id), features BLOB NOT NULL);"
    "UPDATE banks SET signal_types = 15 WHERE signal_types = 7;",
    /* 13: video scans waiting, running or finished. */
    "CREATE TABLE scan_jobs ("
    "  id INTEGER PRIMARY KEY, content_id TEXT NOT NULL, uploader_id TEXT NOT NULL,"
    "  uploader_country TEXT NOT NULL, media_url TEXT NOT NULL, key_prefix TEXT NOT NULL,"
    "  state TEXT NOT NULL, error_code TEXT NOT NULL, error TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL, finished_at INTEGER NOT NULL, result TEXT);"
    "CREATE INDEX scan_jobs_unfinished ON scan_jobs (id) WHERE state IN ('queued', 'running');",
    /* 14: hash exchange (jaga/exchange.h). Every change of an entry numbered, by triggers so
     * that no writer can miss one (entries made before are numbered in id order); peers;
     * subscriptions to their banks with the checkpoint; peers' verdicts on entries. */
    "CREATE TABLE entry_changes ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT, bank_id INTEGER NOT NULL,"
    "  entry_id INTEGER NOT NULL, withdrawn INTEGER NOT NULL);"
    "CREATE INDEX entry_changes_by_bank ON entry_changes (bank_id, seq);"
    "INSERT INTO entry_changes (bank_id, entry_id, withdrawn)"
    "  SELECT bank_id, id, withdrawn FROM entries ORDER BY id;"
    "CREATE TRIGGER entries_insert_change AFTER INSERT ON entries BEGIN"
    "  INSERT INTO entry_changes (bank_id, entry_id, withdrawn)"
    "  VALUES (NEW.bank_id, NEW.id, NEW.withdrawn); END;"
    "CREATE TRIGGER entries_withdrawn_change AFTER UPDATE OF withdrawn ON entries"
    "  WHEN OLD.withdrawn != NEW.withdrawn BEGIN"
    "  INSERT INTO entry_changes (bank_id, entry_id, withdrawn)"
    "  VALUES (NEW.bank_id, NEW.id, NEW.withdrawn); END;"
    "CREATE TABLE peers ("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, public_key BLOB NOT NULL UNIQUE,"
    "  url TEXT NOT NULL, banks TEXT NOT NULL, created_at INTEGER NOT NULL,"
    "  revoked_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE subscriptions ("
    "  id INTEGER PRIMARY KEY, peer_id INTEGER NOT NULL REFERENCES peers(id),"
    "  remote_bank TEXT NOT NULL, bank_id INTEGER NOT NULL UNIQUE REFERENCES banks(id),"
    "  cursor INTEGER NOT NULL DEFAULT 0, pulled_at INTEGER NOT NULL DEFAULT 0,"
    "  rejected INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',"
    "  UNIQUE (peer_id, remote_bank));"
    "CREATE TABLE entry_feedback ("
    "  entry_id INTEGER NOT NULL REFERENCES entries(id),"
    "  peer_id INTEGER NOT NULL REFERENCES peers(id), verdict INTEGER NOT NULL,"
    "  at INTEGER NOT NULL, PRIMARY KEY (entry_id, peer_id)) WITHOUT ROWID;"
    "CREATE TABLE verdict_outbox ("
    "  id INTEGER PRIMARY KEY, subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),"
    "  signal_type INTEGER NOT NULL, value TEXT NOT NULL, verdict INTEGER NOT NULL,"
    "  at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_at INTEGER NOT NULL DEFAULT 0, sent_at INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX verdict_outbox_due ON verdict_outbox (next_at) WHERE sent_at = 0;",

    /* Statements of reasons in the order made, decisions' and automated restrictions'. */
    "CREATE TABLE statements ("
    "  id INTEGER PRIMARY KEY, puid TEXT NOT NULL UNIQUE, content_id TEXT NOT NULL,"
    "  made_at INTEGER NOT NULL, body TEXT NOT NULL);"
    "CREATE INDEX statements_by_time ON statements (made_at);"
    "INSERT OR IGNORE INTO statements (puid, content_id, made_at, body)"
    "  SELECT json_extract(d.statement, '$.puid'), c.content_id, d.decided_at, d.statement"
    "  FROM decisions d JOIN cases c ON c.id = d.case_id"
    "  WHERE json_valid(d.statement) AND json_extract(d.statement, '$.puid') IS NOT NULL"
    "  ORDER BY d.id;",

    /* A regulator may withdraw a notice item; items are found by what they name. */
    "ALTER TABLE notice_items"
    "  ADD COLUMN withdrawn_at INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX notice_items_by_value ON notice_items (kind, value);",
};

sqlite_store *jaga__sq_of(jaga_store *s)
{
    return (sqlite_store *)s;
}

jaga_status jaga__sq_fail(jaga_ctx *ctx, sqlite3 *db, const char *what)
{
    return jaga_fail(ctx, JAGA_ERR_IO, "store: %s: %s", what, sqlite3_errmsg(db));
}

static jaga_status exec(jaga_ctx *ctx, sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
        return JAGA_OK;
    jaga_status st = jaga_fail(ctx, JAGA_ERR_IO, "store: %s", err ? err : "error");
    sqlite3_free(err);
    return st;
}

static jaga_status migrate(jaga_ctx *ctx, sqlite3 *db)
{
    sqlite3_stmt *stmt = jaga__sq_prepare(db, "PRAGMA user_version");
    int version = stmt && sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -1;
    jaga__sq_finish(stmt);
    const int latest = (int)(sizeof(migrations) / sizeof(migrations[0]));
    if (version < 0)
        return jaga__sq_fail(ctx, db, "reading the schema version");
    if (version > latest)
        return jaga_fail(ctx, JAGA_ERR_DECODE,
                         "store: schema version %d is newer than this jaga (%d)", version, latest);
    for (int v = version; v < latest; v++) {
        char bump[64];
        snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", v + 1);
        jaga_status st = exec(ctx, db, "BEGIN IMMEDIATE");
        if (st == JAGA_OK && (st = exec(ctx, db, migrations[v])) == JAGA_OK &&
            (st = exec(ctx, db, bump)) == JAGA_OK)
            st = exec(ctx, db, "COMMIT");
        if (st != JAGA_OK) {
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return st;
        }
    }
    return JAGA_OK;
}

static void s_close(jaga_store *s)
{
    sqlite_store *q = jaga__sq_of(s);
    if (q->in_transaction)
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    jaga__sq_cache_close(q->db);
    sqlite3_close_v2(q->db);
    free(q);
}

static jaga_status s_path(jaga_store *s, jaga_ctx *ctx, char *out, size_t cap)
{
    const char *file = sqlite3_db_filename(jaga__sq_of(s)->db, "main");
    if (!file || !*file || strlen(file) >= cap)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "store: no file to open again");
    memcpy(out, file, strlen(file) + 1);
    return JAGA_OK;
}

static jaga_status s_ping(jaga_store *s, jaga_ctx *ctx)
{
    return exec(ctx, jaga__sq_of(s)->db, "SELECT 1");
}

static jaga_status s_checkpoint(jaga_store *s, jaga_ctx *ctx)
{
    return exec(ctx, jaga__sq_of(s)->db, "PRAGMA wal_checkpoint(TRUNCATE)");
}

/* Transactions nest: the outermost is BEGIN IMMEDIATE ... COMMIT, those inside it savepoints,
 * so that work done in a transaction of its own can also be grouped into a larger one (one
 * commit, one sync, for many changes) and still fail alone. */
static jaga_status s_begin(jaga_store *s, jaga_ctx *ctx)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[32];
    snprintf(sql, sizeof(sql), "SAVEPOINT nested%d", q->in_transaction);
    jaga_status st = exec(ctx, q->db, q->in_transaction ? sql : "BEGIN IMMEDIATE");
    q->in_transaction += st == JAGA_OK;
    return st;
}

static void s_rollback(jaga_store *s)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[80];
    int inner = q->in_transaction - 1;
    snprintf(sql, sizeof(sql), "ROLLBACK TO nested%d; RELEASE nested%d", inner, inner);
    if (q->in_transaction)
        sqlite3_exec(q->db, q->in_transaction > 1 ? sql : "ROLLBACK", NULL, NULL, NULL);
    q->in_transaction -= q->in_transaction > 0;
    q->edge_valid = 0; /* it may hold leaves that are gone now */
}

static jaga_status s_commit(jaga_store *s, jaga_ctx *ctx)
{
    sqlite_store *q = jaga__sq_of(s);
    if (!q->in_transaction)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "store: no transaction to commit");
    char sql[32];
    snprintf(sql, sizeof(sql), "RELEASE nested%d", q->in_transaction - 1);
    jaga_status st = exec(ctx, q->db, q->in_transaction > 1 ? sql : "COMMIT");
    if (st == JAGA_OK)
        q->in_transaction--;
    else if (q->in_transaction == 1)
        s_rollback(s); /* a COMMIT that failed (a full disk) may leave the transaction open */
    return st;
}

static const char bank_columns[] =
    "b.id, b.name, b.description, b.signal_types, b.pdq_threshold, b.verified, b.enabled,"
    " b.created_at,"
    " (SELECT count(*) FROM entries e WHERE e.bank_id = b.id AND e.withdrawn = 0),"
    " (SELECT count(*) FROM entries e WHERE e.bank_id = b.id AND e.withdrawn = 1)";

void jaga__sq_text(sqlite3_stmt *stmt, int col, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(stmt, col);
    snprintf(out, cap, "%s", t ? (const char *)t : "");
}

static void read_bank(sqlite3_stmt *stmt, void *out)
{
    jaga_bank *b = out;
    memset(b, 0, sizeof(*b));
    b->id = sqlite3_column_int64(stmt, 0);
    jaga__sq_text(stmt, 1, b->name, sizeof(b->name));
    jaga__sq_text(stmt, 2, b->description, sizeof(b->description));
    b->signal_types = (unsigned)sqlite3_column_int(stmt, 3);
    b->pdq_threshold = sqlite3_column_int(stmt, 4);
    b->verified = sqlite3_column_int(stmt, 5);
    b->enabled = sqlite3_column_int(stmt, 6);
    b->created_at = sqlite3_column_int64(stmt, 7);
    b->active = sqlite3_column_int64(stmt, 8);
    b->withdrawn = sqlite3_column_int64(stmt, 9);
}

/* Steps stmt for one row, read into out; JAGA_ERR_NOT_FOUND ("missing key") without one. */
jaga_status jaga__sq_select_one(jaga_ctx *ctx, sqlite3 *db, sqlite3_stmt *stmt,
                                void (*read)(sqlite3_stmt *, void *), void *out, const char *what,
                                const char *missing, const char *key)
{
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        read(stmt, out);
    jaga_status st = rc == SQLITE_ROW    ? JAGA_OK
                     : rc == SQLITE_DONE ? jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "%s %s", missing, key)
                                         : jaga__sq_fail(ctx, db, what);
    jaga__sq_finish(stmt);
    return st;
}

/* A bank's settings as parameters 1..5: description, signal types, threshold, verified,
 * enabled. */
static void bind_settings(sqlite3_stmt *stmt, const jaga_bank *bank)
{
    sqlite3_bind_text(stmt, 1, bank->description, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 2, (int)bank->signal_types);
    sqlite3_bind_int(stmt, 3, bank->pdq_threshold);
    sqlite3_bind_int(stmt, 4, bank->verified != 0);
    sqlite3_bind_int(stmt, 5, bank->enabled != 0);
}

static jaga_status s_bank_create(jaga_store *s, jaga_ctx *ctx, jaga_bank *bank)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt =
        jaga__sq_prepare(q->db, "INSERT INTO banks (description, signal_types,"
                                " pdq_threshold, verified, enabled, name, created_at)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "creating a bank");
    bank->created_at = (int64_t)time(NULL);
    bind_settings(stmt, bank);
    sqlite3_bind_text(stmt, 6, bank->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 7, bank->created_at);
    int rc = sqlite3_step(stmt);
    jaga__sq_finish(stmt);
    if (rc == SQLITE_CONSTRAINT)
        return jaga_fail(ctx, JAGA_ERR_CONFLICT, "bank %s exists already", bank->name);
    if (rc != SQLITE_DONE)
        return jaga__sq_fail(ctx, q->db, "creating a bank");
    bank->id = sqlite3_last_insert_rowid(q->db);
    return JAGA_OK;
}

static jaga_status s_bank_get(jaga_store *s, jaga_ctx *ctx, const char *name, jaga_bank *out)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[512];
    snprintf(sql, sizeof(sql), "SELECT %s FROM banks b WHERE b.name = ?", bank_columns);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading a bank");
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    return jaga__sq_select_one(ctx, q->db, stmt, read_bank, out, "reading a bank", "no bank named",
                               name);
}

/* Every row of stmt, each read by read() into a new array of size-byte elements. */
jaga_status jaga__sq_select_all(jaga_ctx *ctx, sqlite3 *db, sqlite3_stmt *stmt,
                                void (*read)(sqlite3_stmt *, void *), size_t size, void **out,
                                size_t *n, const char *what)
{
    *out = NULL;
    *n = 0;
    if (!stmt)
        return jaga__sq_fail(ctx, db, what);
    size_t cap = 0;
    int rc;
    jaga_status st = JAGA_OK;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            void *grown = realloc(*out, cap * size);
            if (!grown) {
                st = jaga_fail(ctx, JAGA_ERR_NOMEM, "store: no memory for %s", what);
                break;
            }
            *out = grown;
        }
        read(stmt, (char *)*out + (*n)++ * size);
    }
    if (st == JAGA_OK && rc != SQLITE_DONE)
        st = jaga__sq_fail(ctx, db, what);
    jaga__sq_finish(stmt);
    if (st != JAGA_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return st;
}

static jaga_status s_bank_list(jaga_store *s, jaga_ctx *ctx, jaga_bank **out, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[512];
    snprintf(sql, sizeof(sql), "SELECT %s FROM banks b ORDER BY b.name", bank_columns);
    return jaga__sq_select_all(ctx, q->db, jaga__sq_prepare(q->db, sql), read_bank,
                               sizeof(jaga_bank), (void **)out, n, "listing banks");
}

static jaga_status s_bank_update(jaga_store *s, jaga_ctx *ctx, const jaga_bank *bank)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt =
        jaga__sq_prepare(q->db, "UPDATE banks SET description = ?, signal_types = ?,"
                                " pdq_threshold = ?, verified = ?, enabled = ?"
                                " WHERE id = ?");
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "updating a bank");
    bind_settings(stmt, bank);
    sqlite3_bind_int64(stmt, 6, bank->id);
    int rc = sqlite3_step(stmt);
    jaga__sq_finish(stmt);
    if (rc != SQLITE_DONE)
        return jaga__sq_fail(ctx, q->db, "updating a bank");
    return sqlite3_changes(q->db)
               ? JAGA_OK
               : jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "no bank %lld", (long long)bank->id);
}

static const char entry_columns[] =
    "id, bank_id, signal_type, value, quality, labels, added_at, withdrawn";

void jaga__sq_read_entry(sqlite3_stmt *stmt, void *out)
{
    jaga_entry *e = out;
    memset(e, 0, sizeof(*e));
    e->id = sqlite3_column_int64(stmt, 0);
    e->bank_id = sqlite3_column_int64(stmt, 1);
    e->type = (jaga_signal_type)sqlite3_column_int(stmt, 2);
    jaga__sq_text(stmt, 3, e->value, sizeof(e->value));
    e->quality = sqlite3_column_int(stmt, 4);
    jaga__sq_text(stmt, 5, e->labels, sizeof(e->labels));
    e->added_at = sqlite3_column_int64(stmt, 6);
    e->withdrawn = sqlite3_column_int(stmt, 7);
}

/* Runs a statement that changes rows; JAGA_OK when it completed. */
jaga_status jaga__sq_step_done(jaga_ctx *ctx, sqlite3 *db, sqlite3_stmt *stmt, const char *what)
{
    int rc = stmt ? sqlite3_step(stmt) : SQLITE_ERROR;
    jaga__sq_finish(stmt);
    return rc == SQLITE_DONE ? JAGA_OK : jaga__sq_fail(ctx, db, what);
}

jaga_status jaga__sq_step_changed(jaga_ctx *ctx, sqlite3 *db, sqlite3_stmt *stmt, const char *what,
                                  int *changed)
{
    jaga_status st = jaga__sq_step_done(ctx, db, stmt, what);
    *changed = st == JAGA_OK && sqlite3_changes(db) > 0;
    return st;
}

jaga_status jaga__sq_revoke(jaga_ctx *ctx, sqlite3 *db, const char *sql, const char *name,
                            const char *what)
{
    sqlite3_stmt *stmt = jaga__sq_prepare(db, sql);
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, (int64_t)time(NULL));
        sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
    }
    char doing[48];
    snprintf(doing, sizeof(doing), "revoking a %s", what);
    int changed;
    jaga_status st = jaga__sq_step_changed(ctx, db, stmt, doing, &changed);
    if (st == JAGA_OK && !changed)
        st = jaga_fail(ctx, JAGA_ERR_NOT_FOUND, "no %s %s in force", what, name);
    return st;
}

/* A new vpdq entry's features, beside it. */
static jaga_status features_insert(sqlite_store *q, jaga_ctx *ctx, const jaga_entry *e)
{
    uint8_t *blob = jaga__entry_features_encode(e->features, e->nfeatures);
    if (!blob)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "store: no memory");
    sqlite3_stmt *ins =
        jaga__sq_prepare(q->db, "INSERT INTO entry_features (entry_id, features) VALUES (?, ?)");
    if (ins) {
        sqlite3_bind_int64(ins, 1, e->id);
        sqlite3_bind_blob(ins, 2, blob, (int)(e->nfeatures * ENTRY_FEATURE_BYTES), SQLITE_STATIC);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, ins, "adding an entry's features");
    free(blob);
    return st;
}

jaga_status jaga__sq_entry_find(jaga_ctx *ctx, sqlite3 *db, int64_t bank_id, jaga_signal_type type,
                                const char *value, int64_t *id, int *withdrawn)
{
    sqlite3_stmt *find =
        jaga__sq_prepare(db, "SELECT id, withdrawn FROM entries"
                             " WHERE bank_id = ? AND signal_type = ? AND value = ?");
    if (!find)
        return jaga__sq_fail(ctx, db, "finding an entry");
    sqlite3_bind_int64(find, 1, bank_id);
    sqlite3_bind_int(find, 2, (int)type);
    sqlite3_bind_text(find, 3, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(find);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(find, 0);
        *withdrawn = sqlite3_column_int(find, 1);
    }
    jaga__sq_finish(find);
    if (rc == SQLITE_DONE)
        return JAGA_ERR_NOT_FOUND; /* the usual case of an import: no message made */
    return rc == SQLITE_ROW ? JAGA_OK : jaga__sq_fail(ctx, db, "finding an entry");
}

static jaga_status s_entry_apply(jaga_store *s, jaga_ctx *ctx, jaga_entry *e, jaga_apply_result *r)
{
    sqlite_store *q = jaga__sq_of(s);
    int exists, was_withdrawn = 0;
    jaga_status found =
        jaga__sq_entry_find(ctx, q->db, e->bank_id, e->type, e->value, &e->id, &was_withdrawn);
    if (found != JAGA_OK && found != JAGA_ERR_NOT_FOUND)
        return found;
    exists = found == JAGA_OK;
    int64_t now = (int64_t)time(NULL);
    if (e->withdrawn || exists) {
        if (!exists || was_withdrawn == (e->withdrawn != 0)) {
            *r = e->withdrawn ? JAGA_APPLY_UNKNOWN : JAGA_APPLY_PRESENT;
            return JAGA_OK;
        }
        sqlite3_stmt *up = jaga__sq_prepare(
            q->db, "UPDATE entries SET withdrawn = ?, changed_at = ? WHERE id = ?");
        if (up) {
            sqlite3_bind_int(up, 1, e->withdrawn != 0);
            sqlite3_bind_int64(up, 2, now);
            sqlite3_bind_int64(up, 3, e->id);
        }
        *r = e->withdrawn ? JAGA_APPLY_WITHDRAWN : JAGA_APPLY_REACTIVATED;
        return jaga__sq_step_done(ctx, q->db, up, "changing an entry");
    }
    sqlite3_stmt *ins = jaga__sq_prepare(q->db, "INSERT INTO entries (bank_id, signal_type, value,"
                                                " quality, labels, added_at, changed_at)"
                                                " VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (ins) {
        sqlite3_bind_int64(ins, 1, e->bank_id);
        sqlite3_bind_int(ins, 2, (int)e->type);
        sqlite3_bind_text(ins, 3, e->value, -1, SQLITE_STATIC);
        sqlite3_bind_int(ins, 4, e->quality);
        sqlite3_bind_text(ins, 5, e->labels, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 6, e->added_at ? e->added_at : now);
        sqlite3_bind_int64(ins, 7, now);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, ins, "adding an entry");
    if (st == JAGA_OK) {
        e->id = sqlite3_last_insert_rowid(q->db);
        *r = JAGA_APPLY_ADDED;
    }
    if (st == JAGA_OK && e->type == JAGA_SIGNAL_VPDQ)
        st = features_insert(q, ctx, e);
    return st;
}

static jaga_status s_entry_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_entry *out)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT %s FROM entries WHERE id = ?", entry_columns);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading an entry");
    sqlite3_bind_int64(stmt, 1, id);
    char key[24];
    snprintf(key, sizeof(key), "%lld", (long long)id);
    return jaga__sq_select_one(ctx, q->db, stmt, jaga__sq_read_entry, out, "reading an entry",
                               "no entry", key);
}

jaga_status jaga__sq_walk_entries(jaga_ctx *ctx, sqlite3 *db, sqlite3_stmt *stmt, int features_col,
                                  int (*row)(void *arg, sqlite3_stmt *stmt, jaga_entry *e),
                                  void *arg, const char *what)
{
    int rc;
    jaga_entry e;
    jaga_status st = JAGA_OK;
    while (st == JAGA_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        jaga__sq_read_entry(stmt, &e);
        jaga_vpdq_feature *features = NULL;
        if (e.type == JAGA_SIGNAL_VPDQ && sqlite3_column_type(stmt, features_col) != SQLITE_NULL)
            st = jaga__entry_features_decode(ctx, sqlite3_column_blob(stmt, features_col),
                                             (size_t)sqlite3_column_bytes(stmt, features_col),
                                             &features, &e.nfeatures);
        else if (e.type == JAGA_SIGNAL_VPDQ && !e.withdrawn)
            st = jaga_fail(ctx, JAGA_ERR_IO, "store: vpdq entry %lld has no features",
                           (long long)e.id);
        e.features = features;
        int stop = st == JAGA_OK && row(arg, stmt, &e) != 0;
        free(features);
        if (stop) {
            rc = SQLITE_DONE;
            break;
        }
    }
    jaga__sq_finish(stmt);
    if (st != JAGA_OK)
        return st;
    return rc == SQLITE_DONE ? JAGA_OK : jaga__sq_fail(ctx, db, what);
}

typedef struct entries_walk {
    jaga_entry_fn fn;
    void *arg;
} entries_walk;

static int walk_row(void *arg, sqlite3_stmt *stmt, jaga_entry *e)
{
    (void)stmt;
    entries_walk *w = arg;
    return w->fn(w->arg, e);
}

static jaga_status s_entries_each(jaga_store *s, jaga_ctx *ctx, const jaga_entry_filter *f,
                                  jaga_entry_fn fn, void *arg)
{
    sqlite_store *q = jaga__sq_of(s);
    /* Only the conditions asked for, so that the planner can use the indexes. */
    char sql[640];
    snprintf(sql, sizeof(sql),
             "SELECT %s, f.features FROM entries LEFT JOIN entry_features f"
             " ON f.entry_id = entries.id WHERE id > ?2%s%s%s ORDER BY id LIMIT ?4",
             entry_columns, f->bank_id ? " AND bank_id = ?1" : "",
             f->with_withdrawn ? "" : " AND withdrawn = 0",
             f->types ? " AND ((1 << signal_type) & ?3) != 0" : "");
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading entries");
    sqlite3_bind_int64(stmt, 1, f->bank_id);
    sqlite3_bind_int64(stmt, 2, f->after_id);
    sqlite3_bind_int64(stmt, 3, f->types);
    sqlite3_bind_int64(stmt, 4, f->limit ? (int64_t)f->limit : -1);
    entries_walk w = {fn, arg};
    return jaga__sq_walk_entries(ctx, q->db, stmt, 8, walk_row, &w, "reading entries");
}

static jaga_status s_generation(jaga_store *s, jaga_ctx *ctx, uint64_t *out)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt =
        jaga__sq_prepare(q->db, "SELECT value FROM meta WHERE name = 'generation'");
    int rc = stmt ? sqlite3_step(stmt) : SQLITE_ERROR;
    if (rc == SQLITE_ROW)
        *out = (uint64_t)sqlite3_column_int64(stmt, 0);
    jaga__sq_finish(stmt);
    return rc == SQLITE_ROW ? JAGA_OK : jaga__sq_fail(ctx, q->db, "reading the generation");
}

static const char key_columns[] =
    "id, prefix, secret_hash, role, jurisdiction, teams, name, created_at, revoked_at";

static void read_key(sqlite3_stmt *stmt, void *out)
{
    jaga_key *k = out;
    memset(k, 0, sizeof(*k));
    k->id = sqlite3_column_int64(stmt, 0);
    jaga__sq_text(stmt, 1, k->prefix, sizeof(k->prefix));
    if (sqlite3_column_bytes(stmt, 2) == (int)sizeof(k->secret_hash))
        memcpy(k->secret_hash, sqlite3_column_blob(stmt, 2), sizeof(k->secret_hash));
    k->role = (jaga_role)sqlite3_column_int(stmt, 3);
    jaga__sq_text(stmt, 4, k->jurisdiction, sizeof(k->jurisdiction));
    jaga__sq_text(stmt, 5, k->teams, sizeof(k->teams));
    jaga__sq_text(stmt, 6, k->name, sizeof(k->name));
    k->created_at = sqlite3_column_int64(stmt, 7);
    k->revoked_at = sqlite3_column_int64(stmt, 8);
}

static jaga_status s_key_create(jaga_store *s, jaga_ctx *ctx, jaga_key *key)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, "INSERT INTO api_keys (prefix, secret_hash, role,"
                                                 " jurisdiction, teams, name, created_at)"
                                                 " VALUES (?, ?, ?, ?, ?, ?, ?)");
    key->created_at = (int64_t)time(NULL);
    if (stmt) {
        sqlite3_bind_text(stmt, 1, key->prefix, -1, SQLITE_STATIC);
        sqlite3_bind_blob(stmt, 2, key->secret_hash, sizeof(key->secret_hash), SQLITE_STATIC);
        sqlite3_bind_int(stmt, 3, (int)key->role);
        sqlite3_bind_text(stmt, 4, key->jurisdiction, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 5, key->teams, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 6, key->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 7, key->created_at);
    }
    jaga_status st = jaga__sq_step_done(ctx, q->db, stmt, "creating a key");
    if (st == JAGA_OK)
        key->id = sqlite3_last_insert_rowid(q->db);
    return st;
}

static jaga_status s_key_get(jaga_store *s, jaga_ctx *ctx, const char *prefix, jaga_key *out)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT %s FROM api_keys WHERE prefix = ?", key_columns);
    sqlite3_stmt *stmt = jaga__sq_prepare(q->db, sql);
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading a key");
    sqlite3_bind_text(stmt, 1, prefix, -1, SQLITE_STATIC);
    return jaga__sq_select_one(ctx, q->db, stmt, read_key, out, "reading a key", "no key", prefix);
}

static jaga_status s_key_list(jaga_store *s, jaga_ctx *ctx, jaga_key **out, size_t *n)
{
    sqlite_store *q = jaga__sq_of(s);
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT %s FROM api_keys ORDER BY id", key_columns);
    return jaga__sq_select_all(ctx, q->db, jaga__sq_prepare(q->db, sql), read_key, sizeof(jaga_key),
                               (void **)out, n, "listing keys");
}

static jaga_status s_key_revoke(jaga_store *s, jaga_ctx *ctx, const char *prefix)
{
    return jaga__sq_revoke(ctx, jaga__sq_of(s)->db,
                           "UPDATE api_keys SET revoked_at = ? WHERE prefix = ? AND revoked_at = 0",
                           prefix, "key");
}

static jaga_status s_content_put(jaga_store *s, jaga_ctx *ctx, jaga_content *c)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt =
        jaga__sq_prepare(q->db, "INSERT INTO contents (content_id, uploader_id,"
                                " uploader_country, pdq, quality, sha256, md5, width,"
                                " height, format, scanned_at, matches, media_url,"
                                " scores, blur_seed)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "storing a content");
    c->scanned_at = (int64_t)time(NULL);
    const char *texts[] = {c->content_id, c->uploader_id, c->uploader_country, c->pdq};
    for (int i = 0; i < 4; i++)
        sqlite3_bind_text(stmt, i + 1, texts[i], -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 5, c->quality);
    sqlite3_bind_text(stmt, 6, c->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 7, c->md5, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 8, c->width);
    sqlite3_bind_int64(stmt, 9, c->height);
    sqlite3_bind_text(stmt, 10, c->format, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 11, c->scanned_at);
    sqlite3_bind_text(stmt, 12, c->matches_json ? c->matches_json : "[]", -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 13, c->media_url, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 14, c->scores, -1, SQLITE_STATIC);
    if (c->blur_seed_len && c->blur_seed_len <= sizeof(c->blur_seed))
        sqlite3_bind_blob(stmt, 15, c->blur_seed, (int)c->blur_seed_len, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    jaga__sq_finish(stmt);
    if (rc == SQLITE_CONSTRAINT)
        return jaga_fail(ctx, JAGA_ERR_CONFLICT, "content %s is stored already", c->content_id);
    return rc == SQLITE_DONE ? JAGA_OK : jaga__sq_fail(ctx, q->db, "storing a content");
}

static void read_content(sqlite3_stmt *stmt, void *out)
{
    jaga_content *c = out;
    memset(c, 0, sizeof(*c));
    jaga__sq_text(stmt, 0, c->content_id, sizeof(c->content_id));
    jaga__sq_text(stmt, 1, c->uploader_id, sizeof(c->uploader_id));
    jaga__sq_text(stmt, 2, c->uploader_country, sizeof(c->uploader_country));
    jaga__sq_text(stmt, 3, c->pdq, sizeof(c->pdq));
    c->quality = sqlite3_column_int(stmt, 4);
    jaga__sq_text(stmt, 5, c->sha256, sizeof(c->sha256));
    jaga__sq_text(stmt, 6, c->md5, sizeof(c->md5));
    c->width = (uint32_t)sqlite3_column_int64(stmt, 7);
    c->height = (uint32_t)sqlite3_column_int64(stmt, 8);
    jaga__sq_text(stmt, 9, c->format, sizeof(c->format));
    c->scanned_at = sqlite3_column_int64(stmt, 10);
    const unsigned char *m = sqlite3_column_text(stmt, 11);
    c->matches_json = strdup(m ? (const char *)m : "[]");
    jaga__sq_text(stmt, 12, c->media_url, sizeof(c->media_url));
    jaga__sq_text(stmt, 13, c->scores, sizeof(c->scores));
    const void *seed = sqlite3_column_blob(stmt, 14);
    size_t n = (size_t)sqlite3_column_bytes(stmt, 14);
    if (seed && n <= sizeof(c->blur_seed)) /* a longer one is no seed: read as none */
        memcpy(c->blur_seed, seed, n), c->blur_seed_len = n;
}

static jaga_status s_content_get(jaga_store *s, jaga_ctx *ctx, const char *id, jaga_content *out)
{
    sqlite_store *q = jaga__sq_of(s);
    sqlite3_stmt *stmt =
        jaga__sq_prepare(q->db, "SELECT content_id, uploader_id, uploader_country, pdq,"
                                " quality, sha256, md5, width, height, format,"
                                " scanned_at, matches, media_url, scores, blur_seed"
                                " FROM contents"
                                " WHERE content_id = ?");
    if (!stmt)
        return jaga__sq_fail(ctx, q->db, "reading a content");
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    jaga_status st = jaga__sq_select_one(ctx, q->db, stmt, read_content, out, "reading a content",
                                         "no content", id);
    if (st == JAGA_OK && !out->matches_json)
        st = jaga_fail(ctx, JAGA_ERR_NOMEM, "store: no memory");
    return st;
}

static const store_ops sqlite_ops = {
    .close = s_close,
    .path = s_path,
    .ping = s_ping,
    .checkpoint = s_checkpoint,
    .begin = s_begin,
    .commit = s_commit,
    .rollback = s_rollback,
    .bank_create = s_bank_create,
    .bank_get = s_bank_get,
    .bank_list = s_bank_list,
    .bank_update = s_bank_update,
    .entry_apply = s_entry_apply,
    .entry_get = s_entry_get,
    .entries_each = s_entries_each,
    .generation = s_generation,
    .key_create = s_key_create,
    .key_get = s_key_get,
    .key_list = s_key_list,
    .key_revoke = s_key_revoke,
    .content_put = s_content_put,
    .content_get = s_content_get,
    .restriction_add = jaga__sq_restriction_add,
    .restriction_lift = jaga__sq_restriction_lift,
    .restrictions_each = jaga__sq_restrictions_each,
    .block_set = jaga__sq_block_set,
    .block_clear = jaga__sq_block_clear,
    .block_list = jaga__sq_block_list,
    .case_open = jaga__sq_case_open,
    .case_get = jaga__sq_case_get,
    .case_list = jaga__sq_case_list,
    .notice_create = jaga__sq_notice_create,
    .notice_item_add = jaga__sq_notice_item_add,
    .notice_get = jaga__sq_notice_get,
    .notice_list = jaga__sq_notice_list,
    .notice_items = jaga__sq_notice_items,
    .notice_items_naming = jaga__sq_notice_items_naming,
    .notice_item_withdraw = jaga__sq_notice_item_withdraw,
    .restrictions_expired = jaga__sq_restrictions_expired,
    .case_put = jaga__sq_case_put,
    .case_active = jaga__sq_case_active,
    .case_next = jaga__sq_case_next,
    .case_queue = jaga__sq_case_queue,
    .case_overdue = jaga__sq_case_overdue,
    .case_source_add = jaga__sq_case_source_add,
    .case_sources = jaga__sq_case_sources,
    .case_event_add = jaga__sq_case_event_add,
    .case_events = jaga__sq_case_events,
    .report_add = jaga__sq_report_add,
    .report_link = jaga__sq_report_link,
    .report_get = jaga__sq_report_get,
    .reports = jaga__sq_reports,
    .decision_add = jaga__sq_decision_add,
    .decision_get = jaga__sq_decision_get,
    .decisions = jaga__sq_decisions,
    .statement_add = jaga__sq_statement_add,
    .statements_after = jaga__sq_statements_after,
    .notice_items_action = jaga__sq_notice_items_action,
    .job_add = jaga__sq_job_add,
    .job_get = jaga__sq_job_get,
    .job_put = jaga__sq_job_put,
    .jobs_unfinished = jaga__sq_jobs_unfinished,
    .delivery_add = jaga__sq_delivery_add,
    .delivery_put = jaga__sq_delivery_put,
    .delivery_get = jaga__sq_delivery_get,
    .deliveries = jaga__sq_deliveries,
    .audit_append = jaga__sq_audit_append,
    .audit_size = jaga__sq_audit_size,
    .audit_node = jaga__sq_audit_node,
    .audit_scan = jaga__sq_audit_scan,
    .audit_head_put = jaga__sq_audit_head_put,
    .audit_head_latest = jaga__sq_audit_head_latest,
    .audit_heads = jaga__sq_audit_heads,
    .peer_add = jaga__sq_peer_add,
    .peer_get = jaga__sq_peer_get,
    .peer_by_key = jaga__sq_peer_by_key,
    .peer_list = jaga__sq_peer_list,
    .peer_revoke = jaga__sq_peer_revoke,
    .changes = jaga__sq_changes,
    .changes_head = jaga__sq_changes_head,
    .subscription_add = jaga__sq_subscription_add,
    .subscription_get = jaga__sq_subscription_get,
    .subscription_list = jaga__sq_subscription_list,
    .subscription_advance = jaga__sq_subscription_advance,
    .subscription_fail = jaga__sq_subscription_fail,
    .feedback_put = jaga__sq_feedback_put,
    .feedback_list = jaga__sq_feedback_list,
    .verdict_queue = jaga__sq_verdict_queue,
    .verdicts_due = jaga__sq_verdicts_due,
    .verdict_done = jaga__sq_verdict_done,
};

/* The store's files hold report texts, reporter ids and key hashes: its owner's alone. A new
 * database is created 0600 (SQLite gives its -wal and -shm files the database's mode); files a
 * looser umask made are tightened. Only a file that did not exist is opened here: closing a
 * descriptor of a database would drop the locks the process's open connections hold on it. */
static jaga_status files_private(jaga_ctx *ctx, const char *path)
{
    if (strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0)
        return JAGA_OK;
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0)
        close(fd);
    else if (errno != EEXIST)
        return jaga_fail(ctx, JAGA_ERR_IO, "store: %s: %s", path, strerror(errno));
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char file[4096];
        struct stat st;
        snprintf(file, sizeof(file), "%s%s", path, suffixes[i]);
        if (stat(file, &st) == 0 && (st.st_mode & 077) && chmod(file, st.st_mode & 0700) != 0)
            return jaga_fail(ctx, JAGA_ERR_IO, "store: %s cannot be made private: %s", file,
                             strerror(errno));
    }
    return JAGA_OK;
}

jaga_status jaga__store_sqlite_open(jaga_ctx *ctx, const char *path, jaga_store **out)
{
    jaga_status early = files_private(ctx, path);
    if (early != JAGA_OK)
        return early;
    sqlite_store *q = calloc(1, sizeof(*q));
    if (!q)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "store: no memory");
    q->base.ops = &sqlite_ops;
    int rc = sqlite3_open_v2(
        path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    jaga_status st = rc == SQLITE_OK ? JAGA_OK : jaga__sq_fail(ctx, q->db, path);
    /* WAL with full syncs: a write is on disk when its commit returns. A 16 MiB page cache
     * keeps large transactions (bank imports and their audit leaves) from spilling pages to
     * the log before their commit. */
    if (st == JAGA_OK)
        st =
            exec(ctx, q->db,
                 "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -16384;"
                 " PRAGMA foreign_keys = ON;");
    if (st == JAGA_OK)
        sqlite3_busy_timeout(q->db, 5000);
    if (st == JAGA_OK)
        st = migrate(ctx, q->db);
    if (st == JAGA_OK)
        jaga__sq_cache_open(q->db);
    if (st != JAGA_OK) {
        if (st == JAGA_ERR_IO && sqlite3_errcode(q->db) == SQLITE_NOTADB)
            st = jaga_fail(ctx, JAGA_ERR_DECODE, "store: %s is not a jaga store", path);
        sqlite3_close_v2(q->db);
        free(q);
        return st;
    }
    *out = &q->base;
    return JAGA_OK;
}
