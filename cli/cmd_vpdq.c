/* jaga vpdq: the vPDQ hash of a video file, as Meta's vpdq writes it: one line per hashed
 * frame, "frame,quality,hex,timestamp"; with --compare, how much of one video is in
 * another, with vpdq's matching rules. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jaga/bank_io.h"
#include "jaga/vpdq.h"
#include "jaga/core.h"

enum { HASH_FILE_MAX = 256 << 20 };

static void usage(FILE *out)
{
    fputs("usage: jaga vpdq [--seconds-per-hash S] [--te] FILE\n"
          "       jaga vpdq --compare [--seconds-per-hash S] [--query-percent P]\n"
          "                 [--compared-percent P] QUERY COMPARED\n"
          "Prints frame,quality,hex,timestamp for the frames hashed: one every S seconds\n"
          "(default 1; 0 hashes every frame), numbered from 0, timestamps in seconds.\n"
          "--te prints them as one line of the te bank format instead, vpdq [\"hex,quality,\n"
          "timestamp\", ...], for jaga bank import --format te.\n"
          "--compare prints the share of QUERY's frames found in COMPARED and the reverse,\n"
          "then \"match\" or \"no match\" (defaults: 80% and 0%; frames of quality under 50\n"
          "left out, repeated hashes counted once, frames within 31 bits). QUERY and\n"
          "COMPARED are videos, or hash files in the lines this command prints.\n",
          out);
}

typedef struct vpdq_args {
    double seconds;
    int te;
    jaga_vpdq_match_options match;
} vpdq_args;

/* Whether the file's first line reads as a feature: a hash file, not a video. Reads only
 * that line's worth of bytes. */
static int is_hash_file(const char *path)
{
    char head[256];
    FILE *f = fopen(path, "rb");
    size_t len = f ? fread(head, 1, sizeof(head), f) : 0;
    if (f)
        fclose(f);
    const char *nl = memchr(head, '\n', len);
    size_t line = nl ? (size_t)(nl - head) : len < sizeof(head) ? len : 0; /* a one-line file */
    jaga_vpdq_feature *first = NULL;
    size_t n = 0;
    int yes = line && jaga_vpdq_parse_lines(NULL, head, line, 1, &first, &n) == JAGA_OK && n == 1;
    free(first);
    return yes;
}

/* The features of a hash file, else of the video. */
static jaga_status features_of(jaga_ctx *ctx, jaga_pdq_hasher *hasher, const char *path,
                               double seconds, jaga_vpdq_feature **f, size_t *n)
{
    if (!is_hash_file(path))
        return jaga_vpdq_hash_video(ctx, hasher, path, NULL, 0, NULL, seconds, f, n, NULL);
    void *text = NULL;
    size_t len = 0;
    jaga_status st = jaga_file_read(ctx, path, HASH_FILE_MAX, &text, &len);
    if (st == JAGA_OK)
        st = jaga_vpdq_parse_lines(ctx, text, len, 0, f, n);
    free(text);
    return st;
}

static int hash_one(jaga_ctx *ctx, jaga_pdq_hasher *hasher, const char *path, const vpdq_args *a)
{
    jaga_vpdq_feature *features = NULL;
    size_t n = 0;
    jaga_status st =
        jaga_vpdq_hash_video(ctx, hasher, path, NULL, 0, NULL, a->seconds, &features, &n, NULL);
    char line[JAGA_VPDQ_LINE_MAX];
    jaga_entry entry = {.type = JAGA_SIGNAL_VPDQ, .features = features, .nfeatures = n};
    if (a->te && n)
        jaga_bank_export_write(JAGA_BANK_TE, &entry, stdout);
    for (size_t i = 0; !a->te && i < n; i++) {
        jaga_vpdq_feature_line(&features[i], line);
        puts(line);
    }
    if (st != JAGA_OK)
        fprintf(stderr, "jaga vpdq: %s: %s\n", path, jaga_errmsg(ctx));
    free(features);
    return st == JAGA_OK ? CLI_OK : CLI_FAILED;
}

static int compare(jaga_ctx *ctx, jaga_pdq_hasher *hasher, char **paths, const vpdq_args *a)
{
    jaga_vpdq_feature *f[2] = {NULL, NULL};
    size_t n[2] = {0, 0};
    jaga_status st = JAGA_OK;
    for (int i = 0; i < 2 && st == JAGA_OK; i++)
        if ((st = features_of(ctx, hasher, paths[i], a->seconds, &f[i], &n[i])) != JAGA_OK)
            fprintf(stderr, "jaga vpdq: %s: %s\n", paths[i], jaga_errmsg(ctx));
    jaga_vpdq_comparison c;
    if (st == JAGA_OK &&
        (st = jaga_vpdq_compare(ctx, f[0], n[0], f[1], n[1], &a->match, &c)) == JAGA_OK)
        printf("query %.1f%% of %zu frames, compared %.1f%% of %zu frames: %s\n", c.query_percent,
               c.query_kept, c.compared_percent, c.compared_kept, c.matched ? "match" : "no match");
    free(f[0]), free(f[1]);
    return st == JAGA_OK ? CLI_OK : CLI_FAILED;
}

int cmd_vpdq(int argc, char **argv)
{
    static const struct option longopts[] = {{"seconds-per-hash", required_argument, NULL, 's'},
                                             {"compare", no_argument, NULL, 'c'},
                                             {"te", no_argument, NULL, 't'},
                                             {"query-percent", required_argument, NULL, 'q'},
                                             {"compared-percent", required_argument, NULL, 'p'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    vpdq_args a = {.seconds = 1};
    jaga_vpdq_match_options_default(&a.match);
    int opt, comparing = 0, bad = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 's')
            bad |= cli_parse_number(optarg, 0, 3600, &a.seconds) != 0;
        else if (opt == 'q')
            bad |= cli_parse_number(optarg, 0, 100, &a.match.query_percent_min) != 0;
        else if (opt == 'p')
            bad |= cli_parse_number(optarg, 0, 100, &a.match.compared_percent_min) != 0;
        else if (opt == 'c')
            comparing = 1;
        else if (opt == 't')
            a.te = 1;
        else if (opt == 'h')
            return usage(stdout), CLI_OK;
        else
            return usage(stderr), CLI_USAGE;
    }
    if (bad || argc - optind != (comparing ? 2 : 1)) {
        if (bad)
            fprintf(stderr, "jaga vpdq: seconds are 0 to 3600, percentages 0 to 100\n");
        return usage(stderr), CLI_USAGE;
    }
    jaga_ctx *ctx = NULL;
    jaga_pdq_hasher *hasher = NULL;
    int rc = CLI_FAILED;
    if (jaga_ctx_open(&ctx) == JAGA_OK && jaga_pdq_hasher_open(&hasher) == JAGA_OK)
        rc = comparing ? compare(ctx, hasher, argv + optind, &a)
                       : hash_one(ctx, hasher, argv[optind], &a);
    jaga_pdq_hasher_free(hasher);
    jaga_ctx_free(ctx);
    return rc;
}
