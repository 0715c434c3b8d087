/* What the benchmark programs time with: a monotonic clock and the median of samples. */
#ifndef JAGA_BENCH_CLOCK_H
#define JAGA_BENCH_CLOCK_H

#include <stdlib.h>
#include <time.h>

/* Seconds on the monotonic clock. */
static inline double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static inline int bench_by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of n samples (sorted in place). */
static inline double bench_median(double *samples, size_t n)
{
    qsort(samples, n, sizeof(double), bench_by_value);
    return samples[n / 2];
}

#endif
