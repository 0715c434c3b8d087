#include "index/mih.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* All 16-bit masks ordered by popcount; masks of popcount <= t are the first
 * mask_count[t] of them. */
static uint16_t masks[MIH_BUCKETS];
static uint32_t mask_count[17];
static pthread_once_t masks_once = PTHREAD_ONCE_INIT;

static void masks_init(void)
{
    uint32_t n = 0;
    for (int bits = 0; bits <= 16; bits++) {
        for (uint32_t m = 0; m < MIH_BUCKETS; m++)
            if (__builtin_popcount(m) == bits)
                masks[n++] = (uint16_t)m;
        mask_count[bits] = n;
    }
}

/* POPCNT where the CPU has it; the default clone stays baseline x86-64. */
#if defined(__x86_64__) && defined(__GNUC__)
#define POPCNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define POPCNT_CLONES
#endif

POPCNT_CLONES static int distance(const jaga_pdq_hash *a, const jaga_pdq_hash *b)
{
    uint64_t x[4], y[4];
    memcpy(x, a->w, sizeof(x));
    memcpy(y, b->w, sizeof(y));
    return __builtin_popcountll(x[0] ^ y[0]) + __builtin_popcountll(x[1] ^ y[1]) +
           __builtin_popcountll(x[2] ^ y[2]) + __builtin_popcountll(x[3] ^ y[3]);
}

/* Not cloned itself: clang resolves clones only within their own file. */
int jaga__mih_distance(const jaga_pdq_hash *a, const jaga_pdq_hash *b)
{
    return distance(a, b);
}

void jaga__mih_free(mih *m)
{
    if (!m->borrowed) {
        free(m->offsets);
        free(m->partner);
        free(m->pos);
    }
    memset(m, 0, sizeof(*m));
}

size_t jaga__mih_memory(const mih *m)
{
    if (!m->offsets)
        return 0;
    return (size_t)MIH_TABLES *
           ((MIH_BUCKETS + 1) * sizeof(uint32_t) + m->n * (sizeof(uint16_t) + sizeof(uint32_t)));
}

int jaga__mih_build(mih *m, const jaga_pdq_hash *hashes, uint32_t n)
{
    pthread_once(&masks_once, masks_init);
    memset(m, 0, sizeof(*m));
    m->offsets = calloc((size_t)MIH_TABLES * (MIH_BUCKETS + 1), sizeof(uint32_t));
    m->partner = malloc((size_t)MIH_TABLES * (n ? n : 1) * sizeof(uint16_t));
    m->pos = malloc((size_t)MIH_TABLES * (n ? n : 1) * sizeof(uint32_t));
    if (!m->offsets || !m->partner || !m->pos) {
        jaga__mih_free(m);
        return -1;
    }
    m->n = n;
    /* A counting sort of the positions by word, per table. */
    for (int w = 0; w < MIH_TABLES; w++) {
        uint32_t *off = m->offsets + (size_t)w * (MIH_BUCKETS + 1);
        for (uint32_t i = 0; i < n; i++)
            off[hashes[i].w[w] + 1]++;
        for (uint32_t b = 0; b < MIH_BUCKETS; b++)
            off[b + 1] += off[b];
        uint16_t *partner = m->partner + (size_t)w * n;
        uint32_t *pos = m->pos + (size_t)w * n;
        /* off[b] walks bucket b while filling, then is restored from its neighbour. */
        for (uint32_t i = 0; i < n; i++) {
            uint32_t at = off[hashes[i].w[w]]++;
            partner[at] = hashes[i].w[w ^ 1];
            pos[at] = i;
        }
        memmove(off + 1, off, MIH_BUCKETS * sizeof(uint32_t));
        off[0] = 0;
    }
    return 0;
}

static int part_radius(int radius)
{
    return radius / 8;
}

double jaga__mih_scan_cost(size_t n)
{
    return 2.0 * (double)n;
}

