/* Deterministic random PDQ hashes for tests and benchmarks. */
#ifndef JAGA_TOOLS_SYNTH_HASH_H
#define JAGA_TOOLS_SYNTH_HASH_H

#include <stdint.h>

#include "jaga/pdq.h"

/* The next number of a xorshift64 stream; state must start non-zero. */
uint64_t synth_next(uint64_t *state);

/* A uniformly random hash. */
void synth_random_hash(uint64_t *state, jaga_pdq_hash *h);

/* h with exactly bits (0..256) distinct bits flipped. */
jaga_pdq_hash synth_flipped(uint64_t *state, const jaga_pdq_hash *h, int bits);

#endif
