/* AVX2 kernels of the PDQ blur pipeline, chosen at run time on CPUs that have AVX2.
 * No FMA: every product and sum is rounded as in the reference (the build sets
 * -ffp-contract=off as well). */
#include "hash/pdq_internal.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

static const float luma_r = 0.299f, luma_g = 0.587f, luma_b = 0.114f;

/* Luma of the 8 pixels at p. RGB reads 24 bytes as two 16-byte halves of 4 pixels each: the
 * second read runs 4 bytes past the 8th pixel. */
AVX2 static inline __attribute__((always_inline)) __m256 luma8(const uint8_t *p, jaga_pixels layout)
{
    if (layout == JAGA_PIXELS_GREY)
        return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)p)));
#define PICK(o)                                                                                    \
    _mm256_setr_epi8(o, -1, -1, -1, o + 3, -1, -1, -1, o + 6, -1, -1, -1, o + 9, -1, -1, -1, o,    \
                     -1, -1, -1, o + 3, -1, -1, -1, o + 6, -1, -1, -1, o + 9, -1, -1, -1)
    const __m256i pick_r = PICK(0), pick_g = PICK(1), pick_b = PICK(2);
#undef PICK
    __m256i v = _mm256_setr_m128i(_mm_loadu_si128((const __m128i *)p),
                                  _mm_loadu_si128((const __m128i *)(p + 12)));
    __m256 r = _mm256_cvtepi32_ps(_mm256_shuffle_epi8(v, pick_r));
    __m256 g = _mm256_cvtepi32_ps(_mm256_shuffle_epi8(v, pick_g));
    __m256 b = _mm256_cvtepi32_ps(_mm256_shuffle_epi8(v, pick_b));
    __m256 y = _mm256_add_ps(_mm256_mul_ps(_mm256_set1_ps(luma_r), r),
                             _mm256_mul_ps(_mm256_set1_ps(luma_g), g));
    return _mm256_add_ps(y, _mm256_mul_ps(_mm256_set1_ps(luma_b), b));
}

AVX2 static inline __attribute__((always_inline)) void transpose8x8(__m256 r[8])
{
    __m256 t[8], s[8];
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 2; i++) {
        s[4 * i + 0] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
        s[4 * i + 1] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], 0xEE);
        s[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
        s[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xEE);
    }
    for (int i = 0; i < 4; i++) {
        r[i] = _mm256_permute2f128_ps(s[i], s[i + 4], 0x20);
        r[i + 4] = _mm256_permute2f128_ps(s[i], s[i + 4], 0x31);
    }
}

/* Luma of 8 rows, 8 columns at a time, transposed in registers on the way to the strip. */
/* A strip position's PDQ_LANES floats are two AVX2 registers, lo and hi: two independent
 * running sums hide the latency of the add-then-subtract chain. */
_Static_assert(PDQ_LANES == 16, "the AVX2 kernels hold a strip position in two registers");
#define HALVES 2
#define INLINE AVX2 static inline __attribute__((always_inline))

INLINE void store_div(float *p, __m256 lo, __m256 hi, __m256 d)
{
    _mm256_storeu_ps(p, _mm256_div_ps(lo, d));
    _mm256_storeu_ps(p + 8, _mm256_div_ps(hi, d));
}

/* Luma of the strip's rows, 8 columns by 8 rows at a time, transposed in registers. */
AVX2 static void luma_strip(const uint8_t *const rows[PDQ_LANES], jaga_pixels layout, uint32_t cols,
                            float *strip)
{
    /* Stop where the RGB over-read would leave the row. */
    const uint32_t vector_cols = layout == JAGA_PIXELS_GREY ? cols : cols >= 2 ? cols - 2 : 0;
    /* One half at a time: 8 rows are as many streams as the prefetchers follow well. */
    uint32_t c = 0;
    for (int half = 0; half < HALVES; half++)
        for (c = 0; c + 8 <= vector_cols; c += 8) {
            __m256 r[8];
            for (int k = 0; k < 8; k++)
                r[k] = luma8(rows[8 * half + k] + (size_t)c * layout, layout);
            transpose8x8(r);
            for (int j = 0; j < 8; j++)
                _mm256_storeu_ps(strip + (size_t)(c + j) * PDQ_LANES + 8 * half, r[j]);
        }
    for (; c < cols; c++)
        for (int k = 0; k < PDQ_LANES; k++) {
            const uint8_t *p = rows[k] + (size_t)c * layout;
            strip[c * PDQ_LANES + k] = layout == JAGA_PIXELS_GREY
                                           ? (float)p[0]
                                           : luma_r * p[0] + luma_g * p[1] + luma_b * p[2];
        }
}

AVX2 static void transpose(float *const rows[PDQ_LANES], uint32_t cols, float *t)
{
    uint32_t c = 0;
    for (int half = 0; half < HALVES; half++)
        for (c = 0; c + 8 <= cols; c += 8) {
            __m256 r[8];
            for (int k = 0; k < 8; k++)
                r[k] = _mm256_loadu_ps(rows[8 * half + k] + c);
            transpose8x8(r);
            for (int j = 0; j < 8; j++)
                _mm256_storeu_ps(t + (size_t)(c + j) * PDQ_LANES + 8 * half, r[j]);
        }
    for (; c < cols; c++)
        for (int k = 0; k < PDQ_LANES; k++)
            t[c * PDQ_LANES + k] = rows[k][c];
}

