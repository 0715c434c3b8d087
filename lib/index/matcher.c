/* The matcher: enabled banks, a PDQ index and an exact digest table. */
#include "jaga/matcher.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jaga/digest.h"
#include "index/vpdq_set.h"
#include "jaga/index.h"
#include "jaga/core.h"

/* One MD5 or SHA-256 entry; the table is open addressing over these. */
typedef struct digest_slot {
    uint8_t used, type, withdrawn;
    uint8_t value[32];
    int64_t entry_id, bank_id;
} digest_slot;

struct jaga_matcher {
    pthread_rwlock_t banks_lock; /* banks and nbanks */
    jaga_bank *banks;
    size_t nbanks;
    jaga_index *pdq;
    pthread_rwlock_t digest_lock;
    digest_slot *slots;
    size_t nslots, ndigests;
    vpdq_set *videos;
    int from_snapshot;
};

static size_t digest_home(size_t nslots, uint8_t type, const uint8_t *v)
{
    uint64_t h;
    memcpy(&h, v, sizeof(h));
    return (size_t)((h ^ type) * 0x9E3779B97F4A7C15ull >> 17) & (nslots - 1);
}

static void digest_put(digest_slot *t, size_t nslots, const digest_slot *d)
{
    size_t i = digest_home(nslots, d->type, d->value);
    while (t[i].used)
        i = (i + 1) & (nslots - 1);
    t[i] = *d;
}

static int digest_add(jaga_matcher *m, const digest_slot *d)
{
    if (2 * (m->ndigests + 1) > m->nslots) {
        size_t n = m->nslots ? 2 * m->nslots : 1024;
        digest_slot *t = calloc(n, sizeof(*t));
        if (!t)
            return -1;
        for (size_t i = 0; i < m->nslots; i++)
            if (m->slots[i].used)
                digest_put(t, n, &m->slots[i]);
        free(m->slots);
        m->slots = t;
        m->nslots = n;
    }
    digest_put(m->slots, m->nslots, d);
    m->ndigests++;
    return 0;
}

/* The slot of an entry, or NULL. */
static digest_slot *digest_find_entry(jaga_matcher *m, uint8_t type, const uint8_t *v,
                                      int64_t entry_id)
{
    for (size_t i = m->nslots ? digest_home(m->nslots, type, v) : 0; m->nslots && m->slots[i].used;
         i = (i + 1) & (m->nslots - 1))
        if (m->slots[i].entry_id == entry_id)
            return &m->slots[i];
    return NULL;
}

/* The enabled bank with that id, or NULL. Caller holds banks_lock. */
static const jaga_bank *find_bank(const jaga_matcher *m, int64_t bank_id)
{
    for (size_t i = 0; i < m->nbanks; i++)
        if (m->banks[i].id == bank_id)
            return &m->banks[i];
    return NULL;
}

jaga_status jaga_matcher_bank(jaga_matcher *m, int64_t bank_id, jaga_bank *out)
{
    pthread_rwlock_rdlock(&m->banks_lock);
    const jaga_bank *b = find_bank(m, bank_id);
    if (b)
        *out = *b;
    pthread_rwlock_unlock(&m->banks_lock);
    return b ? JAGA_OK : JAGA_ERR_NOT_FOUND;
}

static int bank_enabled(jaga_matcher *m, int64_t bank_id)
{
    pthread_rwlock_rdlock(&m->banks_lock);
    int known = find_bank(m, bank_id) != NULL;
    pthread_rwlock_unlock(&m->banks_lock);
    return known;
}

