/* libFuzzer target: untrusted bytes through decode (under small limits), PDQ and the blurred
 * rendition.
 * Built with clang -fsanitize=fuzzer by `meson setup -Dfuzzing=true`; the corpus in
 * fuzz/corpus/decode_hash also replays through fuzz_replay in every test run. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_hasher.h"
#include "jaga/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static jaga_pdq_hasher *hasher;
    static jaga_ctx *ctx;
    if (!fuzz_hasher_ready(&hasher, &ctx))
        return 0;
    jaga_decode_limits limits = {
        .max_bytes = 1 << 20, .max_pixels = 4 << 20, .max_width = 4096, .max_height = 4096};
    jaga_signal_options options = {.limits = &limits, .dihedral = 1, .digests = 1, .blur_seed = 1};
    jaga_signals signals;
    uint8_t *jpeg = NULL;
    size_t len = 0;
    if (jaga_signals_compute(ctx, hasher, data, size, &options, &signals) == JAGA_OK &&
        jaga_blur_render(ctx, signals.blur_seed.bytes, signals.blur_seed.len, 24, &jpeg, &len) !=
            JAGA_OK)
        abort(); /* every decoded image has a seed that draws */
    free(jpeg);
    return 0;
}
