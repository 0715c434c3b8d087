/* Replays fuzz corpora through a libFuzzer entry point without libFuzzer, so that every
 * gcc test run (and the sanitizer run) exercises them. Prints a TAP-like line per file. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    int ok = buf && fread(buf, 1, (size_t)n, f) == (size_t)n;
    fclose(f);
    if (ok)
        LLVMFuzzerTestOneInput(buf, (size_t)n);
    free(buf);
    return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    int files = 0, failures = 0;
    for (int a = 1; a < argc; a++) {
        struct dirent **names;
        int n = scandir(argv[a], &names, NULL, alphasort);
        if (n < 0) {
            fprintf(stderr, "fuzz_replay: cannot read %s\n", argv[a]);
            return 1;
        }
        for (int i = 0; i < n; i++) {
            char path[4096];
            if (names[i]->d_name[0] != '.') {
                snprintf(path, sizeof(path), "%s/%s", argv[a], names[i]->d_name);
                failures += replay_file(path) != 0;
                files++;
            }
            free(names[i]);
        }
        free(names);
    }
    printf("replayed %d corpus files, %d unreadable\n", files, failures);
    return files == 0 || failures ? 1 : 0;
}
