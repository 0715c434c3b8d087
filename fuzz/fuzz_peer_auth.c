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
    jaga_peer_auth auth;
    if (jaga_exchange_request_parse(header, &auth) == JAGA_OK) {
        if (auth.time <= 0)
            abort(); /* parsed times are positive */
        jaga_exchange_request_check(&auth, "GET", "/v1/exchange/NCII/feed", "", 0, auth.time);
    }
    free(header);
    return 0;
}
