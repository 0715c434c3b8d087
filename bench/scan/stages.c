/* bench/scan stages: one scan's work, stage by stage, on one thread as a server worker does
 * it, over JPEG files already in memory: decode, SHA-256 and MD5, PDQ with its 7 dihedral
 * variants, each classifier model given, the blurred rendition's seed, and matching against
 * the store's banks. Prints each stage's median milliseconds and its share of the whole
 * (the stages' medians summed), so that the split reads the same on a fast or slow machine.
 * Storing the scan (one SQLite commit) is measured with the server by bench/scan/run.sh.
 *   stages DB ROUNDS MODEL_JSON... -- JPEG... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"
#include "jaga/blur.h"
#include "jaga/engine.h"
#include "jaga/matcher.h"
#include "jaga/store.h"
#include "jaga/core.h"

enum { MODELS_MAX = 4, FILES_MAX = 256, STAGES_MAX = 5 + MODELS_MAX, MATCHES_MAX = 1000 };

typedef struct bench {
    jaga_ctx *ctx;
    jaga_pdq_hasher *hasher;
    jaga_matcher *matcher;
    jaga_nn_runner *runners[MODELS_MAX];
    const char *names[STAGES_MAX];
    char model_names[MODELS_MAX][64];
    int nmodels, nstages;
    double *ms[STAGES_MAX]; /* per stage, one per scan */
    size_t scans;
} bench;

/* Times call as stage i of this scan, unless an earlier stage failed (ok is 0). */
#define STAGE(b, i, call)                                                                          \
    do {                                                                                           \
        if (ok) {                                                                                  \
            double t0_ = bench_now();                                                              \
            ok = (call) == JAGA_OK;                                                                \
            (b)->ms[i][(b)->scans] = (bench_now() - t0_) * 1e3;                                    \
        }                                                                                          \
    } while (0)

/* One scan of an encoded image; 0 or -1 (the reason on b->ctx). */
static int scan(bench *b, const void *data, size_t len)
{
    jaga_image *img = NULL;
    jaga_digests d;
    jaga_pdq_result pdq;
    jaga_blur_seed seed;
    float scores[JAGA_NN_CLASSES];
    static jaga_match found[MATCHES_MAX];
    size_t n;
    char md5[33], sha[65];
    int ok = 1;
    STAGE(b, 0, jaga_image_decode(b->ctx, data, len, NULL, &img));
    if (!ok)
        return -1;
    uint32_t w = jaga_image_width(img), h = jaga_image_height(img);
    int ch = jaga_image_layout(img) == JAGA_PIXELS_RGB ? 3 : 1;
    jaga_pixels layout = ch == 3 ? JAGA_PIXELS_RGB : JAGA_PIXELS_GREY;
    const uint8_t *px = jaga_image_pixels(img);
    STAGE(b, 1, jaga_digest_bytes(b->ctx, data, len, &d));
    STAGE(b, 2, jaga_pdq_hash_pixels(b->hasher, b->ctx, px, w, h, (size_t)w * ch, layout, 1, &pdq));
    for (int m = 0; m < b->nmodels; m++)
        STAGE(b, 3 + m, jaga_nn_classify(b->runners[m], b->ctx, px, w, h, ch, scores));
    STAGE(b, 3 + b->nmodels,
          jaga_blur_seed_compute(b->ctx, px, w, h, ch, jaga_image_orientation(img), &seed));
    jaga_hex_encode(d.md5, 16, md5);
    jaga_hex_encode(d.sha256, 32, sha);
    jaga_match_query q = {.pdq = pdq.hash, .npdq = JAGA_DIH_COUNT, .md5 = md5, .sha256 = sha};
    STAGE(b, 4 + b->nmodels, jaga_matcher_match(b->matcher, b->ctx, &q, found, MATCHES_MAX, &n));
    jaga_image_free(img);
    b->scans++;
    return ok ? 0 : -1;
}

