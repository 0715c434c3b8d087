/* Deterministic photo-like images for tests, benchmarks and the sample folder: a tilted
 * gradient per channel, a few soft discs, and a little noise. */
#ifndef JAGA_TOOLS_SYNTH_IMAGE_H
#define JAGA_TOOLS_SYNTH_IMAGE_H

#include <stdint.h>

/* width x height x channels bytes (channels 1..4, alpha made opaque-ish), malloc'd;
 * NULL when out of memory. The same seed gives the same image. */
uint8_t *synth_image(uint32_t width, uint32_t height, int channels, uint32_t seed);

#endif
