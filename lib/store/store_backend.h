/* Internal: what a store backend provides. jaga_store_* dispatch here. */
#ifndef JAGA_STORE_BACKEND_H
#define JAGA_STORE_BACKEND_H

#include "jaga/exchange.h"
#include "jaga/store.h"
#include "store/store_leaf.h"

typedef struct store_ops {
    void (*close)(jaga_store *s);
    /* The store's file, for another handle on it; JAGA_ERR_INVALID when it has none. */
    jaga_status (*path)(jaga_store *s, jaga_ctx *ctx, char *out, size_t cap);
    jaga_status (*ping)(jaga_store *s, jaga_ctx *ctx);
    jaga_status (*checkpoint)(jaga_store *s, jaga_ctx *ctx);
    jaga_status (*begin)(jaga_store *s, jaga_ctx *ctx);
    jaga_status (*commit)(jaga_store *s, jaga_ctx *ctx);
    void (*rollback)(jaga_store *s);
    jaga_status (*bank_create)(jaga_store *s, jaga_ctx *ctx, jaga_bank *bank);
    jaga_status (*bank_get)(jaga_store *s, jaga_ctx *ctx, const char *name, jaga_bank *out);
    jaga_status (*bank_list)(jaga_store *s, jaga_ctx *ctx, jaga_bank **out, size_t *n);
    jaga_status (*bank_update)(jaga_store *s, jaga_ctx *ctx, const jaga_bank *bank);
    jaga_status (*entry_apply)(jaga_store *s, jaga_ctx *ctx, jaga_entry *e, jaga_apply_result *r);
    jaga_status (*entry_get)(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_entry *out);
    jaga_status (*entries_each)(jaga_store *s, jaga_ctx *ctx, const jaga_entry_filter *f,
                                jaga_entry_fn fn, void *arg);
    jaga_status (*generation)(jaga_store *s, jaga_ctx *ctx, uint64_t *out);
    jaga_status (*key_create)(jaga_store *s, jaga_ctx *ctx, jaga_key *key);
    jaga_status (*key_get)(jaga_store *s, jaga_ctx *ctx, const char *prefix, jaga_key *out);
    jaga_status (*key_list)(jaga_store *s, jaga_ctx *ctx, jaga_key **out, size_t *n);
    jaga_status (*key_revoke)(jaga_store *s, jaga_ctx *ctx, const char *prefix);
    jaga_status (*content_put)(jaga_store *s, jaga_ctx *ctx, jaga_content *c);
    jaga_status (*content_get)(jaga_store *s, jaga_ctx *ctx, const char *id, jaga_content *out);
    jaga_status (*restriction_add)(jaga_store *s, jaga_ctx *ctx, jaga_restriction *r);
    jaga_status (*restriction_lift)(jaga_store *s, jaga_ctx *ctx, int64_t id);
    jaga_status (*restrictions_each)(jaga_store *s, jaga_ctx *ctx, const char *content_id,
                                     jaga_restriction_fn fn, void *arg);
    jaga_status (*block_set)(jaga_store *s, jaga_ctx *ctx, jaga_country_block *b);
    jaga_status (*block_clear)(jaga_store *s, jaga_ctx *ctx, const char *country);
    jaga_status (*block_list)(jaga_store *s, jaga_ctx *ctx, jaga_country_block **out, size_t *n);
    jaga_status (*case_open)(jaga_store *s, jaga_ctx *ctx, jaga_case *c);
    jaga_status (*case_get)(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_case *out);
    jaga_status (*notice_create)(jaga_store *s, jaga_ctx *ctx, jaga_notice *n);
    jaga_status (*notice_item_add)(jaga_store *s, jaga_ctx *ctx, jaga_notice_item *it);
    jaga_status (*notice_get)(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_notice *out);
    jaga_status (*notice_list)(jaga_store *s, jaga_ctx *ctx, const char *jurisdiction,
                               jaga_notice **out, size_t *n);
    jaga_status (*notice_items)(jaga_store *s, jaga_ctx *ctx, int64_t notice_id,
                                jaga_notice_item **out, size_t *n);
    jaga_status (*notice_items_naming)(jaga_store *s, jaga_ctx *ctx, const char *jurisdiction,
                                       const char *kind, const char *value, jaga_notice_item **out,
                                       size_t *n);
    jaga_status (*notice_item_withdraw)(jaga_store *s, jaga_ctx *ctx, int64_t item_id, int64_t at);
    jaga_status (*case_list)(jaga_store *s, jaga_ctx *ctx, const char *content_id, jaga_case **out,
                             size_t *n);
    jaga_status (*restrictions_expired)(jaga_store *s, jaga_ctx *ctx, int64_t now,
                                        jaga_restriction_fn fn, void *arg);
    jaga_status (*case_put)(jaga_store *s, jaga_ctx *ctx, const jaga_case *c);
    jaga_status (*case_active)(jaga_store *s, jaga_ctx *ctx, const char *content_id,
                               const char *jurisdiction, jaga_case *out);
    jaga_status (*case_next)(jaga_store *s, jaga_ctx *ctx, const char *team,
                             const char *not_decided_by, int64_t now, jaga_case *out);
    jaga_status (*case_queue)(jaga_store *s, jaga_ctx *ctx, const char *team, size_t limit,
                              jaga_case **out, size_t *n);
    jaga_status (*case_overdue)(jaga_store *s, jaga_ctx *ctx, int64_t now, size_t limit,
                                jaga_case **out, size_t *n);
    jaga_status (*case_source_add)(jaga_store *s, jaga_ctx *ctx, jaga_case_source *src);
    jaga_status (*case_sources)(jaga_store *s, jaga_ctx *ctx, int64_t case_id,
                                jaga_case_source **out, size_t *n);
    jaga_status (*case_event_add)(jaga_store *s, jaga_ctx *ctx, jaga_case_event *ev);
    jaga_status (*case_events)(jaga_store *s, jaga_ctx *ctx, int64_t case_id, jaga_case_event **out,
                               size_t *n);
    jaga_status (*report_add)(jaga_store *s, jaga_ctx *ctx, jaga_report *r);
    jaga_status (*report_link)(jaga_store *s, jaga_ctx *ctx, int64_t report_id, int64_t case_id);
    jaga_status (*report_get)(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_report *out);
    jaga_status (*reports)(jaga_store *s, jaga_ctx *ctx, int64_t case_id, jaga_report **out,
                           size_t *n);
    jaga_status (*decision_add)(jaga_store *s, jaga_ctx *ctx, jaga_decision *d);
    jaga_status (*decision_get)(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_decision *out);
    jaga_status (*decisions)(jaga_store *s, jaga_ctx *ctx, int64_t case_id, jaga_decision **out,
                             size_t *n);
    jaga_status (*statement_add)(jaga_store *s, jaga_ctx *ctx, jaga_statement *st);
    jaga_status (*statements_after)(jaga_store *s, jaga_ctx *ctx, int64_t since, int64_t after_id,
                                    size_t limit, jaga_statement **out, size_t *n);
    jaga_status (*notice_items_action)(jaga_store *s, jaga_ctx *ctx, int64_t case_id,
                                       const char *action, int64_t at);
    jaga_status (*delivery_add)(jaga_store *s, jaga_ctx *ctx, jaga_delivery *d);
    jaga_status (*delivery_put)(jaga_store *s, jaga_ctx *ctx, const jaga_delivery *d);
    jaga_status (*delivery_get)(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_delivery *out);
    jaga_status (*deliveries)(jaga_store *s, jaga_ctx *ctx, const char *status, int64_t due_before,
                              size_t limit, jaga_delivery **out, size_t *n);
    jaga_status (*job_add)(jaga_store *s, jaga_ctx *ctx, jaga_scan_job *job);
    jaga_status (*job_get)(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_scan_job *out);
    jaga_status (*job_put)(jaga_store *s, jaga_ctx *ctx, const jaga_scan_job *job);
    jaga_status (*jobs_unfinished)(jaga_store *s, jaga_ctx *ctx, int64_t **ids, size_t *n);
    /* The audit log (sqlite_audit.c). append adds a leaf in the open transaction. */
    jaga_status (*audit_append)(jaga_store *s, jaga_ctx *ctx, const char *kind, const char *data,
                                size_t len);
    jaga_status (*audit_size)(jaga_store *s, jaga_ctx *ctx, uint64_t *out);
    jaga_status (*audit_node)(jaga_store *s, jaga_ctx *ctx, unsigned level, uint64_t index,
                              uint8_t out[32]);
    jaga_status (*audit_scan)(jaga_store *s, jaga_ctx *ctx, unsigned level, uint64_t from,
                              jaga_audit_scan **out);
    jaga_status (*audit_head_put)(jaga_store *s, jaga_ctx *ctx, const jaga_tree_head *h);
    jaga_status (*audit_head_latest)(jaga_store *s, jaga_ctx *ctx, jaga_tree_head *out);
    jaga_status (*audit_heads)(jaga_store *s, jaga_ctx *ctx, jaga_tree_head **out, size_t *n);
    /* Hash exchange (sqlite_exchange.c). */
    jaga_status (*peer_add)(jaga_store *s, jaga_ctx *ctx, jaga_peer *p);
    jaga_status (*peer_get)(jaga_store *s, jaga_ctx *ctx, const char *name, jaga_peer *out);
    jaga_status (*peer_by_key)(jaga_store *s, jaga_ctx *ctx, const uint8_t key[32], jaga_peer *out);
    jaga_status (*peer_list)(jaga_store *s, jaga_ctx *ctx, jaga_peer **out, size_t *n);
    jaga_status (*peer_revoke)(jaga_store *s, jaga_ctx *ctx, const char *name);
    jaga_status (*changes)(jaga_store *s, jaga_ctx *ctx, int64_t bank_id, int64_t after,
                           size_t limit, jaga_change_fn fn, void *arg);
    jaga_status (*changes_head)(jaga_store *s, jaga_ctx *ctx, int64_t bank_id, int64_t *out);
    jaga_status (*subscription_add)(jaga_store *s, jaga_ctx *ctx, jaga_subscription *sub);
    jaga_status (*subscription_get)(jaga_store *s, jaga_ctx *ctx, const char *peer,
                                    const char *remote_bank, jaga_subscription *out);
    jaga_status (*subscription_list)(jaga_store *s, jaga_ctx *ctx, jaga_subscription **out,
                                     size_t *n);
    /* advance: JAGA_ERR_CONFLICT when the cursor is not at from. */
    jaga_status (*subscription_advance)(jaga_store *s, jaga_ctx *ctx, int64_t id, int64_t from,
                                        int64_t to);
    jaga_status (*subscription_fail)(jaga_store *s, jaga_ctx *ctx, int64_t id, int rejected,
                                     const char *error);
    /* kept: 0 when a newer verdict of that peer was stored already. */
    jaga_status (*feedback_put)(jaga_store *s, jaga_ctx *ctx, jaga_feedback *fb, int *kept);
    jaga_status (*feedback_list)(jaga_store *s, jaga_ctx *ctx, int64_t bank_id, jaga_feedback **out,
                                 size_t *n);
    jaga_status (*verdict_queue)(jaga_store *s, jaga_ctx *ctx, int64_t entry_id,
                                 jaga_feedback_verdict verdict, int64_t at, int *queued);
    jaga_status (*verdicts_due)(jaga_store *s, jaga_ctx *ctx, int64_t now, size_t limit,
                                jaga_outgoing_verdict **out, size_t *n);
    jaga_status (*verdict_done)(jaga_store *s, jaga_ctx *ctx, int64_t id, const char *error,
                                int64_t next_at);
} store_ops;

