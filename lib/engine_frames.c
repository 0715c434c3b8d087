/* What the video and live-stream pipelines share. */
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

const uint8_t *jaga__frame_packed(const jaga_video_frame *f, uint8_t **buf, size_t *cap)
{
    size_t row = (size_t)f->width * 3;
    if (f->stride == row)
        return f->rgb;
    if (*cap < row * f->height) {
        free(*buf);
        *cap = row * f->height;
        if (!(*buf = malloc(*cap))) {
            *cap = 0;
            return NULL;
        }
    }
    for (uint32_t y = 0; y < f->height; y++)
        memcpy(*buf + y * row, f->rgb + y * f->stride, row);
    return *buf;
}

float jaga__explicit_score(const float scores[JAGA_NN_CLASSES])
{
    const char *const *names = jaga_nn_classes();
    float sum = 0;
    for (int k = 0; k < JAGA_NN_CLASSES; k++)
        if (strcmp(names[k], "porn") == 0 || strcmp(names[k], "hentai") == 0)
            sum += scores[k];
    return sum;
}
