/* jaga watch: a live stream against the banks and the classifier, one JSON line an event. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jaga/jaga.h"
#include "jaga/matcher.h"

static void usage(FILE *out)
{
    fputs("usage: jaga watch [--db PATH] [--model MODEL_JSON | --no-classify]\n"
          "                  [--seconds-per-hash S] [--stall S] [--window S]\n"
          "                  [--match-frames N] [--explicit SCORE] [--files] URL|-\n"
          "Watches a live stream as it arrives: - (standard input: MPEG-TS, FLV, Matroska),\n"
          "tcp://, udp://, an http:// HLS playlist or MPEG-TS, rtmp://; with --files also a\n"
          "path (a named pipe). A frame every S seconds (default 1) is hashed with PDQ and\n"
          "classified. Prints a JSON line per event: \"match\" when the last --window seconds\n"
          "(60) hold --match-frames (10) of a banked video's frames (or half of a shorter\n"
          "one), \"explicit\" when a frame's porn and hentai scores reach --explicit (0.9), and\n"
          "\"end\" with how the stream ended: ended, disconnected, stalled (no data for\n"
          "--stall seconds, 10), stopped (SIGINT or SIGTERM) or failed.\n"
          "Exit status: 0 it ended with events, 1 without, 2 it could not be watched.\n",
          out);
}

static volatile sig_atomic_t stop_asked;

static void on_signal(int sig)
{
    (void)sig;
    stop_asked = 1;
}

static int should_stop(void *arg)
{
    (void)arg;
    return stop_asked;
}

typedef struct watch_run {
    jaga_store *store;
    jaga_matcher *matcher;
} watch_run;

static void print_frames(const jaga_vpdq_match *m)
{
    printf(",\"frames\":[");
    for (size_t i = 0; i < m->nframes; i++)
        printf("%s{\"stream_time\":%.3f,\"entry_timestamp\":%.3f,\"distance\":%d}", i ? "," : "",
               (double)m->frames[i].query_timestamp, (double)m->frames[i].entry_timestamp,
               m->frames[i].distance);
    printf("]");
}

static void on_event(void *arg, const jaga_stream_event *e)
{
    watch_run *run = arg;
    printf("{\"event\":\"%s\",\"stream_time\":%.3f,\"latency_ms\":%.0f",
           e->kind == JAGA_STREAM_MATCH ? "match" : "explicit", (double)e->stream_time,
           e->latency * 1000);
    if (e->kind == JAGA_STREAM_MATCH) {
        jaga_bank b;
        jaga_entry entry;
        if (jaga_matcher_bank(run->matcher, e->match.bank_id, &b) != JAGA_OK)
            snprintf(b.name, sizeof(b.name), "?");
        if (jaga_store_entry_get(run->store, NULL, e->match.entry_id, &entry) != JAGA_OK)
            entry.labels[0] = '\0';
        printf(",\"bank\":");
        cli_json_string(stdout, b.name);
        printf(",\"entry_id\":%lld,\"labels\":", (long long)e->match.entry_id);
        cli_json_string(stdout, entry.labels);
        printf(",\"entry_frames\":%zu,\"entry_frames_found\":%zu", e->match.entry_features,
               e->match.entry_frames_matched);
        print_frames(&e->match);
    } else {
        printf(",\"scores\":{");
        for (int k = 0; k < JAGA_NN_CLASSES; k++)
            printf("%s\"%s\":%.6f", k ? "," : "", jaga_nn_classes()[k], (double)e->scores[k]);
        printf("}");
    }
    printf("}\n");
    fflush(stdout);
}

typedef struct watch_args {
    const char *db, *model;
    int classify;
    jaga_stream_watch_options o;
} watch_args;

/* The options into a; 0, or -1 (usage). */
static int parse_args(int argc, char **argv, watch_args *a)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                             {"model", required_argument, NULL, 'm'},
                                             {"no-classify", no_argument, NULL, 'n'},
                                             {"seconds-per-hash", required_argument, NULL, 's'},
                                             {"stall", required_argument, NULL, 't'},
                                             {"window", required_argument, NULL, 'w'},
                                             {"match-frames", required_argument, NULL, 'f'},
                                             {"explicit", required_argument, NULL, 'e'},
                                             {"files", no_argument, NULL, 'F'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    double frames = 10, explicit_min = 0.9;
    int opt, bad = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'd')
            a->db = optarg;
        else if (opt == 'm')
            a->model = optarg;
        else if (opt == 'n')
            a->classify = 0;
        else if (opt == 's')
            bad |= cli_parse_number(optarg, 0, 3600, &a->o.seconds_per_hash);
        else if (opt == 't')
            bad |= cli_parse_number(optarg, 0.1, 86400, &a->o.input.stall_seconds);
        else if (opt == 'w')
            bad |= cli_parse_number(optarg, 1, 86400, &a->o.window_seconds);
        else if (opt == 'f')
            bad |= cli_parse_number(optarg, 1, 100000, &frames);
        else if (opt == 'e')
            bad |= cli_parse_number(optarg, 0, 2, &explicit_min);
        else if (opt == 'F')
            a->o.input.allow_files = 1;
        else
            return -1;
    }
    a->o.match_frames = (size_t)frames;
    a->o.explicit_min = (float)explicit_min;
    return bad || optind != argc - 1 ? -1 : 0;
}

