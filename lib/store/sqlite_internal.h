/* Internal: the SQLite backend's handle and the helpers its files share. */
#ifndef JAGA_STORE_SQLITE_INTERNAL_H
#define JAGA_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "jaga/exchange.h"
#include "jaga/merkle.h"
#include "store/store_backend.h"

typedef struct sqlite_store {
    jaga_store base;
    sqlite3 *db;
    int in_transaction; /* how deep: 1 the outermost transaction, more for savepoints */
    /* The audit log's right edge as this connection last saw it: valid while the log's size
     * is edge.size (a rollback clears it; another connection's append changes the size). */
    jaga_merkle_edge edge;
    int edge_valid;
} sqlite_store;

sqlite_store *jaga__sq_of(jaga_store *s);

/* JAGA_ERR_IO with "store: what: SQLite's message". */
jaga_status jaga__sq_fail(jaga_ctx *ctx, sqlite3 *db, const char *what);

/* A prepared statement, or NULL; jaga__sq_finish when done with it (sqlite_statements.c: kept per
 * connection between uses). The cache opens with the connection and closes before it. */
sqlite3_stmt *jaga__sq_prepare(sqlite3 *db, const char *sql);
void jaga__sq_finish(sqlite3_stmt *stmt);
void jaga__sq_cache_open(sqlite3 *db);
void jaga__sq_cache_close(sqlite3 *db);

/* A text column into out (cap bytes, truncated). */
void jaga__sq_text(sqlite3_stmt *stmt, int col, char *out, size_t cap);

/* Steps stmt to its end and finalizes it (NULL: the prepare failed). */
jaga_status jaga__sq_step_done(jaga_ctx *ctx, sqlite3 *db, sqlite3_stmt *stmt, const char *what);

/* jaga__sq_step_done, and whether the statement changed a row (*changed). */
jaga_status jaga__sq_step_changed(jaga_ctx *ctx, sqlite3 *db, sqlite3_stmt *stmt, const char *what,
                                  int *changed);

/* Runs sql, an UPDATE binding the time (1) and a name (2) that ends what (a "key", a
 * "peer") named so; JAGA_ERR_NOT_FOUND ("no WHAT NAME in force") when it changed nothing. */
jaga_status jaga__sq_revoke(jaga_ctx *ctx, sqlite3 *db, const char *sql, const char *name,
                            const char *what);

/* Steps stmt for one row, read into out; JAGA_ERR_NOT_FOUND ("missing key") without one. */
jaga_status jaga__sq_select_one(jaga_ctx *ctx, sqlite3 *db, sqlite3_stmt *stmt,
                                void (*read)(sqlite3_stmt *, void *), void *out, const char *what,
                                const char *missing, const char *key);

/* Every row of stmt, each read by read() into a new array of size-byte elements. */
jaga_status jaga__sq_select_all(jaga_ctx *ctx, sqlite3 *db, sqlite3_stmt *stmt,
                                void (*read)(sqlite3_stmt *, void *), size_t size, void **out,
                                size_t *n, const char *what);

/* An entry from the columns "id, bank_id, signal_type, value, quality, labels, added_at,
 * withdrawn" at the start of a row (features not read). */
void jaga__sq_read_entry(sqlite3_stmt *stmt, void *out);

/* The entry of a bank with that type and value: its id and whether it is withdrawn. JAGA_OK,
 * JAGA_ERR_NOT_FOUND (no message set) or JAGA_ERR_IO. */
jaga_status jaga__sq_entry_find(jaga_ctx *ctx, sqlite3 *db, int64_t bank_id, jaga_signal_type type,
                                const char *value, int64_t *id, int *withdrawn);

/* Steps stmt, whose first columns are jaga__sq_read_entry's, calling row with each entry and its
 * vpdq features decoded from the blob at features_col (borrowed for the call; required unless
 * the entry is withdrawn); a non-zero return stops the walk. Finalizes stmt. */
jaga_status jaga__sq_walk_entries(jaga_ctx *ctx, sqlite3 *db, sqlite3_stmt *stmt, int features_col,
                                  int (*row)(void *arg, sqlite3_stmt *stmt, jaga_entry *e),
                                  void *arg, const char *what);

/* Peers, bank changes, subscriptions and verdicts (sqlite_exchange.c). */
jaga_status jaga__sq_peer_add(jaga_store *s, jaga_ctx *ctx, jaga_peer *p);
jaga_status jaga__sq_peer_get(jaga_store *s, jaga_ctx *ctx, const char *name, jaga_peer *out);
jaga_status jaga__sq_peer_by_key(jaga_store *s, jaga_ctx *ctx, const uint8_t key[32],
                                 jaga_peer *out);
