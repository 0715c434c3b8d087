/* What a request's path and query string may hold, checked before its route runs: the path
 * (as decoded) and every argument are UTF-8 text without control characters; an argument's
 * name is one its route takes, given once. Pure: the fuzz target and the dispatcher share it. */
#ifndef JAGA_SERVER_QUERY_CHECK_H
#define JAGA_SERVER_QUERY_CHECK_H

#include <stddef.h>

enum { QUERY_ARGS_MAX = 16, QUERY_VALUE_MAX = 2048, QUERY_PATH_MAX = 2048 };

typedef struct query_arg {
    const char *name, *value; /* value NULL for a name without "=" */
    size_t value_len;
} query_arg;

/* 0 when path and the n arguments are what a route taking params (names separated by
 * spaces; NULL or "" for none) accepts, else -1 with the problem, naming the argument, in err. */
int query_check(const char *path, const query_arg *args, size_t n, const char *params, char *err,
                size_t errlen);

#endif
