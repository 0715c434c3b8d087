#include "synth_hash.h"

#include <string.h>

uint64_t synth_next(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

void synth_random_hash(uint64_t *state, jaga_pdq_hash *h)
{
    /* Whole 64-bit draws: the low bits of successive xorshift draws are correlated. */
    for (int i = 0; i < 4; i++) {
        uint64_t r = synth_next(state);
        memcpy(&h->w[4 * i], &r, sizeof(r));
    }
}

jaga_pdq_hash synth_flipped(uint64_t *state, const jaga_pdq_hash *h, int bits)
{
    jaga_pdq_hash out = *h;
    uint8_t used[256] = {0};
    for (int done = 0; done < bits && done < 256;) {
        int b = (int)(synth_next(state) % 256);
        if (used[b])
            continue;
        used[b] = 1;
        out.w[b >> 4] ^= (uint16_t)(1u << (b & 15));
        done++;
    }
    return out;
}
