/*
 * The store: where banks, entries, keys, contents, cases, notices and the audit log live.
 * One interface, backends behind it: SQLite (embedded, the default) today.
 *
 * Writes outside a transaction are durable when the call returns; inside one (begin ...
 * commit) when commit returns. A store handle is used by one thread at a time.
 */
#ifndef JAGA_STORE_H
#define JAGA_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/auth.h"
#include "jaga/bank.h"
#include "jaga/restriction.h"
#include "jaga/review.h"
#include "jaga/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jaga_store jaga_store;

/* Opens (creating if needed) the SQLite store at path and brings its schema up to date.
 * Returns JAGA_OK, JAGA_ERR_IO or JAGA_ERR_DECODE (not a jaga store, or a newer schema). */
jaga_status jaga_store_open(jaga_ctx *ctx, const char *path, jaga_store **out);

/* Another handle on the same store, for another thread. JAGA_ERR_INVALID for a store that
 * has no other handle (one in memory). */
jaga_status jaga_store_reopen(jaga_store *store, jaga_ctx *ctx, jaga_store **out);

/* A no-op on NULL. An open transaction is rolled back. */
void jaga_store_free(jaga_store *store);

/* Calls fn after each operation on this handle with the operation's name (a string
 * literal, e.g. "content_put") and its duration: latency metrics. */
typedef void (*jaga_store_observer)(void *arg, const char *op, double seconds);
void jaga_store_observe(jaga_store *store, jaga_store_observer fn, void *arg);

/* Whether the store answers, at the cost of a trivial query. */
jaga_status jaga_store_ping(jaga_store *store, jaga_ctx *ctx);

/* Folds the write-ahead log into the main file (at shutdown). */
jaga_status jaga_store_checkpoint(jaga_store *store, jaga_ctx *ctx);

/* Transactions. Inside an open one, begin opens a nested one (a savepoint): its commit keeps
 * its changes for the outer commit to make durable, its rollback undoes only its own. An
 * outermost commit that fails (a full disk, an I/O error) has rolled the transaction back
 * when it returns; a rollback after it does nothing. */
jaga_status jaga_store_begin(jaga_store *store, jaga_ctx *ctx);
jaga_status jaga_store_commit(jaga_store *store, jaga_ctx *ctx);
void jaga_store_rollback(jaga_store *store);

/* Creates a bank (checked with jaga_bank_check); fills bank->id and created_at.
 * JAGA_ERR_CONFLICT when the name is taken. */
jaga_status jaga_store_bank_create(jaga_store *store, jaga_ctx *ctx, jaga_bank *bank);

/* The bank of that name with its entry counts. JAGA_ERR_NOT_FOUND when there is none. */
jaga_status jaga_store_bank_get(jaga_store *store, jaga_ctx *ctx, const char *name, jaga_bank *out);

/* Every bank, by name; *out is a new array to free(). */
jaga_status jaga_store_bank_list(jaga_store *store, jaga_ctx *ctx, jaga_bank **out, size_t *n);

/* Updates description, signal types, threshold, verified and enabled of bank->id. */
jaga_status jaga_store_bank_update(jaga_store *store, jaga_ctx *ctx, const jaga_bank *bank);

typedef enum jaga_apply_result {
    JAGA_APPLY_ADDED,       /* a new entry */
    JAGA_APPLY_PRESENT,     /* already there and active: nothing changed */
    JAGA_APPLY_REACTIVATED, /* was withdrawn, active again */
    JAGA_APPLY_WITHDRAWN,   /* was active, now withdrawn */
    JAGA_APPLY_UNKNOWN      /* a withdrawal of an entry that is not there (or already out) */
} jaga_apply_result;

/*
 * Applies one entry to its bank: entry->withdrawn 0 adds it (or reactivates it), 1 withdraws
 * it. bank_id, type and value identify the entry; quality, labels and added_at are taken
 * for new entries. The value is checked and normalized in place (jaga_signal_normalize);
 * entry->id is filled when the entry exists. Returns JAGA_OK, JAGA_ERR_INVALID or
 * JAGA_ERR_IO.
 */
jaga_status jaga_store_entry_apply(jaga_store *store, jaga_ctx *ctx, jaga_entry *entry,
                                   jaga_apply_result *result);

/* The entry with that id. JAGA_ERR_NOT_FOUND when there is none. */
jaga_status jaga_store_entry_get(jaga_store *store, jaga_ctx *ctx, int64_t id, jaga_entry *out);

