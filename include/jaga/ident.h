/*
 * Identifiers and texts from outside (content, uploader and reporter ids, notice references,
 * team and bank names, query arguments, report texts): what jaga accepts before it stores or
 * echoes one. Pure functions, thread-safe.
 */
#ifndef JAGA_IDENT_H
#define JAGA_IDENT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Why the len bytes of text are no identifier of at most max bytes, as a static phrase to
 * follow the field's name ("is not valid UTF-8", "has a control character", "is empty",
 * "is over the limit"); NULL when they are one: 1 to max bytes of valid UTF-8 (shortest
 * forms, no surrogates, nothing past U+10FFFF) without control characters (C0, DEL, C1) and
 * without the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069) that make text read otherwise than it is stored. */
const char *jaga_ident_problem(const char *text, size_t len, size_t max);

/* The same for free text (report texts, notes): it may be empty, and may hold line feeds,
 * carriage returns and tabs. */
const char *jaga_text_problem(const char *text, size_t len, size_t max);

#ifdef __cplusplus
}
#endif
#endif