static int open_all(bench *b, const char *db_path, char **models, int nmodels)
{
    jaga_store *db = NULL;
    if (jaga_ctx_open(&b->ctx) != JAGA_OK || jaga_pdq_hasher_open(&b->hasher) != JAGA_OK)
        return -1;
    if (jaga_store_open(b->ctx, db_path, &db) != JAGA_OK ||
        jaga_matcher_open(b->ctx, db, NULL, &b->matcher) != JAGA_OK) {
        jaga_store_free(db);
        return -1;
    }
    jaga_store_free(db);
    b->names[b->nstages++] = "decode";
    b->names[b->nstages++] = "sha256+md5";
    b->names[b->nstages++] = "pdq (+7 dihedral)";
    for (int m = 0; m < nmodels; m++) {
        jaga_nn_model *model = NULL;
        if (jaga_nn_model_load(b->ctx, models[m], NULL, &model) != JAGA_OK ||
            jaga_nn_runner_open(b->ctx, model, &b->runners[m]) != JAGA_OK) {
            jaga_nn_model_free(model);
            return -1;
        }
        jaga_nn_model_free(model); /* the runner keeps what it needs */
        /* Named by its folder: .../mobilenet_v2/model.json is "classify mobilenet_v2". */
        const char *end = strrchr(models[m], '/'), *start = end;
        while (start && start > models[m] && start[-1] != '/')
            start--;
        snprintf(b->model_names[m], sizeof(b->model_names[m]), "classify %.*s",
                 end ? (int)(end - start) : 0, end ? start : "");
        b->names[b->nstages++] = b->model_names[m];
        b->nmodels++;
    }
    b->names[b->nstages++] = "blur seed";
    b->names[b->nstages++] = "match";
    return 0;
}

int main(int argc, char **argv)
{
    bench b = {0};
    int sep = 3;
    while (sep < argc && strcmp(argv[sep], "--") != 0)
        sep++;
    int rounds = argc > 2 ? atoi(argv[2]) : 0, nmodels = sep - 3, nfiles = argc - sep - 1;
    if (argc < 5 || rounds < 1 || nmodels > MODELS_MAX || nfiles < 1 || nfiles > FILES_MAX) {
        fprintf(stderr, "usage: stages DB ROUNDS MODEL_JSON... -- JPEG...\n");
        return 2;
    }
    if (open_all(&b, argv[1], argv + 3, nmodels) != 0) {
        fprintf(stderr, "stages: %s\n", b.ctx ? jaga_errmsg(b.ctx) : "no memory");
        return 1;
    }
    void *data[FILES_MAX];
    size_t len[FILES_MAX], total = (size_t)rounds * nfiles;
    for (int i = 0; i < nfiles; i++)
        if (jaga_file_read(b.ctx, argv[sep + 1 + i], 64 << 20, &data[i], &len[i]) != JAGA_OK) {
            fprintf(stderr, "stages: %s\n", jaga_errmsg(b.ctx));
            return 1;
        }
    for (int s = 0; s < b.nstages; s++)
        if (!(b.ms[s] = calloc(total, sizeof(double))))
            return 1;
    for (int i = 0; i < nfiles && b.scans == 0; i++) /* warm-up, not counted */
        scan(&b, data[i], len[i]), b.scans = 0;
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < nfiles; i++)
            if (scan(&b, data[i], len[i]) != 0) {
                fprintf(stderr, "stages: %s: %s\n", argv[sep + 1 + i], jaga_errmsg(b.ctx));
                return 1;
            }
    /* A scan runs one model (the server's classifier_model): the whole is the other stages
     * and the first model given; each other model is shown in its place. */
    double median[STAGES_MAX], rest = 0;
    for (int st = 0; st < b.nstages; st++) {
        median[st] = bench_median(b.ms[st], b.scans);
        if (st < 3 || st >= 3 + b.nmodels)
            rest += median[st];
    }
    double whole = rest + (b.nmodels ? median[3] : 0);
    printf("bench/scan stages: %zu scans of %d files, one thread, medians\n", b.scans, nfiles);
    for (int st = 0; st < b.nstages; st++)
        if (st > 3 && st < 3 + b.nmodels)
            printf("  %-30s %8.2f ms  in place of the first: %5.1f%% of a %.2f ms scan\n",
                   b.names[st], median[st], 100 * median[st] / (rest + median[st]),
                   rest + median[st]);
        else
            printf("  %-30s %8.2f ms  %5.1f%% of the scan\n", b.names[st], median[st],
                   100 * median[st] / whole);
    printf("  %-30s %8.2f ms\n", "whole scan (stages summed)", whole);
    return 0;
}
