/* The visibility map: a hash table from content id to its restrictions in force. */
#include "jaga/visibility.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "jaga/core.h"

typedef struct held {
    int64_t id;
    char scope[3];
    jaga_visibility visibility;
    int ground_terms, provisional, automated;
    char reason[48], legal_id[48], source[64];
} held;

typedef struct content_slot {
    char *content_id; /* NULL: empty */
    held *items;
    size_t n;
} content_slot;

struct jaga_visibility_map {
    pthread_rwlock_t lock;
    content_slot *slots;
    size_t nslots, ncontents, nheld;
    jaga_country_block *blocks;
    size_t nblocks;
};

jaga_status jaga_visibility_map_open(jaga_visibility_map **out)
{
    jaga_visibility_map *m = calloc(1, sizeof(*m));
    if (!m || !(m->slots = calloc(1024, sizeof(content_slot)))) {
        free(m);
        *out = NULL;
        return JAGA_ERR_NOMEM;
    }
    m->nslots = 1024;
    pthread_rwlock_init(&m->lock, NULL);
    *out = m;
    return JAGA_OK;
}

void jaga_visibility_map_free(jaga_visibility_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nslots; i++) {
        free(m->slots[i].content_id);
        free(m->slots[i].items);
    }
    free(m->slots);
    free(m->blocks);
    pthread_rwlock_destroy(&m->lock);
    free(m);
}

static size_t home(size_t nslots, const char *id)
{
    return (size_t)XXH3_64bits(id, strlen(id)) & (nslots - 1);
}

/* The slot of a content, or the empty one where it would go. Caller holds the lock. */
static content_slot *slot_of(content_slot *slots, size_t nslots, const char *id)
{
    size_t i = home(nslots, id);
    while (slots[i].content_id && strcmp(slots[i].content_id, id) != 0)
        i = (i + 1) & (nslots - 1);
    return &slots[i];
}

/* Doubles the table when it is half full. Caller holds the write lock. */
static int grow(jaga_visibility_map *m)
{
    if (2 * (m->ncontents + 1) <= m->nslots)
        return 0;
    size_t n = 2 * m->nslots;
    content_slot *t = calloc(n, sizeof(*t));
    if (!t)
        return -1;
    for (size_t i = 0; i < m->nslots; i++)
        if (m->slots[i].content_id)
            *slot_of(t, n, m->slots[i].content_id) = m->slots[i];
    free(m->slots);
    m->slots = t;
    m->nslots = n;
    return 0;
}

jaga_status jaga_visibility_map_add(jaga_visibility_map *m, jaga_ctx *ctx,
                                    const jaga_restriction *r)
{
    held h = {.id = r->id,
              .visibility = r->visibility,
              .ground_terms = r->ground_terms,
              .provisional = r->provisional,
              .automated = r->automated};
    memcpy(h.scope, r->scope, sizeof(h.scope));
    memcpy(h.reason, r->reason, sizeof(h.reason));
    memcpy(h.legal_id, r->legal_id, sizeof(h.legal_id));
    memcpy(h.source, r->source, sizeof(h.source));
    pthread_rwlock_wrlock(&m->lock);
    int rc = grow(m);
    content_slot *s = rc == 0 ? slot_of(m->slots, m->nslots, r->content_id) : NULL;
    if (s && !s->content_id) {
        if ((s->content_id = strdup(r->content_id)))
            m->ncontents++; /* a slot, once taken, stays with its content */
        else
            rc = -1;
    }
    held *grown = rc == 0 ? realloc(s->items, (s->n + 1) * sizeof(held)) : NULL;
    if (grown) {
        s->items = grown;
        s->items[s->n++] = h;
        m->nheld++;
    }
    pthread_rwlock_unlock(&m->lock);
    return grown ? JAGA_OK : jaga_fail(ctx, JAGA_ERR_NOMEM, "visibility: no memory");
}

void jaga_visibility_map_lift(jaga_visibility_map *m, const char *content_id, int64_t id)
{
    pthread_rwlock_wrlock(&m->lock);
    content_slot *s = slot_of(m->slots, m->nslots, content_id);
    for (size_t i = 0; s->content_id && i < s->n; i++)
        if (s->items[i].id == id) {
            memmove(&s->items[i], &s->items[i + 1], (s->n - i - 1) * sizeof(held));
            s->n--;
            m->nheld--;
            break;
        }
    pthread_rwlock_unlock(&m->lock);
}

