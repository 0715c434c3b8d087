/* The store interface: video scan jobs. */
#include <stdlib.h>
#include <string.h>

#include "store/store_backend.h"
#include "jaga/core.h"

void jaga_scan_job_clear(jaga_scan_job *job)
{
    free(job->result);
    job->result = NULL;
}

static const char *const job_states[] = {"queued", "running", "done", "failed"};

jaga_status jaga_store_job_add(jaga_store *s, jaga_ctx *ctx, jaga_scan_job *job)
{
    STORE_CALL(job_add, job);
}

jaga_status jaga_store_job_get(jaga_store *s, jaga_ctx *ctx, int64_t id, jaga_scan_job *out)
{
    STORE_CALL(job_get, id, out);
}

jaga_status jaga_store_job_put(jaga_store *s, jaga_ctx *ctx, const jaga_scan_job *job)
{
    int known = 0;
    for (size_t i = 0; i < sizeof(job_states) / sizeof(job_states[0]); i++)
        known |= strcmp(job->state, job_states[i]) == 0;
    if (!known)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a scan job is queued, running, done or failed");
    STORE_CALL(job_put, job);
}

jaga_status jaga_store_jobs_unfinished(jaga_store *s, jaga_ctx *ctx, int64_t **ids, size_t *n)
{
    STORE_CALL(jobs_unfinished, ids, n);
}
