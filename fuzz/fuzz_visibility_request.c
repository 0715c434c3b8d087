/* libFuzzer target: the JSON bodies of POST /v1/visibility/batch and PUT
 * /v1/country-blocks/{cc}. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "visibility_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    visibility_batch b;
    char err[256], reason[48], legal[48];
    if (visibility_batch_parse((const char *)data, size, &b, err, sizeof(err)) == 0) {
        for (size_t i = 0; i < b.nids; i++)
            if (strlen(b.ids[i]) > CONTENT_ID_MAX)
                __builtin_trap();
        visibility_batch_free(&b);
    }
    country_block_parse((const char *)data, size, reason, legal, err, sizeof(err));
    return 0;
}
