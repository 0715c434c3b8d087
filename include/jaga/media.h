/*
 * Decoding images from untrusted bytes, in-process through libvips, under hard limits.
 *
 * Accepted: JPEG, PNG, WebP, GIF (first frame), TIFF (first page). Everything else is
 * JAGA_ERR_UNSUPPORTED, whatever libvips could load. The image header is checked against the
 * limits before any pixel is decoded, so a decompression bomb costs only its header.
 * Pixels come out as 8-bit grey or 8-bit RGB, as the PDQ reference reads them: alpha is
 * dropped, 16-bit samples keep their high byte, palettes are expanded, CMYK is converted to
 * RGB. EXIF orientation is NOT applied (the PDQ reference does not apply it either), so a
 * photo hashes as its pixels are stored.
 *
 * Decoding fails closed: a file on which the decoder reports any damage (truncation, corrupt
 * entropy-coded data, bad checksums) is refused with JAGA_ERR_DECODE rather than hashed from
 * partial pixels, so that a deliberately damaged copy of known media cannot pass as scanned.
 * A platform should refuse to publish what jaga refuses to scan.
 *
 * Thread-safe: any number of threads may decode at once.
 */
#ifndef JAGA_MEDIA_H
#define JAGA_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/pdq.h"
#include "jaga/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jaga_decode_limits {
    size_t max_bytes;    /* encoded input size */
    uint64_t max_pixels; /* width x height */
    uint32_t max_width;
    uint32_t max_height;
} jaga_decode_limits;

/* The defaults: 64 MiB, 100 megapixels, 20000 x 20000. */
void jaga_decode_limits_default(jaga_decode_limits *limits);

typedef struct jaga_image jaga_image;

/*
 * Decodes len bytes at data. limits may be NULL for the defaults.
 * Returns JAGA_OK; JAGA_ERR_LIMIT (too many bytes, pixels, width or height);
 * JAGA_ERR_UNSUPPORTED (not one of the accepted formats, or an unusable pixel layout);
 * JAGA_ERR_DECODE (empty, truncated or corrupt); JAGA_ERR_NOMEM. Details on ctx.
 * On success *out is a new image to free with jaga_image_free(); data is borrowed.
 */
jaga_status jaga_image_decode(jaga_ctx *ctx, const void *data, size_t len,
                              const jaga_decode_limits *limits, jaga_image **out);

/* Reads the file at path (refused past limits->max_bytes before it is read) and decodes it
 * as jaga_image_decode() does; also JAGA_ERR_IO when it cannot be read. */
jaga_status jaga_image_decode_file(jaga_ctx *ctx, const char *path,
                                   const jaga_decode_limits *limits, jaga_image **out);

/* A no-op on NULL. */
void jaga_image_free(jaga_image *image);

uint32_t jaga_image_width(const jaga_image *image);
uint32_t jaga_image_height(const jaga_image *image);
/* JAGA_PIXELS_GREY or JAGA_PIXELS_RGB. */
jaga_pixels jaga_image_layout(const jaga_image *image);
/* Rows of width x layout bytes, packed. Owned by the image. */
const uint8_t *jaga_image_pixels(const jaga_image *image);
/* The EXIF orientation that displays the pixels upright (1..8; 1 without a tag). */
int jaga_image_orientation(const jaga_image *image);
/* The libvips loader's format name, e.g. "jpeg", "png". Static. */
const char *jaga_image_format(const jaga_image *image);

#ifdef __cplusplus
}
#endif
#endif
