/* The matcher's vpdq entries: prepared features per entry, and a PDQ index over them whose
 * keys are entry id << 16 | the feature's place, so that one frame's hits name their entries. */
#include "index/vpdq_set.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/index.h"
#include "jaga/core.h"

enum { FEATURE_BITS = 16 }; /* JAGA_VPDQ_ENTRY_FEATURES_MAX < 1 << FEATURE_BITS */

typedef struct video {
    int64_t entry_id, bank_id;
    int withdrawn;
    size_t n;
    jaga_vpdq_feature *features; /* quality >= JAGA_PDQ_QUALITY_MIN, each hash once */
} video;

struct vpdq_set {
    pthread_rwlock_t lock; /* videos, n, active */
    video *videos;         /* by entry id */
    size_t n, cap, active;
    jaga_index *frames;
};

vpdq_set *jaga__vpdq_set_open(void)
{
    vpdq_set *set = calloc(1, sizeof(*set));
    if (!set || jaga_index_open(&set->frames) != JAGA_OK) {
        free(set);
        return NULL;
    }
    pthread_rwlock_init(&set->lock, NULL);
    return set;
}

void jaga__vpdq_set_free(vpdq_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        free(set->videos[i].features);
    free(set->videos);
    jaga_index_free(set->frames);
    pthread_rwlock_destroy(&set->lock);
    free(set);
}

/* Where entry_id is, or would go, in videos. Caller holds the lock. */
static size_t video_place(const vpdq_set *set, int64_t entry_id)
{
    size_t lo = 0, hi = set->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->videos[mid].entry_id < entry_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static video *video_find(const vpdq_set *set, int64_t entry_id)
{
    size_t at = video_place(set, entry_id);
    return at < set->n && set->videos[at].entry_id == entry_id ? &set->videos[at] : NULL;
}

/* Puts a prepared video's features into the index. */
static jaga_status index_video(vpdq_set *set, jaga_ctx *ctx, const video *v)
{
    if (!v->n)
        return JAGA_OK;
    uint64_t *keys = malloc(v->n * sizeof(*keys));
    uint32_t *banks = keys ? malloc(v->n * sizeof(*banks)) : NULL;
    jaga_pdq_hash *hashes = banks ? malloc(v->n * sizeof(*hashes)) : NULL;
    jaga_status st = hashes ? JAGA_OK : jaga_fail(ctx, JAGA_ERR_NOMEM, "matcher: no memory");
    for (size_t i = 0; hashes && i < v->n; i++) {
        keys[i] = (uint64_t)v->entry_id << FEATURE_BITS | i;
        banks[i] = (uint32_t)v->bank_id;
        hashes[i] = v->features[i].hash;
    }
    if (st == JAGA_OK)
        st = jaga_index_add_batch(set->frames, ctx, v->n, keys, banks, hashes);
    free(keys);
    free(banks);
    free(hashes);
    return st;
}

static jaga_status add_video(vpdq_set *set, jaga_ctx *ctx, const jaga_entry *e)
{
    if (!e->features || !e->nfeatures || e->nfeatures > JAGA_VPDQ_ENTRY_FEATURES_MAX)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "matcher: vpdq entry %lld without its features",
                         (long long)e->id);
    video v = {.entry_id = e->id, .bank_id = e->bank_id};
    v.features = malloc(e->nfeatures * sizeof(*v.features));
    if (!v.features)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "matcher: no memory");
    memcpy(v.features, e->features, e->nfeatures * sizeof(*v.features));
    v.n = jaga_vpdq_prepare(v.features, e->nfeatures, JAGA_PDQ_QUALITY_MIN);
    jaga_status st = index_video(set, ctx, &v);
    pthread_rwlock_wrlock(&set->lock);
    if (st == JAGA_OK && set->n == set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 64;
        video *grown = realloc(set->videos, cap * sizeof(*grown));
        if (grown) {
            set->videos = grown;
            set->cap = cap;
        } else {
            st = jaga_fail(ctx, JAGA_ERR_NOMEM, "matcher: no memory");
        }
    }
    if (st == JAGA_OK) {
        size_t at = video_place(set, v.entry_id);
        memmove(&set->videos[at + 1], &set->videos[at], (set->n - at) * sizeof(video));
        set->videos[at] = v;
        set->n++;
        set->active++;
    }
    pthread_rwlock_unlock(&set->lock);
    if (st != JAGA_OK)
        free(v.features);
    return st;
}