jaga_status jaga__sq_peer_list(jaga_store *s, jaga_ctx *ctx, jaga_peer **out, size_t *n);
jaga_status jaga__sq_peer_revoke(jaga_store *s, jaga_ctx *ctx, const char *name);
jaga_status jaga__sq_changes(jaga_store *s, jaga_ctx *ctx, int64_t bank_id, int64_t after,
                             size_t limit, jaga_change_fn fn, void *arg);
jaga_status jaga__sq_changes_head(jaga_store *s, jaga_ctx *ctx, int64_t bank_id, int64_t *out);
jaga_status jaga__sq_subscription_add(jaga_store *s, jaga_ctx *ctx, jaga_subscription *sub);
jaga_status jaga__sq_subscription_get(jaga_store *s, jaga_ctx *ctx, const char *peer,
                                      const char *remote_bank, jaga_subscription *out);
jaga_status jaga__sq_subscription_list(jaga_store *s, jaga_ctx *ctx, jaga_subscription **out,
                                       size_t *n);
jaga_status jaga__sq_subscription_advance(jaga_store *s, jaga_ctx *ctx, int64_t id, int64_t from,
                                          int64_t to);
jaga_status jaga__sq_subscription_fail(jaga_store *s, jaga_ctx *ctx, int64_t id, int rejected,
                                       const char *error);
jaga_status jaga__sq_feedback_put(jaga_store *s, jaga_ctx *ctx, jaga_feedback *fb, int *kept);
jaga_status jaga__sq_feedback_list(jaga_store *s, jaga_ctx *ctx, int64_t bank_id,
                                   jaga_feedback **out, size_t *n);
jaga_status jaga__sq_verdict_queue(jaga_store *s, jaga_ctx *ctx, int64_t entry_id,
                                   jaga_feedback_verdict verdict, int64_t at, int *queued);
jaga_status jaga__sq_verdicts_due(jaga_store *s, jaga_ctx *ctx, int64_t now, size_t limit,
                                  jaga_outgoing_verdict **out, size_t *n);
jaga_status jaga__sq_verdict_done(jaga_store *s, jaga_ctx *ctx, int64_t id, const char *error,
                                  int64_t next_at);

/* Restrictions, country blocks and cases (sqlite_visibility.c). */
jaga_status jaga__sq_restriction_add(jaga_store *s, jaga_ctx *ctx, jaga_restriction *r);
jaga_status jaga__sq_restriction_lift(jaga_store *s, jaga_ctx *ctx, int64_t id);
jaga_status jaga__sq_restrictions_each(jaga_store *s, jaga_ctx *ctx, const char *content_id,
                                       jaga_restriction_fn fn, void *arg);
jaga_status jaga__sq_block_set(jaga_store *s, jaga_ctx *ctx, jaga_country_block *b);
jaga_status jaga__sq_block_clear(jaga_store *s, jaga_ctx *ctx, const char *country);
jaga_status jaga__sq_block_list(jaga_store *s, jaga_ctx *ctx, jaga_country_block **out, size_t *n);
jaga_status jaga__sq_restrictions_expired(jaga_store *s, jaga_ctx *ctx, int64_t now,
                                          jaga_restriction_fn fn, void *arg);

/* Video scan jobs (sqlite_jobs.c). */
jaga_status jaga__sq_job_add(jaga_store *s, jaga_ctx *ctx, jaga_scan_job *job);
jaga_status jaga__sq_job_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_scan_job *out);
jaga_status jaga__sq_job_put(jaga_store *s, jaga_ctx *ctx, const jaga_scan_job *job);
jaga_status jaga__sq_jobs_unfinished(jaga_store *s, jaga_ctx *ctx, int64_t **ids, size_t *n);

/* Review cases, their sources, history and reports (sqlite_review.c). */
jaga_status jaga__sq_case_open(jaga_store *s, jaga_ctx *ctx, jaga_case *c);
jaga_status jaga__sq_case_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_case *out);
jaga_status jaga__sq_case_put(jaga_store *s, jaga_ctx *ctx, const jaga_case *c);
jaga_status jaga__sq_case_list(jaga_store *s, jaga_ctx *ctx, const char *content_id,
                               jaga_case **out, size_t *n);
jaga_status jaga__sq_case_active(jaga_store *s, jaga_ctx *ctx, const char *content_id,
                                 const char *jurisdiction, jaga_case *out);
jaga_status jaga__sq_case_next(jaga_store *s, jaga_ctx *ctx, const char *team,
                               const char *not_decided_by, int64_t now, jaga_case *out);
jaga_status jaga__sq_case_queue(jaga_store *s, jaga_ctx *ctx, const char *team, size_t limit,
                                jaga_case **out, size_t *n);
