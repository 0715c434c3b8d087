/* The PDQ index: entry storage, the multi-index over most entries, a linearly scanned tail of
 * recent additions, withdrawals, locking and query answers. */
#include "jaga/index.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "index/mih.h"
#include "index/pdq_index_internal.h"
#include "jaga/core.h"

static size_t slot_of(const jaga_index *x, uint64_t id)
{
    uint64_t h = id * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & (x->nslots - 1);
}

/* The position of id, or NO_SLOT. */
static uint32_t find_position(const jaga_index *x, uint64_t id)
{
    if (!x->nslots)
        return NO_SLOT;
    for (size_t s = slot_of(x, id);; s = (s + 1) & (x->nslots - 1)) {
        uint32_t p = x->slots[s];
        if (p == NO_SLOT || x->ids[p] == id)
            return p;
    }
}

static void insert_position(jaga_index *x, uint32_t p)
{
    size_t s = slot_of(x, x->ids[p]);
    while (x->slots[s] != NO_SLOT)
        s = (s + 1) & (x->nslots - 1);
    x->slots[s] = p;
}

static size_t slots_for(size_t cap)
{
    size_t n = 16;
    while (n < 2 * cap)
        n *= 2;
    return n;
}

void jaga__index_release(const jaga_index *x, void *array)
{
    const char *p = array, *r = x->region;
    if (!r || p < r || p >= r + x->region_len)
        free(array);
}

/* Grows every array to hold cap entries: copies made under the writer mutex alone (nothing
 * changes them meanwhile, and queries go on with the old ones), swapped in under the write
 * lock. */
static int grow(jaga_index *x, size_t cap)
{
    if (cap <= x->cap)
        return 0;
    if (cap > MAX_ENTRIES)
        return -1;
    jaga_index next = {.n = x->n, .nslots = slots_for(cap)};
    next.hashes = malloc(cap * sizeof(*next.hashes));
    next.ids = malloc(cap * sizeof(*next.ids));
    next.banks = malloc(cap * sizeof(*next.banks));
    next.withdrawn = malloc(cap);
    next.slots = malloc(next.nslots * sizeof(uint32_t));
    if (!next.hashes || !next.ids || !next.banks || !next.withdrawn || !next.slots) {
        free(next.hashes), free(next.ids), free(next.banks), free(next.withdrawn);
        free(next.slots);
        return -1;
    }
    if (x->n) {
        memcpy(next.hashes, x->hashes, x->n * sizeof(*next.hashes));
        memcpy(next.ids, x->ids, x->n * sizeof(*next.ids));
        memcpy(next.banks, x->banks, x->n * sizeof(*next.banks));
        memcpy(next.withdrawn, x->withdrawn, x->n);
    }
    memset(next.slots, 0xff, next.nslots * sizeof(uint32_t));
    for (size_t p = 0; p < next.n; p++)
        insert_position(&next, (uint32_t)p);
    pthread_rwlock_wrlock(&x->lock);
    jaga_index old = *x;
    x->hashes = next.hashes, x->ids = next.ids, x->banks = next.banks;
    x->withdrawn = next.withdrawn, x->slots = next.slots, x->nslots = next.nslots;
    x->cap = cap;
    pthread_rwlock_unlock(&x->lock);
    jaga__index_release(x, old.hashes), jaga__index_release(x, old.ids),
        jaga__index_release(x, old.banks);
    jaga__index_release(x, old.withdrawn), jaga__index_release(x, old.slots);
    return 0;
}

jaga_status jaga_index_open(jaga_index **out)
{
    jaga_index *x = calloc(1, sizeof(*x));
    *out = x;
    if (!x)
        return JAGA_ERR_NOMEM;
    /* Writers first: glibc's default lets a stream of queries starve the writer. */
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&x->lock, &attr);
    pthread_rwlockattr_destroy(&attr);
    pthread_mutex_init(&x->writer, NULL);
    return JAGA_OK;
}