jaga_status jaga_matcher_apply(jaga_matcher *m, jaga_ctx *ctx, const jaga_entry *e)
{
    if (!bank_enabled(m, e->bank_id))
        return JAGA_OK; /* a disabled or unknown bank: not matched against */
    if (e->type == JAGA_SIGNAL_VPDQ)
        return jaga__vpdq_set_apply(m->videos, ctx, e);
    if (e->type == JAGA_SIGNAL_PDQ) {
        jaga_pdq_hash h;
        if (jaga_pdq_from_hex(e->value, &h) != JAGA_OK)
            return jaga_fail(ctx, JAGA_ERR_INVALID, "matcher: bad PDQ value");
        uint64_t key = (uint64_t)e->id;
        if (e->withdrawn)
            return jaga_index_withdraw(m->pdq, ctx, key);
        /* Added, or reactivated: an id the index holds already comes back (or is there). */
        jaga_status st = jaga_index_add(m->pdq, ctx, key, (uint32_t)e->bank_id, &h);
        if (st == JAGA_ERR_INVALID)
            jaga_index_reinstate(m->pdq, NULL, key);
        return st == JAGA_ERR_INVALID ? JAGA_OK : st;
    }
    digest_slot d = {.used = 1, .type = (uint8_t)e->type, .entry_id = e->id, .bank_id = e->bank_id};
    if (jaga_hex_decode(e->value, d.value, e->type == JAGA_SIGNAL_MD5 ? 16 : 32) != JAGA_OK)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "matcher: bad digest value");
    pthread_rwlock_wrlock(&m->digest_lock);
    digest_slot *have = digest_find_entry(m, d.type, d.value, e->id);
    int rc = 0;
    if (have)
        have->withdrawn = (uint8_t)(e->withdrawn != 0);
    else if (!e->withdrawn)
        rc = digest_add(m, &d);
    pthread_rwlock_unlock(&m->digest_lock);
    return rc ? jaga_fail(ctx, JAGA_ERR_NOMEM, "matcher: no memory") : JAGA_OK;
}

typedef struct loader {
    jaga_matcher *m;
    jaga_ctx *ctx;
    jaga_status status;
    uint64_t *ids;
    uint32_t *banks;
    jaga_pdq_hash *hashes;
    size_t n, cap;
} loader;

static int load_entry(void *arg, const jaga_entry *e)
{
    loader *l = arg;
    if (!bank_enabled(l->m, e->bank_id))
        return 0;
    if (e->type != JAGA_SIGNAL_PDQ) {
        l->status = jaga_matcher_apply(l->m, l->ctx, e);
        return l->status != JAGA_OK;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4096;
        uint64_t *ids = realloc(l->ids, cap * sizeof(*ids));
        l->ids = ids ? ids : l->ids;
        uint32_t *banks = ids ? realloc(l->banks, cap * sizeof(*banks)) : NULL;
        l->banks = banks ? banks : l->banks;
        jaga_pdq_hash *hashes = banks ? realloc(l->hashes, cap * sizeof(*hashes)) : NULL;
        if (!hashes) {
            l->status = jaga_fail(l->ctx, JAGA_ERR_NOMEM, "matcher: no memory");
            return 1;
        }
        l->hashes = hashes;
        l->cap = cap;
    }
    if (jaga_pdq_from_hex(e->value, &l->hashes[l->n]) != JAGA_OK)
        return 0;
    l->ids[l->n] = (uint64_t)e->id;
    l->banks[l->n] = (uint32_t)e->bank_id;
    l->n++;
    return 0;
}

/* Loads the active entries of bank_id (0: every bank) and of the given types (a bitmask; 0:
 * all) that belong to enabled banks. */
static jaga_status load_entries(jaga_matcher *m, jaga_ctx *ctx, jaga_store *store, int64_t bank_id,
                                unsigned types)
{
    loader l = {.m = m, .ctx = ctx, .status = JAGA_OK};
    jaga_entry_filter f = {.bank_id = bank_id, .types = types};
    jaga_status st = jaga_store_entries_each(store, ctx, &f, load_entry, &l);
    if (st == JAGA_OK)
        st = l.status;
    for (size_t i = 0; st == JAGA_OK && i < l.n; i++) {
        /* One batch when all are new (the start); one by one when some may be there. */
        if (i == 0 && bank_id == 0) {
            st = jaga_index_add_batch(m->pdq, ctx, l.n, l.ids, l.banks, l.hashes);
            break;
        }
        jaga_status add = jaga_index_add(m->pdq, ctx, l.ids[i], l.banks[i], &l.hashes[i]);
        if (add == JAGA_ERR_INVALID)
            jaga_index_reinstate(m->pdq, NULL, l.ids[i]);
        else
            st = add;
    }
    free(l.ids);
    free(l.banks);
    free(l.hashes);
    return st;
}

