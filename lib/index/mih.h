/*
 * Internal: the static multi-index over PDQ hashes (multi-index hashing, two levels).
 *
 * A 256-bit hash is 16 words of 16 bits; words 2p and 2p+1 form part p (8 parts of 32 bits).
 * If d(q, x) <= r, some part p has d_p <= s = floor(r / 8) (8 (s + 1) > r), and one of its
 * two words has distance <= t = floor(s / 2) while the other word has at most s minus that.
 * So the index keeps 16 tables, one per word: table w groups positions by word w and stores,
 * beside each position, its partner word w ^ 1. A query probes, in each table, every bucket
 * within t bits of its own word and keeps the positions whose partner word is close enough:
 * every entry within r comes out (with repeats); the caller verifies the full distance.
 * At r = 31 (s = 3, t = 1) that is 16 x 17 buckets, and only about 1% of what they hold.
 */
#ifndef JAGA_INDEX_MIH_H
#define JAGA_INDEX_MIH_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/pdq.h"

#define MIH_TABLES 16
#define MIH_BUCKETS 65536

typedef struct mih {
    uint32_t n;        /* positions 0..n-1 are indexed */
    uint32_t *offsets; /* MIH_TABLES x (MIH_BUCKETS + 1): bucket b of table w is */
    uint16_t *partner; /* [offsets[b], offsets[b + 1]) in partner and pos of table w */
    uint32_t *pos;     /* MIH_TABLES x n */
    int borrowed;      /* the arrays belong to someone else: jaga__mih_free leaves them */
} mih;

/* A growable list of candidate positions. */
typedef struct mih_hits {
    uint32_t *pos;
    size_t n, cap;
} mih_hits;

/* Indexes hashes[0..n-1]. Returns 0, or -1 when out of memory (m is then empty). */
int jaga__mih_build(mih *m, const jaga_pdq_hash *hashes, uint32_t n);

void jaga__mih_free(mih *m);

size_t jaga__mih_memory(const mih *m);

/* Relative cost of a probe at radius r over m; compare with jaga__mih_scan_cost(). */
double jaga__mih_probe_cost(const mih *m, int radius);
double jaga__mih_scan_cost(size_t n);

/* Appends to hits every position that may lie within radius of q (at least all that do).
 * Returns 0, or -1 when out of memory. */
int jaga__mih_probe(const mih *m, const jaga_pdq_hash *q, int radius, mih_hits *hits);

/* The Hamming distance of two hashes. */
int jaga__mih_distance(const jaga_pdq_hash *a, const jaga_pdq_hash *b);

#endif
