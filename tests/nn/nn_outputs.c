/* jaga's outputs on the test inputs and images (the same as tests/nn/inputs.js makes), as JSON
 * like tfjs_reference.js prints: {"outputs": [[...], ...], "images": [[...], ...]}.
 * usage: nn_outputs MODEL_JSON */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "jaga/nn.h"

static float value(int kind, int x, int y, int c, long i)
{
    static const int skin[3] = {200, 150, 120};
    if (kind == 0)
        return (float)((x + y + 40 * c) % 256);
    if (kind == 1)
        return ((x >> 4) + (y >> 4)) % 2 ? 230.0f : 20.0f;
    if (kind == 2)
        return (float)((i * 7919) % 251);
    /* Math.round of x.5 rounds up in JavaScript */
    return (float)floor(skin[c] - abs(x - 112) / 2.0 + 0.5);
}

/* The images of inputs.js's images(): k-th of width x height. */
static void image(int k, int w, int h, uint8_t *a)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < 3; c++) {
                long i = ((long)y * w + x) * 3 + c;
                a[i] = (uint8_t)(k % 2 ? (((x >> 3) + (y >> 3)) % 2 ? 210 : 30) + (i * 31) % 17
                                       : (int)fmod(x * 255.0 / w + y * 128.0 / h + 60 * c + k * 13,
                                                   256.0));
            }
}

static void print_scores(const float *out, int first)
{
    printf("%s[", first ? "" : ",");
    for (int k = 0; k < 5; k++)
        printf("%s%.9g", k ? "," : "", out[k]);
    printf("]");
}

int main(int argc, char **argv)
{
    jaga_ctx *ctx = NULL;
    jaga_nn_model *m = NULL;
    jaga_nn_runner *r = NULL;
    if (argc != 2 || jaga_ctx_open(&ctx) != JAGA_OK)
        return 2;
    if (jaga_nn_model_load(ctx, argv[1], NULL, &m) != JAGA_OK ||
        jaga_nn_runner_open(ctx, m, &r) != JAGA_OK) {
        fprintf(stderr, "nn_outputs: %s\n", jaga_errmsg(ctx));
        return 1;
    }
    enum { H = 224, W = 224 };
    float *in = malloc(H * W * 3 * sizeof(float)), out[64];
    printf("{\"outputs\":[");
    for (int kind = 0; kind < 4 && in; kind++) {
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                for (int c = 0; c < 3; c++) {
                    long i = ((long)y * W + x) * 3 + c;
                    in[i] = value(kind, x, y, c, i) / 255.0f;
                }
        if (jaga_nn_run(r, ctx, in, out) != JAGA_OK) {
            fprintf(stderr, "nn_outputs: %s\n", jaga_errmsg(ctx));
            return 1;
        }
        print_scores(out, kind == 0);
    }
    static const int sizes[4][2] = {{300, 200}, {123, 457}, {640, 480}, {50, 50}};
    uint8_t *bytes = malloc(640 * 480 * 3);
    printf("],\"images\":[");
    for (int k = 0; k < 4 && bytes; k++) {
        image(k, sizes[k][0], sizes[k][1], bytes);
        if (jaga_nn_image_input(ctx, bytes, (uint32_t)sizes[k][0], (uint32_t)sizes[k][1], 3, 224,
                                in) != JAGA_OK ||
            jaga_nn_run(r, ctx, in, out) != JAGA_OK) {
            fprintf(stderr, "nn_outputs: %s\n", jaga_errmsg(ctx));
            return 1;
        }
        print_scores(out, k == 0);
    }
    printf("]}\n");
    free(bytes);
    free(in);
    jaga_nn_runner_free(r);
    jaga_nn_model_free(m);
    jaga_ctx_free(ctx);
    return 0;
}