AVX2 static void untranspose(const float *t, uint32_t cols, float *const rows[PDQ_LANES])
{
    uint32_t c = 0;
    for (int half = 0; half < HALVES; half++)
        for (c = 0; c + 8 <= cols; c += 8) {
            __m256 r[8];
            for (int j = 0; j < 8; j++)
                r[j] = _mm256_loadu_ps(t + (size_t)(c + j) * PDQ_LANES + 8 * half);
            transpose8x8(r);
            for (int k = 0; k < 8; k++)
                _mm256_storeu_ps(rows[8 * half + k] + c, r[k]);
        }
    for (; c < cols; c++)
        for (int k = 0; k < PDQ_LANES; k++)
            rows[k][c] = t[c * PDQ_LANES + k];
}

AVX2 static void emit(__m256 lo, __m256 hi, float divisor, uint32_t o, float *out,
                      const uint32_t *sel, uint32_t nsel, uint32_t *next)
{
    const __m256 d = _mm256_set1_ps(divisor);
    if (!sel) {
        store_div(out + (size_t)o * PDQ_LANES, lo, hi, d);
        return;
    }
    for (; *next < nsel && sel[*next] == o; (*next)++)
        store_div(out + (size_t)*next * PDQ_LANES, lo, hi, d);
}

/* sum += in[t] for both halves */
#define ADD_AT(t)                                                                                  \
    (lo = _mm256_add_ps(lo, _mm256_loadu_ps(in + (size_t)(t)*PDQ_LANES)),                          \
     hi = _mm256_add_ps(hi, _mm256_loadu_ps(in + (size_t)(t)*PDQ_LANES + 8)))
#define SUB_AT(t)                                                                                  \
    (lo = _mm256_sub_ps(lo, _mm256_loadu_ps(in + (size_t)(t)*PDQ_LANES)),                          \
     hi = _mm256_sub_ps(hi, _mm256_loadu_ps(in + (size_t)(t)*PDQ_LANES + 8)))

/* Same phases as the generic box_strip, the long middle one in branch-free loops. */
AVX2 static void box_strip(const float *in, float *out, uint32_t n, uint32_t w, const uint32_t *sel,
                           uint32_t nsel)
{
    const uint32_t half = (w + 2) / 2;
    __m256 lo = _mm256_setzero_ps(), hi = _mm256_setzero_ps();
    uint32_t next = 0, t = 0;
    for (; t < w && t < n; t++) {
        ADD_AT(t);
        if (t + 1 >= half)
            emit(lo, hi, (float)(t + 1), t + 1 - half, out, sel, nsel, &next);
    }
    if (!sel) {
        const __m256 d = _mm256_set1_ps((float)w);
        for (; t < n; t++) {
            ADD_AT(t);
            SUB_AT(t - w);
            store_div(out + (size_t)(t + 1 - half) * PDQ_LANES, lo, hi, d);
        }
    } else {
        for (; t < n; t++) {
            ADD_AT(t);
            SUB_AT(t - w);
            if (next < nsel && sel[next] == t + 1 - half)
                emit(lo, hi, (float)w, t + 1 - half, out, sel, nsel, &next);
        }
    }
    for (uint32_t i = 0; i + 1 < half; i++) {
        SUB_AT(n - w + i);
        emit(lo, hi, (float)(w - 1 - i), n - half + 1 + i, out, sel, nsel, &next);
    }
}

#undef ADD_AT
#undef SUB_AT

AVX2 static void column_step(float *sum, const float *add, const float *sub, float *out,
                             float divisor, uint32_t n)
{
    const __m256 d = _mm256_set1_ps(divisor);
    uint32_t c = 0;
    for (; c + 8 <= n; c += 8) {
        __m256 s = _mm256_loadu_ps(sum + c);
        if (add)
            s = _mm256_add_ps(s, _mm256_loadu_ps(add + c));
        if (sub)
            s = _mm256_sub_ps(s, _mm256_loadu_ps(sub + c));
        _mm256_storeu_ps(sum + c, s);
        if (out)
            _mm256_storeu_ps(out + c, _mm256_div_ps(s, d));
    }
    if (c < n)
        jaga__pdq_kernels_generic()->column_step(sum + c, add ? add + c : NULL,
                                                 sub ? sub + c : NULL, out ? out + c : NULL,
                                                 divisor, n - c);
}

static const pdq_kernels avx2 = {
    .name = "avx2",
    .luma_strip = luma_strip,
    .transpose = transpose,
    .untranspose = untranspose,
    .box_strip = box_strip,
    .column_step = column_step,
};

const pdq_kernels *jaga__pdq_kernels_avx2(void)
{
    return __builtin_cpu_supports("avx2") ? &avx2 : NULL;
}

#else

const pdq_kernels *jaga__pdq_kernels_avx2(void)
{
    return NULL;
}

#endif
