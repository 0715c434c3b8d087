/* Internal: the matcher's vpdq entries, their features prepared as vpdq matches them, and an
 * index over every feature's hash to find the entries a video may match. */
#ifndef JAGA_INDEX_VPDQ_SET_H
#define JAGA_INDEX_VPDQ_SET_H

#include "jaga/matcher.h"

typedef struct vpdq_set vpdq_set;

vpdq_set *jaga__vpdq_set_open(void);
void jaga__vpdq_set_free(vpdq_set *set);

/* An entry added, reactivated (features may then be NULL) or withdrawn. */
jaga_status jaga__vpdq_set_apply(vpdq_set *set, jaga_ctx *ctx, const jaga_entry *entry);

/* Active entries. */
size_t jaga__vpdq_set_count(vpdq_set *set);

/* Banks to match against, with each one's distance. */
typedef struct vpdq_banks {
    const uint32_t *ids;
    const int *thresholds;
    size_t n;
    int radius; /* the largest threshold */
} vpdq_banks;

/* jaga_matcher_match_vpdq() over the banks given. */
jaga_status jaga__vpdq_set_match(vpdq_set *set, jaga_ctx *ctx, const jaga_vpdq_feature *features,
                                 size_t n, const jaga_vpdq_match_options *options,
                                 const vpdq_banks *banks, jaga_vpdq_match *out, size_t cap,
                                 size_t *count);

#endif
