/* jaga audit watch URL: fetches the server's signed tree heads, checks each one's signature
 * with the key pinned at the first sight, and its consistency proof against the last head
 * seen (kept in a state file), so that a log rewritten behind the auditor's back is found. */
#include <curl/curl.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit_watch.h"
#include "cli.h"
#include "jaga/audit.h"
#include "jaga/digest.h"

enum { ANSWER_MAX = 64 * 1024 }; /* what jaga_tree_head_parse takes */

typedef struct answer {
    char *data;
    size_t len;
} answer;

typedef struct watch_state {
    int has_key, has_head;
    uint8_t key[32];
    jaga_tree_head head;
} watch_state;

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    answer *a = arg;
    size_t len = size * n;
    if (a->len + len > ANSWER_MAX)
        return 0; /* refused: too large */
    char *grown = realloc(a->data, a->len + len + 1);
    if (!grown)
        return 0;
    memcpy(grown + a->len, data, len);
    a->data = grown;
    a->len += len;
    a->data[a->len] = '\0';
    return len;
}

/* GET base + path: the answer's text (malloc'd, NUL-terminated) when it is a 200, else NULL
 * with the reason printed. */
static char *fetch(const char *base, const char *path, const char *key, size_t *len)
{
    char url[2048], auth[256];
    snprintf(url, sizeof(url), "%s%s", base, path);
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = NULL;
    if (key && snprintf(auth, sizeof(auth), "Authorization: Bearer %s", key) < (int)sizeof(auth))
        headers = curl_slist_append(headers, auth);
    answer a = {NULL, 0};
    long status = 0;
    CURLcode rc = CURLE_FAILED_INIT;
    if (curl) {
        curl_easy_setopt(curl, CURLOPT_URL, url);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &a);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        rc = curl_easy_perform(curl);
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK || status != 200 || !a.data) {
        fprintf(stderr, "jaga audit watch: %s: %s\n", url,
                rc != CURLE_OK ? curl_easy_strerror(rc) : "the server did not answer 200");
        free(a.data);
        return NULL;
    }
    *len = a.len;
    return a.data;
}

/* A head or a proof fetched and parsed: 0, or -1 with the reason printed. */
static int fetch_head(const char *base, const char *key, jaga_ctx *ctx, jaga_tree_head *h)
{
    size_t len = 0;
    char *text = fetch(base, "/v1/audit/head", key, &len);
    jaga_status st = text ? jaga_tree_head_parse(ctx, text, len, h) : JAGA_ERR_IO;
    if (text && st != JAGA_OK)
        fprintf(stderr, "jaga audit watch: %s\n", jaga_errmsg(ctx));
    free(text);
    return st == JAGA_OK ? 0 : -1;
}

static int hex_field(json_t *doc, const char *name, uint8_t *out, size_t n)
{
    const char *text = json_string_value(json_object_get(doc, name));
    return text && jaga_hex_decode(text, out, n) == JAGA_OK ? 0 : -1;
}

static json_t *head_json(const jaga_tree_head *h)
{
    char root[65], sig[129];
    jaga_hex_encode(h->root, 32, root);
    jaga_hex_encode(h->signature, 64, sig);
    return json_pack("{s:I,s:s,s:I,s:s}", "size", (json_int_t)h->size, "root", root, "signed_at",
                     (json_int_t)h->signed_at, "signature", sig);
}

static void state_load(const char *path, jaga_ctx *ctx, watch_state *w)
{
    memset(w, 0, sizeof(*w));
    json_t *doc = json_load_file(path, 0, NULL);
    if (!doc)
        return;
    w->has_key = hex_field(doc, "public_key", w->key, 32) == 0;
    char *head = json_dumps(json_object_get(doc, "head"), JSON_COMPACT);
    w->has_head = head && jaga_tree_head_parse(ctx, head, strlen(head), &w->head) == JAGA_OK;
    free(head);
    json_decref(doc);
}

/* Written whole to a temporary file, then renamed over the old state. */
static int state_save(const char *path, const watch_state *w)
{
    char tmp[1100], key[65];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    jaga_hex_encode(w->key, 32, key);
    json_t *doc = json_pack("{s:s,s:o}", "public_key", key, "head", head_json(&w->head));
    int ok = doc && json_dump_file(doc, tmp, JSON_COMPACT) == 0 && rename(tmp, path) == 0;
    json_decref(doc);
    if (!ok)
        fprintf(stderr, "jaga audit watch: cannot write %s\n", path);
    return ok ? 0 : -1;
}