/* A walk of the log: each backend's starts with this. */
struct jaga_audit_scan {
    jaga_status (*next)(jaga_audit_scan *scan, jaga_ctx *ctx, jaga_audit_row *row);
    void (*close)(jaga_audit_scan *scan);
};

/* Every backend's handle starts with this. */
struct jaga_store {
    const store_ops *ops;
    jaga_store_observer observer;
    void *observer_arg;
};

/* The monotonic clock, and an operation's duration reported to the handle's observer (its
 * status passed through): every jaga_store_* call is timed this way. */
double jaga__store_clock(void);
jaga_status jaga__store_observed(jaga_store *s, const char *op, double start, jaga_status st);

/* Times one backend operation: STORE_CALL(op, args...) in a function with s and ctx. */
#define STORE_CALL(op, ...)                                                                        \
    do {                                                                                           \
        double t0_ = jaga__store_clock();                                                          \
        return jaga__store_observed(s, #op, t0_, s->ops->op(s, ctx, __VA_ARGS__));                 \
    } while (0)

/* A change and its audit leaf in one transaction (nested in the caller's, if any):
 * STORE_AUDITED(op, describe, args...) runs op, then describe (an expression that fills the
 * store_leaf `leaf` and is non-zero when the change is one to log) and appends the leaf; any
 * failure undoes both. */
#define STORE_AUDITED(op, describe, ...)                                                           \
    do {                                                                                           \
        double t0_ = jaga__store_clock();                                                          \
        store_leaf leaf;                                                                           \
        jaga_status st_ = s->ops->begin(s, ctx);                                                   \
        if (st_ == JAGA_OK && (st_ = s->ops->op(s, ctx, __VA_ARGS__)) == JAGA_OK && (describe))    \
            st_ = jaga__store_leaf_append(s, ctx, &leaf);                                          \
        return jaga__store_observed(s, #op, t0_, jaga__store_change_end(s, ctx, st_));             \
    } while (0)

/* Appends a described leaf (JAGA_ERR_INVALID when it overflowed); commits the change's
 * transaction when st is JAGA_OK, else rolls it back; returns st or the commit's failure. */
jaga_status jaga__store_leaf_append(jaga_store *s, jaga_ctx *ctx, const store_leaf *leaf);
jaga_status jaga__store_change_end(jaga_store *s, jaga_ctx *ctx, jaga_status st);

jaga_status jaga__store_sqlite_open(jaga_ctx *ctx, const char *path, jaga_store **out);

#endif