jaga_status jaga__vpdq_set_apply(vpdq_set *set, jaga_ctx *ctx, const jaga_entry *e)
{
    pthread_rwlock_wrlock(&set->lock);
    video *v = video_find(set, e->id);
    if (v && v->withdrawn != (e->withdrawn != 0)) {
        v->withdrawn = e->withdrawn != 0;
        set->active += v->withdrawn ? (size_t)-1 : 1;
    }
    pthread_rwlock_unlock(&set->lock);
    return v || e->withdrawn ? JAGA_OK : add_video(set, ctx, e);
}

size_t jaga__vpdq_set_count(vpdq_set *set)
{
    pthread_rwlock_rdlock(&set->lock);
    size_t n = set->active;
    pthread_rwlock_unlock(&set->lock);
    return n;
}

/* An entry some query frame came near: which features on each side found a counterpart. */
typedef struct candidate {
    const video *v;
    uint64_t *query_hits, *entry_hits; /* bit sets */
    size_t frames_matched, nframes;
    jaga_vpdq_frame_match frames[JAGA_VPDQ_MATCH_FRAMES];
} candidate;

typedef struct match_run {
    jaga_ctx *ctx;
    const jaga_vpdq_feature *query;
    size_t nq;
    candidate *cands;
    size_t ncands, cap;
    size_t *cand_of; /* per video: its candidate + 1, 0 for none */
} match_run;

static int bit_set(uint64_t *bits, size_t i)
{
    uint64_t was = bits[i / 64] & (1ull << (i % 64));
    bits[i / 64] |= 1ull << (i % 64);
    return was == 0;
}

static size_t bit_count(const uint64_t *bits, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < (n + 63) / 64; i++)
        c += (size_t)__builtin_popcountll(bits[i]);
    return c;
}

static candidate *candidate_of(match_run *r, const vpdq_set *set, const video *v)
{
    size_t at = (size_t)(v - set->videos);
    if (r->cand_of[at])
        return &r->cands[r->cand_of[at] - 1];
    if (r->ncands == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        candidate *grown = realloc(r->cands, cap * sizeof(*grown));
        if (!grown)
            return NULL;
        r->cands = grown;
        r->cap = cap;
    }
    candidate *c = &r->cands[r->ncands];
    memset(c, 0, sizeof(*c));
    c->v = v;
    c->query_hits = calloc((r->nq + 63) / 64, sizeof(uint64_t));
    c->entry_hits = calloc((v->n + 63) / 64, sizeof(uint64_t));
    if (!c->query_hits || !c->entry_hits) {
        free(c->query_hits);
        free(c->entry_hits);
        return NULL;
    }
    r->cand_of[at] = ++r->ncands;
    return c;
}

/* One query frame's hits, closest first, into the candidates. */
static int take_hits(match_run *r, const vpdq_set *set, const vpdq_banks *b, size_t qi,
                     const jaga_index_match *hits, size_t n)
{
    for (size_t h = 0; h < n; h++) {
        const video *v = video_find(set, (int64_t)(hits[h].entry_id >> FEATURE_BITS));
        size_t b_at = 0;
        while (b_at < b->n && b->ids[b_at] != hits[h].bank_id)
            b_at++;
        if (!v || v->withdrawn || b_at == b->n || hits[h].distance > b->thresholds[b_at])
            continue;
        size_t fi = hits[h].entry_id & ((1u << FEATURE_BITS) - 1);
        candidate *c = candidate_of(r, set, v);
        if (!c)
            return -1;
        bit_set(c->entry_hits, fi);
        if (!bit_set(c->query_hits, qi))
            continue;
        if (c->nframes < JAGA_VPDQ_MATCH_FRAMES)
            c->frames[c->nframes++] =
                (jaga_vpdq_frame_match){.query_timestamp = r->query[qi].timestamp,
                                        .entry_timestamp = v->features[fi].timestamp,
                                        .distance = hits[h].distance};
        c->frames_matched++;
    }
    return 0;
}

static int by_shares(const void *a, const void *b)
{
    const jaga_vpdq_match *x = a, *y = b;
    if (x->query_percent != y->query_percent)
        return x->query_percent < y->query_percent ? 1 : -1;
    if (x->compared_percent != y->compared_percent)
        return x->compared_percent < y->compared_percent ? 1 : -1;
    return x->entry_id < y->entry_id ? -1 : x->entry_id > y->entry_id;
}

