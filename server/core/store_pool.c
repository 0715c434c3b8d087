#include "store_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct store_pool {
    pthread_mutex_t lock;
    pthread_cond_t returned;
    char *path;
    jaga_store_observer observer;
    void *observer_arg;
    jaga_store **idle;
    unsigned nidle, opened, size;
};

static jaga_status open_handle(store_pool *p, jaga_ctx *ctx, jaga_store **out)
{
    jaga_status st = jaga_store_open(ctx, p->path, out);
    if (st == JAGA_OK)
        jaga_store_observe(*out, p->observer, p->observer_arg);
    return st;
}

store_pool *store_pool_open(jaga_ctx *ctx, const char *path, unsigned size,
                            jaga_store_observer observer, void *arg)
{
    size = size ? size : 1;
    store_pool *p = calloc(1, sizeof(*p));
    if (!p || !(p->path = strdup(path)) || !(p->idle = calloc(size, sizeof(*p->idle)))) {
        if (p)
            free(p->path);
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->returned, NULL);
    p->size = size;
    p->observer = observer, p->observer_arg = arg;
    if (open_handle(p, ctx, &p->idle[0]) != JAGA_OK) {
        store_pool_free(p);
        return NULL;
    }
    p->nidle = p->opened = 1;
    return p;
}

void store_pool_free(store_pool *p)
{
    if (!p)
        return;
    for (unsigned i = 0; i < p->nidle; i++)
        jaga_store_free(p->idle[i]);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->returned);
    free(p->idle);
    free(p->path);
    free(p);
}

jaga_store *store_pool_take(store_pool *p, jaga_ctx *ctx)
{
    pthread_mutex_lock(&p->lock);
    while (!p->nidle && p->opened == p->size)
        pthread_cond_wait(&p->returned, &p->lock);
    jaga_store *db = NULL;
    if (p->nidle) {
        db = p->idle[--p->nidle];
        pthread_mutex_unlock(&p->lock);
        return db;
    }
    p->opened++; /* counted now, opened outside the lock */
    pthread_mutex_unlock(&p->lock);
    if (open_handle(p, ctx, &db) != JAGA_OK) {
        pthread_mutex_lock(&p->lock);
        p->opened--;
        pthread_cond_signal(&p->returned);
        pthread_mutex_unlock(&p->lock);
    }
    return db;
}

void store_pool_give(store_pool *p, jaga_store *db)
{
    if (!db)
        return;
    pthread_mutex_lock(&p->lock);
    p->idle[p->nidle++] = db;
    pthread_cond_signal(&p->returned);
    pthread_mutex_unlock(&p->lock);
}
