/* jaga vpdq: the vPDQ hash of a video file, as Meta's vpdq writes it: one line per hashed
 * frame, "frame,quality,hex,timestamp". */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "jaga/vpdq.h"

static void usage(FILE *out)
{
    fputs("usage: jaga vpdq [--seconds-per-hash S] FILE\n"
          "Prints frame,quality,hex,timestamp for the frames hashed: one every S seconds\n"
          "(default 1; 0 hashes every frame), numbered from 0, timestamps in seconds.\n",
          out);
}

int cmd_vpdq(int argc, char **argv)
{
    static const struct option longopts[] = {{"seconds-per-hash", required_argument, NULL, 's'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    double seconds = 1;
    char *end;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 's') {
            seconds = strtod(optarg, &end);
            if (*end || !(seconds >= 0 && seconds <= 3600)) {
                fprintf(stderr, "jaga vpdq: --seconds-per-hash is 0 to 3600\n");
                return CLI_USAGE;
            }
        } else if (opt == 'h') {
            return usage(stdout), CLI_OK;
        } else {
            return usage(stderr), CLI_USAGE;
        }
    }
    if (argc - optind != 1)
        return usage(stderr), CLI_USAGE;
    jaga_ctx *ctx = NULL;
    jaga_pdq_hasher *hasher = NULL;
    if (jaga_ctx_open(&ctx) != JAGA_OK || jaga_pdq_hasher_open(&hasher) != JAGA_OK) {
        jaga_ctx_free(ctx);
        return CLI_FAILED;
    }
    jaga_vpdq_feature *features = NULL;
    size_t n = 0;
    jaga_status st = jaga_vpdq_hash_video(ctx, hasher, argv[optind], NULL, 0, NULL, seconds,
                                          &features, &n, NULL);
    char line[JAGA_VPDQ_LINE_MAX];
    for (size_t i = 0; i < n; i++) {
        jaga_vpdq_feature_line(&features[i], line);
        puts(line);
    }
    if (st != JAGA_OK)
        fprintf(stderr, "jaga vpdq: %s: %s\n", argv[optind], jaga_errmsg(ctx));
    free(features);
    jaga_pdq_hasher_free(hasher);
    jaga_ctx_free(ctx);
    return st == JAGA_OK ? CLI_OK : CLI_FAILED;
}