/* Which entries a walk visits. Zeroed: every active entry of every bank. */
typedef struct jaga_entry_filter {
    int64_t bank_id;    /* 0: every bank */
    int with_withdrawn; /* withdrawn entries too */
    unsigned types;     /* a bitmask of 1u << jaga_signal_type; 0: every type */
    int64_t after_id;   /* only ids above this (to page through a bank) */
    size_t limit;       /* at most this many; 0: no limit */
} jaga_entry_filter;

/* Calls fn for each entry the filter selects, in id order; a non-zero return from fn stops
 * the walk (status JAGA_OK). */
typedef int (*jaga_entry_fn)(void *arg, const jaga_entry *entry);
jaga_status jaga_store_entries_each(jaga_store *store, jaga_ctx *ctx, const jaga_entry_filter *f,
                                    jaga_entry_fn fn, void *arg);

/* A number that changes whenever a bank or an entry does (kept by the store itself, in the
 * transaction of the change): an index built at one generation is still valid while the
 * generation is the same. */
jaga_status jaga_store_generation(jaga_store *store, jaga_ctx *ctx, uint64_t *out);

/* Stores a new key (checked with jaga_key_check); fills key->id and created_at. */
jaga_status jaga_store_key_create(jaga_store *store, jaga_ctx *ctx, jaga_key *key);

/* The key with that prefix, revoked or not. JAGA_ERR_NOT_FOUND when there is none. */
jaga_status jaga_store_key_get(jaga_store *store, jaga_ctx *ctx, const char *prefix, jaga_key *out);

/* Every key, by id; *out is a new array to free(). */
jaga_status jaga_store_key_list(jaga_store *store, jaga_ctx *ctx, jaga_key **out, size_t *n);

/* Revokes the key with that prefix. JAGA_ERR_NOT_FOUND when there is none in force. */
jaga_status jaga_store_key_revoke(jaga_store *store, jaga_ctx *ctx, const char *prefix);

/* The largest packed seed of a blurred rendition (jaga/blur.h): 7 bytes of header and at
 * most 16 x 16 RGB pixels. */
#define JAGA_BLUR_SEED_MAX 775

/* A scanned upload: the platform's content id and uploader, the signals, and the matches at
 * scan time (a JSON array as text). */
typedef struct jaga_content {
    char content_id[257];
    char uploader_id[257];
    char uploader_country[3]; /* ISO 3166-1 alpha-2, or "" */
    char pdq[65], sha256[65], md5[33];
    int quality;
    uint32_t width, height;
    char format[8];
    int64_t scanned_at;
    char media_url[1025]; /* where reviewers see it (the platform's), or "" */
    char scores[256];     /* the classifier's, as JSON ({"porn": 0.97, ...}); "" unscored */
    uint8_t blur_seed[JAGA_BLUR_SEED_MAX]; /* its blurred rendition's seed (jaga/blur.h) */
    size_t blur_seed_len;                  /* 0: none (not an image, or scanned before seeds) */
    char *matches_json;                    /* malloc'd; jaga_content_clear frees it */
} jaga_content;

void jaga_content_clear(jaga_content *content);

/* Stores a scanned content; fills scanned_at. JAGA_ERR_CONFLICT when the content id is
 * stored already (the caller decides what a re-scan means). */
jaga_status jaga_store_content_put(jaga_store *store, jaga_ctx *ctx, jaga_content *content);

/* The content of that id. JAGA_ERR_NOT_FOUND when there is none. */
jaga_status jaga_store_content_get(jaga_store *store, jaga_ctx *ctx, const char *content_id,
                                   jaga_content *out);

/* A video scan waits as a job: queued when accepted, running, then done (result holds its
 * record as JSON) or failed (error_code and error say why). */
typedef struct jaga_scan_job {
    int64_t id;
    char content_id[257];
    char uploader_id[257];
    char uploader_country[3];
    char media_url[1025];
    char key_prefix[16]; /* the key that asked */
    char state[12];      /* "queued", "running", "done", "failed" */
    char error_code[32];
    char error[256];
    int64_t created_at, finished_at; /* Unix seconds; finished_at 0 until done or failed */
    char *result;                    /* malloc'd JSON or NULL; jaga_scan_job_clear frees it */
} jaga_scan_job;

void jaga_scan_job_clear(jaga_scan_job *job);

/* add stores a new job, queued (fills id, created_at, state); put stores a job's state,
 * error, result and finished_at (JAGA_ERR_NOT_FOUND for an unknown id); unfinished lists the
 * ids of the jobs queued or running, oldest first, into a malloc'd array. */
