/*
 * Hash exchange between jaga nodes.
 *
 * A node publishes chosen banks as feeds: every change to a bank's entries (added, withdrawn)
 * has a sequence number, and a feed page (a batch) carries the changes after a cursor, in
 * order, signed with the node's Ed25519 key (the audit log's key, jaga/audit.h, is the node's
 * identity). Peers are other nodes, known by their public keys, each allowed to read some
 * banks; their requests are signed with their own keys (jaga_exchange_request_sign). A node
 * that subscribes to a peer's bank pulls its feed into a local bank that records where it came
 * from, checking each batch's signature and order before applying it, and advancing its
 * checkpoint (the cursor) in the transaction that applies it: a pull stopped anywhere resumes
 * with nothing lost or doubled. Peers send back their reviewers' verdicts on entries.
 */
#ifndef JAGA_EXCHANGE_H
#define JAGA_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/audit.h"
#include "jaga/bank.h"
#include "jaga/status.h"
#include "jaga/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define JAGA_PEER_NAME_MAX 64
#define JAGA_PEER_URL_MAX 512
#define JAGA_PEER_BANKS_MAX 1024

typedef struct jaga_peer {
    int64_t id;
    char name[JAGA_PEER_NAME_MAX];   /* a-z, 0-9, '.', '-', '_'; starting with a letter */
    uint8_t public_key[32];          /* its Ed25519 key (RFC 8032) */
    char url[JAGA_PEER_URL_MAX];     /* its API (http:// or https://), "" if never pulled from */
    char banks[JAGA_PEER_BANKS_MAX]; /* the banks it may read, comma-separated; "" none */
    int64_t created_at, revoked_at;  /* revoked_at 0: in force */
} jaga_peer;

/* Checks a peer's name, URL and bank list. JAGA_OK or JAGA_ERR_INVALID with the reason. */
jaga_status jaga_peer_check(jaga_ctx *ctx, const jaga_peer *peer);

/* Whether the peer (in force) may read bank. */
int jaga_peer_may_read(const jaga_peer *peer, const char *bank);

/* A subscription: a peer's bank pulled into a local bank (its origin), with the checkpoint. */
typedef struct jaga_subscription {
    int64_t id, peer_id, bank_id;
    char peer[JAGA_PEER_NAME_MAX];        /* filled when read */
    char remote_bank[JAGA_BANK_NAME_MAX]; /* the bank's name at the peer */
    char bank[JAGA_BANK_NAME_MAX];        /* the local bank's name, filled when read */
    int64_t cursor;                       /* the last change applied (0: none yet) */
    int64_t pulled_at;                    /* the last batch applied, Unix seconds */
    int64_t rejected;                     /* batches refused */
    char last_error[256];                 /* why the last pull failed, "" when it did not */
} jaga_subscription;

typedef enum jaga_feedback_verdict {
    JAGA_FEEDBACK_CONFIRMED = 0, /* a reviewer found it is what the bank says */
    JAGA_FEEDBACK_FALSE_POSITIVE,
    JAGA_FEEDBACK_COUNT
} jaga_feedback_verdict;

/* "confirmed", "false_positive". */
const char *jaga_feedback_verdict_name(jaga_feedback_verdict v);
jaga_status jaga_feedback_verdict_parse(const char *name, jaga_feedback_verdict *out);

/* A peer's latest verdict on one of this node's entries: the entry named by its bank, type
 * and value (entry_id filled when stored or read). */
typedef struct jaga_feedback {
    int64_t entry_id, bank_id, peer_id;
    char peer[JAGA_PEER_NAME_MAX]; /* filled when read */
    jaga_signal_type type;
    char value[JAGA_SIGNAL_VALUE_MAX];
    jaga_feedback_verdict verdict;
    int64_t at; /* when the peer's reviewer decided, Unix seconds */
} jaga_feedback;

/* Peers: add stores one (checked; fills id and created_at; JAGA_ERR_CONFLICT when its name or
 * key is taken); get reads one by name, by_key one by public key (revoked or not;
 * JAGA_ERR_NOT_FOUND); list gives every one by name, *out to free(); revoke ends one
 * (JAGA_ERR_NOT_FOUND when none in force has that name). */
jaga_status jaga_store_peer_add(jaga_store *store, jaga_ctx *ctx, jaga_peer *peer);
jaga_status jaga_store_peer_get(jaga_store *store, jaga_ctx *ctx, const char *name, jaga_peer *out);
jaga_status jaga_store_peer_by_key(jaga_store *store, jaga_ctx *ctx, const uint8_t key[32],
                                   jaga_peer *out);
