/* The classifier's runners for the server's threads: one model, a runner per thread that
 * classifies at once (made as first needed, up to a bound), borrowed for one scan. */
#ifndef JAGA_SERVER_CLASSIFIER_POOL_H
#define JAGA_SERVER_CLASSIFIER_POOL_H

#include "jaga/nn.h"

typedef struct classifier_pool classifier_pool;

/* The model at path, for at most size runners; NULL with the reason on ctx. */
classifier_pool *classifier_pool_open(jaga_ctx *ctx, const char *path, unsigned size);
void classifier_pool_free(classifier_pool *p);

/* Borrows a runner, waiting while all are out; NULL (reason on ctx) when a new one could not
 * be made. */
jaga_nn_runner *classifier_take(classifier_pool *p, jaga_ctx *ctx);
void classifier_give(classifier_pool *p, jaga_nn_runner *r);

/* A runner of the pool's model for one long user (a live stream), outside the bound so that
 * it never keeps scans waiting; free it with jaga_nn_runner_free. NULL (reason on ctx). */
jaga_nn_runner *classifier_own(classifier_pool *p, jaga_ctx *ctx);

#endif