int cmd_watch(int argc, char **argv)
{
    watch_args a = {.model = JAGA_SOURCE_DIR "/.cache/models/nsfwjs/mobilenet_v2/model.json",
                    .classify = 1};
    jaga_stream_watch_options_default(&a.o);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return usage(stdout), CLI_OK;
    if (parse_args(argc, argv, &a) != 0)
        return usage(stderr), CLI_USAGE;
    jaga_ctx *ctx = NULL;
    jaga_pdq_hasher *hasher = NULL;
    jaga_nn_model *model = NULL;
    watch_run run = {0};
    int rc = CLI_USAGE;
    if (jaga_ctx_open(&ctx) != JAGA_OK || jaga_pdq_hasher_open(&hasher) != JAGA_OK)
        goto out;
    if (!(run.store = cli_store_open("watch", a.db, ctx)))
        goto out;
    if (jaga_matcher_open(ctx, run.store, NULL, &run.matcher) != JAGA_OK ||
        (a.classify && (jaga_nn_model_load(ctx, a.model, NULL, &model) != JAGA_OK ||
                        jaga_nn_runner_open(ctx, model, &a.o.classifier) != JAGA_OK))) {
        fprintf(stderr, "jaga watch: %s\n", jaga_errmsg(ctx));
        goto out;
    }
    a.o.matcher = run.matcher;
    a.o.event = on_event;
    a.o.event_arg = &run;
    a.o.input.stop = should_stop;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    jaga_stream_summary sum;
    jaga_status st = jaga_stream_watch(ctx, hasher, argv[argc - 1], &a.o, &sum);
    printf("{\"event\":\"end\",\"status\":\"%s\",\"frames\":%llu,\"frames_hashed\":%zu,"
           "\"matches\":%zu,\"explicit\":%zu",
           jaga_stream_end_name(sum.end), (unsigned long long)sum.info.frames, sum.frames_hashed,
           sum.matches, sum.explicit_events);
    if (st != JAGA_OK) {
        printf(",\"error\":");
        cli_json_string(stdout, jaga_errmsg(ctx));
    }
    printf("}\n");
    rc = st != JAGA_OK ? CLI_USAGE : sum.matches + sum.explicit_events ? CLI_OK : CLI_FAILED;
out:
    jaga_nn_runner_free(a.o.classifier);
    jaga_nn_model_free(model);
    jaga_matcher_free(run.matcher);
    jaga_store_free(run.store);
    jaga_pdq_hasher_free(hasher);
    jaga_ctx_free(ctx);
    fflush(stdout);
    return rc;
}
