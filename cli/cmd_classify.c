/* jaga classify: the explicit-content classifier's scores for image files, one JSON line each.
 * Decoded with the same limits as jaga hash; a file that cannot be read or decoded gets a line
 * with its error, and the exit status says some failed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jaga/media.h"
#include "jaga/nn.h"

static void usage(FILE *out)
{
    fputs("usage: jaga classify [--model MODEL_JSON] FILE...\n"
          "Prints {\"file\", \"scores\": {drawing, hentai, neutral, porn, sexy}} per file, or\n"
          "{\"file\", \"error\"}. The default model is nsfwjs's MobileNetV2 as scripts/fetch-data\n"
          "leaves it in .cache/models/nsfwjs/mobilenet_v2/ of the source tree.\n",
          out);
}

static int classify(jaga_ctx *ctx, jaga_nn_runner *r, const char *path)
{
    jaga_image *img = NULL;
    float out[JAGA_NN_CLASSES];
    jaga_status st = jaga_image_decode_file(ctx, path, NULL, &img);
    if (st == JAGA_OK)
        st = jaga_nn_classify(r, ctx, jaga_image_pixels(img), jaga_image_width(img),
                              jaga_image_height(img),
                              jaga_image_layout(img) == JAGA_PIXELS_RGB ? 3 : 1, out);
    jaga_image_free(img);
    printf("{\"file\":");
    cli_json_string(stdout, path);
    if (st != JAGA_OK) {
        printf(",\"error\":");
        cli_json_string(stdout, jaga_errmsg(ctx));
    } else {
        printf(",\"scores\":{");
        for (int k = 0; k < JAGA_NN_CLASSES; k++)
            printf("%s\"%s\":%.6f", k ? "," : "", jaga_nn_classes()[k], out[k]);
        printf("}");
    }
    printf("}\n");
    return st == JAGA_OK ? 0 : -1;
}

int cmd_classify(int argc, char **argv)
{
    static const struct option longopts[] = {{"model", required_argument, NULL, 'm'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *model_path = JAGA_SOURCE_DIR "/.cache/models/nsfwjs/mobilenet_v2/model.json";
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'm')
            model_path = optarg;
        else if (opt == 'h')
            return usage(stdout), CLI_OK;
        else
            return usage(stderr), CLI_USAGE;
    }
    if (optind == argc)
        return usage(stderr), CLI_USAGE;
    jaga_ctx *ctx = NULL;
    jaga_nn_model *m = NULL;
    jaga_nn_runner *r = NULL;
    if (jaga_ctx_open(&ctx) != JAGA_OK)
        return CLI_FAILED;
    jaga_status st = jaga_nn_model_load(ctx, model_path, NULL, &m);
    if (st == JAGA_OK)
        st = jaga_nn_runner_open(ctx, m, &r);
    if (st != JAGA_OK) {
        fprintf(stderr, "jaga classify: %s: %s\n", model_path, jaga_errmsg(ctx));
        jaga_nn_model_free(m);
        jaga_ctx_free(ctx);
        return CLI_FAILED;
    }
    int failed = 0;
    for (int i = optind; i < argc; i++)
        failed |= classify(ctx, r, argv[i]) != 0;
    jaga_nn_runner_free(r);
    jaga_nn_model_free(m);
    jaga_ctx_free(ctx);
    return failed ? CLI_FAILED : CLI_OK;
}
