/* libFuzzer target: untrusted bytes as a video (from memory, under small limits), every
 * frame decoded and vPDQ-hashed. The corpus in fuzz/corpus/video holds tiny clips of each
 * container and codec jaga accepts, made with ffmpeg's test source. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_hasher.h"
#include "jaga/vpdq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static jaga_pdq_hasher *hasher;
    static jaga_ctx *ctx;
    if (!fuzz_hasher_ready(&hasher, &ctx))
        return 0;
    jaga_video_limits limits = {.max_bytes = 1 << 20,
                                .max_width = 256,
                                .max_height = 256,
                                .max_seconds = 60,
                                .max_frames = 64};
    jaga_vpdq_feature *features = NULL;
    size_t n = 0;
    jaga_status st =
        jaga_vpdq_hash_video(ctx, hasher, NULL, data, size, &limits, 0, &features, &n, NULL);
    if (st != JAGA_OK && (features || n)) /* a failure hands over nothing */
        abort();
    free(features);
    return 0;
}