jaga_status jaga_store_peer_list(jaga_store *store, jaga_ctx *ctx, jaga_peer **out, size_t *n);
jaga_status jaga_store_peer_revoke(jaga_store *store, jaga_ctx *ctx, const char *name);

/* A bank's changes after the change numbered after, in order, at most limit of them: fn is
 * called with each one's number and the entry as it is now, its withdrawn member set to what
 * the change did (vpdq features borrowed for the call); a non-zero return stops the walk.
 * head gives the bank's last change number (0 when none). */
typedef int (*jaga_change_fn)(void *arg, int64_t seq, const jaga_entry *entry);
jaga_status jaga_store_changes(jaga_store *store, jaga_ctx *ctx, int64_t bank_id, int64_t after,
                               size_t limit, jaga_change_fn fn, void *arg);
jaga_status jaga_store_changes_head(jaga_store *store, jaga_ctx *ctx, int64_t bank_id,
                                    int64_t *out);

/* Subscriptions: add stores one (fills id; JAGA_ERR_CONFLICT when the peer's bank, or the
 * local bank, has one already); get reads the one of a peer's bank (JAGA_ERR_NOT_FOUND);
 * list gives every one, *out to free(). */
jaga_status jaga_store_subscription_add(jaga_store *store, jaga_ctx *ctx, jaga_subscription *sub);
jaga_status jaga_store_subscription_get(jaga_store *store, jaga_ctx *ctx, const char *peer,
                                        const char *remote_bank, jaga_subscription *out);
jaga_status jaga_store_subscription_list(jaga_store *store, jaga_ctx *ctx, jaga_subscription **out,
                                         size_t *n);

/* Moves a subscription's cursor from from to to and logs the batch applied (count changes,
 * its digest): inside the transaction that applied it. JAGA_ERR_CONFLICT when the cursor is
 * not at from any more (another pull applied it first: roll back). */
jaga_status jaga_store_subscription_advance(jaga_store *store, jaga_ctx *ctx, int64_t id,
                                            int64_t from, int64_t to, size_t count,
                                            const uint8_t digest[32]);

/* Records a refused batch (reason a short code, e.g. "signature", with detail for the
 * subscription's last error; its digest, or NULL when there was nothing to digest) in the
 * audit log, or (reason NULL) a pull that failed for want of an answer, in the last error
 * only. */
jaga_status jaga_store_subscription_fail(jaga_store *store, jaga_ctx *ctx, int64_t id,
                                         const char *reason, const char *detail,
                                         const uint8_t digest[32]);

/* Verdicts: put keeps a peer's verdict on an entry unless the one stored is newer (audited;
 * JAGA_ERR_NOT_FOUND when the bank has no such entry); list gives those on a bank's entries, by
 * entry then peer, *out to free(). */
jaga_status jaga_store_feedback_put(jaga_store *store, jaga_ctx *ctx, jaga_feedback *fb);
jaga_status jaga_store_feedback_list(jaga_store *store, jaga_ctx *ctx, int64_t bank_id,
                                     jaga_feedback **out, size_t *n);

/* A reviewer's verdict on an entry that came from a peer, waiting to be sent back to it. */
typedef struct jaga_outgoing_verdict {
    int64_t id, subscription_id;
    char peer[JAGA_PEER_NAME_MAX];        /* filled when read */
    char remote_bank[JAGA_BANK_NAME_MAX]; /* filled when read */
    jaga_signal_type type;
    char value[JAGA_SIGNAL_VALUE_MAX];
    jaga_feedback_verdict verdict;
    int64_t at;
    int attempts;
} jaga_outgoing_verdict;

/* Outgoing verdicts. queue stores one for the entry when its bank is a subscription's local
 * bank (*queued 1), else does nothing (*queued 0); due lists up to limit unsent ones whose
 * next try is at or before now, oldest first, *out to free(); done records a try: sent
 * (error NULL), or failed with the error and the time of the next try (next_at 0: never
 * again, e.g. the peer does not hold the entry). */
#define JAGA_VERDICT_ATTEMPTS_MAX 20
jaga_status jaga_store_verdict_queue(jaga_store *store, jaga_ctx *ctx, int64_t entry_id,
                                     jaga_feedback_verdict verdict, int64_t at, int *queued);
