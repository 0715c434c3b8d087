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

enum { ANSWER_MAX = 1 << 20 };

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

/* GET base + path as JSON; NULL with the reason printed. */
static json_t *fetch(const char *base, const char *path, const char *key)
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
    json_t *doc = rc == CURLE_OK && status == 200 && a.data ? json_loads(a.data, 0, NULL) : NULL;
    if (!doc)
        fprintf(stderr, "jaga audit watch: %s: %s\n", url,
                rc != CURLE_OK ? curl_easy_strerror(rc)
                : status != 200 ? "the server did not answer 200"
                                : "not JSON");
    free(a.data);
    return doc;
}

static int hex_field(json_t *doc, const char *name, uint8_t *out, size_t n)
{
    const char *text = json_string_value(json_object_get(doc, name));
    return text ? cli_parse_hex(text, out, n) : -1;
}

static int head_of(json_t *doc, jaga_tree_head *h)
{
    json_t *size = json_object_get(doc, "size"), *at = json_object_get(doc, "signed_at");
    if (!json_is_integer(size) || json_integer_value(size) < 0 || !json_is_integer(at))
        return -1;
    h->size = (uint64_t)json_integer_value(size);
    h->signed_at = (int64_t)json_integer_value(at);
    return hex_field(doc, "root", h->root, 32) | hex_field(doc, "signature", h->signature, 64);
}

static void hex_into(char *out, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static json_t *head_json(const jaga_tree_head *h)
{
    char root[65], sig[129];
    hex_into(root, h->root, 32);
    hex_into(sig, h->signature, 64);
    return json_pack("{s:I,s:s,s:I,s:s}", "size", (json_int_t)h->size, "root", root, "signed_at",
                     (json_int_t)h->signed_at, "signature", sig);
}

static void state_load(const char *path, watch_state *w)
{
    memset(w, 0, sizeof(*w));
    json_t *doc = json_load_file(path, 0, NULL);
    if (!doc)
        return;
    w->has_key = hex_field(doc, "public_key", w->key, 32) == 0;
    json_t *head = json_object_get(doc, "head");
    w->has_head = head && head_of(head, &w->head) == 0;
    json_decref(doc);
}

/* Written whole to a temporary file, then renamed over the old state. */
static int state_save(const char *path, const watch_state *w)
{
    char tmp[1100], key[65];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    hex_into(key, w->key, 32);
    json_t *doc = json_pack("{s:s,s:o}", "public_key", key, "head", head_json(&w->head));
    int ok = doc && json_dump_file(doc, tmp, JSON_COMPACT) == 0 && rename(tmp, path) == 0;
    json_decref(doc);
    if (!ok)
        fprintf(stderr, "jaga audit watch: cannot write %s\n", path);
    return ok ? 0 : -1;
}

/* The proof that old is a prefix of fresh, fetched and checked: 0 when it holds. */
static int consistent(const char *base, const char *key, const jaga_tree_head *old,
                      const jaga_tree_head *fresh)
{
    if (old->size == 0)
        return 0;
    if (old->size == fresh->size)
        return memcmp(old->root, fresh->root, 32) == 0 ? 0 : -1;
    char path[128];
    snprintf(path, sizeof(path), "/v1/audit/proof/consistency?from=%llu&to=%llu",
             (unsigned long long)old->size, (unsigned long long)fresh->size);
    json_t *doc = fetch(base, path, key);
    json_t *list = json_object_get(doc, "proof");
    uint8_t proof[JAGA_MERKLE_LEVELS][JAGA_MERKLE_HASH];
    size_t n = json_array_size(list);
    int ok = doc && json_is_array(list) && n <= JAGA_MERKLE_LEVELS;
    for (size_t i = 0; ok && i < n; i++) {
        const char *text = json_string_value(json_array_get(list, i));
        ok = text && cli_parse_hex(text, proof[i], JAGA_MERKLE_HASH) == 0;
    }
    ok = ok && jaga_merkle_verify_consistency(old->size, fresh->size, old->root, fresh->root,
                                              (const uint8_t(*)[JAGA_MERKLE_HASH])proof, n);
    json_decref(doc);
    return ok ? 0 : -1;
}

/* One look at the log: 0 fine, 1 an alert (printed), -1 the server could not be read. */
static int look(const char *base, const char *key, const char *state_path, watch_state *w)
{
    json_t *doc = fetch(base, "/v1/audit/key", NULL);
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
    doc = fetch(base, "/v1/audit/head", key);
    int bad_head = !doc || head_of(doc, &h) != 0;
    json_decref(doc);
    if (bad_head)
        return -1;
    char root[65];
    hex_into(root, h.root, 32);
    if (!jaga_tree_head_check(pub, &h)) {
        printf("ALERT: the head of size %llu has a bad signature\n", (unsigned long long)h.size);
        return 1;
    }
    if (w->has_head && h.size < w->head.size) {
        printf("ALERT: the log shrank from %llu to %llu leaves\n",
               (unsigned long long)w->head.size, (unsigned long long)h.size);
        return 1;
    }
    if (w->has_head && consistent(base, key, &w->head, &h) != 0) {
        printf("ALERT: the head of size %llu (root %s) is not consistent with the one of size %llu"
               " seen before: the log was rewritten\n",
               (unsigned long long)h.size, root, (unsigned long long)w->head.size);
        return 1;
    }
    printf("head %llu root %s: signature good, consistent with %llu\n",
           (unsigned long long)h.size, root, w->has_head ? (unsigned long long)w->head.size : 0ULL);
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
    watch_state w;
    state_load(state_path, &w);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = CLI_OK;
    for (;;) {
        int seen = look(base, key, state_path, &w);
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
    return rc;
}
