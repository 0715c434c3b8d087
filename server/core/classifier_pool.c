/* Runners made as needed, up to the bound, kept for reuse (each holds XNNPACK's packed
 * weights and its buffers: one per concurrent scan, not per request). */
#include "classifier_pool.h"

#include <pthread.h>
#include <stdlib.h>

struct classifier_pool {
    jaga_nn_model *model;
    pthread_mutex_t lock;
    pthread_cond_t freed;
    jaga_nn_runner **idle;
    unsigned nidle, made, size;
};

classifier_pool *classifier_pool_open(jaga_ctx *ctx, const char *path, unsigned size)
{
    classifier_pool *p = calloc(1, sizeof(*p));
    if (!p || !(p->idle = calloc(size ? size : 1, sizeof(jaga_nn_runner *))) ||
        jaga_nn_model_load(ctx, path, NULL, &p->model) != JAGA_OK) {
        if (p)
            free(p->idle);
        free(p);
        return NULL;
    }
    /* One runner now: a model XNNPACK cannot run is found at start, not at the first scan. */
    jaga_nn_runner *first = NULL;
    if (jaga_nn_runner_open(ctx, p->model, &first) != JAGA_OK) {
        jaga_nn_model_free(p->model);
        free(p->idle);
        free(p);
        return NULL;
    }
    p->idle[p->nidle++] = first;
    p->made = 1;
    p->size = size ? size : 1;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    return p;
}

void classifier_pool_free(classifier_pool *p)
{
    if (!p)
        return;
    for (unsigned i = 0; i < p->nidle; i++)
        jaga_nn_runner_free(p->idle[i]);
    jaga_nn_model_free(p->model);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->freed);
    free(p->idle);
    free(p);
}

jaga_nn_runner *classifier_take(classifier_pool *p, jaga_ctx *ctx)
{
    jaga_nn_runner *r = NULL;
    pthread_mutex_lock(&p->lock);
    while (!p->nidle && p->made >= p->size)
        pthread_cond_wait(&p->freed, &p->lock);
    if (p->nidle) {
        r = p->idle[--p->nidle];
        pthread_mutex_unlock(&p->lock);
        return r;
    }
    p->made++; /* made outside the lock: packing weights takes a while */
    pthread_mutex_unlock(&p->lock);
    if (jaga_nn_runner_open(ctx, p->model, &r) != JAGA_OK) {
        pthread_mutex_lock(&p->lock);
        p->made--;
        pthread_cond_signal(&p->freed);
        pthread_mutex_unlock(&p->lock);
        return NULL;
    }
    return r;
}

void classifier_give(classifier_pool *p, jaga_nn_runner *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&p->lock);
    p->idle[p->nidle++] = r;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

jaga_nn_runner *classifier_own(classifier_pool *p, jaga_ctx *ctx)
{
    jaga_nn_runner *r = NULL;
    return jaga_nn_runner_open(ctx, p->model, &r) == JAGA_OK ? r : NULL;
}
