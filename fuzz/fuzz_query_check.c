/* libFuzzer target: a request's path and query arguments against a route's names. The input
 * is NUL-separated: the path, then name, value, name, value...; whatever is accepted is text
 * (jaga_ident_problem) of names the route takes, once each. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/ident.h"
#include "query_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const params = "content_id uploader_id media_url team";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *fields[2 * QUERY_ARGS_MAX + 3];
    size_t nfields = 0;
    for (size_t at = 0; at <= size && nfields < sizeof(fields) / sizeof(fields[0]);) {
        fields[nfields++] = text + at;
        at += strlen(text + at) + 1;
    }
    query_arg args[QUERY_ARGS_MAX + 1];
    size_t n = 0;
    for (size_t i = 1; i + 1 < nfields && n <= QUERY_ARGS_MAX; i += 2, n++)
        args[n] = (query_arg){fields[i], fields[i + 1], strlen(fields[i + 1])};
    char err[256];
    if (query_check(fields[0], args, n, params, err, sizeof(err)) == 0) {
        if (jaga_ident_problem(fields[0], strlen(fields[0]), QUERY_PATH_MAX) || n > QUERY_ARGS_MAX)
            abort();
        for (size_t i = 0; i < n; i++)
            if (!strstr(params, args[i].name) ||
                (args[i].value_len &&
                 jaga_ident_problem(args[i].value, args[i].value_len, QUERY_VALUE_MAX)))
                abort();
    } else if (!err[0] || jaga_text_problem(err, strlen(err), sizeof(err))) {
        abort(); /* every refusal says why, as text */
    }
    free(text);
    return 0;
}
