/* libFuzzer target: the server's JSON config file. */
#include <stddef.h>
#include <stdint.h>

#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    server_config c;
    char err[256];
    server_config_defaults(&c);
    if (size <= SERVER_CONFIG_MAX)
        server_config_parse(&c, (const char *)data, size, "fuzz", err, sizeof(err));
    return 0;
}
