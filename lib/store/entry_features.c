/* A vpdq entry's features to and from the store's blob. */
#include "store/entry_features.h"

#include <math.h>
#include <stdlib.h>

#include "jaga/digest.h"
#include "jaga/core.h"

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint8_t *jaga__entry_features_encode(const jaga_vpdq_feature *features, size_t n)
{
    uint8_t *blob = malloc(n ? n * ENTRY_FEATURE_BYTES : 1);
    for (size_t i = 0; blob && i < n; i++) {
        const jaga_vpdq_feature *f = &features[i];
        uint8_t *p = blob + i * ENTRY_FEATURE_BYTES;
        char hex[JAGA_PDQ_HEX_LEN + 1];
        jaga_pdq_to_hex(&f->hash, hex);
        jaga_hex_decode(hex, p, 32);
        p[32] = (uint8_t)f->quality;
        put32(p + 33, (uint32_t)lround((double)f->timestamp * 1000.0));
        put32(p + 37, (uint32_t)f->frame);
    }
    return blob;
}

jaga_status jaga__entry_features_decode(jaga_ctx *ctx, const uint8_t *blob, size_t len,
                                        jaga_vpdq_feature **features, size_t *n)
{
    *features = NULL;
    *n = 0;
    size_t count = len / ENTRY_FEATURE_BYTES;
    if (!blob || len % ENTRY_FEATURE_BYTES || count == 0 || count > JAGA_VPDQ_ENTRY_FEATURES_MAX)
        return jaga_fail(ctx, JAGA_ERR_IO, "store: a vpdq entry's features are damaged");
    jaga_vpdq_feature *out = malloc(count * sizeof(*out));
    if (!out)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "store: no memory");
    for (size_t i = 0; i < count; i++) {
        const uint8_t *p = blob + i * ENTRY_FEATURE_BYTES;
        char hex[JAGA_PDQ_HEX_LEN + 1];
        jaga_hex_encode(p, 32, hex);
        jaga_pdq_from_hex(hex, &out[i].hash);
        out[i].quality = p[32];
        out[i].timestamp = (float)(get32(p + 33) / 1000.0);
        out[i].frame = get32(p + 37);
        if (out[i].quality > 100) {
            free(out);
            return jaga_fail(ctx, JAGA_ERR_IO, "store: a vpdq entry's features are damaged");
        }
    }
    *features = out;
    *n = count;
    return JAGA_OK;
}
