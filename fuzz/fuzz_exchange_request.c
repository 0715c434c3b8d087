/* libFuzzer target: the exchange routes' JSON bodies (a peer, a subscription, verdicts). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "exchange_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    jaga_peer peer;
    exchange_subscribe_request sub;
    size_t n;
    exchange_peer_parse((const char *)data, size, &peer, err, sizeof(err));
    exchange_subscribe_parse((const char *)data, size, &sub, err, sizeof(err));
    free(exchange_verdicts_parse((const char *)data, size, 2000000000, &n, err, sizeof(err)));
    return 0;
}
