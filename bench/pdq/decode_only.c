/* decode_only: decodes every file named on the command line (or listed on stdin with -)
 * with jaga's decoder and nothing else, on N threads like `jaga hash -j N`: the floor that
 * bench/pdq/e2e.sh compares `jaga hash` against.
 *
 *   decode_only -j N FILE...
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/media.h"
#include "jaga/core.h"

static char **files;
static int nfiles, next_file, failures;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    (void)arg;
    jaga_decode_limits limits;
    jaga_decode_limits_default(&limits);
    for (;;) {
        pthread_mutex_lock(&lock);
        int i = next_file++;
        pthread_mutex_unlock(&lock);
        if (i >= nfiles)
            return NULL;
        void *data;
        size_t len;
        jaga_image *image = NULL;
        if (jaga_file_read(NULL, files[i], limits.max_bytes, &data, &len) != JAGA_OK ||
            jaga_image_decode(NULL, data, len, &limits, &image) != JAGA_OK) {
            pthread_mutex_lock(&lock);
            failures++;
            pthread_mutex_unlock(&lock);
        }
        jaga_image_free(image);
        free(data);
    }
}

int main(int argc, char **argv)
{
    if (argc < 4 || strcmp(argv[1], "-j") != 0) {
        fputs("usage: decode_only -j N FILE...\n", stderr);
        return 2;
    }
    int threads = atoi(argv[2]);
    files = argv + 3;
    nfiles = argc - 3;
    pthread_t tid[64];
    if (threads < 1 || threads > 64)
        return 2;
    for (int t = 0; t < threads; t++)
        pthread_create(&tid[t], NULL, worker, NULL);
    for (int t = 0; t < threads; t++)
        pthread_join(tid[t], NULL);
    if (failures)
        fprintf(stderr, "decode_only: %d files failed\n", failures);
    return failures ? 1 : 0;
}
