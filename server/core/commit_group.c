#include "commit_group.h"

#include <stdio.h>
#include <stdlib.h>

#include "store_pool.h"
#include "jaga/core.h"

enum { GROUP_MAX = 256 };

typedef struct group_op {
    review_op op;
    void *arg;
    jaga_ctx *ctx;
    jaga_status st;
    int done;
    struct group_op *next;
} group_op;

struct commit_group {
    pthread_mutex_t lock;
    pthread_cond_t finished;
    group_op *head, *tail;
    int leading; /* a group is being run */
};

commit_group *commit_group_open(void)
{
    commit_group *g = calloc(1, sizeof(*g));
    if (g) {
        pthread_mutex_init(&g->lock, NULL);
        pthread_cond_init(&g->finished, NULL);
    }
    return g;
}

void commit_group_free(commit_group *g)
{
    if (!g)
        return;
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->finished);
    free(g);
}

/* Runs a group in one transaction. What its reviews do to memory (the visibility map, the
 * matcher) waits for the commit: a failed one leaves memory as it leaves the store. */
static void run_group(server_state *s, group_op *first)
{
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    pthread_mutex_lock(&s->bank_lock);
    jaga_store *db = store_pool_take(s->stores, ctx);
    jaga_review_effects *effects = NULL;
    jaga_status st = !db                                             ? JAGA_ERR_IO
                     : jaga_review_effects_open(&effects) != JAGA_OK ? JAGA_ERR_NOMEM
                                                                     : jaga_store_begin(db, ctx);
    if (st == JAGA_OK) {
        jaga_review rv;
        review_begin(s, db, &rv);
        rv.effects = effects;
        for (group_op *o = first; o; o = o->next)
            o->st = o->op(o->ctx, &rv, o->arg);
        st = jaga_store_commit(db, ctx);
        /* Committed is acknowledged; memory that could not follow (no memory for it) is
         * behind the store until a restart reloads it. */
        if (st == JAGA_OK && jaga_review_effects_apply(effects, ctx, &rv) != JAGA_OK)
            fprintf(stderr,
                    "jaga serve: memory is behind the store after a commit (%s); "
                    "restart to reload it\n",
                    jaga_errmsg(ctx));
        review_end(s);
    }
    if (st != JAGA_OK && db) {
        jaga_store_rollback(db);
        fprintf(stderr, "jaga serve: a grouped commit failed: %s\n", jaga_errmsg(ctx));
    }
    jaga_review_effects_free(effects);
    for (group_op *o = first; o; o = o->next)
        if (st != JAGA_OK && o->st == JAGA_OK)
            o->st = jaga_fail(o->ctx, JAGA_ERR_IO, "store: the commit failed");
    store_pool_give(s->stores, db);
    pthread_mutex_unlock(&s->bank_lock);
    jaga_ctx_free(ctx);
}

jaga_status commit_group_run(server_state *s, jaga_ctx *ctx, review_op op, void *arg)
{
    commit_group *g = s->commits;
    group_op mine = {.op = op, .arg = arg, .ctx = ctx};
    pthread_mutex_lock(&g->lock);
    if (g->tail)
        g->tail->next = &mine;
    else
        g->head = &mine;
    g->tail = &mine;
    while (!mine.done) {
        if (g->leading) {
            pthread_cond_wait(&g->finished, &g->lock);
            continue;
        }
        /* Lead the group of everything queued so far (at most GROUP_MAX). */
        group_op *first = g->head, *last = first;
        for (int n = 1; n < GROUP_MAX && last->next; n++)
            last = last->next;
        g->head = last->next;
        if (!g->head)
            g->tail = NULL;
        last->next = NULL;
        g->leading = 1;
        pthread_mutex_unlock(&g->lock);
        run_group(s, first);
        pthread_mutex_lock(&g->lock);
        for (group_op *o = first; o; o = o->next)
            o->done = 1;
        g->leading = 0;
        pthread_cond_broadcast(&g->finished);
    }
    pthread_mutex_unlock(&g->lock);
    return mine.st;
}
