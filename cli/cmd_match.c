/* jaga match: images, videos, PDQ hashes or digests against the banks. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jaga/jaga.h"
#include "jaga/matcher.h"
#include "jaga/core.h"

enum { MAX_BANKS = 64, MAX_MATCHES = 1000 };

static void usage(FILE *out)
{
    fputs("usage: jaga match [--db PATH] [--dihedral] [--bank NAME]... FILE|HASH...\n"
          "Matches each image file, PDQ hash (64 hex digits, also tried as a SHA-256) or MD5\n"
          "(32 hex digits) against the enabled banks, each at its own PDQ threshold. A file\n"
          "that is no image is tried as a video: its MD5 and SHA-256, and its vPDQ (one frame\n"
          "a second) against vpdq entries, with vpdq's shares (80% of its frames).\n"
          "Prints query,bank,signal_type,distance,entry_id,labels per match (a vpdq match's\n"
          "distance is its closest frame's).\n"
          "Exit status: 0 some match, 1 none, 2 error.\n",
          out);
}

/* Whether s is exactly 2n hex digits. */
static int is_hex(const char *s, size_t n)
{
    uint8_t scratch[32];
    return n <= sizeof(scratch) && jaga_hex_decode(s, scratch, n) == JAGA_OK;
}

typedef struct match_run {
    jaga_store *store;
    jaga_matcher *matcher;
    jaga_ctx *ctx;
    jaga_pdq_hasher *hasher;
    int64_t banks[MAX_BANKS];
    size_t nbanks;
    int dihedral;
} match_run;

static void print_matches(match_run *run, const char *query, const jaga_match *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        jaga_entry e;
        jaga_bank b;
        if (jaga_matcher_bank(run->matcher, m[i].bank_id, &b) != JAGA_OK)
            snprintf(b.name, sizeof(b.name), "?");
        if (jaga_store_entry_get(run->store, run->ctx, m[i].entry_id, &e) != JAGA_OK)
            e.labels[0] = '\0';
        cli_csv_field(stdout, query);
        printf(",%s,%s,%d,%lld,%s\n", b.name, jaga_signal_type_name(m[i].type), m[i].distance,
               (long long)m[i].entry_id, e.labels);
    }
}

/* Matches a video's digests and vPDQ; the number of matches, or -1 on error. */
static long match_video(match_run *run, const char *path, const char *image_error)
{
    jaga_video_signal_options opt = {.seconds_per_hash = 1, .digests = 1};
    jaga_video_signals sig;
    if (jaga_video_signals_compute(run->ctx, run->hasher, path, NULL, 0, &opt, &sig) != JAGA_OK) {
        fprintf(stderr, "jaga match: %s: not an image (%s), nor a video (%s)\n", path, image_error,
                jaga_errmsg(run->ctx));
        jaga_video_signals_clear(&sig);
        return -1;
    }
    char md5[33], sha256[65];
    jaga_hex_encode(sig.digests.md5, 16, md5);
    jaga_hex_encode(sig.digests.sha256, 32, sha256);
    jaga_match_query q = {.md5 = md5,
                          .sha256 = sha256,
                          .banks = run->nbanks ? run->banks : NULL,
                          .nbanks = run->nbanks};
    static jaga_match found[MAX_MATCHES];
    static jaga_vpdq_match videos[MAX_MATCHES];
    size_t n = 0, nv = 0;
    jaga_status st = jaga_matcher_match(run->matcher, run->ctx, &q, found, MAX_MATCHES, &n);
    if (st == JAGA_OK)
        st = jaga_matcher_match_vpdq(run->matcher, run->ctx, sig.features, sig.nfeatures, NULL,
                                     q.banks, q.nbanks, videos, MAX_MATCHES, &nv);
    jaga_video_signals_clear(&sig);
    if (st != JAGA_OK) {
        fprintf(stderr, "jaga match: %s: %s\n", path, jaga_errmsg(run->ctx));
        return -1;
    }
    n = n < MAX_MATCHES ? n : MAX_MATCHES;
    for (size_t i = 0; i < nv && n < MAX_MATCHES; i++)
        found[n++] = jaga_vpdq_match_summary(&videos[i]);
    print_matches(run, path, found, n);
    return (long)n;
}

