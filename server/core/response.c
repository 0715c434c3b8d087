/* JSON responses and request accessors. */
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "http.h"
#include "jaga/ident.h"

void respond_json(http_response *r, unsigned status, json_t *body)
{
    free(r->body);
    r->status = status;
    r->body = json_dumps(body, JSON_COMPACT);
    r->body_len = 0;
    r->content_type = NULL;
    json_decref(body);
}

void respond_error(http_response *r, unsigned status, const char *code, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    /* A message cut mid-character, or echoing bytes that are no text, is no JSON string. */
    size_t len = n < 0 ? 0 : (size_t)n < sizeof(message) ? (size_t)n : sizeof(message) - 1;
    while (len && jaga_text_problem(message, len, sizeof(message)))
        message[--len] = '\0';
    if (!len)
        snprintf(message, sizeof(message), "%s", code);
    respond_json(r, status, json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message));
    if (status == 503 && !r->retry_after) /* the store or a capacity: worth trying again */
        r->retry_after = 5;
}

void respond_decode_error(http_response *r, jaga_status st, const jaga_ctx *ctx)
{
    const char *message = *jaga_errmsg(ctx) ? jaga_errmsg(ctx) : jaga_status_str(st);
    if (st == JAGA_ERR_LIMIT)
        respond_error(r, 413, "too_large", "%s", message);
    else if (st == JAGA_ERR_UNSUPPORTED)
        respond_error(r, 415, "unsupported_media", "%s", message);
    else if (st == JAGA_ERR_NOMEM)
        respond_error(r, 503, "overloaded", "%s", message);
    else
        respond_error(r, 422, "undecodable", "%s", message);
}

json_t *hex_string(const uint8_t *bytes, size_t n)
{
    char hex[2 * HEX_STRING_MAX + 1];
    if (n > HEX_STRING_MAX)
        return NULL;
    jaga_hex_encode(bytes, n, hex);
    return json_string(hex);
}

json_t *pdq_string(const jaga_pdq_hash *h)
{
    char hex[JAGA_PDQ_HEX_LEN + 1];
    jaga_pdq_to_hex(h, hex);
    return json_string(hex);
}

const char *request_header(const http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->connection, MHD_HEADER_KIND, name);
}

const char *request_arg(const http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->connection, MHD_GET_ARGUMENT_KIND, name);
}

void respond_list(http_response *r, jaga_status st, const char *name, void *items, size_t n,
                  size_t size, json_t *(*to_json)(const void *item))
{
    if (st != JAGA_OK) {
        free(items);
        respond_error(r, 503, "store_unavailable", "the store could not be read");
        return;
    }
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, to_json((const char *)items + i * size));
    free(items);
    respond_json(r, 200, json_pack("{s:o}", name, out));
}
