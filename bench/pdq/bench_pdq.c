/* bench_pdq: the PDQ hashing stage alone (decoded RGB pixels in, hash out), jaga against the
 * reference-style baseline in pdq_baseline.c, in the same process on the same images.
 * Prints images/s for each and their ratio per size, and checks that the hashes are equal.
 * Single-threaded. Runs alternate between the two so that machine noise hits both alike;
 * each figure is the median of its runs.
 *
 * Large buffers come from the heap and stay mapped (no mmap, no trim): the baseline still
 * allocates fresh buffers per image, but returning 100 MB to the kernel after every image
 * would tax whatever runs next (on virtual machines with shadow page tables, the next pass
 * over any large buffer), and that would be noise, not either algorithm.
 *
 *   bench_pdq [--quick]
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jaga/pdq.h"
#include "pdq_baseline.h"
#include "synth_image.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    static const struct {
        uint32_t w, h;
        int runs;
    } sizes[] = {{640, 480, 41}, {1920, 1080, 15}, {4000, 3000, 7}};
    enum { MAX_RUNS = 64 };
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, -1);
    jaga_pdq_hasher *hasher;
    if (jaga_pdq_hasher_open(&hasher) != JAGA_OK)
        return 1;
    printf("PDQ hashing stage, RGB pixels in, one thread; median of alternating runs\n");
    printf("%-10s %14s %14s %8s  %s\n", "size", "baseline img/s", "jaga img/s", "ratio", "hashes");
    int mismatches = 0;
    double worst = 1e30;
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        uint32_t w = sizes[s].w, h = sizes[s].h;
        int runs = quick ? 3 : sizes[s].runs;
        uint8_t *px = synth_image(w, h, 3, (uint32_t)s + 7);
        if (!px)
            return 1;
        double tb[MAX_RUNS], tj[MAX_RUNS];
        int same = 1;
        for (int r = 0; r < runs; r++) {
            uint16_t hb[16];
            int qb;
            jaga_pdq_result res;
            double t0 = now();
            if (pdq_baseline_hash(px, (int)w, (int)h, 3, hb, &qb) != 0)
                return 1;
            double t1 = now();
            if (jaga_pdq_hash_pixels(hasher, NULL, px, w, h, (size_t)w * 3, JAGA_PIXELS_RGB, 0,
                                     &res) != JAGA_OK)
                return 1;
            double t2 = now();
            tb[r] = t1 - t0;
            tj[r] = t2 - t1;
            same &= memcmp(hb, res.hash[JAGA_DIH_ORIG].w, sizeof(hb)) == 0 && qb == res.quality;
        }
        double mb = median(tb, runs), mj = median(tj, runs), ratio = mb / mj;
        printf("%4ux%-5u %14.1f %14.1f %7.1fx  %s\n", w, h, 1 / mb, 1 / mj, ratio,
               same ? "identical" : "DIFFERENT");
        mismatches += !same;
        worst = ratio < worst ? ratio : worst;
        free(px);
    }
    printf("smallest ratio %.1fx (goal >= 10x)\n", worst);
    jaga_pdq_hasher_free(hasher);
    return mismatches ? 1 : 0;
}