/* Matches one argument; returns the number of matches, or -1 on error. */
static long match_one(match_run *run, const char *arg)
{
    jaga_match_query q = {.banks = run->nbanks ? run->banks : NULL, .nbanks = run->nbanks};
    jaga_pdq_hash hash;
    jaga_signals sig;
    char md5[33], sha256[65];
    if (is_hex(arg, 32)) {
        jaga_pdq_from_hex(arg, &hash);
        q.pdq = &hash, q.npdq = 1, q.sha256 = arg;
    } else if (is_hex(arg, 16)) {
        q.md5 = arg;
    } else {
        void *data;
        size_t len;
        jaga_decode_limits limits;
        jaga_decode_limits_default(&limits);
        jaga_signal_options opt = {.limits = &limits, .dihedral = run->dihedral, .digests = 1};
        jaga_status st = jaga_file_read(run->ctx, arg, limits.max_bytes, &data, &len);
        if (st == JAGA_OK) {
            st = jaga_signals_compute(run->ctx, run->hasher, data, len, &opt, &sig);
            free(data);
        }
        if (st == JAGA_ERR_UNSUPPORTED || st == JAGA_ERR_DECODE || st == JAGA_ERR_LIMIT) {
            char image_error[256];
            snprintf(image_error, sizeof(image_error), "%s", jaga_errmsg(run->ctx));
            return match_video(run, arg, image_error);
        }
        if (st != JAGA_OK) {
            fprintf(stderr, "jaga match: %s: %s\n", arg, jaga_errmsg(run->ctx));
            return -1;
        }
        jaga_hex_encode(sig.digests.md5, 16, md5);
        jaga_hex_encode(sig.digests.sha256, 32, sha256);
        q.pdq = sig.pdq.hash, q.npdq = run->dihedral ? JAGA_DIH_COUNT : 1;
        q.md5 = md5, q.sha256 = sha256;
    }
    static jaga_match found[MAX_MATCHES];
    size_t n;
    if (jaga_matcher_match(run->matcher, run->ctx, &q, found, MAX_MATCHES, &n) != JAGA_OK) {
        fprintf(stderr, "jaga match: %s: %s\n", arg, jaga_errmsg(run->ctx));
        return -1;
    }
    print_matches(run, arg, found, n < MAX_MATCHES ? n : MAX_MATCHES);
    return (long)n;
}

int cmd_match(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                             {"dihedral", no_argument, NULL, 'D'},
                                             {"bank", required_argument, NULL, 'b'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    match_run run = {0};
    const char *db = NULL, *bank_names[MAX_BANKS];
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'd')
            db = optarg;
        else if (opt == 'D')
            run.dihedral = 1;
        else if (opt == 'b' && run.nbanks < MAX_BANKS)
            bank_names[run.nbanks++] = optarg;
        else if (opt == 'h')
            return usage(stdout), CLI_OK;
        else
            return usage(stderr), CLI_USAGE;
    }
    if (optind >= argc)
        return usage(stderr), CLI_USAGE;
    if (jaga_ctx_open(&run.ctx) != JAGA_OK || jaga_pdq_hasher_open(&run.hasher) != JAGA_OK)
        return CLI_USAGE;
    int rc = CLI_USAGE;
    run.store = cli_store_open("match", db, run.ctx);
    for (size_t i = 0; run.store && i < run.nbanks; i++) {
        jaga_bank b;
        if (jaga_store_bank_get(run.store, run.ctx, bank_names[i], &b) != JAGA_OK) {
            fprintf(stderr, "jaga match: %s\n", jaga_errmsg(run.ctx));
            goto out;
        }
        run.banks[i] = b.id;
    }
    if (run.store && jaga_matcher_open(run.ctx, run.store, NULL, &run.matcher) != JAGA_OK)
        fprintf(stderr, "jaga match: %s\n", jaga_errmsg(run.ctx));
    if (run.matcher) {
        long total = 0;
        int errors = 0;
        for (int i = optind; i < argc; i++) {
            long n = match_one(&run, argv[i]);
            errors += n < 0;
            total += n > 0 ? n : 0;
        }
        rc = errors ? CLI_USAGE : total ? CLI_OK : CLI_FAILED;
    }
out:
    jaga_matcher_free(run.matcher);
    jaga_store_free(run.store);
    jaga_pdq_hasher_free(run.hasher);
    jaga_ctx_free(run.ctx);
    fflush(stdout);
    return rc;
}
