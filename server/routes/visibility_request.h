/* The JSON bodies of the visibility routes, parsed strictly. */
#ifndef JAGA_SERVER_VISIBILITY_REQUEST_H
#define JAGA_SERVER_VISIBILITY_REQUEST_H

#include <stddef.h>

#define VISIBILITY_BATCH_MAX 1000
#define VISIBILITY_BODY_MAX (VISIBILITY_BATCH_MAX * 300 + 4096)
#define CONTENT_ID_MAX 256

/* POST /v1/visibility/batch: {"ip": "..."} or {"country": "MY"}, and "content_ids": [1 to
 * 1000 ids of at most 256 bytes]. The ids point into *doc (free with
 * visibility_request_free). */
typedef struct visibility_batch {
    char ip[64], country[3];
    int sensitive_filter; /* the viewer's sensitive-content filter (default on) */
    const char **ids;
    size_t nids;
    void *doc;
} visibility_batch;

int visibility_batch_parse(const char *body, size_t len, visibility_batch *out, char *err,
                           size_t errlen);
void visibility_batch_free(visibility_batch *b);

/* PUT /v1/country-blocks/{cc}: {"reason": "code", "legal": "id"} (legal optional). */
int country_block_parse(const char *body, size_t len, char reason[48], char legal[48], char *err,
                        size_t errlen);

#endif
