/* Whole numbers from a request (path segments, query arguments): plain decimal digits only,
 * no sign, spaces or exponent, and a ceiling, so that "+5", " 5", "5x" and numbers past
 * the ceiling are refused rather than read as something near them. */
#ifndef JAGA_SERVER_WHOLE_NUMBER_H
#define JAGA_SERVER_WHOLE_NUMBER_H

#include <stdint.h>

/* text as a whole number of at most max: 0 with *out set, or -1 (*out untouched). */
int whole_number(const char *text, uint64_t max, uint64_t *out);

/* The id in the n-th (from 0) segment of path: 1 to INT64_MAX, or 0 when it is none. */
int64_t path_id(const char *path, int n);

#endif
