/* jaga hash: PDQ (and digests) of image files, in parallel, printed in input order. */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "jaga/jaga.h"
#include "path_list.h"
#include "jaga/core.h"

typedef enum { FORMAT_CSV, FORMAT_JSON, FORMAT_JSONL } output_format;

typedef struct hash_result {
    int done;
    jaga_status status;
    char *error; /* when status != JAGA_OK */
    jaga_signals signals;
} hash_result;

typedef struct hash_job {
    const path_list *files;
    jaga_signal_options options;
    jaga_decode_limits limits;
    hash_result *results;
    size_t next; /* next file to take, under lock */
    pthread_mutex_t lock;
    pthread_cond_t finished;
} hash_job;

static void hash_one(hash_job *job, jaga_ctx *ctx, jaga_pdq_hasher *hasher, size_t i,
                     hash_result *r)
{
    void *data = NULL;
    size_t len = 0;
    r->status = jaga_file_read(ctx, job->files->paths[i], job->limits.max_bytes, &data, &len);
    if (r->status == JAGA_OK)
        r->status = jaga_signals_compute(ctx, hasher, data, len, &job->options, &r->signals);
    if (r->status != JAGA_OK)
        r->error = strdup(*jaga_errmsg(ctx) ? jaga_errmsg(ctx) : jaga_status_str(r->status));
    free(data);
}

static void *worker(void *arg)
{
    hash_job *job = arg;
    jaga_ctx *ctx = NULL;
    jaga_pdq_hasher *hasher = NULL;
    int ready = jaga_ctx_open(&ctx) == JAGA_OK && jaga_pdq_hasher_open(&hasher) == JAGA_OK;
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t i = job->next++;
        pthread_mutex_unlock(&job->lock);
        if (i >= job->files->count)
            break;
        hash_result r = {0};
        if (ready)
            hash_one(job, ctx, hasher, i, &r);
        else
            r.status = JAGA_ERR_NOMEM, r.error = NULL;
        r.done = 1;
        pthread_mutex_lock(&job->lock);
        job->results[i] = r;
        pthread_cond_broadcast(&job->finished);
        pthread_mutex_unlock(&job->lock);
    }
    jaga_pdq_hasher_free(hasher);
    jaga_ctx_free(ctx);
    return NULL;
}

static void print_csv(const jaga_signals *s, int dihedral, const char *path)
{
    char hex[JAGA_PDQ_HEX_LEN + 1];
    jaga_pdq_to_hex(&s->pdq.hash[JAGA_DIH_ORIG], hex);
    printf("%s,%d,", hex, s->pdq.quality);
    for (int d = JAGA_DIH_ROT90; dihedral && d < JAGA_DIH_COUNT; d++) {
        jaga_pdq_to_hex(&s->pdq.hash[d], hex);
        printf("%s,", hex);
    }
    cli_csv_field(stdout, path);
    putchar('\n');
}

static void print_json(const jaga_signals *s, int dihedral, const char *path)
{
    char hex[JAGA_PDQ_HEX_LEN + 1], sha[65], md5[33];
    jaga_pdq_to_hex(&s->pdq.hash[JAGA_DIH_ORIG], hex);
    jaga_hex_encode(s->digests.sha256, sizeof(s->digests.sha256), sha);
    jaga_hex_encode(s->digests.md5, sizeof(s->digests.md5), md5);
    fputs("{\"path\":", stdout);
    cli_json_string(stdout, path);
    printf(",\"pdq\":\"%s\",\"quality\":%d,\"sha256\":\"%s\",\"md5\":\"%s\",\"width\":%u,"
           "\"height\":%u,\"format\":\"%s\"",
           hex, s->pdq.quality, sha, md5, s->width, s->height, s->format);
    if (dihedral) {
        fputs(",\"dihedral\":{", stdout);
        for (int d = JAGA_DIH_ROT90; d < JAGA_DIH_COUNT; d++) {
            jaga_pdq_to_hex(&s->pdq.hash[d], hex);
            printf("%s\"%s\":\"%s\"", d > JAGA_DIH_ROT90 ? "," : "",
                   jaga_dihedral_name((jaga_dihedral)d), hex);
        }
        putchar('}');
    }
    putchar('}');
}

/* Prints results in input order as they complete. Returns the number of failed files. */
static size_t print_results(hash_job *job, output_format format)
{
    size_t failed = 0, printed = 0;
    if (format == FORMAT_JSON)
        fputs("[", stdout);
    for (size_t i = 0; i < job->files->count; i++) {
        pthread_mutex_lock(&job->lock);
        while (!job->results[i].done)
            pthread_cond_wait(&job->finished, &job->lock);
        hash_result r = job->results[i];
        pthread_mutex_unlock(&job->lock);
        const char *path = job->files->paths[i];
        if (r.status != JAGA_OK) {
            fflush(stdout);
            fprintf(stderr, "jaga hash: %s: %s\n", path, r.error ? r.error : "out of memory");
            free(r.error);
            failed++;
            continue;
        }
        if (format == FORMAT_CSV) {
            print_csv(&r.signals, job->options.dihedral, path);
            continue;
        }
        if (format == FORMAT_JSON)
            fputs(printed ? ",\n" : "\n", stdout);
        print_json(&r.signals, job->options.dihedral, path);
        if (format == FORMAT_JSONL)
            putchar('\n');
        printed++;
    }
    if (format == FORMAT_JSON)
        fputs(printed ? "\n]\n" : "]\n", stdout);
    return failed;
}