jaga_status jaga_matcher_set_bank(jaga_matcher *m, jaga_ctx *ctx, jaga_store *store,
                                  const jaga_bank *bank)
{
    pthread_rwlock_wrlock(&m->banks_lock);
    size_t i = 0;
    while (i < m->nbanks && m->banks[i].id != bank->id)
        i++;
    int was_enabled = i < m->nbanks;
    jaga_status st = JAGA_OK;
    if (!bank->enabled && was_enabled) {
        m->banks[i] = m->banks[--m->nbanks];
    } else if (bank->enabled && was_enabled) {
        m->banks[i] = *bank;
    } else if (bank->enabled) {
        jaga_bank *grown = realloc(m->banks, (m->nbanks + 1) * sizeof(*grown));
        if (grown) {
            m->banks = grown;
            m->banks[m->nbanks++] = *bank;
        } else {
            st = jaga_fail(ctx, JAGA_ERR_NOMEM, "matcher: no memory");
        }
    }
    pthread_rwlock_unlock(&m->banks_lock);
    if (st == JAGA_OK && bank->enabled && !was_enabled)
        st = load_entries(m, ctx, store, bank->id, 0);
    return st;
}

/* The PDQ index of a snapshot made at the store's present generation, or NULL. */
static jaga_index *valid_snapshot(jaga_store *store, const char *path)
{
    uint64_t generation, tag;
    jaga_index *x = NULL;
    /* The header says whether the snapshot is current before the whole file is read. */
    if (!path || access(path, R_OK) != 0 || jaga_store_generation(store, NULL, &generation) ||
        jaga_index_snapshot_tag(NULL, path, &tag) != JAGA_OK || tag != generation ||
        jaga_index_load(NULL, path, &x) != JAGA_OK)
        return NULL;
    if (jaga_index_tag(x) == generation) /* the file may have been replaced in between */
        return x;
    jaga_index_free(x);
    return NULL;
}

jaga_status jaga_matcher_open(jaga_ctx *ctx, jaga_store *store, const char *snapshot,
                              jaga_matcher **out)
{
    *out = NULL;
    jaga_matcher *m = calloc(1, sizeof(*m));
    if (m && (m->pdq = valid_snapshot(store, snapshot)))
        m->from_snapshot = 1;
    if (m)
        m->videos = jaga__vpdq_set_open();
    if (!m || !m->videos || (!m->pdq && jaga_index_open(&m->pdq) != JAGA_OK)) {
        if (m)
            jaga__vpdq_set_free(m->videos);
        free(m);
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "matcher: no memory");
    }
    pthread_rwlock_init(&m->digest_lock, NULL);
    pthread_rwlock_init(&m->banks_lock, NULL);
    jaga_bank *all = NULL;
    size_t n = 0;
    jaga_status st = jaga_store_bank_list(store, ctx, &all, &n);
    m->banks = all; /* the enabled ones, moved to the front */
    for (size_t i = 0; st == JAGA_OK && i < n; i++)
        if (all[i].enabled)
            all[m->nbanks++] = all[i];
    const unsigned not_pdq = (1u << JAGA_SIGNAL_COUNT) - 1 - (1u << JAGA_SIGNAL_PDQ);
    if (st == JAGA_OK)
        st = load_entries(m, ctx, store, 0, m->from_snapshot ? not_pdq : 0);
    if (st != JAGA_OK) {
        jaga_matcher_free(m);
        return st;
    }
    *out = m;
    return JAGA_OK;
}

