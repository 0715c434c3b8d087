/* The leaves for jaga_audit_verify: read in batches ahead of the tree, by a reader thread on
 * its own store handle (the SQLite reads then run beside the hashing and the node walks), or
 * in the caller's thread for a store with one handle. */
#include "audit/verify_feed.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/core.h"

enum { BATCH = 4096, SLOTS = 3, ARENA = BATCH * 512 };

/* Leaves and their data; a batch ends early when its arena is full. */
typedef struct batch {
    read_leaf leaves[BATCH];
    size_t n;
    char arena[ARENA];
} batch;

struct verify_feed {
    jaga_store *own; /* the reader's handle, or NULL (reading on the caller's) */
    jaga_ctx *rctx;  /* the reader's context */
    jaga_audit_scan *scan;
    uint64_t limit; /* leaves from this index on came after the check began */
    int ended;
    jaga_status failed;
    int done, stop;
    int threaded;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    batch *slots;        /* SLOTS of them */
    size_t first, count; /* filled slots waiting, from first */
    int holding;         /* the consumer holds slots[first] until its next call */
};

/* A leaf's data begins {"kind":"KIND" with the kind stored beside it. */
static int kind_matches(const read_leaf *leaf)
{
    size_t k = strlen(leaf->kind);
    return leaf->len >= 10 + k && memcmp(leaf->data, "{\"kind\":\"", 9) == 0 &&
           memcmp(leaf->data + 9, leaf->kind, k) == 0 && leaf->data[9 + k] == '"';
}

unsigned jaga__verify_leaf(const read_leaf *leaf, uint8_t hash[JAGA_MERKLE_HASH])
{
    jaga_merkle_leaf_hash(leaf->data, leaf->len, hash);
    return (memcmp(hash, leaf->stored, JAGA_MERKLE_HASH) != 0 ? LEAF_HASH_DIFFERS : 0) |
           (kind_matches(leaf) ? 0 : LEAF_KIND_DIFFERS);
}

/* Fills b with the next leaves; b->n 0 at the end or on failure (f->failed). */
static void fill(verify_feed *f, batch *b)
{
    b->n = 0;
    size_t used = 0;
    jaga_audit_row row;
    while (b->n < BATCH && ARENA - used >= JAGA_AUDIT_LEAF_MAX && !f->ended) {
        jaga_status st = jaga_audit_scan_next(f->scan, f->rctx, &row);
        if (st != JAGA_OK || row.index >= f->limit) {
            if (st != JAGA_OK && st != JAGA_ERR_NOT_FOUND)
                f->failed = st;
            f->ended = 1;
            break;
        }
        read_leaf *leaf = &b->leaves[b->n++];
        /* The store appends no leaf over JAGA_AUDIT_LEAF_MAX: a longer row was edited, and its
         * hash will not match, cut or not. */
        size_t len = row.len <= JAGA_AUDIT_LEAF_MAX ? row.len : JAGA_AUDIT_LEAF_MAX;
        memcpy(b->arena + used, row.data, len);
        *leaf = (read_leaf){.index = row.index, .data = b->arena + used, .len = len};
        memcpy(leaf->stored, row.hash, JAGA_MERKLE_HASH);
        memcpy(leaf->kind, row.kind, sizeof(leaf->kind));
        used += len;
    }
}

static void *reader(void *arg)
{
    verify_feed *f = arg;
    pthread_mutex_lock(&f->lock);
    for (;;) {
        while (!f->stop && f->count + (size_t)f->holding >= SLOTS)
            pthread_cond_wait(&f->changed, &f->lock);
        if (f->stop)
            break;
        batch *b = &f->slots[(f->first + (size_t)f->holding + f->count) % SLOTS];
        pthread_mutex_unlock(&f->lock);
        fill(f, b);
        pthread_mutex_lock(&f->lock);
        if (b->n)
            f->count++;
        else
            f->done = 1;
        pthread_cond_broadcast(&f->changed);
        if (f->done)
            break;
    }
    pthread_mutex_unlock(&f->lock);
    return NULL;
}

jaga_status jaga__verify_feed_open(jaga_store *store, jaga_ctx *ctx, uint64_t limit,
                                   verify_feed **out)
{
    *out = NULL;
    verify_feed *f = calloc(1, sizeof(*f));
    if (!f || jaga_ctx_open(&f->rctx) != JAGA_OK) {
        free(f);
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "audit: no memory");
    }
    f->limit = limit;
    f->failed = JAGA_OK;
    if (!(f->slots = malloc(SLOTS * sizeof(batch)))) {
        jaga_ctx_free(f->rctx);
        free(f);
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "audit: no memory");
    }
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->changed, NULL);
    /* A handle of its own when the store has one to give; else the caller's. */
    if (jaga_store_reopen(store, f->rctx, &f->own) != JAGA_OK)
        f->own = NULL;
    jaga_status st = jaga_store_audit_scan(f->own ? f->own : store, f->rctx, 0, 0, &f->scan);
    if (st == JAGA_OK && f->own)
        f->threaded = pthread_create(&f->thread, NULL, reader, f) == 0;
    if (st != JAGA_OK) {
        jaga_fail(ctx, st, "%s", jaga_errmsg(f->rctx));
        jaga__verify_feed_close(f);
        return st;
    }
    *out = f;
    return JAGA_OK;
}

jaga_status jaga__verify_feed_next(verify_feed *f, jaga_ctx *ctx, const read_leaf **leaves,
                                   size_t *n)
{
    *n = 0;
    if (!f->threaded) {
        fill(f, &f->slots[0]);
        *leaves = f->slots[0].leaves;
        *n = f->slots[0].n;
    } else {
        pthread_mutex_lock(&f->lock);
        if (f->holding) { /* the batch handed out last time is free again */
            f->first = (f->first + 1) % SLOTS;
            f->holding = 0;
            pthread_cond_broadcast(&f->changed);
        }
        while (!f->count && !f->done)
            pthread_cond_wait(&f->changed, &f->lock);
        if (f->count) {
            f->count--;
            f->holding = 1;
            *leaves = f->slots[f->first].leaves;
            *n = f->slots[f->first].n;
        }
        pthread_mutex_unlock(&f->lock);
    }
    if (*n == 0 && f->failed != JAGA_OK)
        return jaga_fail(ctx, f->failed, "%s", jaga_errmsg(f->rctx));
    return JAGA_OK;
}

void jaga__verify_feed_close(verify_feed *f)
{
    if (!f)
        return;
    if (f->threaded) {
        pthread_mutex_lock(&f->lock);
        f->stop = 1;
        pthread_cond_broadcast(&f->changed);
        pthread_mutex_unlock(&f->lock);
        pthread_join(f->thread, NULL);
    }
    jaga_audit_scan_close(f->scan);
    jaga_store_free(f->own);
    jaga_ctx_free(f->rctx);
    pthread_mutex_destroy(&f->lock);
    pthread_cond_destroy(&f->changed);
    free(f->slots);
    free(f);
}
