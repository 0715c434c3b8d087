/* The audit log's signed tree head, for the audit routes, the transparency report and the
 * housekeeper that signs one as the log grows. */
#include <time.h>

#include "http.h"
#include "jaga/audit.h"

/* The log's head now, signing a new one when it grew (one signer at a time). */
jaga_status audit_head_now(server_state *s, jaga_store *db, jaga_ctx *ctx, jaga_tree_head *out)
{
    pthread_mutex_lock(&s->head_lock);
    jaga_status st = jaga_audit_head(db, s->audit_key, ctx, (int64_t)time(NULL), out);
    pthread_mutex_unlock(&s->head_lock);
    return st;
}

json_t *tree_head_json(const jaga_tree_head *h)
{
    return json_pack("{s:I,s:o,s:I,s:o}", "size", (json_int_t)h->size, "root",
                     hex_string(h->root, 32), "signed_at", (json_int_t)h->signed_at, "signature",
                     hex_string(h->signature, 64));
}
