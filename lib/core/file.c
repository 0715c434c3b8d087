#include "jaga/core.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

jaga_status jaga_file_private(jaga_ctx *ctx, int fd, const char *path)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return jaga_fail(ctx, JAGA_ERR_IO, "%s: %s", path, strerror(errno));
    if (st.st_mode & 077)
        return jaga_fail(ctx, JAGA_ERR_DENIED, "%s is open to others (mode %04o): chmod 600 it",
                         path, (unsigned)(st.st_mode & 07777));
    return JAGA_OK;
}

static jaga_status file_read(jaga_ctx *ctx, const char *path, size_t max_bytes, int secret,
                             void **data, size_t *len);

jaga_status jaga_file_read(jaga_ctx *ctx, const char *path, size_t max_bytes, void **data,
                           size_t *len)
{
    return file_read(ctx, path, max_bytes, 0, data, len);
}

jaga_status jaga_file_read_secret(jaga_ctx *ctx, const char *path, size_t max_bytes, void **data,
                                  size_t *len)
{
    return file_read(ctx, path, max_bytes, 1, data, len);
}

static jaga_status file_read(jaga_ctx *ctx, const char *path, size_t max_bytes, int secret,
                             void **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return jaga_fail(ctx, JAGA_ERR_IO, "%s", strerror(errno));
    struct stat st;
    jaga_status status = JAGA_OK;
    unsigned char *buf = NULL;
    size_t size = 0;
    if (fstat(fd, &st) != 0) {
        status = jaga_fail(ctx, JAGA_ERR_IO, "%s", strerror(errno));
    } else if (secret && (status = jaga_file_private(ctx, fd, path)) != JAGA_OK) {
        ; /* said */
    } else if (!S_ISREG(st.st_mode)) {
        status = jaga_fail(ctx, JAGA_ERR_IO, "not a regular file");
    } else if ((unsigned long long)st.st_size > max_bytes) {
        status = jaga_fail(ctx, JAGA_ERR_LIMIT, "%lld bytes exceeds the limit of %zu",
                           (long long)st.st_size, max_bytes);
    } else if (!(buf = malloc(st.st_size ? (size_t)st.st_size : 1))) {
        status = jaga_fail(ctx, JAGA_ERR_NOMEM, "no memory for %lld bytes", (long long)st.st_size);
    } else {
        /* Read what is there now; a file that grows meanwhile is cut at its stat size. */
        while (size < (size_t)st.st_size) {
            ssize_t n = read(fd, buf + size, (size_t)st.st_size - size);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                status = jaga_fail(ctx, JAGA_ERR_IO, "%s", strerror(errno));
                break;
            }
            if (n == 0)
                break;
            size += (size_t)n;
        }
    }
    close(fd);
    if (status != JAGA_OK) {
        free(buf);
        return status;
    }
    *data = buf;
    *len = size;
    return JAGA_OK;
}
