#include "whole_number.h"

#include "http.h"

int whole_number(const char *text, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!text || !*text)
        return -1;
    for (const char *c = text; *c; c++) {
        if (*c < '0' || *c > '9')
            return -1;
        unsigned d = (unsigned)(*c - '0');
        if (d > max || v > (max - d) / 10) /* v * 10 + d would pass max */
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int64_t path_id(const char *path, int n)
{
    char seg[24];
    uint64_t id = 0;
    path_segment(path, n, seg, sizeof(seg));
    return whole_number(seg, INT64_MAX, &id) == 0 ? (int64_t)id : 0;
}
