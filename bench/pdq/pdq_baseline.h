/* The baseline PDQ for bench/: the algorithm written as the reference C++ is written (float
 * buffers allocated per image, four full Jarosz passes, the columns pass reading with a
 * stride, Torben's median). Kept plain on purpose: it is what the library is measured
 * against, and it must produce the same hashes. */
#ifndef JAGA_BENCH_PDQ_BASELINE_H
#define JAGA_BENCH_PDQ_BASELINE_H

#include <stdint.h>

/* channels is 1 (grey) or 3 (RGB), rows packed. Returns 0, or -1 when out of memory. */
int pdq_baseline_hash(const uint8_t *pixels, int width, int height, int channels, uint16_t hash[16],
                      int *quality);

#endif
