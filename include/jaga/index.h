/*
 * The PDQ index: which entries lie within Hamming distance r of a hash. Exact (every entry
 * within r is found, nothing else is returned) at every radius 0..256, over tens of millions
 * of entries.
 *
 * Entries are (entry_id, bank_id, hash). Additions are searchable as soon as jaga_index_add
 * returns; withdrawals stop matching as soon as jaga_index_withdraw returns. Recent additions
 * sit in a small list scanned linearly until they are folded into the multi-index, which
 * happens automatically (and can be forced with jaga_index_compact).
 *
 * Thread safety: any number of threads may query while one thread at a time adds, withdraws
 * or compacts; writers never block queries for longer than an append.
 */
#ifndef JAGA_INDEX_H
#define JAGA_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/pdq.h"
#include "jaga/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jaga_index jaga_index;

/* An empty index. Returns JAGA_OK or JAGA_ERR_NOMEM. Free with jaga_index_free(). */
jaga_status jaga_index_open(jaga_index **out);

/* A no-op on NULL. Not concurrently with any other call on the index. */
void jaga_index_free(jaga_index *index);

/* Capacity for n entries in all, so that bulk loading grows nothing. */
jaga_status jaga_index_reserve(jaga_index *index, jaga_ctx *ctx, size_t n);

/* Adds an entry. entry_id must be new to the index (withdrawn ids included):
 * JAGA_ERR_INVALID otherwise. Returns JAGA_OK, JAGA_ERR_INVALID or JAGA_ERR_NOMEM. */
jaga_status jaga_index_add(jaga_index *index, jaga_ctx *ctx, uint64_t entry_id, uint32_t bank_id,
                           const jaga_pdq_hash *hash);

/* Adds n entries at once, folding them into the multi-index once at the end rather than as
 * they come: the way to load a bank. All-or-nothing: on an id already present (or repeated)
 * nothing is added and the status is JAGA_ERR_INVALID. */
jaga_status jaga_index_add_batch(jaga_index *index, jaga_ctx *ctx, size_t n,
                                 const uint64_t *entry_ids, const uint32_t *bank_ids,
                                 const jaga_pdq_hash *hashes);

/* Withdraws an entry: it never matches again. Returns JAGA_OK, or JAGA_ERR_INVALID for an
 * unknown or already withdrawn id. */
jaga_status jaga_index_withdraw(jaga_index *index, jaga_ctx *ctx, uint64_t entry_id);

/* Makes a withdrawn entry match again. Returns JAGA_OK, or JAGA_ERR_INVALID for an unknown
 * or active id. */
jaga_status jaga_index_reinstate(jaga_index *index, jaga_ctx *ctx, uint64_t entry_id);

/* Folds recent additions into the multi-index now. Queries continue meanwhile. */
jaga_status jaga_index_compact(jaga_index *index, jaga_ctx *ctx);

/* Entries that match (added and not withdrawn). */
size_t jaga_index_count(jaga_index *index);

/* Bytes the index holds in memory. */
size_t jaga_index_memory(jaga_index *index);

/*
 * Snapshot files: the whole index, multi-index included, so that a large bank loads in
 * seconds instead of being rebuilt. Little-endian hosts only (the file says which it is).
 *
 * jaga_index_save writes path atomically (a temporary file, fsync, rename): a reader sees the
 * old file or the new one. Returns JAGA_OK or JAGA_ERR_IO; details on ctx. Queries continue
 * meanwhile; writers wait.
 *
 * jaga_index_load reads a snapshot into a new index. Every size is checked against the file
 * and the hard limits before anything is allocated, the contents against their SHA-256
 * trailer and their internal bounds: a truncated, corrupt or foreign file is refused with
 * JAGA_ERR_DECODE (or JAGA_ERR_IO, JAGA_ERR_NOMEM) and never yields an index.
 */
jaga_status jaga_index_save(jaga_index *index, jaga_ctx *ctx, const char *path);

/* A number of the caller's that snapshots keep (0 in a new index): what the index was built
 * from, so that a loaded snapshot can be checked against its source. */
uint64_t jaga_index_tag(jaga_index *index);
void jaga_index_set_tag(jaga_index *index, uint64_t tag);

/* The tag of the snapshot at path from its header alone (checked as jaga_index_load checks
 * it), without reading the rest: whether loading is worth it. */
jaga_status jaga_index_snapshot_tag(jaga_ctx *ctx, const char *path, uint64_t *tag);
jaga_status jaga_index_load(jaga_ctx *ctx, const char *path, jaga_index **out);

typedef struct jaga_index_query {
    const jaga_pdq_hash *hashes; /* the query: 1 hash, or the JAGA_DIH_COUNT dihedral ones */
    size_t nhashes;
    int radius;            /* 0..256; an entry matches at distance <= radius */
    const uint32_t *banks; /* only entries of these banks; NULL: every bank */
    size_t nbanks;
    size_t k; /* the k nearest only; 0: every match */
} jaga_index_query;

typedef struct jaga_index_match {
    uint64_t entry_id;
    uint32_t bank_id;
    int distance;         /* the smallest over the query's hashes */
    unsigned query_index; /* which of the query's hashes gave it */
} jaga_index_match;

/*
 * Runs a query. Matches are ordered by distance, then entry id; *count receives how many
 * there are (all of them, or at most k), of which the first min(*count, cap) are written to
 * out. Returns JAGA_OK, JAGA_ERR_INVALID (bad query) or JAGA_ERR_NOMEM.
 */
jaga_status jaga_index_query_pdq(jaga_index *index, jaga_ctx *ctx, const jaga_index_query *query,
                                 jaga_index_match *out, size_t cap, size_t *count);

/* The same answer by scanning every entry: the yardstick for tests and benchmarks. */
jaga_status jaga_index_scan_pdq(jaga_index *index, jaga_ctx *ctx, const jaga_index_query *query,
                                jaga_index_match *out, size_t cap, size_t *count);

#ifdef __cplusplus
}
#endif
#endif