jaga_status jaga_store_job_add(jaga_store *store, jaga_ctx *ctx, jaga_scan_job *job);
jaga_status jaga_store_job_get(jaga_store *store, jaga_ctx *ctx, int64_t id, jaga_scan_job *out);
jaga_status jaga_store_job_put(jaga_store *store, jaga_ctx *ctx, const jaga_scan_job *job);
jaga_status jaga_store_jobs_unfinished(jaga_store *store, jaga_ctx *ctx, int64_t **ids, size_t *n);

/* Restrictions (jaga/restriction.h): add fills id and created_at; lift ends one (it stays
 * in the history), JAGA_ERR_NOT_FOUND when none in force has that id. each calls fn for the
 * restrictions in force, of one content (content_id) or all (NULL), in id order; expired
 * those in force whose expires_at is set and at or before now. */
jaga_status jaga_store_restriction_add(jaga_store *store, jaga_ctx *ctx, jaga_restriction *r);
jaga_status jaga_store_restriction_lift(jaga_store *store, jaga_ctx *ctx, int64_t id);
typedef int (*jaga_restriction_fn)(void *arg, const jaga_restriction *r);
jaga_status jaga_store_restrictions_each(jaga_store *store, jaga_ctx *ctx, const char *content_id,
                                         jaga_restriction_fn fn, void *arg);
jaga_status jaga_store_restrictions_expired(jaga_store *store, jaga_ctx *ctx, int64_t now,
                                            jaga_restriction_fn fn, void *arg);

/* A whole country withheld from the service (every answer there is withheld). */
typedef struct jaga_country_block {
    char country[3];
    char reason[48], legal_id[48];
    int64_t created_at;
} jaga_country_block;

/* set adds or replaces a country's block (fills created_at); clear ends it
 * (JAGA_ERR_NOT_FOUND when there is none); list gives every block, *out to free(). */
jaga_status jaga_store_block_set(jaga_store *store, jaga_ctx *ctx, jaga_country_block *b);
jaga_status jaga_store_block_clear(jaga_store *store, jaga_ctx *ctx, const char *country);
jaga_status jaga_store_block_list(jaga_store *store, jaga_ctx *ctx, jaga_country_block **out,
                                  size_t *n);

/* Review cases (jaga/review.h): open stores a new one (status "open"; fills id and
 * opened_at); get reads one (JAGA_ERR_NOT_FOUND); put writes back everything but its id,
 * content, first source and opening time; list gives every case of one content, oldest first;
 * active gives the content's case under review (neither decided nor closed;
 * JAGA_ERR_NOT_FOUND when none) in jurisdiction (a code of the policy, or "*" for a
 * platform-wide case; NULL: in any, the oldest). Arrays: free(). */
jaga_status jaga_store_case_open(jaga_store *store, jaga_ctx *ctx, jaga_case *c);
jaga_status jaga_store_case_get(jaga_store *store, jaga_ctx *ctx, int64_t id, jaga_case *out);
jaga_status jaga_store_case_put(jaga_store *store, jaga_ctx *ctx, const jaga_case *c);
jaga_status jaga_store_case_list(jaga_store *store, jaga_ctx *ctx, const char *content_id,
                                 jaga_case **out, size_t *n);
jaga_status jaga_store_case_active(jaga_store *store, jaga_ctx *ctx, const char *content_id,
                                   const char *jurisdiction, jaga_case *out);

/*
 * The queue of a team: its cases waiting for a person (open, escalated, appealed), most
 * urgent first: the earliest due_at, then the most urgent priority, then the most reports.
 * next gives the first one free at now (no lease in force) that not_decided_by did not decide
 * (appeals go to another moderator; NULL: anyone), JAGA_ERR_NOT_FOUND when there is none;
 * queue lists up to limit of them, held or not.
 */
jaga_status jaga_store_case_next(jaga_store *store, jaga_ctx *ctx, const char *team,
                                 const char *not_decided_by, int64_t now, jaga_case *out);
jaga_status jaga_store_case_queue(jaga_store *store, jaga_ctx *ctx, const char *team, size_t limit,
                                  jaga_case **out, size_t *n);

/* Cases waiting for a person with a deadline passed at now that is not yet counted as
 * breached (jaga_case.breached), up to limit, most overdue first. */
jaga_status jaga_store_case_overdue(jaga_store *store, jaga_ctx *ctx, int64_t now, size_t limit,
                                    jaga_case **out, size_t *n);