void jaga_index_free(jaga_index *x)
{
    if (!x)
        return;
    jaga__mih_free(&x->table);
    jaga__index_release(x, x->hashes);
    jaga__index_release(x, x->ids);
    jaga__index_release(x, x->banks);
    jaga__index_release(x, x->withdrawn);
    jaga__index_release(x, x->slots);
    if (x->region_mapped)
        munmap(x->region, x->region_len);
    else
        free(x->region);
    pthread_rwlock_destroy(&x->lock);
    pthread_mutex_destroy(&x->writer);
    free(x);
}

jaga_status jaga_index_reserve(jaga_index *x, jaga_ctx *ctx, size_t n)
{
    pthread_mutex_lock(&x->writer);
    int rc = grow(x, n);
    pthread_mutex_unlock(&x->writer);
    return rc ? jaga_fail(ctx, JAGA_ERR_NOMEM, "index: no memory for %zu entries", n) : JAGA_OK;
}

/* Rebuilds the multi-index over every entry. Caller holds the writer mutex only: the build
 * reads what no one else changes, and queries go on with the old multi-index. */
static jaga_status compact_locked(jaga_index *x, jaga_ctx *ctx)
{
    mih fresh;
    if (jaga__mih_build(&fresh, x->hashes, (uint32_t)x->n) != 0)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "index: no memory to rebuild %zu entries", x->n);
    pthread_rwlock_wrlock(&x->lock);
    mih old = x->table;
    x->table = fresh;
    pthread_rwlock_unlock(&x->lock);
    jaga__mih_free(&old);
    return JAGA_OK;
}

jaga_status jaga_index_compact(jaga_index *x, jaga_ctx *ctx)
{
    pthread_mutex_lock(&x->writer);
    jaga_status st = compact_locked(x, ctx);
    pthread_mutex_unlock(&x->writer);
    return st;
}

/* The tail is folded in once it is an eighth of the multi-index (and at least 4096). */
static int tail_too_long(const jaga_index *x)
{
    size_t tail = x->n - x->table.n;
    return tail >= 4096 && tail * 8 >= x->table.n;
}

/* Drops the entries at positions >= from (all in the tail, never withdrawn). Caller holds the
 * writer mutex and the write lock. */
static void remove_tail(jaga_index *x, size_t from)
{
    x->active -= x->n - from;
    x->n = from;
    memset(x->slots, 0xff, x->nslots * sizeof(uint32_t));
    for (size_t p = 0; p < x->n; p++)
        insert_position(x, (uint32_t)p);
}

/* Appends one entry. Caller holds the writer mutex and the write lock, with room for it. */
static void append(jaga_index *x, uint64_t entry_id, uint32_t bank_id, const jaga_pdq_hash *hash)
{
    size_t p = x->n;
    x->hashes[p] = *hash;
    x->ids[p] = entry_id;
    x->banks[p] = bank_id;
    x->withdrawn[p] = 0;
    insert_position(x, (uint32_t)p);
    x->n++;
    x->active++;
}

jaga_status jaga_index_add_batch(jaga_index *x, jaga_ctx *ctx, size_t n, const uint64_t *ids,
                                 const uint32_t *banks, const jaga_pdq_hash *hashes)
{
    jaga_status st = JAGA_OK;
    pthread_mutex_lock(&x->writer);
    /* Room by half again, or exactly what a large batch needs. */
    size_t need = x->n + n, cap = x->cap;
    if (need > cap)
        cap = need > cap + cap / 2 ? (need > 1024 ? need : 1024) : cap + cap / 2;
    if (grow(x, cap) != 0) {
        st = jaga_fail(ctx, JAGA_ERR_NOMEM, "index: no memory for %zu entries", need);
    } else {
        pthread_rwlock_wrlock(&x->lock);
        size_t i = 0, start = x->n;
        for (; i < n && find_position(x, ids[i]) == NO_SLOT; i++)
            append(x, ids[i], banks[i], &hashes[i]);
        if (i < n) {
            st = jaga_fail(ctx, JAGA_ERR_INVALID, "index: entry %llu is already present",
                           (unsigned long long)ids[i]);
            remove_tail(x, start);
        }
        pthread_rwlock_unlock(&x->lock);
    }
    if (st == JAGA_OK && tail_too_long(x))
        st = compact_locked(x, ctx);
    pthread_mutex_unlock(&x->writer);
    return st;
}

