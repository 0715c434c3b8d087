/* Keys recently read from the store, so that authentication does not read the store on every
 * request. An entry is trusted for ttl seconds; a revocation through the API evicts it at
 * once, one made elsewhere (jaga key revoke on the same store) takes effect within ttl. */
#ifndef JAGA_SERVER_KEY_CACHE_H
#define JAGA_SERVER_KEY_CACHE_H

#include "jaga/auth.h"

typedef struct key_cache key_cache;

/* NULL when out of memory. ttl 0 caches nothing. */
key_cache *key_cache_open(double ttl);
void key_cache_free(key_cache *c);

/* The key with that prefix if cached and fresh: 1 with *out filled, else 0. */
int key_cache_get(key_cache *c, const char *prefix, jaga_key *out);

/* Remembers a key just read from the store. */
void key_cache_put(key_cache *c, const jaga_key *k);

/* Forgets a key (revoked). */
void key_cache_evict(key_cache *c, const char *prefix);

#endif