jaga_status jaga_store_verdicts_due(jaga_store *store, jaga_ctx *ctx, int64_t now, size_t limit,
                                    jaga_outgoing_verdict **out, size_t *n);
jaga_status jaga_store_verdict_done(jaga_store *store, jaga_ctx *ctx, int64_t id, const char *error,
                                    int64_t next_at);

/* A feed page. Items own their vpdq features. */
typedef struct jaga_exchange_item {
    int64_t seq;
    jaga_entry entry; /* withdrawn: what the change did */
} jaga_exchange_item;

typedef struct jaga_exchange_batch {
    char bank[JAGA_BANK_NAME_MAX];
    int64_t from, to; /* the cursor it follows, the one to ask from next */
    int more;         /* more changes wait after to */
    uint8_t publisher[32];
    uint8_t signature[64];
    jaga_exchange_item *items;
    size_t n, cap;
    size_t features; /* vpdq features held, all items together */
} jaga_exchange_batch;

/* Hard limits: a batch's items, its vpdq features, its JSON. */
#define JAGA_EXCHANGE_ITEMS_MAX 1000
#define JAGA_EXCHANGE_FEATURES_MAX 65536
#define JAGA_EXCHANGE_JSON_MAX ((size_t)16 << 20)

/* An empty batch of bank after from (to = from). JAGA_OK or JAGA_ERR_NOMEM. */
jaga_status jaga_exchange_batch_new(const char *bank, int64_t from, jaga_exchange_batch **out);
void jaga_exchange_batch_free(jaga_exchange_batch *b);

/* Appends a change (copying the entry and, for an addition, its quality, labels and
 * features; a withdrawal keeps type and value only); to becomes seq. JAGA_ERR_LIMIT past
 * the limits, JAGA_ERR_INVALID when seq does not follow to. */
jaga_status jaga_exchange_batch_add(jaga_exchange_batch *b, jaga_ctx *ctx, int64_t seq,
                                    const jaga_entry *entry);

/* The SHA-256 that a batch's signature covers (with the prefix "jaga-exchange-batch-v1" and a
 * NUL): bank, from, to, more and every item's seq, change, type, value, quality, labels and
 * features, each in a fixed binary form. */
void jaga_exchange_batch_digest(const jaga_exchange_batch *b, uint8_t out[32]);

/* Signs the batch with the node's key (sets publisher and signature). */
jaga_status jaga_exchange_batch_sign(jaga_exchange_batch *b, const jaga_audit_key *key,
                                     jaga_ctx *ctx);

/* Checks a received batch: signed by public_key, of bank, following cursor, its items in
 * increasing order after from and up to to. JAGA_OK, or JAGA_ERR_DECODE with *reason set to
 * "signature" or "order" and the detail on ctx. */
jaga_status jaga_exchange_batch_check(const jaga_exchange_batch *b, jaga_ctx *ctx,
                                      const uint8_t public_key[32], const char *bank,
                                      int64_t cursor, const char **reason);

/* The batch as JSON: {"bank", "from", "to", "more", "publisher", "signature", "changes":
 * [{"seq", "change": "add"|"withdraw", "signal_type", "value", "quality", "labels",
 * "features": ["hex,quality,timestamp", ...] (vpdq adds)}]}. A malloc'd string, or NULL. */
char *jaga_exchange_batch_json(const jaga_exchange_batch *b, size_t *len);

/* Reads a batch from at most JAGA_EXCHANGE_JSON_MAX bytes of JSON (the signature is not
 * checked here). JAGA_OK, JAGA_ERR_LIMIT, or JAGA_ERR_DECODE with the reason. */
jaga_status jaga_exchange_batch_parse(jaga_ctx *ctx, const char *json, size_t len,
                                      jaga_exchange_batch **out);

/* Applies a checked batch to the subscription's local bank and moves its cursor, in one
 * transaction: all of it or none (a change the store refuses, e.g. a vpdq addition without
 * its features, refuses the batch). changed (may be NULL) is then called with each entry the batch
 * changed (added, reactivated, withdrawn), after the commit. *applied counts them. */
jaga_status jaga_exchange_batch_apply(jaga_store *store, jaga_ctx *ctx,
                                      const jaga_subscription *sub, const jaga_exchange_batch *b,
                                      void (*changed)(void *arg, const jaga_entry *entry),
                                      void *arg, size_t *applied);