int jaga_matcher_from_snapshot(jaga_matcher *m)
{
    return m->from_snapshot;
}

jaga_status jaga_matcher_save(jaga_matcher *m, jaga_ctx *ctx, jaga_store *store, const char *path)
{
    uint64_t generation;
    jaga_status st = jaga_store_generation(store, ctx, &generation);
    if (st != JAGA_OK)
        return st;
    jaga_index_set_tag(m->pdq, generation);
    return jaga_index_save(m->pdq, ctx, path);
}

void jaga_matcher_free(jaga_matcher *m)
{
    if (!m)
        return;
    jaga_index_free(m->pdq);
    jaga__vpdq_set_free(m->videos);
    pthread_rwlock_destroy(&m->digest_lock);
    pthread_rwlock_destroy(&m->banks_lock);
    free(m->slots);
    free(m->banks);
    free(m);
}

size_t jaga_matcher_count(jaga_matcher *m)
{
    size_t n = jaga_index_count(m->pdq) + jaga__vpdq_set_count(m->videos);
    pthread_rwlock_rdlock(&m->digest_lock);
    for (size_t i = 0; i < m->nslots; i++)
        n += m->slots[i].used && !m->slots[i].withdrawn;
    pthread_rwlock_unlock(&m->digest_lock);
    return n;
}

static int bank_in(const int64_t *banks, size_t nbanks, int64_t bank_id)
{
    if (!banks)
        return 1;
    for (size_t i = 0; i < nbanks; i++)
        if (banks[i] == bank_id)
            return 1;
    return 0;
}

static int bank_wanted(const jaga_match_query *q, int64_t bank_id)
{
    return bank_in(q->banks, q->nbanks, bank_id);
}

/* The enabled banks asked for (banks NULL: all) with their thresholds. */
typedef struct wanted {
    uint32_t *ids;
    int *thresholds;
    size_t n;
    int radius; /* the largest threshold; -1 with no bank */
} wanted;

static int wanted_banks(jaga_matcher *m, const int64_t *banks, size_t nbanks, wanted *w)
{
    memset(w, 0, sizeof(*w));
    w->radius = -1;
    pthread_rwlock_rdlock(&m->banks_lock);
    w->ids = malloc((m->nbanks ? m->nbanks : 1) * sizeof(uint32_t));
    w->thresholds = malloc((m->nbanks ? m->nbanks : 1) * sizeof(int));
    for (size_t i = 0; w->ids && w->thresholds && i < m->nbanks; i++)
        if (bank_in(banks, nbanks, m->banks[i].id)) {
            w->thresholds[w->n] = m->banks[i].pdq_threshold;
            w->ids[w->n++] = (uint32_t)m->banks[i].id;
            if (m->banks[i].pdq_threshold > w->radius)
                w->radius = m->banks[i].pdq_threshold;
        }
    pthread_rwlock_unlock(&m->banks_lock);
    if (w->ids && w->thresholds)
        return 0;
    free(w->ids);
    free(w->thresholds);
    return -1;
}

jaga_status jaga_matcher_match_vpdq(jaga_matcher *m, jaga_ctx *ctx,
                                    const jaga_vpdq_feature *features, size_t n,
                                    const jaga_vpdq_match_options *options, const int64_t *banks,
                                    size_t nbanks, jaga_vpdq_match *out, size_t cap, size_t *count)
{
    *count = 0;
    wanted w;
    if (wanted_banks(m, banks, nbanks, &w) != 0)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "matcher: no memory");
    vpdq_banks vb = {.ids = w.ids, .thresholds = w.thresholds, .n = w.n, .radius = w.radius};
    jaga_status st =
        jaga__vpdq_set_match(m->videos, ctx, features, n, options, &vb, out, cap, count);
    free(w.ids);
    free(w.thresholds);
    return st;
}

/* Appends a match if there is room; always counts it. */
static void emit(jaga_match *out, size_t cap, size_t *count, jaga_match m)
{
    if (*count < cap)
        out[*count] = m;
    (*count)++;
}

