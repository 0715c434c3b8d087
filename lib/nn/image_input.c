/* Images into model inputs the way nsfwjs prepares them (TensorFlow.js's arithmetic, in
 * float32, in its order): divide by 255, then resizeBilinear with alignCorners. */
#include <math.h>
#include <stdlib.h>

#include "jaga/nn.h"
#include "jaga/core.h"

static float sample(const uint8_t *pixels, uint32_t width, int channels, uint32_t x, uint32_t y,
                    int c)
{
    return (float)pixels[((size_t)y * width + x) * (size_t)channels + (channels == 3 ? c : 0)] /
           255.0f;
}

jaga_status jaga_nn_image_input(jaga_ctx *ctx, const uint8_t *pixels, uint32_t width,
                                uint32_t height, int channels, uint32_t size, float *out)
{
    if (!width || !height || !size || width > 65536 || height > 65536 || size > 65536 ||
        (channels != 1 && channels != 3))
        return jaga_fail(ctx, JAGA_ERR_INVALID, "nn: an image of %ux%u with %d channels for %u",
                         width, height, channels, size);
    /* alignCorners: the corners of input and output meet; one output row or column samples
     * the first input one. */
    float sy = size > 1 ? (float)(height - 1) / (float)(size - 1) : 0.0f;
    float sx = size > 1 ? (float)(width - 1) / (float)(size - 1) : 0.0f;
    for (uint32_t y = 0; y < size; y++) {
        float fy = sy * (float)y;
        uint32_t top = (uint32_t)floorf(fy), bottom = (uint32_t)ceilf(fy);
        bottom = bottom < height ? bottom : height - 1;
        float ly = fy - (float)top;
        for (uint32_t x = 0; x < size; x++) {
            float fx = sx * (float)x;
            uint32_t left = (uint32_t)floorf(fx), right = (uint32_t)ceilf(fx);
            right = right < width ? right : width - 1;
            float lx = fx - (float)left;
            for (int c = 0; c < 3; c++) {
                float tl = sample(pixels, width, channels, left, top, c);
                float tr = sample(pixels, width, channels, right, top, c);
                float bl = sample(pixels, width, channels, left, bottom, c);
                float br = sample(pixels, width, channels, right, bottom, c);
                float t = tl + (tr - tl) * lx, b = bl + (br - bl) * lx;
                out[((size_t)y * size + x) * 3 + (size_t)c] = t + (b - t) * ly;
            }
        }
    }
    return JAGA_OK;
}