jaga_status jaga_index_add(jaga_index *x, jaga_ctx *ctx, uint64_t entry_id, uint32_t bank_id,
                           const jaga_pdq_hash *hash)
{
    return jaga_index_add_batch(x, ctx, 1, &entry_id, &bank_id, hash);
}

/* Sets the withdrawal flag of entry_id to withdrawn, which it must not have already. */
static jaga_status set_withdrawn(jaga_index *x, jaga_ctx *ctx, uint64_t entry_id, int withdrawn)
{
    jaga_status st = JAGA_OK;
    pthread_mutex_lock(&x->writer);
    uint32_t p = find_position(x, entry_id);
    if (p == NO_SLOT || x->withdrawn[p] == withdrawn) {
        st = jaga_fail(ctx, JAGA_ERR_INVALID, "index: entry %llu is not %s",
                       (unsigned long long)entry_id, withdrawn ? "active" : "withdrawn");
    } else {
        pthread_rwlock_wrlock(&x->lock);
        x->withdrawn[p] = (uint8_t)withdrawn;
        x->active += withdrawn ? (size_t)-1 : 1;
        pthread_rwlock_unlock(&x->lock);
    }
    pthread_mutex_unlock(&x->writer);
    return st;
}

jaga_status jaga_index_withdraw(jaga_index *x, jaga_ctx *ctx, uint64_t entry_id)
{
    return set_withdrawn(x, ctx, entry_id, 1);
}

jaga_status jaga_index_reinstate(jaga_index *x, jaga_ctx *ctx, uint64_t entry_id)
{
    return set_withdrawn(x, ctx, entry_id, 0);
}

uint64_t jaga_index_tag(jaga_index *x)
{
    return x->tag;
}

void jaga_index_set_tag(jaga_index *x, uint64_t tag)
{
    x->tag = tag;
}

size_t jaga_index_count(jaga_index *x)
{
    pthread_rwlock_rdlock(&x->lock);
    size_t n = x->active;
    pthread_rwlock_unlock(&x->lock);
    return n;
}

size_t jaga_index_memory(jaga_index *x)
{
    pthread_rwlock_rdlock(&x->lock);
    size_t per_entry = sizeof(jaga_pdq_hash) + sizeof(uint64_t) + sizeof(uint32_t) + 1;
    size_t bytes = sizeof(*x) + x->cap * per_entry + x->nslots * sizeof(uint32_t) +
                   jaga__mih_memory(&x->table);
    pthread_rwlock_unlock(&x->lock);
    return bytes;
}

static int bank_wanted(const jaga_index_query *q, uint32_t bank)
{
    if (!q->banks)
        return 1;
    for (size_t i = 0; i < q->nbanks; i++)
        if (q->banks[i] == bank)
            return 1;
    return 0;
}

static int match_order(const void *pa, const void *pb)
{
    const jaga_index_match *a = pa, *b = pb;
    if (a->distance != b->distance)
        return a->distance < b->distance ? -1 : 1;
    return (a->entry_id > b->entry_id) - (a->entry_id < b->entry_id);
}

static int pos_order(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return (a > b) - (a < b);
}

/* A growable list of matches. */
typedef struct match_list {
    jaga_index_match *items;
    size_t n, cap;
} match_list;

static int match_push(match_list *l, jaga_index_match m)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        jaga_index_match *grown = realloc(l->items, cap * sizeof(*grown));
        if (!grown)
            return -1;
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->n++] = m;
    return 0;
}

/* Checks position p against the query; appends it to matches when it is one. */
static int verify(const jaga_index *x, const jaga_index_query *q, uint32_t p, match_list *out)
{
    if (x->withdrawn[p] || !bank_wanted(q, x->banks[p]))
        return 0;
    jaga_index_match m = {.entry_id = x->ids[p], .bank_id = x->banks[p], .distance = 257};
    for (size_t i = 0; i < q->nhashes; i++) {
        int d = jaga__mih_distance(&x->hashes[p], &q->hashes[i]);
        if (d < m.distance)
            m.distance = d, m.query_index = (unsigned)i;
    }
    return m.distance <= q->radius ? match_push(out, m) : 0;
}

