/* The moderator and regulator console: static files from web_dir/console under /console/
 * (public: they hold no data; every call the console makes carries the user's key), served
 * with a Content-Security-Policy that admits only this server's scripts and styles and media
 * from the configured origins. GET /v1/me tells the console whose key it holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "jaga/core.h"

enum { CONSOLE_FILE_MAX = 1 << 20, CONSOLE_NAME_MAX = 64 };

static const struct {
    const char *suffix, *type;
} types[] = {{".html", "text/html; charset=utf-8"},
             {".js", "text/javascript; charset=utf-8"},
             {".css", "text/css; charset=utf-8"},
             {".svg", "image/svg+xml"},
             {".png", "image/png"},
             {".jpg", "image/jpeg"}};

/* The content type of a file name jaga serves, or NULL: plain names only (letters, digits,
 * '-', '_', one '.'), no paths. */
static const char *type_of(const char *name)
{
    size_t len = strlen(name), dots = 0;
    if (!len || len > CONSOLE_NAME_MAX || name[0] == '.')
        return NULL;
    for (const char *c = name; *c; c++) {
        if (*c == '.')
            dots++;
        else if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
            return NULL;
    }
    for (size_t i = 0; dots == 1 && i < sizeof(types) / sizeof(types[0]); i++) {
        size_t sl = strlen(types[i].suffix);
        if (len > sl && strcmp(name + len - sl, types[i].suffix) == 0)
            return types[i].type;
    }
    return NULL;
}

static void file(server_state *s, http_request *req, http_response *r)
{
    char name[CONSOLE_NAME_MAX + 2];
    path_segment(req->path, 1, name, sizeof(name));
    if (!name[0] && strcmp(req->path, "/console/") != 0) { /* a name too long to be one */
        respond_error(r, 404, "not_found", "no such console file");
        return;
    }
    if (!name[0])
        snprintf(name, sizeof(name), "index.html");
    const char *type = type_of(name);
    char path[1200];
    snprintf(path, sizeof(path), "%s/console/%s", s->config->web_dir, name);
    void *data = NULL;
    size_t len = 0;
    if (!type || jaga_file_read(NULL, path, CONSOLE_FILE_MAX, &data, &len) != JAGA_OK) {
        respond_error(r, 404, "not_found", "no console file %s", name);
        return;
    }
    free(r->body);
    r->status = 200, r->body = data, r->body_len = len;
    r->content_type = type;
    r->csp = s->console_csp;
}

static void me(server_state *s, http_request *req, http_response *r)
{
    (void)s;
    json_t *teams = json_array();
    char copy[sizeof(req->key.teams)], *save = NULL;
    snprintf(copy, sizeof(copy), "%s", req->key.teams);
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        json_array_append_new(teams, json_string(t));
    respond_json(r, 200,
                 json_pack("{s:s,s:s,s:s,s:s,s:o}", "prefix", req->key.prefix, "role",
                           jaga_role_name(req->key.role), "name", req->key.name, "jurisdiction",
                           req->key.jurisdiction, "teams", teams));
}

#define ANY_ROLE ((1u << JAGA_ROLE_COUNT) - 1)

static const route table[] = {
    {"GET", "/console/", PUBLIC, file, BODY_IN_MEMORY, RUN_INLINE, NULL},
    {"GET", "/console/*", PUBLIC, file, BODY_IN_MEMORY, RUN_INLINE, NULL},
    {"GET", "/v1/me", ANY_ROLE, me, BODY_IN_MEMORY, RUN_INLINE, NULL},
};

const route *routes_console(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}
