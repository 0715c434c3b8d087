/* libFuzzer target: country databases (MaxMind DB files) through jaga_geo: opened from an
 * in-memory file, then looked up. */
#define _GNU_SOURCE /* memfd_create */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jaga/geo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("geo", 0);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    jaga_geo *g = NULL;
    if (jaga_geo_open(NULL, path, &g) == JAGA_OK) {
        static const char *const ips[] = {"1.2.3.4", "10.0.0.1",        "2001:db8::1",
                                          "::1",     "255.255.255.255", "198.51.100.7"};
        char cc[3];
        for (size_t i = 0; i < sizeof(ips) / sizeof(ips[0]); i++)
            if (jaga_geo_country(g, ips[i], cc) == JAGA_OK && !jaga_country_known(cc))
                __builtin_trap();
        jaga_geo_free(g);
    }
    close(fd);
    return 0;
}
