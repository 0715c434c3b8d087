/* libFuzzer target: the JSON body of POST /v1/keys. */
#include <stddef.h>
#include <stdint.h>

#include "key_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jaga_key key;
    key_request_parse((const char *)data, size, &key);
    return 0;
}
