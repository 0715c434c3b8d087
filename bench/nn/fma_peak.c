/* bench/nn: this core's float32 fused multiply-add peak, in GFLOP/s: twelve independent
 * chains of FMAs, as wide as the CPU has them (AVX-512 or AVX2), nothing else. The
 * classifier's GFLOP/s read against it say how much of the hardware one inference uses.
 * Prints "peak ISA GFLOPS" (the best of five runs). */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

#include "bench_clock.h"

enum { CHAINS = 12 };

/* GFLOP/s of n rounds of CHAINS FMAs of type V (LANES floats); sink keeps the result live. */
#define PEAK(name, isa, V, LANES, set1, fmadd, store)                                              \
    __attribute__((target(isa))) static double name(long n, float *sink)                           \
    {                                                                                              \
        V a0 = set1(0), a1 = set1(1), a2 = set1(2), a3 = set1(3), a4 = set1(4), a5 = set1(5);      \
        V a6 = set1(6), a7 = set1(7), a8 = set1(8), a9 = set1(9), a10 = set1(10), a11 = set1(11);  \
        V b = set1(0.999f), c = set1(1e-3f);                                                       \
        double t = bench_now();                                                                    \
        for (long k = 0; k < n; k++) {                                                             \
            a0 = fmadd(a0, b, c), a1 = fmadd(a1, b, c), a2 = fmadd(a2, b, c);                      \
            a3 = fmadd(a3, b, c), a4 = fmadd(a4, b, c), a5 = fmadd(a5, b, c);                      \
            a6 = fmadd(a6, b, c), a7 = fmadd(a7, b, c), a8 = fmadd(a8, b, c);                      \
            a9 = fmadd(a9, b, c), a10 = fmadd(a10, b, c), a11 = fmadd(a11, b, c);                  \
        }                                                                                          \
        t = bench_now() - t;                                                                       \
        float out[LANES];                                                                          \
        store(out, a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);                   \
        *sink += out[0];                                                                           \
        return (double)n * CHAINS * LANES * 2 / t / 1e9;                                           \
    }

PEAK(peak_avx512, "avx512f", __m512, 16, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_storeu_ps)
PEAK(peak_avx2, "avx2,fma", __m256, 8, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_storeu_ps)

int main(void)
{
    __builtin_cpu_init();
    int wide = __builtin_cpu_supports("avx512f");
    if (!wide && !__builtin_cpu_supports("fma")) {
        fprintf(stderr, "fma_peak: no FMA on this CPU\n");
        return 1;
    }
    float sink = 0;
    double best = 0;
    for (int r = 0; r < 5; r++) {
        double g = wide ? peak_avx512(20000000, &sink) : peak_avx2(20000000, &sink);
        best = g > best ? g : best;
    }
    printf("peak %s %.1f\n", wide ? "avx512" : "avx2", best + 0 * sink);
    return 0;
}
