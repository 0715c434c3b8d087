/* Server configuration: defaults, a JSON file, flags. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jaga/exchange.h"
#include "server.h"
#include "jaga/core.h"

void server_config_defaults(server_config *c)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->listen_host, sizeof(c->listen_host), "127.0.0.1");
    c->port = 8080;
    snprintf(c->db, sizeof(c->db), "jaga.db");
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    c->threads = cpus > 0 ? (unsigned)cpus : 1;
    c->max_connections = 256;
    c->max_connections_per_ip = 64;
    c->timeout_s = 10;
    c->request_timeout_s = 300;
    c->min_body_rate = 1024;
    c->key_cache_s = 2;
    snprintf(c->policy, sizeof(c->policy), "%s/policy/default.json", JAGA_SOURCE_DIR);
    snprintf(c->web_dir, sizeof(c->web_dir), "%s/web", JAGA_SOURCE_DIR);
    snprintf(c->report_url, sizeof(c->report_url), "/report");
    snprintf(c->appeal_url, sizeof(c->appeal_url), "/appeal");
    snprintf(c->geo_db, sizeof(c->geo_db), "%s/.cache/geo/package/geo-whois-asn-country.mmdb",
             JAGA_SOURCE_DIR);
    snprintf(c->classifier_model, sizeof(c->classifier_model),
             "%s/.cache/models/nsfwjs/mobilenet_v2/model.json", JAGA_SOURCE_DIR);
    c->max_body = (size_t)50 << 20;
    c->max_import = (size_t)2 << 30;
    c->lease_s = 900;
    c->sweep_interval_s = 15;
    c->webhook_timeout_s = 10;
    c->webhook_attempts = 12;
    c->webhook_backoff_s = 10;
    c->rate_per_key = 200;
    c->burst_per_key = 400;
    c->max_streams = 4;
    c->exchange_wait_s = 25;
    c->exchange_batch = 500;
    c->stream_stall_s = 10;
    snprintf(c->stream_hosts, sizeof(c->stream_hosts), "127.0.0.1,localhost,::1");
    jaga_decode_limits_default(&c->decode);
}

int server_config_listen(server_config *c, const char *text)
{
    const char *colon = strrchr(text, ':');
    if (!colon || colon == text || (size_t)(colon - text) >= sizeof(c->listen_host))
        return -1;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || colon[1] == '\0' || port < 0 || port > 65535)
        return -1;
    memcpy(c->listen_host, text, (size_t)(colon - text));
    c->listen_host[colon - text] = '\0';
    c->port = (unsigned)port;
    return 0;
}

/* A positive integer field, or -1 with err set. */
static int positive(json_t *v, const char *key, double *out, char *err, size_t errlen)
{
    if (!json_is_number(v) || json_number_value(v) <= 0) {
        snprintf(err, errlen, "%s must be a positive number", key);
        return -1;
    }
    *out = json_number_value(v);
    return 0;
}

/* The string field of the config named key (its capacity in *cap), or NULL. */
static char *string_field(server_config *c, const char *key, size_t *cap)
{
    struct {
        const char *name;
        char *out;
        size_t cap;
    } fields[] = {{"db", c->db, sizeof(c->db)},
                  {"index_snapshot", c->index_snapshot, sizeof(c->index_snapshot)},
                  {"policy", c->policy, sizeof(c->policy)},
                  {"geo_db", c->geo_db, sizeof(c->geo_db)},
                  {"public_url", c->public_url, sizeof(c->public_url)},
                  {"web_dir", c->web_dir, sizeof(c->web_dir)},
                  {"report_url", c->report_url, sizeof(c->report_url)},
                  {"appeal_url", c->appeal_url, sizeof(c->appeal_url)},
                  {"webhook_url", c->webhook_url, sizeof(c->webhook_url)},
                  {"media_origin", c->media_origin, sizeof(c->media_origin)},
                  {"webhook_secret_file", c->webhook_secret_file, sizeof(c->webhook_secret_file)},
                  {"audit_key_file", c->audit_key_file, sizeof(c->audit_key_file)},
                  {"classifier_model", c->classifier_model, sizeof(c->classifier_model)},
                  {"stream_hosts", c->stream_hosts, sizeof(c->stream_hosts)}};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (strcmp(key, fields[i].name) == 0) {
            *cap = fields[i].cap;
            return fields[i].out;
        }
    return NULL;
}

/* A string field into out; -1 when it is not a string or too long. */
static int path_field(json_t *v, char *out, size_t cap)
{
    if (!json_is_string(v) || strlen(json_string_value(v)) >= cap)
        return -1;
    snprintf(out, cap, "%s", json_string_value(v));
    return 0;
}

static int load_decode(server_config *c, json_t *obj, char *err, size_t errlen)
{
    const char *key;
    json_t *v;
    if (!json_is_object(obj))
        return snprintf(err, errlen, "decode must be an object"), -1;
    json_object_foreach(obj, key, v)
    {
        double d;
        if (positive(v, key, &d, err, errlen) != 0)
            return -1;
        if (strcmp(key, "max_bytes") == 0)
            c->decode.max_bytes = (size_t)d;
        else if (strcmp(key, "max_pixels") == 0)
            c->decode.max_pixels = (uint64_t)d;
        else if (strcmp(key, "max_width") == 0)
            c->decode.max_width = (uint32_t)d;
        else if (strcmp(key, "max_height") == 0)
            c->decode.max_height = (uint32_t)d;
        else
            return snprintf(err, errlen, "unknown key decode.%s", key), -1;
    }
    return 0;
}

