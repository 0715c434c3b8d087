/*
 * jaga status codes and the error context.
 *
 * Every function that can fail returns a jaga_status; results travel through a trailing
 * out-parameter. Functions that take a jaga_ctx record a human-readable detail message on it
 * where the error is detected; callers read it with jaga_errmsg() and pass it up unchanged.
 * A jaga_ctx is not thread-safe: use one per thread.
 */
#ifndef JAGA_STATUS_H
#define JAGA_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum jaga_status {
    JAGA_OK = 0,
    JAGA_ERR_NOMEM,       /* an allocation failed */
    JAGA_ERR_INVALID,     /* a bad argument (NULL, out of range, malformed text) */
    JAGA_ERR_IO,          /* reading or writing a file failed */
    JAGA_ERR_DECODE,      /* the input is corrupt, truncated or not an image */
    JAGA_ERR_UNSUPPORTED, /* a well-formed input of a kind jaga does not accept */
    JAGA_ERR_LIMIT,       /* the input exceeds a configured hard limit */
    JAGA_ERR_NOT_FOUND,   /* the named thing does not exist */
    JAGA_ERR_CONFLICT,    /* it exists already, or the change clashes with the stored state */
    JAGA_ERR_DENIED       /* the caller's remit does not reach it (a team, a jurisdiction) */
} jaga_status;

typedef struct jaga_ctx jaga_ctx;

/* Allocates a context. Returns JAGA_OK or JAGA_ERR_NOMEM. Free with jaga_ctx_free(). */
jaga_status jaga_ctx_open(jaga_ctx **out);

/* Frees a context; a no-op on NULL. */
void jaga_ctx_free(jaga_ctx *ctx);

/* The detail message of the last error recorded on ctx, or "" if none. Owned by ctx, valid
 * until the next call that takes ctx. Never NULL; accepts a NULL ctx. */
const char *jaga_errmsg(const jaga_ctx *ctx);

/* A short static name for a status, e.g. "decode error". Never NULL. */
const char *jaga_status_str(jaga_status status);

#ifdef __cplusplus
}
#endif
#endif
