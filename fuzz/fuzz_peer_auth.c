/* libFuzzer target: a peer request's Authorization header (jaga_exchange_request_parse). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/exchange.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *header = malloc(size + 1);
    if (!header)
        return 0;
    memcpy(header, data, size);
    header[size] = '\0';
    uint8_t key[32], signature[64];
    int64_t time;
    if (jaga_exchange_request_parse(header, key, &time, signature) == JAGA_OK)
        jaga_exchange_request_check(key, time, signature, "GET", "/v1/exchange/NCII/feed", "", 0,
                                    time);
    free(header);
    return 0;
}
