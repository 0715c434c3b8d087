#include "rate_limit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { SLOTS = 4096, KEY_MAX = RATE_KEY_MAX };

typedef struct bucket {
    char key[KEY_MAX];
    double tokens, at;
} bucket;

struct rate_limiter {
    pthread_mutex_t lock;
    double rate, burst;
    size_t used;
    bucket slots[SLOTS];
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

rate_limiter *rate_limit_open(double rate, double burst)
{
    rate_limiter *l = calloc(1, sizeof(*l));
    if (!l)
        return NULL;
    pthread_mutex_init(&l->lock, NULL);
    l->rate = rate;
    l->burst = burst < 1 ? 1 : burst;
    return l;
}

void rate_limit_free(rate_limiter *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->lock);
    free(l);
}

static size_t slot_of(const char *key)
{
    size_t h = 1469598103934665603u;
    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 1099511628211u;
    return h % SLOTS;
}

/* The bucket of key, refilled to now; with the lock held. */
static bucket *bucket_of(rate_limiter *l, const char *key, double t)
{
    /* A full table starts over: every key gets a fresh burst, none is refused wrongly. */
    if (l->used * 2 >= SLOTS) {
        memset(l->slots, 0, sizeof(l->slots));
        l->used = 0;
    }
    size_t i = slot_of(key);
    while (l->slots[i].key[0] && strncmp(l->slots[i].key, key, KEY_MAX - 1) != 0)
        i = (i + 1) % SLOTS;
    bucket *b = &l->slots[i];
    if (!b->key[0]) {
        strncpy(b->key, key, KEY_MAX - 1);
        b->tokens = l->burst;
        b->at = t;
        l->used++;
    }
    b->tokens += (t - b->at) * l->rate;
    if (b->tokens > l->burst)
        b->tokens = l->burst;
    b->at = t;
    return b;
}

double rate_limit_take(rate_limiter *l, const char *key)
{
    if (l->rate <= 0)
        return 0;
    double t = now(), wait = 0;
    pthread_mutex_lock(&l->lock);
    bucket *b = bucket_of(l, key, t);
    if (b->tokens >= 1)
        b->tokens -= 1;
    else
        wait = (1 - b->tokens) / l->rate;
    pthread_mutex_unlock(&l->lock);
    return wait;
}

void rate_limit_charge(rate_limiter *l, const char *key, double cost)
{
    if (l->rate <= 0)
        return;
    pthread_mutex_lock(&l->lock);
    bucket *b = bucket_of(l, key, now());
    b->tokens -= cost;
    if (b->tokens < -l->burst)
        b->tokens = -l->burst;
    pthread_mutex_unlock(&l->lock);
}
