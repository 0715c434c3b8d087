/* Portable kernels of the PDQ blur pipeline: plain C that compilers vectorize where they can. */
#include "hash/pdq_internal.h"

/* The reference's luma weights, as floats. */
static const float luma_r = 0.299f, luma_g = 0.587f, luma_b = 0.114f;

static void luma_strip(const uint8_t *const rows[PDQ_LANES], jaga_pixels layout, uint32_t cols,
                       float *strip)
{
    for (int k = 0; k < PDQ_LANES; k++) {
        const uint8_t *p = rows[k];
        if (layout == JAGA_PIXELS_GREY)
            for (uint32_t c = 0; c < cols; c++)
                strip[c * PDQ_LANES + k] = (float)p[c];
        else
            for (uint32_t c = 0; c < cols; c++, p += 3)
                strip[c * PDQ_LANES + k] = luma_r * p[0] + luma_g * p[1] + luma_b * p[2];
    }
}

static void transpose(float *const rows[PDQ_LANES], uint32_t cols, float *t)
{
    for (uint32_t c = 0; c < cols; c++)
        for (int k = 0; k < PDQ_LANES; k++)
            t[c * PDQ_LANES + k] = rows[k][c];
}

static void untranspose(const float *t, uint32_t cols, float *const rows[PDQ_LANES])
{
    for (uint32_t c = 0; c < cols; c++)
        for (int k = 0; k < PDQ_LANES; k++)
            rows[k][c] = t[c * PDQ_LANES + k];
}

/* Writes the window mean at output position o, to every selected slot that names o. */
static void emit(const float sum[PDQ_LANES], float divisor, uint32_t o, float *out,
                 const uint32_t *sel, uint32_t nsel, uint32_t *next)
{
    if (!sel) {
        for (int k = 0; k < PDQ_LANES; k++)
            out[o * PDQ_LANES + k] = sum[k] / divisor;
        return;
    }
    for (; *next < nsel && sel[*next] == o; (*next)++)
        for (int k = 0; k < PDQ_LANES; k++)
            out[*next * PDQ_LANES + k] = sum[k] / divisor;
}

/* The reference box filter: the window reaches half - 1 ahead and w - half behind; the sum
 * is updated add-then-subtract, and divided by the number of samples it holds. */
static void box_strip(const float *in, float *out, uint32_t n, uint32_t w, const uint32_t *sel,
                      uint32_t nsel)
{
    const uint32_t half = (w + 2) / 2;
    float sum[PDQ_LANES] = {0};
    uint32_t next = 0;
    for (uint32_t t = 0; t < n; t++) {
        for (int k = 0; k < PDQ_LANES; k++)
            sum[k] += in[t * PDQ_LANES + k];
        if (t >= w)
            for (int k = 0; k < PDQ_LANES; k++)
                sum[k] -= in[(t - w) * PDQ_LANES + k];
        if (t + 1 >= half)
            emit(sum, (float)(t + 1 < w ? t + 1 : w), t + 1 - half, out, sel, nsel, &next);
    }
    for (uint32_t i = 0; i + 1 < half; i++) {
        for (int k = 0; k < PDQ_LANES; k++)
            sum[k] -= in[(n - w + i) * PDQ_LANES + k];
        emit(sum, (float)(w - 1 - i), n - half + 1 + i, out, sel, nsel, &next);
    }
}

static void column_step(float *sum, const float *add, const float *sub, float *out, float divisor,
                        uint32_t n)
{
    if (add)
        for (uint32_t c = 0; c < n; c++)
            sum[c] += add[c];
    if (sub)
        for (uint32_t c = 0; c < n; c++)
            sum[c] -= sub[c];
    if (out)
        for (uint32_t c = 0; c < n; c++)
            out[c] = sum[c] / divisor;
}

static const pdq_kernels generic = {
    .name = "generic",
    .luma_strip = luma_strip,
    .transpose = transpose,
    .untranspose = untranspose,
    .box_strip = box_strip,
    .column_step = column_step,
};

const pdq_kernels *jaga__pdq_kernels_generic(void)
{
    return &generic;
}

const pdq_kernels *jaga__pdq_kernels_best(void)
{
    const pdq_kernels *avx2 = jaga__pdq_kernels_avx2();
    return avx2 ? avx2 : &generic;
}
