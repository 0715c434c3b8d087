/*
 * Internal stages of PDQ, exposed to the unit tests and benchmarks.
 *
 * The blur stage is the two Jarosz passes along rows and columns of the reference, restated
 * as a streaming pipeline over strips of PDQ_LANES rows: the rows passes run on strips transposed
 * so that each SIMD lane is one image row, the columns passes run on plain rows with one lane per
 * column. Every lane performs the reference's float operations in the reference's order, so
 * the results are bit-identical; only the 64 decimated columns of the second rows pass are
 * divided out, and only those 64 columns go through the second columns pass.
 */
#ifndef JAGA_HASH_PDQ_INTERNAL_H
#define JAGA_HASH_PDQ_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/pdq.h"

/* Rows per strip: a multiple of 8 that divides 64. */
#define PDQ_LANES 16
#define PDQ_DIM 64

/* The vector kernels of the blur pipeline; one generic set and one per instruction set. */
typedef struct pdq_kernels {
    const char *name;
    /* PDQ_LANES rows of 8-bit pixels to float luma, transposed:
     * strip[c * PDQ_LANES + k] = luma(rows[k][c]). */
    void (*luma_strip)(const uint8_t *const rows[PDQ_LANES], jaga_pixels layout, uint32_t cols,
                       float *strip);
    /* PDQ_LANES rows of cols floats to a strip t[c * PDQ_LANES + k] = rows[k][c]. */
    void (*transpose)(float *const rows[PDQ_LANES], uint32_t cols, float *t);
    /* The inverse of transpose. */
    void (*untranspose)(const float *t, uint32_t cols, float *const rows[PDQ_LANES]);
    /* The reference box filter of window w along a strip of n positions, on every lane.
     * With sel == NULL writes all n outputs to out (n x PDQ_LANES); otherwise only the
     * outputs at the nsel ascending positions in sel, to out (nsel x PDQ_LANES). */
    void (*box_strip)(const float *in, float *out, uint32_t n, uint32_t w, const uint32_t *sel,
                      uint32_t nsel);
    /* One step of the reference box filter down all columns at once:
     * sum += add (if add), sum -= sub (if sub), out = sum / divisor (if out). */
    void (*column_step)(float *sum, const float *add, const float *sub, float *out, float divisor,
                        uint32_t n);
} pdq_kernels;

const pdq_kernels *jaga__pdq_kernels_generic(void);
/* The AVX2 kernels, or NULL where the build or the CPU lacks them. */
const pdq_kernels *jaga__pdq_kernels_avx2(void);
/* The fastest kernels this CPU runs. */
const pdq_kernels *jaga__pdq_kernels_best(void);

/* Scratch of the blur pipeline, grown on demand and reused across images. */
typedef struct pdq_blur_scratch {
    float *block;
    size_t block_cap;
} pdq_blur_scratch;

void jaga__pdq_blur_scratch_free(pdq_blur_scratch *s);

/* Luma, both Jarosz passes and decimation: out64 receives the 64x64 buffer of the
 * reference. width, height >= JAGA_PDQ_MIN_DIM. Returns 0, or -1 when out of memory. */
int jaga__pdq_blur_decimate(pdq_blur_scratch *s, const pdq_kernels *k, const uint8_t *pixels,
                            uint32_t width, uint32_t height, size_t stride, jaga_pixels layout,
                            float out64[PDQ_DIM * PDQ_DIM]);

/* The reference's image-domain quality metric of the 64x64 buffer. */
int jaga__pdq_quality(const float buf64[PDQ_DIM * PDQ_DIM]);

/* The 16x16 DCT (rows and columns 1..16 of the 64-point DCT-II) of the 64x64 buffer. */
void jaga__pdq_dct16(const float buf64[PDQ_DIM * PDQ_DIM], float dct[16 * 16]);

/* The DCT of a dihedral image, derived from the DCT of the original by sign changes and
 * transposition. */
void jaga__pdq_dct16_dihedral(const float dct[16 * 16], jaga_dihedral d, float out[16 * 16]);

/* One bit per coefficient greater than the lower median. */
void jaga__pdq_dct16_to_hash(const float dct[16 * 16], jaga_pdq_hash *hash);

#endif
