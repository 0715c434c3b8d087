/* An image's scan: digests, and a stored id answered before anything is decoded; then its
 * signals, its matches and its record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/core.h"
#include "scan/scan_internal.h"

/* The signals of the image into c. */
static void fill(jaga_content *c, const jaga_signals *sig)
{
    if (sig->classified)
        jaga_scan_scores_text(sig->scores, c->scores, sizeof(c->scores));
    memcpy(c->blur_seed, sig->blur_seed.bytes, sig->blur_seed.len);
    c->blur_seed_len = sig->blur_seed.len;
    jaga_pdq_to_hex(&sig->pdq.hash[JAGA_DIH_ORIG], c->pdq);
    c->quality = sig->pdq.quality;
    c->width = sig->width, c->height = sig->height;
    snprintf(c->format, sizeof(c->format), "%s", sig->format);
}

jaga_status jaga_scan_known(jaga_ctx *ctx, const jaga_scan_env *env, const void *data, size_t len,
                            jaga_content *c, jaga_scan_result *out)
{
    memset(out, 0, sizeof(*out));
    jaga_digests d;
    jaga_status st = jaga_digest_bytes(ctx, data, len, &d);
    if (st != JAGA_OK)
        return st;
    jaga_hex_encode(d.sha256, 32, c->sha256);
    jaga_hex_encode(d.md5, 16, c->md5);
    return jaga__scan_stored(ctx, env, c, out);
}

jaga_status jaga_scan_image(jaga_ctx *ctx, const jaga_scan_env *env,
                            const jaga_signal_options *options, const void *data, size_t len,
                            jaga_content *c, jaga_scan_result *out)
{
    jaga_status st = jaga_scan_known(ctx, env, data, len, c, out);
    if (st != JAGA_ERR_NOT_FOUND)
        return st;
    jaga_signal_options opt = *options;
    opt.digests = 0, opt.dihedral = 1, opt.blur_seed = 1;
    jaga_signals sig;
    if ((st = jaga_signals_compute(ctx, env->hasher, data, len, &opt, &sig)) != JAGA_OK)
        return st;
    fill(c, &sig);
    jaga_match_query q = {
        .pdq = sig.pdq.hash, .npdq = JAGA_DIH_COUNT, .md5 = c->md5, .sha256 = c->sha256};
    jaga_match *found = malloc(JAGA_SCAN_MATCHES_MAX * sizeof(*found));
    size_t n = 0;
    st = found ? jaga_matcher_match(env->review.matcher, ctx, &q, found, JAGA_SCAN_MATCHES_MAX, &n)
               : jaga_fail(ctx, JAGA_ERR_NOMEM, "scan: no memory for matches");
    n = n < JAGA_SCAN_MATCHES_MAX ? n : JAGA_SCAN_MATCHES_MAX;
    if (st == JAGA_OK)
        st = jaga__scan_commit(ctx, env, c, found, n, NULL, 0, out);
    free(found);
    return st;
}
