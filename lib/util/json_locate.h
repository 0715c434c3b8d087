/* Where a value sits in a JSON text: for messages that name file:line of a field that
 * jansson parsed (it keeps no positions for values). */
#ifndef JAGA_UTIL_JSON_LOCATE_H
#define JAGA_UTIL_JSON_LOCATE_H

#include <stddef.h>

/* The 1-based line of the value at path in a JSON text that has parsed already: path is
 * "/"-separated object keys and array indexes, e.g. "jurisdictions/2/deadlines/notice"
 * ("" for the whole document). Where the path ends early, the line of the deepest part
 * found; 0 when the text is not JSON after all. */
int jaga_json_line(const char *text, size_t len, const char *path);

#endif