int server_config_load(server_config *c, const char *path, char *err, size_t errlen)
{
    void *text;
    size_t len;
    jaga_ctx *ctx = NULL;
    jaga_ctx_open(&ctx);
    jaga_status st = jaga_file_read(ctx, path, SERVER_CONFIG_MAX, &text, &len);
    if (st != JAGA_OK)
        snprintf(err, errlen, "%s: %s", path, jaga_errmsg(ctx));
    jaga_ctx_free(ctx);
    if (st != JAGA_OK)
        return -1;
    int rc = server_config_parse(c, text, len, path, err, errlen);
    free(text);
    return rc;
}

int server_config_parse(server_config *c, const char *text, size_t len, const char *path, char *err,
                        size_t errlen)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return snprintf(err, errlen, "%s:%d: %s", path, jerr.line, jerr.text), -1;
    int rc = json_is_object(root) ? 0 : (snprintf(err, errlen, "%s: not an object", path), -1);
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        double d = 0;
        char *out;
        size_t cap;
        if (rc != 0)
            break;
        if (strcmp(key, "listen") == 0) {
            if (!json_is_string(v) || server_config_listen(c, json_string_value(v)) != 0)
                rc = -1, snprintf(err, errlen, "%s: listen must be \"HOST:PORT\"", path);
        } else if ((out = string_field(c, key, &cap))) {
            if (path_field(v, out, cap) != 0)
                rc = -1, snprintf(err, errlen, "%s: %s must be a string of at most %zu bytes", path,
                                  key, cap - 1);
        } else if (strcmp(key, "decode") == 0) {
            rc = load_decode(c, v, err, errlen);
        } else if (strcmp(key, "teams") == 0) {
            char why[256];
            if ((rc = server_config_teams(c, v, why, sizeof(why))) != 0)
                snprintf(err, errlen, "%s: teams: %s", path, why);
        } else if ((rc = positive(v, key, &d, err, errlen)) != 0) {
            break;
        } else if (strcmp(key, "threads") == 0) {
            c->threads = (unsigned)d;
        } else if (strcmp(key, "max_connections") == 0) {
            c->max_connections = (unsigned)d;
        } else if (strcmp(key, "max_connections_per_ip") == 0) {
            c->max_connections_per_ip = (unsigned)d;
        } else if (strcmp(key, "min_body_rate") == 0) {
            c->min_body_rate = (unsigned)d;
        } else if (strcmp(key, "timeout_s") == 0) {
            c->timeout_s = (unsigned)d;
        } else if (strcmp(key, "key_cache_s") == 0) {
            c->key_cache_s = d;
        } else if (strcmp(key, "request_timeout_s") == 0) {
            c->request_timeout_s = (unsigned)d;
        } else if (strcmp(key, "max_body_bytes") == 0) {
            c->max_body = (size_t)d;
        } else if (strcmp(key, "max_import_bytes") == 0) {
            c->max_import = (size_t)d;
        } else if (strcmp(key, "rate_per_key") == 0) {
            c->rate_per_key = d;
        } else if (strcmp(key, "burst_per_key") == 0) {
            c->burst_per_key = d;
        } else if (strcmp(key, "lease_s") == 0) {
            c->lease_s = (unsigned)d;
        } else if (strcmp(key, "sweep_interval_s") == 0) {
            c->sweep_interval_s = (unsigned)d;
        } else if (strcmp(key, "webhook_timeout_s") == 0) {
            c->webhook_timeout_s = (unsigned)d;
        } else if (strcmp(key, "webhook_attempts") == 0) {
            c->webhook_attempts = (unsigned)d;
        } else if (strcmp(key, "webhook_backoff_s") == 0) {
            c->webhook_backoff_s = (unsigned)d;
        } else if (strcmp(key, "max_streams") == 0) {
            c->max_streams = (unsigned)d;
        } else if (strcmp(key, "stream_stall_s") == 0) {
            c->stream_stall_s = d;
        } else if (strcmp(key, "exchange_wait_s") == 0 && d <= EXCHANGE_WAIT_MAX) {
            c->exchange_wait_s = (unsigned)d;
        } else if (strcmp(key, "exchange_batch") == 0 && d <= JAGA_EXCHANGE_ITEMS_MAX) {
            c->exchange_batch = (unsigned)d;
        } else if (strcmp(key, "exchange_wait_s") == 0 || strcmp(key, "exchange_batch") == 0) {
            rc = -1, snprintf(err, errlen, "%s: %s is at most %d", path, key,
                              key[9] == 'w' ? EXCHANGE_WAIT_MAX : JAGA_EXCHANGE_ITEMS_MAX);
        } else {
            rc = -1, snprintf(err, errlen, "%s: unknown key %s", path, key);
        }
    }
    json_decref(root);
    return rc;
}
