/* libFuzzer target: the JSON body of POST /v1/lookup. */
#include <stddef.h>
#include <stdint.h>

#include "lookup_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lookup_request req;
    char err[256];
    lookup_request_parse((const char *)data, size, &req, err, sizeof(err));
    return 0;
}
