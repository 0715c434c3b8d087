/* The te bank format: python-threatexchange's local_file lines, "<type> <value>". */
#include <string.h>

#include "index/bank_import.h"

/* The next run of non-blank characters of line[*at..n) into out (cap bytes); its length,
 * 0 at the end, or cap when it does not fit. */
static size_t next_token(const char *line, size_t n, size_t *at, char *out, size_t cap)
{
    while (*at < n && (line[*at] == ' ' || line[*at] == '\t'))
        (*at)++;
    size_t len = 0;
    for (; *at < n && line[*at] != ' ' && line[*at] != '\t'; (*at)++, len++)
        if (len + 1 < cap)
            out[len] = line[*at];
    if (len >= cap)
        return cap;
    out[len] = '\0';
    return len;
}

jaga_status import_te(importer *im, jaga_ctx *ctx, const char *data, size_t len)
{
    (void)ctx;
    line_reader r = {.p = data, .end = data + len};
    const char *line;
    size_t n;
    while (next_line(&r, &line, &n)) {
        size_t at = 0;
        char type[16], extra[2];
        jaga_entry e = {.quality = -1};
        size_t tl = next_token(line, n, &at, type, sizeof(type));
        if (tl == 0 || type[0] == '#')
            continue;
        if (strcmp(type, "video_md5") == 0)
            strcpy(type, "md5");
        if (tl == sizeof(type) || jaga_signal_type_parse(type, &e.type) != JAGA_OK) {
            importer_bad(im, r.number, "unknown signal type (pdq, md5, video_md5 or sha256)");
            continue;
        }
        size_t vl = next_token(line, n, &at, e.value, sizeof(e.value));
        if (vl == 0 || vl == sizeof(e.value) || next_token(line, n, &at, extra, 2) != 0) {
            importer_bad(im, r.number, "expected '<type> <value>'");
            continue;
        }
        if (importer_record(im, r.number, &e) != 0)
            return JAGA_ERR_IO;
    }
    return JAGA_OK;
}
