/* libFuzzer target: the JSON body of POST /v1/streams, with its URL's host. */
#include <stddef.h>
#include <stdint.h>

#include "stream_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stream_request r;
    char err[256];
    stream_request_parse((const char *)data, size, "127.0.0.1,localhost,::1", &r, err, sizeof(err));
    return 0;
}