/* Peer requests carry "Authorization: JagaPeer KEY TIME NONCE SIGNATURE": the caller's public
 * key (64 hex digits), the Unix time, 16 random bytes (32 hex digits) that make every request
 * its own, and the signature (128 hex digits) over the prefix "jaga-exchange-request-v2" and a
 * NUL, then method, target (path and query as sent), time, each followed by a NUL, then the
 * nonce and the SHA-256 of the body. A request is good for JAGA_PEER_REQUEST_SKEW seconds
 * either side of its time, once: a server refuses a signature it has served already. */
#define JAGA_PEER_AUTH_MAX 280
#define JAGA_PEER_REQUEST_SKEW 300

typedef struct jaga_peer_auth {
    uint8_t key[32];
    int64_t time;
    uint8_t nonce[16];
    uint8_t signature[64];
} jaga_peer_auth;

/* The header for a request at now, with a fresh nonce. */
jaga_status jaga_exchange_request_sign(const jaga_audit_key *key, jaga_ctx *ctx, const char *method,
                                       const char *target, const void *body, size_t len,
                                       int64_t now, char out[JAGA_PEER_AUTH_MAX]);

/* Reads the header's parts; JAGA_OK or JAGA_ERR_INVALID. */
jaga_status jaga_exchange_request_parse(const char *header, jaga_peer_auth *out);

/* 1 when the signature is auth->key's over the request at auth->time with its nonce, and the
 * time is within the skew of now. */
int jaga_exchange_request_check(const jaga_peer_auth *auth, const char *method, const char *target,
                                const void *body, size_t len, int64_t now);

/* What a pull did. */
typedef struct jaga_pull_report {
    size_t batches, changes, applied; /* applied: entries that changed here */
    int64_t cursor;                   /* where the subscription stands now */
    int rejected;                     /* a batch was refused (and logged) */
} jaga_pull_report;

/* How a pull runs. lock and unlock (may be NULL) are held around each batch's transaction and
 * the changed calls after it: a server keeps its matcher in the store's order. stopped (may be
 * NULL) is polled while waiting on the peer: non-zero ends the pull. */
typedef struct jaga_pull_options {
    unsigned wait_s;    /* a long poll: once caught up, wait this long for changes (0: none) */
    size_t limit;       /* changes per batch asked for (0: the publisher's default) */
    unsigned timeout_s; /* per request, beyond the wait (0: 30) */
    void (*lock)(void *arg);
    void (*unlock)(void *arg);
    void (*changed)(void *arg, const jaga_entry *entry);
    int (*stopped)(void *arg);
    void *arg;
} jaga_pull_options;

/*
 * Pulls the subscription's feed from peer (its url) with this node's key until caught up
 * (the last batch has no more), applying each batch as jaga_exchange_batch_apply does. A batch
 * that fails its checks is refused, logged (jaga_store_subscription_fail) and ends the pull
 * with JAGA_ERR_DECODE; JAGA_ERR_LIMIT when the peer's rate limit answered (429: ask again a
 * little later); JAGA_ERR_IO when the peer cannot be reached or answers another error (the
 * subscription's last error says so). sub's cursor follows. report is filled in every case.
 */
jaga_status jaga_exchange_pull(jaga_store *store, jaga_ctx *ctx, const jaga_audit_key *key,
                               const jaga_peer *peer, jaga_subscription *sub,
                               const jaga_pull_options *opt, jaga_pull_report *report);

/* Subscribes to a peer's bank: into local_bank (made, holding every signal type, when there
 * is none; NULL: the remote bank's name), in one transaction. Fills sub. JAGA_ERR_NOT_FOUND
 * for an unknown or revoked peer, JAGA_ERR_CONFLICT when either bank has a subscription,
 * JAGA_ERR_INVALID for a malformed name. */
jaga_status jaga_exchange_subscribe(jaga_store *store, jaga_ctx *ctx, const char *peer,
                                    const char *remote_bank, const char *local_bank,
                                    jaga_subscription *sub);

/* Sends a verdict on an entry of peer's bank (POST /v1/exchange/BANK/feedback). JAGA_OK,
 * JAGA_ERR_NOT_FOUND when the peer does not hold that entry, JAGA_ERR_IO otherwise. */
jaga_status jaga_exchange_feedback_send(jaga_ctx *ctx, const jaga_audit_key *key,
                                        const jaga_peer *peer, const char *bank,
                                        jaga_signal_type type, const char *value,
                                        jaga_feedback_verdict verdict, int64_t at);

#ifdef __cplusplus
}
#endif
#endif
