/* Public PDQ API: the hasher object, hex form and distance. */
#include "jaga/pdq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash/pdq_internal.h"
#include "jaga/digest.h"
#include "jaga/core.h"

struct jaga_pdq_hasher {
    const pdq_kernels *kernels;
    pdq_blur_scratch scratch;
    float buf64[PDQ_DIM * PDQ_DIM];
};

jaga_status jaga_pdq_hasher_open(jaga_pdq_hasher **out)
{
    jaga_pdq_hasher *h = calloc(1, sizeof(*h));
    *out = h;
    if (!h)
        return JAGA_ERR_NOMEM;
    h->kernels = jaga__pdq_kernels_best();
    return JAGA_OK;
}

void jaga_pdq_hasher_free(jaga_pdq_hasher *h)
{
    if (!h)
        return;
    jaga__pdq_blur_scratch_free(&h->scratch);
    free(h);
}

const char *jaga_dihedral_name(jaga_dihedral d)
{
    static const char *const names[JAGA_DIH_COUNT] = {"orig",  "rot90", "rot180",    "rot270",
                                                      "flipx", "flipy", "flipplus1", "flipminus1"};
    return (unsigned)d < JAGA_DIH_COUNT ? names[d] : "unknown";
}

jaga_status jaga_pdq_hash_pixels(jaga_pdq_hasher *h, jaga_ctx *ctx, const uint8_t *pixels,
                                 uint32_t width, uint32_t height, size_t stride, jaga_pixels layout,
                                 int dihedral, jaga_pdq_result *out)
{
    if (!h || !pixels || !out)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "pdq: NULL argument");
    if (layout != JAGA_PIXELS_GREY && layout != JAGA_PIXELS_RGB)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "pdq: unknown pixel layout %d", (int)layout);
    if (stride < (size_t)width * layout)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "pdq: stride %zu < width %u x %d bytes", stride,
                         width, (int)layout);
    memset(out, 0, sizeof(*out));
    if (width < JAGA_PDQ_MIN_DIM || height < JAGA_PDQ_MIN_DIM)
        return JAGA_OK;
    if (jaga__pdq_blur_decimate(&h->scratch, h->kernels, pixels, width, height, stride, layout,
                                h->buf64) != 0)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "pdq: no memory for a %ux%u image", width, height);
    out->quality = jaga__pdq_quality(h->buf64);
    float dct[256], variant[256];
    jaga__pdq_dct16(h->buf64, dct);
    jaga__pdq_dct16_to_hash(dct, &out->hash[JAGA_DIH_ORIG]);
    for (int d = JAGA_DIH_ROT90; dihedral && d < JAGA_DIH_COUNT; d++) {
        jaga__pdq_dct16_dihedral(dct, (jaga_dihedral)d, variant);
        jaga__pdq_dct16_to_hash(variant, &out->hash[d]);
    }
    return JAGA_OK;
}

void jaga_pdq_to_hex(const jaga_pdq_hash *hash, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        uint16_t w = hash->w[15 - i];
        for (int n = 0; n < 4; n++)
            out[i * 4 + n] = digits[(w >> (12 - 4 * n)) & 15];
    }
    out[JAGA_PDQ_HEX_LEN] = '\0';
}

jaga_status jaga_pdq_from_hex(const char *hex, jaga_pdq_hash *out)
{
    uint8_t bytes[32];
    if (!hex || !out || jaga_hex_decode(hex, bytes, sizeof(bytes)) != JAGA_OK)
        return JAGA_ERR_INVALID;
    /* Word 15 is written first, most significant byte first. */
    for (int i = 0; i < 16; i++)
        out->w[15 - i] = (uint16_t)(bytes[2 * i] << 8 | bytes[2 * i + 1]);
    return JAGA_OK;
}

int jaga_pdq_distance(const jaga_pdq_hash *a, const jaga_pdq_hash *b)
{
    int d = 0;
    for (int i = 0; i < 16; i++)
        d += __builtin_popcount((unsigned)(a->w[i] ^ b->w[i]));
    return d;
}
