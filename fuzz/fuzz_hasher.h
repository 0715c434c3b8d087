/* The PDQ hasher and context that the hashing fuzz targets keep across inputs. */
#ifndef JAGA_FUZZ_HASHER_H
#define JAGA_FUZZ_HASHER_H

#include "jaga/pdq.h"

/* Opens them on the first call; 1 when they are ready. */
static inline int fuzz_hasher_ready(jaga_pdq_hasher **hasher, jaga_ctx **ctx)
{
    if (!*hasher && (jaga_pdq_hasher_open(hasher) != JAGA_OK || jaga_ctx_open(ctx) != JAGA_OK))
        return 0;
    return *hasher && *ctx;
}

#endif
