/* The server's lifecycle: its state, the background workers, the HTTP daemon, signals, and
 * a graceful stop (in-flight requests finish, video jobs stop at a frame for the next start,
 * the index snapshot and the store's checkpoint last). */
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "exchange_feed.h"
#include "http.h"
#include "stream_watch.h"
#include "video_jobs.h"
#include "work_queue.h"

/* The workers that start with the server's state: live streams and video jobs. 0 or -1. */
static int workers_open(server_state *s)
{
    if (!(s->streams = stream_set_open(s))) {
        fprintf(stderr, "jaga serve: no memory\n");
        return -1;
    }
    return video_jobs_open(s);
}

/* Stops them: a video job at its next frame, for the next start; every stream. */
static void workers_stop(server_state *s)
{
    video_jobs_stop(s);
    stream_set_free(s->streams);
    s->streams = NULL;
}

/* Ends everything opened, when a start failed. */
static int start_failed(server_state *s)
{
    workers_stop(s);
    server_state_close(s);
    return 1;
}

int server_run(const server_config *config)
{
    server_state s = {0};
    snprintf(s.public_url, sizeof(s.public_url), "%s", config->public_url);
    if (!config->public_url[0] && config->port)
        snprintf(s.public_url, sizeof(s.public_url), "http://%s:%u", config->listen_host,
                 config->port);
    /* The routes first: the store reports to their metrics. */
    if (http_routes_open(&s) != 0 || server_state_open(&s, config) != 0 || workers_open(&s) != 0)
        return start_failed(&s);
    /* Signals go to the waiting main thread only. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* A write past a file size limit fails with EFBIG (the store answers 503) instead of
     * killing the server. */
    signal(SIGXFSZ, SIG_IGN);
    unsigned port = 0;
    struct MHD_Daemon *d = http_daemon_start(&s, config, &port);
    if (!d)
        return start_failed(&s);
    /* With port 0 the landing URL is known only now, before anyone has been told the port. */
    if (!config->public_url[0])
        snprintf(s.public_url, sizeof(s.public_url), "http://%s:%u", config->listen_host, port);
    if (housekeeper_start(&s) != 0 || exchange_fetcher_start(&s) != 0) {
        MHD_stop_daemon(d);
        return start_failed(&s);
    }
    printf("jaga serve: listening on http://%s:%u\n", config->listen_host, port);
    fflush(stdout);
    int sig = 0;
    /* SIGHUP reloads the policy; SIGINT and SIGTERM stop. */
    while (sigwait(&stop, &sig) == 0 && sig == SIGHUP)
        server_policy_reload(&s);
    fprintf(stderr, "jaga serve: %s, finishing in-flight requests\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    exchange_stop(&s); /* long polls answer now, pulls end */
    MHD_quiesce_daemon(d);
    http_daemon_drain(d, 10);
    /* The workers finish what they hold (resuming those connections) before MHD stops. */
    workers_stop(&s);
    work_queue_free(s.workers);
    work_queue_free(s.intake);
    work_queue_free(s.long_polls);
    s.workers = s.intake = s.long_polls = NULL;
    MHD_stop_daemon(d);
    housekeeper_stop(&s);
    server_state_close(&s);
    fprintf(stderr, "jaga serve: stopped\n");
    return 0;
}
