/* Paths and query arguments checked as text and against the route's argument names. */
#include <stdio.h>
#include <string.h>

#include "jaga/ident.h"
#include "query_check.h"

/* Whether name is one of the space-separated names of list. */
static int listed(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, " ");
        if (n == len && strncmp(p, name, n) == 0)
            return 1;
        p += n;
        p += *p == ' ';
    }
    return 0;
}

int query_check(const char *path, const query_arg *args, size_t n, const char *params, char *err,
                size_t errlen)
{
    const char *problem = jaga_ident_problem(path, strlen(path), QUERY_PATH_MAX);
    if (problem)
        return snprintf(err, errlen, "the path %s", problem), -1;
    if (n > QUERY_ARGS_MAX)
        return snprintf(err, errlen, "over %d query arguments", QUERY_ARGS_MAX), -1;
    for (size_t i = 0; i < n; i++) {
        const char *name = args[i].name;
        /* A name that is no plain word is named by its position only: it is not echoed. */
        if (jaga_ident_problem(name, strlen(name), 64) ||
            strspn(name, "abcdefghijklmnopqrstuvwxyz_") != strlen(name))
            return snprintf(err, errlen, "query argument %zu has no name this route takes", i + 1),
                   -1;
        if (!listed(params, name))
            return snprintf(err, errlen, "unknown query argument %s", name), -1;
        for (size_t k = 0; k < i; k++)
            if (strcmp(args[k].name, name) == 0)
                return snprintf(err, errlen, "query argument %s is given twice", name), -1;
        if (args[i].value && args[i].value_len &&
            (problem = jaga_ident_problem(args[i].value, args[i].value_len, QUERY_VALUE_MAX)))
            return snprintf(err, errlen, "query argument %s %s", name, problem), -1;
    }
    return 0;
}