jaga_status jaga__sq_case_overdue(jaga_store *s, jaga_ctx *ctx, int64_t now, size_t limit,
                                  jaga_case **out, size_t *n);
jaga_status jaga__sq_case_source_add(jaga_store *s, jaga_ctx *ctx, jaga_case_source *src);
jaga_status jaga__sq_case_sources(jaga_store *s, jaga_ctx *ctx, int64_t case_id,
                                  jaga_case_source **out, size_t *n);
jaga_status jaga__sq_case_event_add(jaga_store *s, jaga_ctx *ctx, jaga_case_event *ev);
jaga_status jaga__sq_case_events(jaga_store *s, jaga_ctx *ctx, int64_t case_id,
                                 jaga_case_event **out, size_t *n);
jaga_status jaga__sq_report_add(jaga_store *s, jaga_ctx *ctx, jaga_report *r);
jaga_status jaga__sq_report_link(jaga_store *s, jaga_ctx *ctx, int64_t report_id, int64_t case_id);
jaga_status jaga__sq_report_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_report *out);
jaga_status jaga__sq_reports(jaga_store *s, jaga_ctx *ctx, int64_t case_id, jaga_report **out,
                             size_t *n);

/* Decisions and webhook deliveries (sqlite_decisions.c). */
jaga_status jaga__sq_decision_add(jaga_store *s, jaga_ctx *ctx, jaga_decision *d);
jaga_status jaga__sq_decision_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_decision *out);
jaga_status jaga__sq_decisions(jaga_store *s, jaga_ctx *ctx, int64_t case_id, jaga_decision **out,
                               size_t *n);
jaga_status jaga__sq_statement_add(jaga_store *s, jaga_ctx *ctx, jaga_statement *st);
jaga_status jaga__sq_statements_after(jaga_store *s, jaga_ctx *ctx, int64_t since, int64_t after_id,
                                      size_t limit, jaga_statement **out, size_t *n);
jaga_status jaga__sq_delivery_add(jaga_store *s, jaga_ctx *ctx, jaga_delivery *d);
jaga_status jaga__sq_delivery_put(jaga_store *s, jaga_ctx *ctx, const jaga_delivery *d);
jaga_status jaga__sq_delivery_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_delivery *out);
jaga_status jaga__sq_deliveries(jaga_store *s, jaga_ctx *ctx, const char *status,
                                int64_t due_before, size_t limit, jaga_delivery **out, size_t *n);

/* Regulator notices (sqlite_notices.c). */
jaga_status jaga__sq_notice_items_action(jaga_store *s, jaga_ctx *ctx, int64_t case_id,
                                         const char *action, int64_t at);
jaga_status jaga__sq_notice_create(jaga_store *s, jaga_ctx *ctx, jaga_notice *n);
jaga_status jaga__sq_notice_item_add(jaga_store *s, jaga_ctx *ctx, jaga_notice_item *it);
jaga_status jaga__sq_notice_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_notice *out);
jaga_status jaga__sq_notice_list(jaga_store *s, jaga_ctx *ctx, const char *jurisdiction,
                                 jaga_notice **out, size_t *n);
jaga_status jaga__sq_notice_items(jaga_store *s, jaga_ctx *ctx, int64_t notice_id,
                                  jaga_notice_item **out, size_t *n);
jaga_status jaga__sq_notice_items_naming(jaga_store *s, jaga_ctx *ctx, const char *jurisdiction,
                                         const char *kind, const char *value,
                                         jaga_notice_item **out, size_t *n);
jaga_status jaga__sq_notice_item_withdraw(jaga_store *s, jaga_ctx *ctx, int64_t item_id,
                                          int64_t at);

/* The audit log (sqlite_audit.c). */
jaga_status jaga__sq_audit_append(jaga_store *s, jaga_ctx *ctx, const char *kind, const char *data,
                                  size_t len);
jaga_status jaga__sq_audit_size(jaga_store *s, jaga_ctx *ctx, uint64_t *out);
jaga_status jaga__sq_audit_node(jaga_store *s, jaga_ctx *ctx, unsigned level, uint64_t index,
                                uint8_t out[32]);
jaga_status jaga__sq_audit_scan(jaga_store *s, jaga_ctx *ctx, unsigned level, uint64_t from,
                                jaga_audit_scan **out);
jaga_status jaga__sq_audit_head_put(jaga_store *s, jaga_ctx *ctx, const jaga_tree_head *h);
jaga_status jaga__sq_audit_head_latest(jaga_store *s, jaga_ctx *ctx, jaga_tree_head *out);
jaga_status jaga__sq_audit_heads(jaga_store *s, jaga_ctx *ctx, jaga_tree_head **out, size_t *n);

#endif
