/*
 * The visibility map: every restriction in force and every country block, in memory, so that
 * "may a viewer in this country see this content" is answered without touching the store.
 * Changes are applied after the store has them; each change is atomic for readers (a reader
 * sees a content's restrictions before or after it, never half of it).
 *
 * Thread safety: answers from any number of threads; changes from any thread (they take a
 * write lock briefly).
 */
#ifndef JAGA_VISIBILITY_H
#define JAGA_VISIBILITY_H

#include <stddef.h>

#include "jaga/restriction.h"
#include "jaga/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jaga_visibility_map jaga_visibility_map;

/* An empty map. JAGA_OK or JAGA_ERR_NOMEM. Free with jaga_visibility_map_free(). */
jaga_status jaga_visibility_map_open(jaga_visibility_map **out);
void jaga_visibility_map_free(jaga_visibility_map *map);

/* Adds what the store holds in force: restrictions and country blocks. */
jaga_status jaga_visibility_map_load(jaga_visibility_map *map, jaga_ctx *ctx, jaga_store *store);

/* A restriction just stored; one just lifted (a no-op when unknown). */
jaga_status jaga_visibility_map_add(jaga_visibility_map *map, jaga_ctx *ctx,
                                    const jaga_restriction *r);
void jaga_visibility_map_lift(jaga_visibility_map *map, const char *content_id, int64_t id);

/* A country block just stored (replacing one of the same country), or just cleared. */
jaga_status jaga_visibility_map_block(jaga_visibility_map *map, jaga_ctx *ctx,
                                      const jaga_country_block *b);
void jaga_visibility_map_unblock(jaga_visibility_map *map, const char *country);

typedef struct jaga_visibility_answer {
    jaga_visibility visibility;
    int country_block; /* the whole service is withheld in the country */
    int ground_terms, provisional, automated;
    char reason[48], legal_id[48], source[64]; /* "" for allow */
    int64_t restriction_id;                    /* 0 for allow and for blocks */
} jaga_visibility_answer;

/* What a viewer in country (whose jurisdiction under the policy is jurisdiction) gets for a
 * content: the country's block if there is one, else the most severe restriction in force
 * for that country, that jurisdiction or everywhere (the oldest on ties), else allow. Where a
 * person decided for that country or jurisdiction, provisional holds (machine signals) no
 * longer apply there: an "allow" restriction of a decision clears them in its country. */
void jaga_visibility_map_answer(jaga_visibility_map *map, const char *content_id,
                                const char *country, const char *jurisdiction,
                                jaga_visibility_answer *out);

/* The same for a viewer whose sensitive-content filter is on or off: with it off, blurring
 * does not apply to them (the more severe restrictions still do). jaga_visibility_map_answer
 * answers for a viewer with the filter on. */
void jaga_visibility_map_answer_viewer(jaga_visibility_map *map, const char *content_id,
                                       const char *country, const char *jurisdiction,
                                       int sensitive_filter, jaga_visibility_answer *out);

/* Restrictions held. */
size_t jaga_visibility_map_count(jaga_visibility_map *map);

#ifdef __cplusplus
}
#endif
#endif
