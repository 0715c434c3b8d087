/* make-samples: writes a folder of synthetic images for the demo run and the benchmarks.
 *
 *   make-samples DIR                    a mix of formats, sizes and near-duplicates
 *   make-samples --jpeg WxH N DIR       N JPEGs of WxH (benchmark input)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <vips/vips.h>

#include "synth_image.h"

static int save(const uint8_t *px, int w, int h, int bands, const char *dir, const char *name)
{
    VipsImage *im =
        vips_image_new_from_memory_copy(px, (size_t)w * h * bands, w, h, bands, VIPS_FORMAT_UCHAR);
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    int rc = im ? vips_image_write_to_file(im, path, NULL) : -1;
    if (rc != 0)
        fprintf(stderr, "make-samples: %s: %s\n", path, vips_error_buffer());
    if (im)
        g_object_unref(im);
    return rc;
}

/* A demo set: distinct images in every accepted format, plus edited copies of the first
 * (re-encoded smaller, mirrored) whose PDQ hashes stay close to the original's. */
static int demo_set(const char *dir)
{
    static const struct {
        const char *name;
        int w, h, bands;
    } items[] = {
        {"beach.jpg", 1280, 853, 3}, {"street.png", 800, 600, 3}, {"portrait.webp", 600, 900, 3},
        {"logo.gif", 320, 240, 3},   {"scan.tif", 1024, 768, 1},  {"overlay.png", 640, 480, 4},
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        uint8_t *px = synth_image(items[i].w, items[i].h, items[i].bands, (uint32_t)i + 1);
        rc |= !px || save(px, items[i].w, items[i].h, items[i].bands, dir, items[i].name);
        free(px);
    }
    /* Near-duplicates of beach.jpg. */
    VipsImage *orig = NULL, *small = NULL, *flipped = NULL;
    char path[4096];
    snprintf(path, sizeof(path), "%s/beach.jpg", dir);
    if (rc == 0 && (orig = vips_image_new_from_file(path, NULL)) &&
        vips_resize(orig, &small, 0.5, NULL) == 0 &&
        vips_flip(orig, &flipped, VIPS_DIRECTION_HORIZONTAL, NULL) == 0) {
        snprintf(path, sizeof(path), "%s/beach-half-size.jpg", dir);
        rc |= vips_jpegsave(small, path, "Q", 60, NULL);
        snprintf(path, sizeof(path), "%s/beach-mirrored.png", dir);
        rc |= vips_image_write_to_file(flipped, path, NULL);
    } else {
        rc = -1;
    }
    if (orig)
        g_object_unref(orig);
    if (small)
        g_object_unref(small);
    if (flipped)
        g_object_unref(flipped);
    return rc;
}

static int jpeg_set(const char *size, const char *count, const char *dir)
{
    int w, h, n = atoi(count);
    if (sscanf(size, "%dx%d", &w, &h) != 2 || w < 1 || h < 1 || n < 1)
        return fprintf(stderr, "make-samples: bad size or count\n"), -1;
    for (int i = 0; i < n; i++) {
        uint8_t *px = synth_image((uint32_t)w, (uint32_t)h, 3, (uint32_t)(1000 + i));
        char name[64];
        snprintf(name, sizeof(name), "img-%05d.jpg", i);
        int rc = !px || save(px, w, h, 3, dir, name);
        free(px);
        if (rc)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (VIPS_INIT(argv[0]) != 0)
        return 1;
    int jpeg = argc == 5 && strcmp(argv[1], "--jpeg") == 0;
    if (argc != 2 && !jpeg) {
        fputs("usage: make-samples DIR | make-samples --jpeg WxH N DIR\n", stderr);
        return 2;
    }
    const char *dir = argv[argc - 1];
    mkdir(dir, 0755);
    int rc = jpeg ? jpeg_set(argv[2], argv[3], dir) : demo_set(dir);
    vips_shutdown();
    return rc ? 1 : 0;
}
