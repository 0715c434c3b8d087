/* bench/video: vPDQ of a clip at one hash a second against only decoding it (every frame
 * decoded, one converted and handed over), in the same run, on one core. Prints both
 * medians, the ratio (goal: at most 1.3x) and vPDQ's speed as a multiple of real time.
 *   bench_vpdq CLIP [RUNS] */
#include <stdio.h>
#include <stdlib.h>

#include "bench_clock.h"
#include "jaga/vpdq.h"

static int ignore(void *arg, const jaga_video_frame *frame)
{
    (void)arg, (void)frame;
    return 0;
}

int main(int argc, char **argv)
{
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    jaga_ctx *ctx = NULL;
    jaga_pdq_hasher *hasher = NULL;
    if (argc < 2 || runs < 1 || runs > 100 || jaga_ctx_open(&ctx) != JAGA_OK ||
        jaga_pdq_hasher_open(&hasher) != JAGA_OK)
        return 2;
    double decode_s[100], vpdq_s[100];
    jaga_video_info info = {0};
    size_t n = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = bench_now();
        jaga_status st = jaga_video_decode(ctx, argv[1], NULL, 0, NULL, 3600, ignore, NULL, &info);
        decode_s[r] = bench_now() - t0;
        jaga_vpdq_feature *f = NULL;
        t0 = bench_now();
        if (st == JAGA_OK)
            st = jaga_vpdq_hash_video(ctx, hasher, argv[1], NULL, 0, NULL, 1, &f, &n, NULL);
        vpdq_s[r] = bench_now() - t0;
        free(f);
        if (st != JAGA_OK) {
            fprintf(stderr, "bench_vpdq: %s\n", jaga_errmsg(ctx));
            return 1;
        }
    }
    double d = bench_median(decode_s, (size_t)runs), v = bench_median(vpdq_s, (size_t)runs);
    double seconds = (double)info.frames / info.frame_rate;
    printf("%ux%u %.0f fps, %.1f s, %s: %zu hashes\n", info.width, info.height, info.frame_rate,
           seconds, info.codec, n);
    printf("  decode only %.3f s, vPDQ at 1/s %.3f s: ratio %.2f (goal <= 1.3); vPDQ runs "
           "%.1fx real time on one core\n",
           d, v, v / d, seconds / v);
    jaga_pdq_hasher_free(hasher);
    jaga_ctx_free(ctx);
    return 0;
}
