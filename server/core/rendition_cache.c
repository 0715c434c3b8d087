/* A direct-mapped cache: an id's slot is fixed by its hash, a new rendition evicts the old. */
#include "rendition_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    char *id;
    uint8_t *jpeg;
    size_t len;
} slot;

struct rendition_cache {
    pthread_mutex_t lock;
    size_t nslots, max_bytes, max_total, total;
    slot slots[];
};

rendition_cache *rendition_cache_open(size_t slots, size_t max_bytes, size_t max_total)
{
    rendition_cache *c = calloc(1, sizeof(*c) + slots * sizeof(slot));
    if (!c)
        return NULL;
    pthread_mutex_init(&c->lock, NULL);
    c->nslots = slots ? slots : 1;
    c->max_bytes = max_bytes;
    c->max_total = max_total;
    return c;
}

static void slot_clear(slot *s)
{
    free(s->id);
    free(s->jpeg);
    memset(s, 0, sizeof(*s));
}

void rendition_cache_free(rendition_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nslots; i++)
        slot_clear(&c->slots[i]);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* FNV-1a of the id. */
static slot *slot_of(rendition_cache *c, const char *id)
{
    uint64_t h = 14695981039346656037ull;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return &c->slots[h % c->nslots];
}

int rendition_cache_get(rendition_cache *c, const char *id, uint8_t **jpeg, size_t *len)
{
    *jpeg = NULL, *len = 0;
    pthread_mutex_lock(&c->lock);
    slot *s = slot_of(c, id);
    if (s->id && strcmp(s->id, id) == 0 && (*jpeg = malloc(s->len)) != NULL)
        memcpy(*jpeg, s->jpeg, s->len), *len = s->len;
    pthread_mutex_unlock(&c->lock);
    return *jpeg != NULL;
}

void rendition_cache_put(rendition_cache *c, const char *id, const uint8_t *jpeg, size_t len)
{
    if (len > c->max_bytes || !len)
        return;
    char *key = strdup(id);
    uint8_t *copy = malloc(len);
    if (!key || !copy) {
        free(key), free(copy);
        return;
    }
    memcpy(copy, jpeg, len);
    pthread_mutex_lock(&c->lock);
    slot *s = slot_of(c, id);
    if (c->total - s->len + len <= c->max_total) {
        c->total -= s->len;
        slot_clear(s);
        *s = (slot){key, copy, len};
        c->total += len;
        key = NULL, copy = NULL;
    }
    pthread_mutex_unlock(&c->lock);
    free(key), free(copy); /* not kept: the cache is full */
}
