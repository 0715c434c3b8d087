/* libFuzzer target: multipart/form-data upload bodies. The first line of the input is the
 * Content-Type, the rest the body; every part found must lie inside the body. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int inside(const char *body, size_t len, multipart_text t)
{
    return !t.p || (t.p >= body && t.len <= len && t.p + t.len <= body + len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *eol = memchr(data, '\n', size);
    size_t type_len = eol ? (size_t)(eol - data) : size;
    if (type_len > 1024)
        return 0;
    char type[1025];
    memcpy(type, data, type_len);
    type[type_len] = '\0';
    const char *body = eol ? (const char *)eol + 1 : "";
    size_t len = eol ? size - type_len - 1 : 0;
    multipart_part parts[MULTIPART_PARTS_MAX];
    char err[256];
    int n = multipart_parse(type, body, len, parts, err, sizeof(err));
    for (int i = 0; i < n; i++)
        if (!inside(body, len, parts[i].data) || !inside(body, len, parts[i].name) ||
            !inside(body, len, parts[i].filename) || !inside(body, len, parts[i].content_type))
            abort();
    return 0;
}
