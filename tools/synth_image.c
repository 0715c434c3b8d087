#include "synth_image.h"

#include <stddef.h>
#include <stdlib.h>

static uint32_t next_random(uint32_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

uint8_t *synth_image(uint32_t width, uint32_t height, int channels, uint32_t seed)
{
    uint32_t state = seed * 2654435761u + 1;
    uint8_t *px = malloc((size_t)width * height * channels);
    if (!px)
        return NULL;
    enum { DISCS = 5 };
    float cx[DISCS], cy[DISCS], r2[DISCS], amp[DISCS];
    for (int b = 0; b < DISCS; b++) {
        cx[b] = (float)(next_random(&state) % width);
        cy[b] = (float)(next_random(&state) % height);
        float r = (float)(width + height) / (4.0f + (float)(next_random(&state) % 6));
        r2[b] = r * r;
        amp[b] = (float)(next_random(&state) % 200) - 100.0f;
    }
    float tilt = (float)(next_random(&state) % 5) - 2.0f;
    for (uint32_t y = 0; y < height; y++)
        for (uint32_t x = 0; x < width; x++)
            for (int c = 0; c < channels; c++) {
                float v = 90.0f + 60.0f * ((float)x + tilt * (c + 1) * (float)y) /
                                      (float)(width + 2 * height);
                for (int b = 0; b < DISCS; b++) {
                    float dx = (float)x - cx[b], dy = (float)y - cy[b];
                    if (dx * dx + dy * dy < r2[b])
                        v += amp[b] * (float)(c + 2) / 3.0f;
                }
                v += (float)(next_random(&state) % 17) - 8.0f;
                if (c == 3)
                    v = 200.0f + (float)(x % 56);
                px[((size_t)y * width + x) * channels + c] = (uint8_t)(v < 0     ? 0
                                                                       : v > 255 ? 255
                                                                                 : v);
            }
    return px;
}