static void match_digest(jaga_matcher *m, const jaga_match_query *q, jaga_signal_type type,
                         const uint8_t *v, jaga_match *out, size_t cap, size_t *count)
{
    pthread_rwlock_rdlock(&m->digest_lock);
    for (size_t i = m->nslots ? digest_home(m->nslots, (uint8_t)type, v) : 0;
         m->nslots && m->slots[i].used; i = (i + 1) & (m->nslots - 1)) {
        const digest_slot *d = &m->slots[i];
        size_t len = type == JAGA_SIGNAL_MD5 ? 16 : 32;
        if (d->type == type && !d->withdrawn && memcmp(d->value, v, len) == 0 &&
            bank_wanted(q, d->bank_id))
            emit(out, cap, count,
                 (jaga_match){.entry_id = d->entry_id, .bank_id = d->bank_id, .type = type});
    }
    pthread_rwlock_unlock(&m->digest_lock);
}

jaga_status jaga_matcher_match(jaga_matcher *m, jaga_ctx *ctx, const jaga_match_query *q,
                               jaga_match *out, size_t cap, size_t *count)
{
    *count = 0;
    const char *digests[2] = {q->md5, q->sha256};
    for (int i = 0; i < 2; i++) {
        uint8_t v[32];
        if (!digests[i])
            continue;
        jaga_signal_type type = i ? JAGA_SIGNAL_SHA256 : JAGA_SIGNAL_MD5;
        if (jaga_hex_decode(digests[i], v, i ? 32 : 16) != JAGA_OK)
            return jaga_fail(ctx, JAGA_ERR_INVALID, "matcher: bad %s digest",
                             jaga_signal_type_name(type));
        match_digest(m, q, type, v, out, cap, count);
    }
    if (!q->npdq)
        return JAGA_OK;
    /* One query at the widest threshold of the banks asked, then each bank's own. */
    wanted w;
    if (wanted_banks(m, q->banks, q->nbanks, &w) != 0)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "matcher: no memory");
    int radius = w.radius;
    uint32_t *banks = w.ids;
    int *thresholds = w.thresholds;
    size_t nb = w.n;
    jaga_status st = JAGA_OK;
    size_t n = 0, room = 256;
    jaga_index_match *found = NULL;
    while (st == JAGA_OK && radius >= 0) {
        jaga_index_match *grown = realloc(found, room * sizeof(*found));
        if (!grown) {
            st = jaga_fail(ctx, JAGA_ERR_NOMEM, "matcher: no memory");
            break;
        }
        found = grown;
        jaga_index_query iq = {
            .hashes = q->pdq, .nhashes = q->npdq, .radius = radius, .banks = banks, .nbanks = nb};
        st = jaga_index_query_pdq(m->pdq, ctx, &iq, found, room, &n);
        if (st != JAGA_OK || n <= room)
            break;
        room = n;
    }
    for (size_t i = 0; st == JAGA_OK && radius >= 0 && i < n; i++) {
        size_t b = 0;
        while (b < nb && banks[b] != found[i].bank_id)
            b++;
        if (b < nb && found[i].distance <= thresholds[b])
            emit(out, cap, count,
                 (jaga_match){.entry_id = (int64_t)found[i].entry_id,
                              .bank_id = found[i].bank_id,
                              .type = JAGA_SIGNAL_PDQ,
                              .distance = found[i].distance,
                              .query_index = found[i].query_index});
    }
    free(found);
    free(banks);
    free(thresholds);
    return st;
}

jaga_match jaga_vpdq_match_summary(const jaga_vpdq_match *v)
{
    int closest = 256;
    for (size_t f = 0; f < v->nframes; f++)
        if (v->frames[f].distance < closest)
            closest = v->frames[f].distance;
    return (jaga_match){.entry_id = v->entry_id,
                        .bank_id = v->bank_id,
                        .type = JAGA_SIGNAL_VPDQ,
                        .distance = v->nframes ? closest : 0};
}