/* A case's sources, history, reports: add fills id; the lists are in order. */
jaga_status jaga_store_case_source_add(jaga_store *store, jaga_ctx *ctx, jaga_case_source *src);
jaga_status jaga_store_case_sources(jaga_store *store, jaga_ctx *ctx, int64_t case_id,
                                    jaga_case_source **out, size_t *n);
jaga_status jaga_store_case_event_add(jaga_store *store, jaga_ctx *ctx, jaga_case_event *ev);
jaga_status jaga_store_case_events(jaga_store *store, jaga_ctx *ctx, int64_t case_id,
                                   jaga_case_event **out, size_t *n);
jaga_status jaga_store_report_add(jaga_store *store, jaga_ctx *ctx, jaga_report *r);
/* Sets the case a stored report joined (its id is the case source's reference). */
jaga_status jaga_store_report_link(jaga_store *store, jaga_ctx *ctx, int64_t report_id,
                                   int64_t case_id);
jaga_status jaga_store_report_get(jaga_store *store, jaga_ctx *ctx, int64_t id, jaga_report *out);
jaga_status jaga_store_reports(jaga_store *store, jaga_ctx *ctx, int64_t case_id, jaga_report **out,
                               size_t *n);

/* Decisions: add fills id; get reads one (JAGA_ERR_NOT_FOUND); list gives a case's, in order.
 * items_action marks the notice items a case covers actioned (those pending, not withdrawn). */
jaga_status jaga_store_decision_add(jaga_store *store, jaga_ctx *ctx, jaga_decision *d);
jaga_status jaga_store_decision_get(jaga_store *store, jaga_ctx *ctx, int64_t id,
                                    jaga_decision *out);
jaga_status jaga_store_decisions(jaga_store *store, jaga_ctx *ctx, int64_t case_id,
                                 jaga_decision **out, size_t *n);
/* Statements of reasons: add fills id (JAGA_ERR_CONFLICT for a puid stored already); after
 * gives up to limit made at or after since (Unix seconds) with ids above after_id, by id: to
 * page through them for exports. */
jaga_status jaga_store_statement_add(jaga_store *store, jaga_ctx *ctx, jaga_statement *s);
jaga_status jaga_store_statements_after(jaga_store *store, jaga_ctx *ctx, int64_t since,
                                        int64_t after_id, size_t limit, jaga_statement **out,
                                        size_t *n);
jaga_status jaga_store_notice_items_action(jaga_store *store, jaga_ctx *ctx, int64_t case_id,
                                           const char *action, int64_t at);

/* Webhook deliveries: add fills id and created_at; put writes status, attempts, next_at,
 * done_at and last_error back; get reads one; list gives up to limit of one status ("" any),
 * those due at due_before or earlier when it is non-zero, by next_at then id. */
jaga_status jaga_store_delivery_add(jaga_store *store, jaga_ctx *ctx, jaga_delivery *d);
jaga_status jaga_store_delivery_put(jaga_store *store, jaga_ctx *ctx, const jaga_delivery *d);
jaga_status jaga_store_delivery_get(jaga_store *store, jaga_ctx *ctx, int64_t id,
                                    jaga_delivery *out);
jaga_status jaga_store_deliveries(jaga_store *store, jaga_ctx *ctx, const char *status,
                                  int64_t due_before, size_t limit, jaga_delivery **out, size_t *n);

/* A regulator's notice: received, with its deadline and the penalty per breached item. */
typedef struct jaga_notice {
    int64_t id;
    char jurisdiction[3];
    char key_prefix[16]; /* the regulator key that filed it */
    char reference[128]; /* the regulator's own */
    char legal_basis[48];
    int urgent;
    int64_t received_at, deadline_at;
    char penalty_currency[4];
    double penalty_amount;
} jaga_notice;

#define JAGA_NOTICE_VALUE_MAX 2048

typedef struct jaga_notice_item {
    int64_t id, notice_id;
    char kind[8]; /* content, pdq, md5, sha256, url */
    char value[JAGA_NOTICE_VALUE_MAX + 1];
    int64_t case_id;     /* the review case that decides it */
    int64_t actioned_at; /* 0 while pending */
    char action[16];
    int64_t withdrawn_at; /* when its regulator withdrew it; 0: in force */
} jaga_notice_item;

/* create stores a notice (fills id and received_at); item_add stores one of its items (fills
 * id); get reads one (JAGA_ERR_NOT_FOUND); list gives the notices of one jurisdiction (or of
 * all for NULL), newest first; items gives a notice's items in order; items_naming gives the
 * items of a jurisdiction's notices that name kind and value, in order; item_withdraw marks
 * one withdrawn (JAGA_ERR_CONFLICT when it is already). Arrays: free(). */
