/* libFuzzer target: a feed batch from a peer (jaga_exchange_batch_parse), then what a
 * subscriber does with it before applying: its digest, the checks, and its JSON again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/exchange.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jaga_ctx *ctx = NULL;
    if (jaga_ctx_open(&ctx) != JAGA_OK)
        return 0;
    jaga_exchange_batch *b = NULL;
    if (jaga_exchange_batch_parse(ctx, (const char *)data, size, &b) == JAGA_OK) {
        const char *reason;
        uint8_t key[32] = {0};
        jaga_exchange_batch_check(b, ctx, key, "NCII", 0, &reason);
        size_t len;
        free(jaga_exchange_batch_json(b, &len));
        jaga_exchange_batch_free(b);
    }
    jaga_ctx_free(ctx);
    return 0;
}
