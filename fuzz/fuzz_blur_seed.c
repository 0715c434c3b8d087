/* libFuzzer target: a blurred rendition's seed as the store hands it back (a damaged or
 * edited database is outside data too), drawn small. */
#include <stdint.h>
#include <stdlib.h>

#include "jaga/blur.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static jaga_ctx *ctx;
    if (!ctx && jaga_ctx_open(&ctx) != JAGA_OK)
        return 0;
    uint8_t *jpeg = NULL;
    size_t len = 0;
    if (jaga_blur_render(ctx, data, size, 24, &jpeg, &len) == JAGA_OK && (!jpeg || len < 3))
        abort(); /* drawn means a JPEG came back */
    free(jpeg);
    return 0;
}
