/* Video scans as jobs. A video upload is kept in DB.jobs/ID.media, fsynced, before its job
 * is acknowledged; the jobs run one at a time on a thread of their own (a long video never
 * holds up image scans), and end done, with the content's record, or failed, with why; the
 * media file goes when its job ends. Jobs a stop interrupts, or left queued, run again at the
 * next start. */
#ifndef JAGA_SERVER_VIDEO_JOBS_H
#define JAGA_SERVER_VIDEO_JOBS_H

#include "http.h"

/* Makes the jobs folder and queues the unfinished jobs. 0, or -1 (the reason on stderr). */
int video_jobs_open(server_state *s);

/* Stops taking jobs: the running one stops at its next frame and stays unfinished. A no-op
 * when not open. */
void video_jobs_stop(server_state *s);

/* Keeps len bytes of an upload as the media of a new job with the fields in job (filled:
 * id, state, created_at) and queues it. 0, or -1 with the response set (503). */
int video_job_submit(server_state *s, http_response *r, const void *media, size_t len,
                     jaga_scan_job *job);

/* A job as the API shows it. */
json_t *scan_job_json(const jaga_scan_job *job);

#endif