static void usage(FILE *out)
{
    fputs("usage: jaga hash [--dihedral] [--format csv|json|jsonl] [-j N]\n"
          "                 [--max-bytes N] [--max-pixels N] [--max-width N] [--max-height N]\n"
          "                 FILE|DIR|- ...\n"
          "PDQ hashes of images. csv prints hash,quality,path (with --dihedral the 7 other\n"
          "dihedral hashes come before path); json and jsonl add sha256, md5, width, height.\n"
          "DIR is walked recursively in name order; - reads paths from standard input.\n",
          out);
}

static long online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? n : 1;
}

/* Parses the options into job and *format; returns the index of the first path, or -1. */
static int parse_options(int argc, char **argv, hash_job *job, output_format *format, long *threads)
{
    enum { OPT_MAX_BYTES = 256, OPT_MAX_PIXELS, OPT_MAX_WIDTH, OPT_MAX_HEIGHT, OPT_DIHEDRAL };
    static const struct option longopts[] = {
        {"dihedral", no_argument, NULL, OPT_DIHEDRAL},
        {"format", required_argument, NULL, 'f'},
        {"jobs", required_argument, NULL, 'j'},
        {"max-bytes", required_argument, NULL, OPT_MAX_BYTES},
        {"max-pixels", required_argument, NULL, OPT_MAX_PIXELS},
        {"max-width", required_argument, NULL, OPT_MAX_WIDTH},
        {"max-height", required_argument, NULL, OPT_MAX_HEIGHT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    unsigned long long v;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:j:h", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_DIHEDRAL:
            job->options.dihedral = 1;
            break;
        case 'f':
            if (strcmp(optarg, "csv") == 0)
                *format = FORMAT_CSV;
            else if (strcmp(optarg, "json") == 0)
                *format = FORMAT_JSON;
            else if (strcmp(optarg, "jsonl") == 0)
                *format = FORMAT_JSONL;
            else
                return fprintf(stderr, "jaga hash: unknown format '%s'\n", optarg), -1;
            break;
        case 'j':
            if (cli_parse_size(optarg, 0, &v) != 0 || v < 1 || v > 1024)
                return fprintf(stderr, "jaga hash: -j wants 1..1024\n"), -1;
            *threads = (long)v;
            break;
        case OPT_MAX_BYTES:
        case OPT_MAX_PIXELS:
        case OPT_MAX_WIDTH:
        case OPT_MAX_HEIGHT:
            if (cli_parse_size(optarg, opt == OPT_MAX_BYTES, &v) != 0 || v == 0 ||
                (opt >= OPT_MAX_WIDTH && v > UINT32_MAX))
                return fprintf(stderr, "jaga hash: bad limit '%s'\n", optarg), -1;
            if (opt == OPT_MAX_BYTES)
                job->limits.max_bytes = (size_t)v;
            else if (opt == OPT_MAX_PIXELS)
                job->limits.max_pixels = v;
            else if (opt == OPT_MAX_WIDTH)
                job->limits.max_width = (uint32_t)v;
            else
                job->limits.max_height = (uint32_t)v;
            break;
        case 'h':
            usage(stdout);
            exit(CLI_OK);
        default:
            usage(stderr);
            return -1;
        }
    }
    if (optind >= argc)
        return usage(stderr), -1;
    return optind;
}

int cmd_hash(int argc, char **argv)
{
    hash_job job = {0};
    output_format format = FORMAT_CSV;
    long threads = online_cpus();
    jaga_decode_limits_default(&job.limits);
    int first = parse_options(argc, argv, &job, &format, &threads);
    if (first < 0)
        return CLI_USAGE;
    job.options.limits = &job.limits;
    job.options.digests = format != FORMAT_CSV;

    path_list files = {0};
    for (int i = first; i < argc; i++)
        if (path_list_add(&files, "hash", argv[i]) != 0) {
            fprintf(stderr, "jaga hash: out of memory listing files\n");
            path_list_free(&files);
            return CLI_FAILED;
        }
    job.files = &files;
    job.results = calloc(files.count ? files.count : 1, sizeof(*job.results));
    if (!job.results) {
        path_list_free(&files);
        return CLI_FAILED;
    }
    pthread_mutex_init(&job.lock, NULL);
    pthread_cond_init(&job.finished, NULL);
    if ((size_t)threads > files.count)
        threads = files.count ? (long)files.count : 1;
    pthread_t *tids = calloc((size_t)threads, sizeof(*tids));
    long started = 0;
    while (tids && started < threads && pthread_create(&tids[started], NULL, worker, &job) == 0)
        started++;
    size_t failed = files.errors;
    if (started == 0) {
        fprintf(stderr, "jaga hash: cannot start worker threads\n");
        failed++;
    } else {
        failed += print_results(&job, format);
    }
    for (long t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    free(tids);
    fflush(stdout);
    pthread_cond_destroy(&job.finished);
    pthread_mutex_destroy(&job.lock);
    free(job.results);
    path_list_free(&files);
    return failed ? CLI_FAILED : CLI_OK;
}