jaga_status jaga_store_notice_create(jaga_store *store, jaga_ctx *ctx, jaga_notice *n);
jaga_status jaga_store_notice_item_add(jaga_store *store, jaga_ctx *ctx, jaga_notice_item *it);
jaga_status jaga_store_notice_get(jaga_store *store, jaga_ctx *ctx, int64_t id, jaga_notice *out);
jaga_status jaga_store_notice_list(jaga_store *store, jaga_ctx *ctx, const char *jurisdiction,
                                   jaga_notice **out, size_t *n);
jaga_status jaga_store_notice_items(jaga_store *store, jaga_ctx *ctx, int64_t notice_id,
                                    jaga_notice_item **out, size_t *n);
jaga_status jaga_store_notice_items_naming(jaga_store *store, jaga_ctx *ctx,
                                           const char *jurisdiction, const char *kind,
                                           const char *value, jaga_notice_item **out, size_t *n);
jaga_status jaga_store_notice_item_withdraw(jaga_store *store, jaga_ctx *ctx, int64_t item_id,
                                            int64_t at);

/*
 * The audit log: every change above (banks, entries, keys, scanned contents, restrictions,
 * country blocks, cases with their sources and history, reports, decisions, notices) appends
 * a leaf in the transaction of the change, to a Merkle tree hashed as RFC 6962 says
 * (jaga/merkle.h). A leaf's data is JSON that starts with its kind
 * ({"kind":"decision.add",...}) and holds identifiers, codes, times and hashes: never media,
 * never a reporter's identity, never free text (only its SHA-256).
 */
enum { JAGA_AUDIT_KIND_MAX = 32, JAGA_AUDIT_LEAF_MAX = 16384 };

/* A row of the log: at level 0 a leaf (index, logged_at, kind, data, hash), above it the
 * root of a perfect subtree (level, index, hash: jaga/merkle.h). data is borrowed: valid
 * until the next call on the scan that gave it. */
typedef struct jaga_audit_row {
    unsigned level;
    uint64_t index;
    int64_t logged_at;
    char kind[JAGA_AUDIT_KIND_MAX];
    const char *data;
    size_t len;
    uint8_t hash[32];
} jaga_audit_row;

/* How many leaves the log holds. */
jaga_status jaga_store_audit_size(jaga_store *store, jaga_ctx *ctx, uint64_t *out);

/* The root of the perfect subtree at level, index (level 0: a leaf's hash), as stored.
 * JAGA_ERR_NOT_FOUND when the log has none there. */
jaga_status jaga_store_audit_node(jaga_store *store, jaga_ctx *ctx, unsigned level, uint64_t index,
                                  uint8_t out[32]);

/* A walk through one level of the log in index order, from index from: next fills row and
 * gives JAGA_OK, JAGA_ERR_NOT_FOUND past the last row. Several walks may be open at once on
 * one handle; close each (a no-op on NULL) before the handle is freed. */
typedef struct jaga_audit_scan jaga_audit_scan;
jaga_status jaga_store_audit_scan(jaga_store *store, jaga_ctx *ctx, unsigned level, uint64_t from,
                                  jaga_audit_scan **out);
jaga_status jaga_audit_scan_next(jaga_audit_scan *scan, jaga_ctx *ctx, jaga_audit_row *row);
void jaga_audit_scan_close(jaga_audit_scan *scan);

/* A signed tree head: the log's size and root at signed_at, signed with Ed25519 (the
 * message is jaga_tree_head_message's). */
typedef struct jaga_tree_head {
    uint64_t size;
    uint8_t root[32];
    int64_t signed_at;
    uint8_t signature[64];
} jaga_tree_head;

/* head_put keeps a head (the first one signed at a size stays); head_latest reads the
 * largest (JAGA_ERR_NOT_FOUND when none was signed); heads gives every one by size, *out to
 * free(). */
jaga_status jaga_store_audit_head_put(jaga_store *store, jaga_ctx *ctx, const jaga_tree_head *h);
jaga_status jaga_store_audit_head_latest(jaga_store *store, jaga_ctx *ctx, jaga_tree_head *out);
jaga_status jaga_store_audit_heads(jaga_store *store, jaga_ctx *ctx, jaga_tree_head **out,
                                   size_t *n);

#ifdef __cplusplus
}
#endif
#endif
