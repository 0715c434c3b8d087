#include "jaga/core.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

enum { ERRMSG_CAP = 512 };

struct jaga_ctx {
    char errmsg[ERRMSG_CAP];
};

jaga_status jaga_ctx_open(jaga_ctx **out)
{
    jaga_ctx *ctx = calloc(1, sizeof(*ctx));
    *out = ctx;
    return ctx ? JAGA_OK : JAGA_ERR_NOMEM;
}

void jaga_ctx_free(jaga_ctx *ctx)
{
    free(ctx);
}

const char *jaga_errmsg(const jaga_ctx *ctx)
{
    return ctx ? ctx->errmsg : "";
}

void jaga_ctx_clear(jaga_ctx *ctx)
{
    if (ctx)
        ctx->errmsg[0] = '\0';
}

jaga_status jaga_fail(jaga_ctx *ctx, jaga_status status, const char *fmt, ...)
{
    if (ctx) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
        va_end(ap);
    }
    return status;
}

const char *jaga_status_str(jaga_status status)
{
    switch (status) {
    case JAGA_OK:
        return "ok";
    case JAGA_ERR_NOMEM:
        return "out of memory";
    case JAGA_ERR_INVALID:
        return "invalid argument";
    case JAGA_ERR_IO:
        return "i/o error";
    case JAGA_ERR_DECODE:
        return "decode error";
    case JAGA_ERR_UNSUPPORTED:
        return "unsupported input";
    case JAGA_ERR_LIMIT:
        return "limit exceeded";
    case JAGA_ERR_NOT_FOUND:
        return "not found";
    case JAGA_ERR_CONFLICT:
        return "conflict";
    case JAGA_ERR_DENIED:
        return "denied";
    }
    return "unknown status";
}
