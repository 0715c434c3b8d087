/* Store handles for the server's threads: SQLite connections in WAL mode read concurrently
 * and take turns to write, so each request borrows a handle instead of sharing one. */
#ifndef JAGA_SERVER_STORE_POOL_H
#define JAGA_SERVER_STORE_POOL_H

#include "jaga/store.h"

typedef struct store_pool store_pool;

/* A pool of at most size handles on the store at path, opened as they are first needed,
 * each reporting to observer (may be NULL). The first is opened now (migrating the schema):
 * NULL with the reason on ctx if that fails. */
store_pool *store_pool_open(jaga_ctx *ctx, const char *path, unsigned size,
                            jaga_store_observer observer, void *arg);
void store_pool_free(store_pool *p);

/* Borrows a handle, waiting for one when all are out. NULL (with a message on ctx) when a
 * new one could not be opened. */
jaga_store *store_pool_take(store_pool *p, jaga_ctx *ctx);

/* Returns a borrowed handle; a no-op on NULL. */
void store_pool_give(store_pool *p, jaga_store *db);

#endif
