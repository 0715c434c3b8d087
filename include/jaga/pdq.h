/*
 * PDQ perceptual hashing of images (Meta's PDQ, full-resolution variant).
 *
 * The hash is computed exactly as the reference C++ library, Java port and pdqhash-python do
 * when no 512x512 pre-resize is applied: float luma 0.299R + 0.587G + 0.114B (a grey image is
 * used as is), two passes of Jarosz box filters with window ceil(dim / 128) along each axis,
 * decimation to 64x64, a 16x16 DCT without the DC row and column, and one bit per coefficient
 * set when it exceeds the lower median (Torben). The float arithmetic follows the reference
 * operation for operation, so the hashes of identical pixels are bit-identical to it.
 * An image with a side under 5 pixels hashes to all zeros with quality 0.
 *
 * Hex form: 64 lowercase hex digits, the 16-bit words w[15]..w[0]; bit k = row*16 + col of the
 * DCT lives in w[k >> 4], bit (k & 15).
 */
#ifndef JAGA_PDQ_H
#define JAGA_PDQ_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define JAGA_PDQ_HEX_LEN 64
/* Sides below this give the zero hash with quality 0. */
#define JAGA_PDQ_MIN_DIM 5

typedef struct jaga_pdq_hash {
    uint16_t w[16];
} jaga_pdq_hash;

/* The 8 symmetries of the square, derived from one DCT. */
typedef enum jaga_dihedral {
    JAGA_DIH_ORIG = 0,
    JAGA_DIH_ROT90,
    JAGA_DIH_ROT180,
    JAGA_DIH_ROT270,
    JAGA_DIH_FLIPX,
    JAGA_DIH_FLIPY,
    JAGA_DIH_FLIP_PLUS1,  /* transpose (reflection about the main diagonal) */
    JAGA_DIH_FLIP_MINUS1, /* reflection about the anti-diagonal */
    JAGA_DIH_COUNT
} jaga_dihedral;

/* A short name for a dihedral variant: "orig", "rot90", ..., "flipplus1", "flipminus1". */
const char *jaga_dihedral_name(jaga_dihedral d);

typedef struct jaga_pdq_result {
    /* hash[JAGA_DIH_ORIG] always; the other 7 only when dihedral hashes were requested,
     * otherwise zero. */
    jaga_pdq_hash hash[JAGA_DIH_COUNT];
    int quality; /* 0..100 */
} jaga_pdq_result;

/* Pixel layouts accepted by the hasher: 8 bits per sample, interleaved. */
typedef enum jaga_pixels {
    JAGA_PIXELS_GREY = 1, /* luma is the sample itself */
    JAGA_PIXELS_RGB = 3
} jaga_pixels;

/* A hasher owns scratch buffers reused across images. Not thread-safe: use one per thread. */
typedef struct jaga_pdq_hasher jaga_pdq_hasher;

/* Returns JAGA_OK or JAGA_ERR_NOMEM. Free with jaga_pdq_hasher_free(). */
jaga_status jaga_pdq_hasher_open(jaga_pdq_hasher **out);

/* A no-op on NULL. */
void jaga_pdq_hasher_free(jaga_pdq_hasher *hasher);

/*
 * Hashes width x height pixels of the given layout, rows stride bytes apart (stride >=
 * width * layout). With dihedral non-zero, also fills the 7 other dihedral hashes.
 * Returns JAGA_OK, JAGA_ERR_INVALID (bad arguments) or JAGA_ERR_NOMEM; details on ctx.
 * pixels is borrowed for the call only.
 */
jaga_status jaga_pdq_hash_pixels(jaga_pdq_hasher *hasher, jaga_ctx *ctx, const uint8_t *pixels,
                                 uint32_t width, uint32_t height, size_t stride, jaga_pixels layout,
                                 int dihedral, jaga_pdq_result *out);

/* Writes the 64 hex digits and a NUL into out[JAGA_PDQ_HEX_LEN + 1]. */
void jaga_pdq_to_hex(const jaga_pdq_hash *hash, char *out);

/* Parses exactly 64 hex digits (either case). Returns JAGA_OK or JAGA_ERR_INVALID. */
jaga_status jaga_pdq_from_hex(const char *hex, jaga_pdq_hash *out);

/* The Hamming distance, 0..256. */
int jaga_pdq_distance(const jaga_pdq_hash *a, const jaga_pdq_hash *b);

#ifdef __cplusplus
}
#endif
#endif