jaga_status jaga_visibility_map_block(jaga_visibility_map *m, jaga_ctx *ctx,
                                      const jaga_country_block *b)
{
    pthread_rwlock_wrlock(&m->lock);
    size_t i = 0;
    while (i < m->nblocks && strcmp(m->blocks[i].country, b->country) != 0)
        i++;
    jaga_country_block *grown = m->blocks;
    if (i == m->nblocks && (grown = realloc(m->blocks, (m->nblocks + 1) * sizeof(*grown))))
        m->blocks = grown, m->nblocks++;
    if (grown)
        m->blocks[i] = *b;
    pthread_rwlock_unlock(&m->lock);
    return grown ? JAGA_OK : jaga_fail(ctx, JAGA_ERR_NOMEM, "visibility: no memory");
}

void jaga_visibility_map_unblock(jaga_visibility_map *m, const char *country)
{
    pthread_rwlock_wrlock(&m->lock);
    for (size_t i = 0; i < m->nblocks; i++)
        if (strcmp(m->blocks[i].country, country) == 0) {
            m->blocks[i] = m->blocks[--m->nblocks];
            break;
        }
    pthread_rwlock_unlock(&m->lock);
}

static int load_one(void *arg, const jaga_restriction *r)
{
    void **a = arg;
    jaga_status st = jaga_visibility_map_add(a[0], a[1], r);
    return st != JAGA_OK;
}

jaga_status jaga_visibility_map_load(jaga_visibility_map *m, jaga_ctx *ctx, jaga_store *store)
{
    void *args[2] = {m, ctx};
    jaga_status st = jaga_store_restrictions_each(store, ctx, NULL, load_one, args);
    jaga_country_block *blocks = NULL;
    size_t n = 0;
    if (st == JAGA_OK)
        st = jaga_store_block_list(store, ctx, &blocks, &n);
    for (size_t i = 0; st == JAGA_OK && i < n; i++)
        st = jaga_visibility_map_block(m, ctx, &blocks[i]);
    free(blocks);
    return st;
}

void jaga_visibility_map_answer(jaga_visibility_map *m, const char *content_id, const char *country,
                                const char *jurisdiction, jaga_visibility_answer *out)
{
    jaga_visibility_map_answer_viewer(m, content_id, country, jurisdiction, 1, out);
}

void jaga_visibility_map_answer_viewer(jaga_visibility_map *m, const char *content_id,
                                       const char *country, const char *jurisdiction,
                                       int sensitive_filter, jaga_visibility_answer *out)
{
    memset(out, 0, sizeof(*out));
    pthread_rwlock_rdlock(&m->lock);
    for (size_t i = 0; i < m->nblocks; i++)
        if (strcmp(m->blocks[i].country, country) == 0) {
            out->visibility = JAGA_VIS_WITHHELD;
            out->country_block = 1;
            memcpy(out->reason, m->blocks[i].reason, sizeof(out->reason));
            memcpy(out->legal_id, m->blocks[i].legal_id, sizeof(out->legal_id));
            pthread_rwlock_unlock(&m->lock);
            return;
        }
    content_slot *s = slot_of(m->slots, m->nslots, content_id);
    /* The most severe of all and of the final ones: a person's decision for this country
     * outranks machine holds (provisional ones) everywhere. */
    const held *best = NULL, *best_final = NULL;
    int decided_here = 0;
    for (size_t i = 0; s->content_id && i < s->n; i++) {
        const held *h = &s->items[i];
        int here = strcmp(h->scope, jurisdiction) == 0 || strcmp(h->scope, country) == 0;
        decided_here |= here && strncmp(h->source, "decision:", 9) == 0;
        if ((!here && strcmp(h->scope, JAGA_EVERYWHERE) != 0) ||
            (!sensitive_filter && h->visibility == JAGA_VIS_BLUR))
            continue;
        if (!best || h->visibility > best->visibility)
            best = h;
        if (!h->provisional && (!best_final || h->visibility > best_final->visibility))
            best_final = h;
    }
    if (decided_here)
        best = best_final;
    if (best && best->visibility != JAGA_VIS_ALLOW) {
        out->visibility = best->visibility;
        out->ground_terms = best->ground_terms;
        out->provisional = best->provisional;
        out->automated = best->automated;
        out->restriction_id = best->id;
        memcpy(out->reason, best->reason, sizeof(out->reason));
        memcpy(out->legal_id, best->legal_id, sizeof(out->legal_id));
        memcpy(out->source, best->source, sizeof(out->source));
    }
    pthread_rwlock_unlock(&m->lock);
}

size_t jaga_visibility_map_count(jaga_visibility_map *m)
{
    pthread_rwlock_rdlock(&m->lock);
    size_t n = m->nheld;
    pthread_rwlock_unlock(&m->lock);
    return n;
}
