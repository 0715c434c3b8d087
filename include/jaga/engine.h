/*
 * The pipeline of one upload, composed once for the CLI and the server.
 *
 * Decode (with limits), exact-match digests, PDQ, given a runner the explicit-content
 * classifier's scores, and the seed of the blurred rendition. Matching, policy, review cases and
 * the audit log follow in the callers (jaga_matcher_match, jaga_scan_record).
 */
#ifndef JAGA_ENGINE_H
#define JAGA_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/blur.h"
#include "jaga/digest.h"
#include "jaga/media.h"
#include "jaga/nn.h"
#include "jaga/pdq.h"
#include "jaga/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jaga_signal_options {
    const jaga_decode_limits *limits; /* NULL: the defaults */
    int dihedral;                     /* also the 7 dihedral PDQ hashes */
    int digests;                      /* also SHA-256 and MD5 of the raw bytes */
    jaga_nn_runner *classifier;       /* NULL: no classification */
    int blur_seed;                    /* also the seed of its blurred rendition */
} jaga_signal_options;

typedef struct jaga_signals {
    uint32_t width, height;
    const char *format; /* static, e.g. "jpeg" */
    jaga_pdq_result pdq;
    jaga_digests digests; /* zero unless requested */
    int classified;       /* scores holds the classifier's (jaga_nn_classes order) */
    float scores[JAGA_NN_CLASSES];
    jaga_blur_seed blur_seed; /* len 0 unless requested */
} jaga_signals;

/*
 * Computes the signals of an encoded image. hasher holds the caller's reusable scratch (one
 * per thread). Returns JAGA_OK or any status of jaga_image_decode(); details on ctx.
 * data is borrowed for the call only.
 */
jaga_status jaga_signals_compute(jaga_ctx *ctx, jaga_pdq_hasher *hasher, const void *data,
                                 size_t len, const jaga_signal_options *options, jaga_signals *out);

#ifdef __cplusplus
}
#endif
#endif
