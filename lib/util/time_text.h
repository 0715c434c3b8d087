/* Internal: times as text. */
#ifndef JAGA_UTIL_TIME_TEXT_H
#define JAGA_UTIL_TIME_TEXT_H

#include <stdint.h>

/* Unix seconds, YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ into *out. 0, or -1 on
 * anything else. */
int time_text_parse(const char *text, int64_t *out);

#endif