double jaga__mih_probe_cost(const mih *m, int radius)
{
    pthread_once(&masks_once, masks_init);
    int s = part_radius(radius), t = s / 2;
    if (t > 16)
        return 1e300;
    return (double)MIH_TABLES * mask_count[t] * (8.0 + (double)m->n / MIH_BUCKETS);
}

static int hits_reserve(mih_hits *hits, size_t more)
{
    if (hits->n + more <= hits->cap)
        return 0;
    size_t cap = hits->cap ? hits->cap : 256;
    while (cap < hits->n + more)
        cap *= 2;
    uint32_t *grown = realloc(hits->pos, cap * sizeof(uint32_t));
    if (!grown)
        return -1;
    hits->pos = grown;
    hits->cap = cap;
    return 0;
}

/* The positions of one bucket whose partner word lies within budget of want. Only about 1%
 * pass at radius 31, so positions are read for those alone. */
POPCNT_CLONES static int scan_bucket(const uint16_t *partner, const uint32_t *pos, uint32_t lo,
                                     uint32_t hi, uint16_t want, int budget, mih_hits *hits)
{
    for (uint32_t j = lo; j < hi; j++) {
        if (__builtin_popcount((unsigned)(partner[j] ^ want)) > budget)
            continue;
        if (hits_reserve(hits, 1) != 0)
            return -1;
        hits->pos[hits->n++] = pos[j];
    }
    return 0;
}

/* One bucket to scan. */
typedef struct probe {
    uint32_t table, bucket;
    uint16_t want;
    int budget;
} probe;

enum { PROBE_BATCH = 64 };

/* Scans a batch of buckets in three sweeps, so that the cache misses of each sweep overlap:
 * prefetch the bucket bounds, then the start of every bucket, then scan. */
static int scan_batch(const mih *m, const probe *batch, int n, mih_hits *hits)
{
    uint32_t lo[PROBE_BATCH], hi[PROBE_BATCH];
    for (int i = 0; i < n; i++)
        __builtin_prefetch(m->offsets + (size_t)batch[i].table * (MIH_BUCKETS + 1) +
                           batch[i].bucket);
    for (int i = 0; i < n; i++) {
        const uint32_t *off = m->offsets + (size_t)batch[i].table * (MIH_BUCKETS + 1);
        lo[i] = off[batch[i].bucket];
        hi[i] = off[batch[i].bucket + 1];
        const uint16_t *partner = m->partner + (size_t)batch[i].table * m->n;
        for (uint32_t j = lo[i]; j < hi[i]; j += 32)
            __builtin_prefetch(partner + j);
    }
    for (int i = 0; i < n; i++) {
        const uint16_t *partner = m->partner + (size_t)batch[i].table * m->n;
        const uint32_t *pos = m->pos + (size_t)batch[i].table * m->n;
        if (scan_bucket(partner, pos, lo[i], hi[i], batch[i].want, batch[i].budget, hits) != 0)
            return -1;
    }
    return 0;
}

int jaga__mih_probe(const mih *m, const jaga_pdq_hash *q, int radius, mih_hits *hits)
{
    if (m->n == 0 || radius < 0)
        return 0;
    int s = part_radius(radius), t = s / 2;
    if (t > 16)
        t = 16;
    probe batch[PROBE_BATCH];
    int n = 0;
    for (uint32_t w = 0; w < MIH_TABLES; w++)
        for (uint32_t i = 0; i < mask_count[t]; i++) {
            batch[n++] = (probe){.table = w,
                                 .bucket = (uint16_t)(q->w[w] ^ masks[i]),
                                 .want = q->w[w ^ 1],
                                 .budget = s - __builtin_popcount(masks[i])};
            if (n == PROBE_BATCH) {
                if (scan_batch(m, batch, n, hits) != 0)
                    return -1;
                n = 0;
            }
        }
    return n ? scan_batch(m, batch, n, hits) : 0;
}
