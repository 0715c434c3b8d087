/*
 * The audit log above the store (jaga/store.h keeps its leaves, appended in the transaction
 * of each change): the log's Ed25519 signing key, signed tree heads, inclusion and
 * consistency proofs, and the verification that recomputes the whole tree from the store.
 */
#ifndef JAGA_AUDIT_H
#define JAGA_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/merkle.h"
#include "jaga/status.h"
#include "jaga/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jaga_audit_key jaga_audit_key;

/* The signing key of the log in store, kept at path (PEM, PKCS#8, mode 0600). Made there
 * when the file does not exist and the log has no signed head yet; a missing file for a log
 * with signed heads is JAGA_ERR_NOT_FOUND (a new key would disown them). JAGA_ERR_DECODE for
 * a file that is not an Ed25519 key, JAGA_ERR_IO when it cannot be read or written. */
jaga_status jaga_audit_key_open(jaga_store *store, jaga_ctx *ctx, const char *path,
                                jaga_audit_key **out);
void jaga_audit_key_free(jaga_audit_key *key);

/* The default key path of a store at db_path: db_path + ".audit-key". 0, or -1 when cap is
 * too small. */
int jaga_audit_key_path(const char *db_path, char *out, size_t cap);

/* The raw Ed25519 public key (RFC 8032, 32 bytes). */
void jaga_audit_key_public(const jaga_audit_key *key, uint8_t out[32]);

/* Signs len bytes of msg with the key: the node's identity too (jaga/exchange.h), every kind
 * of message starting with a prefix of its own. JAGA_OK or JAGA_ERR_NOMEM. */
jaga_status jaga_audit_key_sign(const jaga_audit_key *key, jaga_ctx *ctx, const void *msg,
                                size_t len, uint8_t signature[64]);

/* 1 when signature is public_key's Ed25519 signature over msg, else 0. */
int jaga_signature_check(const uint8_t public_key[32], const void *msg, size_t len,
                         const uint8_t signature[64]);

enum { JAGA_TREE_HEAD_MESSAGE = 18 + 8 + 8 + 32 };

/* The bytes a tree head's signature covers: "jaga-tree-head-v1" and a NUL, then size and
 * signed_at as 64-bit big-endian numbers, then the root. */
void jaga_tree_head_message(const jaga_tree_head *h, uint8_t out[JAGA_TREE_HEAD_MESSAGE]);

/* 1 when h's signature is public_key's over h, else 0. */
int jaga_tree_head_check(const uint8_t public_key[32], const jaga_tree_head *h);

/* The log's head now: the latest signed head if the log has not grown since, else a new head
 * signed at now and stored. A head is only signed over nodes the store holds. */
jaga_status jaga_audit_head(jaga_store *store, const jaga_audit_key *key, jaga_ctx *ctx,
                            int64_t now, jaga_tree_head *out);

/* Proofs from the store's nodes (jaga/merkle.h): that leaf index is in the tree of size
 * leaves; that the tree of old_size leaves is a prefix of the tree of new_size. out has room
 * for JAGA_MERKLE_LEVELS hashes. JAGA_ERR_INVALID for sizes beyond the log. */
jaga_status jaga_audit_inclusion(jaga_store *store, jaga_ctx *ctx, uint64_t index, uint64_t size,
                                 uint8_t (*out)[JAGA_MERKLE_HASH], size_t *n);
jaga_status jaga_audit_consistency(jaga_store *store, jaga_ctx *ctx, uint64_t old_size,
                                   uint64_t new_size, uint8_t (*out)[JAGA_MERKLE_HASH], size_t *n);

/* A tree head as the API gives it ({"size", "root", "signed_at", "signature"}, hashes in
 * hex; other members ignored), from at most 64 KiB of JSON: what an auditor's watcher reads
 * from a server. JAGA_OK or JAGA_ERR_DECODE with the reason. The signature is not checked
 * here (jaga_tree_head_check). */
jaga_status jaga_tree_head_parse(jaga_ctx *ctx, const char *json, size_t len, jaga_tree_head *out);

/* A proof as the API gives it ({"proof": [hex, ...]}) into out (room for JAGA_MERKLE_LEVELS
 * hashes), *n its length; from at most 64 KiB of JSON. JAGA_OK or JAGA_ERR_DECODE. */
jaga_status jaga_audit_proof_parse(jaga_ctx *ctx, const char *json, size_t len,
                                   uint8_t (*out)[JAGA_MERKLE_HASH], size_t *n);

/* What jaga_audit_verify found. */
typedef struct jaga_audit_summary {
    uint64_t leaves;
    uint8_t root[JAGA_MERKLE_HASH]; /* of the tree recomputed from the leaves' data */
    size_t heads;                   /* signed heads checked */
    size_t problems;
} jaga_audit_summary;

/* Called with each problem found, as a sentence (the first few of each kind are told). */
typedef void (*jaga_audit_problem_fn)(void *arg, const char *problem);

/*
 * Recomputes the tree from the data of every leaf and checks: each leaf's stored hash, index
 * (no gaps) and kind; every stored node above the leaves (none missing, changed or extra);
 * every signed head's signature with public_key and its root against the recomputed tree of
 * its size; no head beyond the log's end. JAGA_OK when the walk ran (summary->problems says
 * what it found), else the store's failure.
 */
jaga_status jaga_audit_verify(jaga_store *store, jaga_ctx *ctx, const uint8_t public_key[32],
                              jaga_audit_problem_fn problem, void *arg,
                              jaga_audit_summary *summary);

#ifdef __cplusplus
}
#endif
#endif
