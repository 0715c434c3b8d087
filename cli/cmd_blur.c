/* jaga blur: the blurred rendition of an image file, as the server serves it for
 * GET /v1/media/{id}?variant=blurred, written as JPEG. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jaga/blur.h"
#include "jaga/media.h"

static void usage(FILE *out)
{
    fputs("usage: jaga blur [--side N] IN OUT\n"
          "Writes to OUT a JPEG of IN that hides its subject: the image reduced to 16 pixels\n"
          "on its longer side, smoothed and enlarged to at most N pixels (default 480) on it.\n"
          "IN is decoded with the limits of jaga hash; EXIF orientation is applied.\n",
          out);
}

/* The rendition of the image at in; JAGA_OK with *jpeg to free. */
static jaga_status render(jaga_ctx *ctx, const char *in, uint32_t side, uint8_t **jpeg, size_t *len)
{
    jaga_image *img = NULL;
    jaga_blur_seed seed;
    jaga_status st = jaga_image_decode_file(ctx, in, NULL, &img);
    if (st == JAGA_OK)
        st = jaga_blur_seed_compute(
            ctx, jaga_image_pixels(img), jaga_image_width(img), jaga_image_height(img),
            jaga_image_layout(img) == JAGA_PIXELS_RGB ? 3 : 1, jaga_image_orientation(img), &seed);
    jaga_image_free(img);
    if (st == JAGA_OK)
        st = jaga_blur_render(ctx, seed.bytes, seed.len, side, jpeg, len);
    return st;
}

static int write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        fprintf(stderr, "jaga blur: %s: %s\n", path, strerror(errno ? errno : EIO));
    return ok ? 0 : -1;
}

int cmd_blur(int argc, char **argv)
{
    static const struct option longopts[] = {{"side", required_argument, NULL, 's'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    unsigned long side = 0;
    char *end;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 's') {
            side = strtoul(optarg, &end, 10);
            if (*end || side < 1 || side > 4096) {
                fprintf(stderr, "jaga blur: --side is 1 to 4096 pixels\n");
                return CLI_USAGE;
            }
        } else if (opt == 'h') {
            return usage(stdout), CLI_OK;
        } else {
            return usage(stderr), CLI_USAGE;
        }
    }
    if (argc - optind != 2)
        return usage(stderr), CLI_USAGE;
    jaga_ctx *ctx = NULL;
    if (jaga_ctx_open(&ctx) != JAGA_OK)
        return CLI_FAILED;
    uint8_t *jpeg = NULL;
    size_t len = 0;
    jaga_status st = render(ctx, argv[optind], (uint32_t)side, &jpeg, &len);
    int rc = CLI_OK;
    if (st != JAGA_OK) {
        fprintf(stderr, "jaga blur: %s: %s\n", argv[optind], jaga_errmsg(ctx));
        rc = CLI_FAILED;
    } else if (write_file(argv[optind + 1], jpeg, len) != 0) {
        rc = CLI_FAILED;
    }
    free(jpeg);
    jaga_ctx_free(ctx);
    return rc;
}
