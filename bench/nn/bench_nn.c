/* bench/nn: jaga's per-image latency on a model (one thread, as in service), the median of
 * RUNS inferences after WARM ones on one generated image. Prints "jaga MODEL MS MACS" (the
 * model's multiply-accumulates per inference).
 *   bench_nn MODEL_JSON [RUNS] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_clock.h"
#include "jaga/nn.h"

int main(int argc, char **argv)
{
    int runs = argc > 2 ? atoi(argv[2]) : 50;
    jaga_ctx *ctx = NULL;
    jaga_nn_model *m = NULL;
    jaga_nn_runner *r = NULL;
    if (argc < 2 || runs < 1 || runs > 10000 || jaga_ctx_open(&ctx) != JAGA_OK)
        return 2;
    if (jaga_nn_model_load(ctx, argv[1], NULL, &m) != JAGA_OK ||
        jaga_nn_runner_open(ctx, m, &r) != JAGA_OK) {
        fprintf(stderr, "bench_nn: %s\n", jaga_errmsg(ctx));
        return 1;
    }
    int64_t shape[JAGA_NN_DIMS_MAX];
    int nd;
    jaga_nn_model_input(m, shape, &nd);
    size_t n = 1;
    for (int i = 0; i < nd; i++)
        n *= (size_t)shape[i];
    float *in = malloc(n * sizeof(float)), out[64];
    double *ms = malloc((size_t)runs * sizeof(double));
    for (size_t i = 0; in && i < n; i++)
        in[i] = (float)((i * 7919) % 251) / 255.0f;
    for (int k = 0; k < 5; k++) /* warm */
        jaga_nn_run(r, ctx, in, out);
    for (int k = 0; k < runs; k++) {
        double t0 = bench_now();
        jaga_nn_run(r, ctx, in, out);
        ms[k] = (bench_now() - t0) * 1e3;
    }
    printf("jaga %s %.3f %llu\n", argv[1], bench_median(ms, (size_t)runs),
           (unsigned long long)jaga_nn_model_macs(m));
    free(in);
    free(ms);
    jaga_nn_runner_free(r);
    jaga_nn_model_free(m);
    jaga_ctx_free(ctx);
    return 0;
}
