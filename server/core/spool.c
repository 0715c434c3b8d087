#include "spool.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int spool_open(const char *beside)
{
    char *dir = strdup(beside);
    if (!dir)
        return -1;
    size_t cap = strlen(beside) + 32;
    char *path = malloc(cap);
    int fd = -1;
    if (path) {
        snprintf(path, cap, "%s/.jaga-spool-XXXXXX", dirname(dir));
        if ((fd = mkstemp(path)) >= 0)
            unlink(path);
    }
    free(path);
    free(dir);
    return fd;
}

int spool_write(int fd, size_t *len, const char *data, size_t n, size_t max)
{
    if (*len + n > max)
        return -1;
    for (size_t done = 0; done < n;) {
        ssize_t w = write(fd, data + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -2;
        done += (size_t)w;
    }
    *len += n;
    return 0;
}

int spool_map(int fd, size_t len, char **body, size_t *body_len)
{
    *body = NULL;
    *body_len = 0;
    if (len == 0)
        return 0;
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED)
        return -1;
    *body = map;
    *body_len = len;
    return 0;
}
