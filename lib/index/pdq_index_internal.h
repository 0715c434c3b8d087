/* Internal: the PDQ index's state, shared by the index and its snapshot files. */
#ifndef JAGA_INDEX_PDQ_INDEX_INTERNAL_H
#define JAGA_INDEX_PDQ_INDEX_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "index/mih.h"
#include "jaga/index.h"

#define NO_SLOT UINT32_MAX
#define MAX_ENTRIES (UINT32_MAX - 1)

struct jaga_index {
    /* Queries hold lock for reading; writers hold writer, and lock for writing only while
     * they append or swap. */
    pthread_rwlock_t lock;
    pthread_mutex_t writer;
    size_t n, cap, active;
    jaga_pdq_hash *hashes; /* by position */
    uint64_t *ids;
    uint32_t *banks;
    uint8_t *withdrawn;
    uint32_t *slots; /* open addressing: entry id -> position */
    size_t nslots;
    mih table; /* covers positions [0, table.n) */
    /* A loaded snapshot that arrays may point into (mapped or allocated); such arrays are
     * never freed one by one, and the region goes with the index. */
    void *region;
    size_t region_len;
    int region_mapped;
    uint64_t tag; /* the caller's, kept in snapshots */
};

/* Frees an array of the index unless it lies in the snapshot region. */
void jaga__index_release(const jaga_index *x, void *array);

#endif
