/* Expanding the FILE|DIR|- arguments of a command into a list of files. */
#ifndef JAGA_CLI_PATH_LIST_H
#define JAGA_CLI_PATH_LIST_H

#include <stddef.h>

typedef struct path_list {
    char **paths;
    size_t count, cap;
    size_t errors; /* arguments that named nothing readable, reported on stderr */
} path_list;

/* Adds one argument: a file as is, a directory's regular files recursively in name order
 * (links to files followed, links to directories not), "-" the lines of standard input.
 * Problems are printed on stderr as "jaga CMD: PATH: reason" and counted in errors.
 * Returns 0, or -1 when out of memory. */
int path_list_add(path_list *list, const char *cmd, const char *arg);

void path_list_free(path_list *list);

#endif
