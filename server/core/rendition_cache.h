/* Blurred renditions drawn already, by content id: a bounded cache (a fixed number of
 * slots, each holding the last rendition hashed to it) shared by the worker threads. */
#ifndef JAGA_SERVER_RENDITION_CACHE_H
#define JAGA_SERVER_RENDITION_CACHE_H

#include <stddef.h>
#include <stdint.h>

typedef struct rendition_cache rendition_cache;

/* A cache of slots renditions of at most max_bytes each and max_total in all; NULL without
 * memory. */
rendition_cache *rendition_cache_open(size_t slots, size_t max_bytes, size_t max_total);
void rendition_cache_free(rendition_cache *c);

/* A malloc'd copy of the rendition of id into *jpeg and *len: 1, or 0 when none is cached. */
int rendition_cache_get(rendition_cache *c, const char *id, uint8_t **jpeg, size_t *len);

/* Keeps a copy of a rendition of id (replacing what its slot held); one over max_bytes, one
 * that would take the cache past max_total, or one that finds no memory is simply not
 * kept. */
void rendition_cache_put(rendition_cache *c, const char *id, const uint8_t *jpeg, size_t len);

#endif
