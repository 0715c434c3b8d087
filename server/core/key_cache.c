#include "key_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

enum { SLOTS = 1024 }; /* direct-mapped: a colliding key only costs a store read */

typedef struct slot {
    jaga_key key;
    double at; /* 0: empty */
} slot;

struct key_cache {
    pthread_rwlock_t lock;
    double ttl;
    slot slots[SLOTS];
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static slot *slot_of(key_cache *c, const char *prefix)
{
    return &c->slots[XXH3_64bits(prefix, strlen(prefix)) % SLOTS];
}

key_cache *key_cache_open(double ttl)
{
    key_cache *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    pthread_rwlock_init(&c->lock, NULL);
    c->ttl = ttl;
    return c;
}

void key_cache_free(key_cache *c)
{
    if (!c)
        return;
    pthread_rwlock_destroy(&c->lock);
    free(c);
}

int key_cache_get(key_cache *c, const char *prefix, jaga_key *out)
{
    slot *s = slot_of(c, prefix);
    pthread_rwlock_rdlock(&c->lock);
    int hit = s->at > 0 && now() - s->at < c->ttl && strcmp(s->key.prefix, prefix) == 0;
    if (hit)
        *out = s->key;
    pthread_rwlock_unlock(&c->lock);
    return hit;
}

void key_cache_put(key_cache *c, const jaga_key *k)
{
    if (c->ttl <= 0)
        return;
    slot *s = slot_of(c, k->prefix);
    pthread_rwlock_wrlock(&c->lock);
    s->key = *k;
    s->at = now();
    pthread_rwlock_unlock(&c->lock);
}

void key_cache_evict(key_cache *c, const char *prefix)
{
    slot *s = slot_of(c, prefix);
    pthread_rwlock_wrlock(&c->lock);
    if (strcmp(s->key.prefix, prefix) == 0)
        s->at = 0;
    pthread_rwlock_unlock(&c->lock);
}
