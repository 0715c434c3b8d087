/* bench/exchange: the time from banking a hash at one node to its first match at another,
 * against the time to a match at the node that banked it, both measured in this process.
 *
 *   bench_exchange BANK_URL BANK_KEY BANK SEE_URL SEE_KEY RATE SECONDS SEED
 *
 * Banks RATE new PDQ hashes a second on a fixed schedule (POST BANK_URL/v1/banks/BANK/entries,
 * one te line each) for SECONDS, while a second thread asks SEE_URL's /v1/lookup for every
 * hash banked and not yet seen, round after round, keep-alive. Prints
 * "n p50_ms p99_ms max_ms lookup_ms" (lookup_ms: one lookup's mean time; a hash waits for the
 * lookups of those banked before it, so the resolution is a few of them). */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct sample {
    char hex[65];
    double banked; /* when its request was sent; 0 before */
    double seen;   /* when a lookup first matched it; 0 before */
} sample;

static sample *samples;
static size_t total;
static volatile size_t banked; /* samples[0..banked) are banked (or being) */
static volatile int banking_done;
static const char *bank_url, *bank_key, *bank_name, *see_url, *see_key;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static size_t keep(char *data, size_t size, size_t n, void *arg)
{
    char *buf = arg;
    size_t len = strlen(buf), add = size * n;
    if (len + add < 4096) {
        memcpy(buf + len, data, add);
        buf[len + add] = '\0';
    }
    return size * n;
}

/* A POST; 1 when it answered 200 with a body holding want (NULL: any 200). */
static int post(CURL *curl, const char *url, const char *key, const char *type, const char *body,
                const char *want)
{
    char auth[160], content[64], answer[4096] = "";
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", key);
    snprintf(content, sizeof(content), "Content-Type: %s", type);
    struct curl_slist *h = curl_slist_append(curl_slist_append(NULL, auth), content);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, answer);
    long status = 0;
    int ok = curl_easy_perform(curl) == CURLE_OK &&
             curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK &&
             status == 200 && (!want || strstr(answer, want));
    curl_slist_free_all(h);
    return ok;
}

static void *bank_all(void *arg)
{
    double rate = *(double *)arg, start = now();
    CURL *curl = curl_easy_init();
    char url[512], body[128];
    snprintf(url, sizeof(url), "%s/v1/banks/%s/entries?format=te", bank_url, bank_name);
    for (size_t i = 0; i < total; i++) {
        double due = start + (double)i / rate, wait = due - now();
        if (wait > 0) {
            struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
            nanosleep(&ts, NULL);
        }
        snprintf(body, sizeof(body), "pdq %s\n", samples[i].hex);
        samples[i].banked = now();
        banked = i + 1;
        if (!post(curl, url, bank_key, "text/plain", body, NULL)) {
            fprintf(stderr, "bench_exchange: banking %zu failed\n", i);
            exit(1);
        }
    }
    banking_done = 1;
    curl_easy_cleanup(curl);
    return NULL;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc != 9) {
        fprintf(stderr, "usage: bench_exchange BANK_URL BANK_KEY BANK SEE_URL SEE_KEY RATE SECONDS "
                        "SEED\n");
        return 2;
    }
    bank_url = argv[1], bank_key = argv[2], bank_name = argv[3];
    see_url = argv[4], see_key = argv[5];
    double rate = atof(argv[6]), seconds = atof(argv[7]);
    srand((unsigned)atoi(argv[8]));
    total = (size_t)(rate * seconds);
    samples = calloc(total, sizeof(*samples));
    if (!samples || rate <= 0 || total == 0)
        return 2;
    for (size_t i = 0; i < total; i++)
        for (int c = 0; c < 64; c++)
            samples[i].hex[c] = "0123456789abcdef"[rand() & 15];
    curl_global_init(CURL_GLOBAL_DEFAULT);
    pthread_t banker;
    pthread_create(&banker, NULL, bank_all, &rate);
    CURL *curl = curl_easy_init();
    char url[512], body[160];
    snprintf(url, sizeof(url), "%s/v1/lookup", see_url);
    size_t seen = 0, first_unseen = 0, lookups = 0;
    double lookup_time = 0, deadline = 0;
    while (seen < total) {
        size_t upto = banked;
        for (size_t i = first_unseen; i < upto; i++) {
            if (samples[i].seen)
                continue;
            snprintf(body, sizeof(body), "{\"pdq\":[\"%s\"]}", samples[i].hex);
            double t0 = now();
            int hit = post(curl, url, see_key, "application/json", body, "\"entry_id\"");
            double t1 = now();
            lookup_time += t1 - t0, lookups++;
            if (hit) {
                samples[i].seen = t1;
                seen++;
            }
        }
        while (first_unseen < upto && samples[first_unseen].seen)
            first_unseen++;
        if (first_unseen == upto) { /* nothing waits: no spinning beside the servers */
            struct timespec pause = {0, 100000};
            nanosleep(&pause, NULL);
        }
        if (banking_done && !deadline)
            deadline = now() + 30;
        if (deadline && now() > deadline) {
            fprintf(stderr, "bench_exchange: %zu of %zu hashes never matched\n", total - seen,
                    total);
            return 1;
        }
    }
    double lookup_ms = lookups ? lookup_time / (double)lookups * 1e3 : 0;
    pthread_join(banker, NULL);
    double *lat = malloc(total * sizeof(double)), max = 0;
    for (size_t i = 0; i < total; i++) {
        lat[i] = (samples[i].seen - samples[i].banked) * 1e3;
        max = lat[i] > max ? lat[i] : max;
    }
    qsort(lat, total, sizeof(double), by_value);
    printf("%zu %.2f %.2f %.2f %.2f\n", total, lat[total / 2], lat[(size_t)(0.99 * (double)total)],
           max, lookup_ms);
    free(lat);
    free(samples);
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    return 0;
}
