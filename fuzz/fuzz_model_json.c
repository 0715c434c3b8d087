/* libFuzzer target: TensorFlow.js model.json (jaga_nn_model_parse), its manifest and topology.
 * Shards are read as zero bytes, as many as the loader asks for, so that well-formed manifests
 * go all the way through dequantization; weights are capped at 16 MiB to keep runs short. */
#include <stdint.h>
#include <stdlib.h>

#include "jaga/nn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static jaga_status zero_shard(void *arg, jaga_ctx *ctx, const char *name, size_t max, void **out,
                              size_t *len)
{
    (void)arg, (void)ctx, (void)name;
    *out = calloc(max ? max : 1, 1);
    *len = max;
    return *out ? JAGA_OK : JAGA_ERR_NOMEM;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jaga_nn_limits limits;
    jaga_nn_limits_default(&limits);
    limits.weight_bytes = 16u << 20;
    jaga_nn_model *m = NULL;
    if (jaga_nn_model_parse(NULL, (const char *)data, size, &limits, zero_shard, NULL, &m) ==
        JAGA_OK) {
        if (!jaga_nn_model_nodes(m))
            __builtin_trap(); /* a model that loads has nodes */
        jaga_nn_tensor t;
        jaga_nn_model_weight(m, "w", &t);
    }
    jaga_nn_model_free(m);
    return 0;
}
