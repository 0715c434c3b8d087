/*
 * Merkle trees as RFC 6962 (Certificate Transparency) defines them: the audit log's leaves
 * hashed SHA-256(0x00 || data), interior nodes SHA-256(0x01 || left || right), the tree of n
 * leaves split at the largest power of two below n; inclusion and consistency proofs and
 * their verification (RFC 9162, 2.1.3 and 2.1.4).
 *
 * Proofs read the tree through a callback that gives the root of a perfect subtree: level k,
 * index i covers leaves [i * 2^k, (i + 1) * 2^k) (level 0: the leaf hashes). An append-only
 * store keeps those as leaves arrive (jaga_merkle_append reports each one it completes), so
 * a proof costs O(log n) reads.
 */
#ifndef JAGA_MERKLE_H
#define JAGA_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { JAGA_MERKLE_HASH = 32, JAGA_MERKLE_LEVELS = 64 };

void jaga_merkle_leaf_hash(const void *data, size_t len, uint8_t out[JAGA_MERKLE_HASH]);
void jaga_merkle_node_hash(const uint8_t left[JAGA_MERKLE_HASH],
                           const uint8_t right[JAGA_MERKLE_HASH], uint8_t out[JAGA_MERKLE_HASH]);

/* The right edge of an append-only tree: the roots of its perfect subtrees, one per bit set
 * in size (edge[k] for bit k). Enough to append and to give the root in O(log n). */
typedef struct jaga_merkle_edge {
    uint64_t size;
    uint8_t edge[JAGA_MERKLE_LEVELS][JAGA_MERKLE_HASH];
} jaga_merkle_edge;

/* Called for each perfect subtree an append completes: level, index, its root. */
typedef void (*jaga_merkle_node_sink)(void *arg, unsigned level, uint64_t index,
                                      const uint8_t hash[JAGA_MERKLE_HASH]);

/* Appends a leaf hash; sink (may be NULL) hears of the leaf itself (level 0) and of every
 * perfect subtree it completes. */
void jaga_merkle_append(jaga_merkle_edge *e, const uint8_t leaf_hash[JAGA_MERKLE_HASH],
                        jaga_merkle_node_sink sink, void *arg);

/* The tree's root (for no leaves, SHA-256 of nothing). */
void jaga_merkle_root(const jaga_merkle_edge *e, uint8_t out[JAGA_MERKLE_HASH]);

/* Gives the root of the perfect subtree at level, index into out: 0, or non-zero when it
 * cannot (the proof fails with JAGA_ERR_IO). */
typedef int (*jaga_merkle_node_fn)(void *arg, unsigned level, uint64_t index,
                                   uint8_t out[JAGA_MERKLE_HASH]);

/* The root of the tree of the first size leaves. */
jaga_status jaga_merkle_tree_root(jaga_merkle_node_fn fn, void *arg, uint64_t size,
                                  uint8_t out[JAGA_MERKLE_HASH]);

/* Proofs into out (room for JAGA_MERKLE_LEVELS hashes), *n their length: that leaf index is
 * in the tree of size leaves; that the tree of old_size leaves is a prefix of the tree of
 * new_size. JAGA_ERR_INVALID for an index or sizes that do not fit. */
jaga_status jaga_merkle_inclusion_proof(jaga_merkle_node_fn fn, void *arg, uint64_t index,
                                        uint64_t size, uint8_t (*out)[JAGA_MERKLE_HASH], size_t *n);
jaga_status jaga_merkle_consistency_proof(jaga_merkle_node_fn fn, void *arg, uint64_t old_size,
                                          uint64_t new_size, uint8_t (*out)[JAGA_MERKLE_HASH],
                                          size_t *n);

/* Verification (RFC 9162): 1 when the proof holds, else 0. */
int jaga_merkle_verify_inclusion(const uint8_t leaf_hash[JAGA_MERKLE_HASH], uint64_t index,
                                 uint64_t size, const uint8_t (*proof)[JAGA_MERKLE_HASH], size_t n,
                                 const uint8_t root[JAGA_MERKLE_HASH]);
int jaga_merkle_verify_consistency(uint64_t old_size, uint64_t new_size,
                                   const uint8_t old_root[JAGA_MERKLE_HASH],
                                   const uint8_t new_root[JAGA_MERKLE_HASH],
                                   const uint8_t (*proof)[JAGA_MERKLE_HASH], size_t n);

#ifdef __cplusplus
}
#endif
#endif