/* Every query frame through the index. Caller holds the lock for reading. */
static jaga_status find_candidates(match_run *r, const vpdq_set *set, const vpdq_banks *b)
{
    size_t room = 64, n;
    jaga_index_match *hits = malloc(room * sizeof(*hits));
    jaga_status st = hits ? JAGA_OK : jaga_fail(r->ctx, JAGA_ERR_NOMEM, "matcher: no memory");
    for (size_t qi = 0; st == JAGA_OK && qi < r->nq; qi++) {
        jaga_index_query iq = {.hashes = &r->query[qi].hash,
                               .nhashes = 1,
                               .radius = b->radius,
                               .banks = b->ids,
                               .nbanks = b->n};
        st = jaga_index_query_pdq(set->frames, r->ctx, &iq, hits, room, &n);
        if (st == JAGA_OK && n > room) {
            jaga_index_match *grown = realloc(hits, n * sizeof(*hits));
            if (!grown) {
                st = jaga_fail(r->ctx, JAGA_ERR_NOMEM, "matcher: no memory");
                break;
            }
            hits = grown;
            room = n;
            qi--; /* again, with room for all */
            continue;
        }
        if (st == JAGA_OK && take_hits(r, set, b, qi, hits, n) != 0)
            st = jaga_fail(r->ctx, JAGA_ERR_NOMEM, "matcher: no memory");
    }
    free(hits);
    return st;
}

jaga_status jaga__vpdq_set_match(vpdq_set *set, jaga_ctx *ctx, const jaga_vpdq_feature *features,
                                 size_t n, const jaga_vpdq_match_options *options,
                                 const vpdq_banks *banks, jaga_vpdq_match *out, size_t cap,
                                 size_t *count)
{
    *count = 0;
    jaga_vpdq_match_options o;
    jaga_vpdq_match_options_default(&o);
    if (options)
        o = *options;
    jaga_vpdq_feature *query = malloc((n ? n : 1) * sizeof(*query));
    if (!query)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "matcher: no memory");
    if (n)
        memcpy(query, features, n * sizeof(*query));
    match_run r = {.ctx = ctx, .query = query, .nq = jaga_vpdq_prepare(query, n, o.quality_min)};
    pthread_rwlock_rdlock(&set->lock);
    jaga_status st = JAGA_OK;
    if (r.nq && banks->n && set->n) {
        r.cand_of = calloc(set->n, sizeof(*r.cand_of));
        st = r.cand_of ? find_candidates(&r, set, banks)
                       : jaga_fail(ctx, JAGA_ERR_NOMEM, "matcher: no memory");
    }
    jaga_vpdq_match *all = r.ncands ? malloc(r.ncands * sizeof(*all)) : NULL;
    if (r.ncands && !all && st == JAGA_OK)
        st = jaga_fail(ctx, JAGA_ERR_NOMEM, "matcher: no memory");
    for (size_t i = 0; st == JAGA_OK && i < r.ncands; i++) {
        const candidate *c = &r.cands[i];
        size_t entry_hits = bit_count(c->entry_hits, c->v->n);
        jaga_vpdq_match m = {.entry_id = c->v->entry_id,
                             .bank_id = c->v->bank_id,
                             .query_percent = 100.0 * (double)c->frames_matched / (double)r.nq,
                             .compared_percent = 100.0 * (double)entry_hits / (double)c->v->n,
                             .frames_matched = c->frames_matched,
                             .entry_features = c->v->n,
                             .entry_frames_matched = entry_hits,
                             .nframes = c->nframes};
        memcpy(m.frames, c->frames, sizeof(m.frames));
        if (m.query_percent >= o.query_percent_min && m.compared_percent >= o.compared_percent_min)
            all[(*count)++] = m;
    }
    pthread_rwlock_unlock(&set->lock);
    for (size_t i = 0; i < r.ncands; i++) {
        free(r.cands[i].query_hits);
        free(r.cands[i].entry_hits);
    }
    free(r.cands);
    free(r.cand_of);
    free(query);
    if (st == JAGA_OK && *count) {
        qsort(all, *count, sizeof(*all), by_shares);
        if (cap)
            memcpy(out, all, (*count < cap ? *count : cap) * sizeof(*out));
    }
    free(all);
    if (st != JAGA_OK)
        *count = 0;
    return st;
}
