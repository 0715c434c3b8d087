/* A video's scan: its signals (no store held meanwhile), its digest and vPDQ matches, its
 * record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/core.h"
#include "scan/scan_internal.h"

/* The container's short name ("mp4", "mkv", ...) from FFmpeg's list of its names. */
static void container_name(const char *format, char *out, size_t cap)
{
    static const char *const names[][2] = {
        {"mov", "mp4"}, {"matroska", "mkv"}, {"mpegts", "ts"}, {"avi", "avi"}, {"flv", "flv"}};
    snprintf(out, cap, "video");
    for (size_t i = 0; format && i < sizeof(names) / sizeof(names[0]); i++)
        if (strncmp(format, names[i][0], strlen(names[i][0])) == 0)
            snprintf(out, cap, "%s", names[i][1]);
}

/* The signals of the video into c. */
static void fill(jaga_content *c, const jaga_video_signals *sig)
{
    c->quality = -1, c->width = sig->info.width, c->height = sig->info.height;
    jaga_hex_encode(sig->digests.sha256, 32, c->sha256);
    jaga_hex_encode(sig->digests.md5, 16, c->md5);
    container_name(sig->info.format, c->format, sizeof(c->format));
    if (sig->classified)
        jaga_scan_scores_text(sig->scores, c->scores, sizeof(c->scores));
    memcpy(c->blur_seed, sig->blur_seed.bytes, sig->blur_seed.len);
    c->blur_seed_len = sig->blur_seed.len;
}

/* The digest matches, then one per vPDQ match (type vpdq, its closest frame's distance),
 * those in out->videos too. */
static jaga_status find(jaga_ctx *ctx, const jaga_scan_env *env, const jaga_content *c,
                        const jaga_video_signals *sig, jaga_match *found, size_t *n,
                        jaga_scan_result *out)
{
    enum { MAX = JAGA_SCAN_MATCHES_MAX };
    jaga_match_query q = {.md5 = c->md5, .sha256 = c->sha256};
    jaga_status st = jaga_matcher_match(env->review.matcher, ctx, &q, found, MAX, n);
    *n = *n < MAX ? *n : MAX;
    size_t nv = 0;
    if (st == JAGA_OK && !(out->videos = malloc(MAX * sizeof(*out->videos))))
        st = jaga_fail(ctx, JAGA_ERR_NOMEM, "scan: no memory for matches");
    if (st == JAGA_OK)
        st = jaga_matcher_match_vpdq(env->review.matcher, ctx, sig->features, sig->nfeatures, NULL,
                                     NULL, 0, out->videos, MAX - *n, &nv);
    out->nvideos = nv < MAX - *n ? nv : MAX - *n;
    for (size_t i = 0; st == JAGA_OK && i < out->nvideos; i++)
        found[(*n)++] = jaga_vpdq_match_summary(&out->videos[i]);
    return st;
}

jaga_status jaga_scan_video(jaga_ctx *ctx, const jaga_scan_env *env,
                            const jaga_video_signal_options *options, const char *path,
                            jaga_content *c, jaga_video_signals *signals, jaga_scan_result *out)
{
    memset(out, 0, sizeof(*out));
    jaga_video_signal_options opt = *options;
    opt.digests = 1;
    jaga_status st = jaga_video_signals_compute(ctx, env->hasher, path, NULL, 0, &opt, signals);
    if (st != JAGA_OK || signals->interrupted)
        return st;
    fill(c, signals);
    jaga_match *found = malloc(JAGA_SCAN_MATCHES_MAX * sizeof(*found));
    size_t n = 0;
    st = found ? find(ctx, env, c, signals, found, &n, out)
               : jaga_fail(ctx, JAGA_ERR_NOMEM, "scan: no memory for matches");
    if (st == JAGA_OK)
        st = jaga__scan_commit(ctx, env, c, found, n, out->videos, out->nvideos, out);
    free(found);
    return st;
}