/* The proof that old is a prefix of fresh, fetched and checked: 0 when it holds. */
static int consistent(const char *base, const char *key, jaga_ctx *ctx, const jaga_tree_head *old,
                      const jaga_tree_head *fresh)
{
    if (old->size == 0)
        return 0;
    if (old->size == fresh->size)
        return memcmp(old->root, fresh->root, 32) == 0 ? 0 : -1;
    char path[128];
    snprintf(path, sizeof(path), "/v1/audit/proof/consistency?from=%llu&to=%llu",
             (unsigned long long)old->size, (unsigned long long)fresh->size);
    size_t len = 0, n = 0;
    char *text = fetch(base, path, key, &len);
    uint8_t proof[JAGA_MERKLE_LEVELS][JAGA_MERKLE_HASH];
    int ok = text && jaga_audit_proof_parse(ctx, text, len, proof, &n) == JAGA_OK &&
             jaga_merkle_verify_consistency(old->size, fresh->size, old->root, fresh->root,
                                            (const uint8_t(*)[JAGA_MERKLE_HASH])proof, n);
    free(text);
    return ok ? 0 : -1;
}

/* One look at the log: 0 fine, 1 an alert (printed), -1 the server could not be read. */
static int look(const char *base, const char *key, jaga_ctx *ctx, const char *state_path,
                watch_state *w)
{
    size_t len = 0;
    char *text = fetch(base, "/v1/audit/key", NULL, &len);
    json_t *doc = text ? json_loadb(text, len, 0, NULL) : NULL;
    free(text);
    uint8_t pub[32];
    int bad_key = !doc || hex_field(doc, "public_key", pub, 32) != 0;
    json_decref(doc);
    if (bad_key)
        return -1;
    if (w->has_key && memcmp(pub, w->key, 32) != 0) {
        printf("ALERT: the log's public key changed from the one pinned in %s\n", state_path);
        return 1;
    }
    jaga_tree_head h;
    if (fetch_head(base, key, ctx, &h) != 0)
        return -1;
    char root[65];
    jaga_hex_encode(h.root, 32, root);
    if (!jaga_tree_head_check(pub, &h)) {
        printf("ALERT: the head of size %llu has a bad signature\n", (unsigned long long)h.size);
        return 1;
    }
    if (w->has_head && h.size < w->head.size) {
        printf("ALERT: the log shrank from %llu to %llu leaves\n", (unsigned long long)w->head.size,
               (unsigned long long)h.size);
        return 1;
    }
    if (w->has_head && consistent(base, key, ctx, &w->head, &h) != 0) {
        printf("ALERT: the head of size %llu (root %s) is not consistent with the one of size %llu"
               " seen before: the log was rewritten\n",
               (unsigned long long)h.size, root, (unsigned long long)w->head.size);
        return 1;
    }
    printf("head %llu root %s: signature good, consistent with %llu\n", (unsigned long long)h.size,
           root, w->has_head ? (unsigned long long)w->head.size : 0ULL);
    fflush(stdout);
    memcpy(w->key, pub, 32);
    w->has_key = 1;
    w->head = h;
    w->has_head = 1;
    return state_save(state_path, w) == 0 ? 0 : -1;
}

int audit_watch(int argc, char **argv)
{
    static const struct option longopts[] = {{"state", required_argument, NULL, 's'},
                                             {"interval", required_argument, NULL, 'i'},
                                             {"once", no_argument, NULL, 'o'},
                                             {NULL, 0, NULL, 0}};
    const char *state_path = "jaga-audit-watch.json";
    long interval = 60;
    int once = 0, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 's')
            state_path = optarg;
        else if (opt == 'i' && (interval = strtol(optarg, NULL, 10)) > 0 && interval <= 86400)
            continue;
        else if (opt == 'o')
            once = 1;
        else
            return fputs("jaga audit watch: see 'jaga audit --help'\n", stderr), CLI_USAGE;
    }
    if (optind + 1 != argc)
        return fputs("jaga audit watch: one URL\n", stderr), CLI_USAGE;
    char base[1024];
    snprintf(base, sizeof(base), "%s", argv[optind]);
    size_t len = strlen(base);
    while (len && base[len - 1] == '/')
        base[--len] = '\0';
    const char *key = getenv("JAGA_KEY");
    if (!key || !*key)
        return fputs("jaga audit watch: set JAGA_KEY to an auditor's key\n", stderr), CLI_USAGE;
    jaga_ctx *ctx = NULL;
    if (jaga_ctx_open(&ctx) != JAGA_OK)
        return CLI_FAILED;
    watch_state w;
    state_load(state_path, ctx, &w);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = CLI_OK;
    for (;;) {
        int seen = look(base, key, ctx, state_path, &w);
        if (seen == 1 || (once && seen != 0)) {
            rc = CLI_FAILED;
            break;
        }
        if (once || stop_requested)
            break;
        for (long t = 0; t < interval * 10 && !stop_requested; t++)
            usleep(100 * 1000);
        if (stop_requested)
            break;
    }
    curl_global_cleanup();
    jaga_ctx_free(ctx);
    return rc;
}
