#include "path_list.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int push(path_list *list, const char *path)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 64;
        char **grown = realloc(list->paths, cap * sizeof(*grown));
        if (!grown)
            return -1;
        list->paths = grown;
        list->cap = cap;
    }
    char *copy = strdup(path);
    if (!copy)
        return -1;
    list->paths[list->count++] = copy;
    return 0;
}

static void report(path_list *list, const char *cmd, const char *path, const char *reason)
{
    fprintf(stderr, "jaga %s: %s: %s\n", cmd, path, reason);
    list->errors++;
}

static int add_dir(path_list *list, const char *cmd, const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        report(list, cmd, dir, strerror(errno));
        return 0;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (rc == 0 && strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
            size_t len = strlen(dir) + strlen(name) + 2;
            char *path = malloc(len);
            if (!path) {
                rc = -1;
            } else {
                int slash = dir[strlen(dir) - 1] != '/';
                snprintf(path, len, "%s%s%s", dir, slash ? "/" : "", name);
                struct stat lst, st;
                if (lstat(path, &lst) == 0 && S_ISDIR(lst.st_mode))
                    rc = add_dir(list, cmd, path);
                else if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
                    rc = push(list, path);
                free(path);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static int add_stdin(path_list *list, const char *cmd)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, stdin)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len > 0)
            rc = path_list_add(list, cmd, line);
    }
    free(line);
    return rc;
}

int path_list_add(path_list *list, const char *cmd, const char *arg)
{
    if (strcmp(arg, "-") == 0)
        return add_stdin(list, cmd);
    struct stat st;
    if (stat(arg, &st) != 0) {
        report(list, cmd, arg, strerror(errno));
        return 0;
    }
    if (S_ISDIR(st.st_mode))
        return add_dir(list, cmd, arg);
    return push(list, arg);
}

void path_list_free(path_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->paths[i]);
    free(list->paths);
    memset(list, 0, sizeof(*list));
}
