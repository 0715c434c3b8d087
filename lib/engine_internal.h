/* Internal: what the video and live-stream pipelines share. */
#ifndef JAGA_ENGINE_INTERNAL_H
#define JAGA_ENGINE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/engine.h"

/* A frame's pixels packed (rows width * 3 bytes apart), as the classifier and blur take
 * them: the frame's own when already packed, else copied into *buf (grown to *cap, freed by
 * the caller). NULL when out of memory. */
const uint8_t *jaga__frame_packed(const jaga_video_frame *frame, uint8_t **buf, size_t *cap);

/* The explicit classes' share of a frame's scores (porn and hentai). */
float jaga__explicit_score(const float scores[JAGA_NN_CLASSES]);

#endif