/* Sorts the matches, keeps k, copies out. */
static void deliver(const jaga_index_query *q, match_list *found, jaga_index_match *out, size_t cap,
                    size_t *count)
{
    *count = q->k && found->n > q->k ? q->k : found->n;
    if (found->n == 0)
        return;
    qsort(found->items, found->n, sizeof(jaga_index_match), match_order);
    memcpy(out, found->items, (cap < *count ? cap : *count) * sizeof(jaga_index_match));
}

static jaga_status check_query(jaga_ctx *ctx, const jaga_index_query *q)
{
    if (!q || !q->hashes || q->nhashes == 0 || q->nhashes > JAGA_DIH_COUNT)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "index: a query has 1 to %d hashes",
                         JAGA_DIH_COUNT);
    if (q->radius < 0 || q->radius > 256)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "index: radius %d is outside 0..256", q->radius);
    return JAGA_OK;
}

/* Answers q over positions [from, n) by scanning them: distances first, in a tight loop,
 * the rest only for the positions within the radius. */
static int scan_range(const jaga_index *x, const jaga_index_query *q, size_t from,
                      match_list *found)
{
    for (size_t p = from; p < x->n; p++) {
        int near = 0;
        for (size_t i = 0; i < q->nhashes && !near; i++)
            near = jaga__mih_distance(&x->hashes[p], &q->hashes[i]) <= q->radius;
        if (near && verify(x, q, (uint32_t)p, found) != 0)
            return -1;
    }
    return 0;
}

/* Candidates from the multi-index, each verified once. */
static int probe_table(const jaga_index *x, const jaga_index_query *q, match_list *found)
{
    mih_hits hits = {0};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < q->nhashes; i++)
        rc = jaga__mih_probe(&x->table, &q->hashes[i], q->radius, &hits);
    if (rc == 0 && hits.n) {
        qsort(hits.pos, hits.n, sizeof(uint32_t), pos_order);
        for (size_t i = 0; rc == 0 && i < hits.n; i++)
            if (i == 0 || hits.pos[i] != hits.pos[i - 1])
                rc = verify(x, q, hits.pos[i], found);
    }
    free(hits.pos);
    return rc;
}

/* Answers q under the read lock: by the multi-index (and a scan of the tail), or by a scan
 * of everything when that is cheaper or asked for. */
static jaga_status answer(jaga_index *x, jaga_ctx *ctx, const jaga_index_query *q, int scan_all,
                          jaga_index_match *out, size_t cap, size_t *count)
{
    jaga_status st = check_query(ctx, q);
    if (st != JAGA_OK)
        return st;
    match_list found = {0};
    int rc;
    pthread_rwlock_rdlock(&x->lock);
    /* At large radii the probes would touch more than a scan reads. */
    if (scan_all || jaga__mih_probe_cost(&x->table, q->radius) > jaga__mih_scan_cost(x->table.n))
        rc = scan_range(x, q, 0, &found);
    else
        rc = probe_table(x, q, &found) || scan_range(x, q, x->table.n, &found);
    pthread_rwlock_unlock(&x->lock);
    if (rc == 0)
        deliver(q, &found, out, cap, count);
    free(found.items);
    return rc ? jaga_fail(ctx, JAGA_ERR_NOMEM, "index: no memory for matches") : JAGA_OK;
}

jaga_status jaga_index_query_pdq(jaga_index *x, jaga_ctx *ctx, const jaga_index_query *q,
                                 jaga_index_match *out, size_t cap, size_t *count)
{
    return answer(x, ctx, q, 0, out, cap, count);
}

jaga_status jaga_index_scan_pdq(jaga_index *x, jaga_ctx *ctx, const jaga_index_query *q,
                                jaga_index_match *out, size_t cap, size_t *count)
{
    return answer(x, ctx, q, 1, out, cap, count);
}
