/* The "teams" of a server config: how review cases are routed to moderator teams, and the
 * teams cases can reach that no moderator key works in. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/geo.h"
#include "server.h"

/* A list of short strings into out (n of them, each cap bytes at most); check vets each. */
static int string_list(json_t *v, const char *what, char *out, size_t cap, size_t *n,
                       int (*check)(const char *), char *err, size_t errlen)
{
    if (!v)
        return 0;
    if (!json_is_array(v) || json_array_size(v) > JAGA_ROUTE_LIST_MAX)
        return snprintf(err, errlen, "%s is an array of at most %d", what, JAGA_ROUTE_LIST_MAX), -1;
    for (size_t i = 0; i < json_array_size(v); i++) {
        const char *t = json_string_value(json_array_get(v, i));
        if (!t || !*t || strlen(t) >= cap || (check && !check(t)))
            return snprintf(err, errlen, "%s[%zu] is not valid", what, i), -1;
        snprintf(out + (*n)++ * cap, cap, "%s", t);
    }
    return 0;
}

static int language_code(const char *t)
{
    return strlen(t) == 2 && t[0] >= 'a' && t[0] <= 'z' && t[1] >= 'a' && t[1] <= 'z';
}

static int team_name(json_t *v, char *out, int required)
{
    const char *t = json_string_value(v);
    if (!v)
        return required ? -1 : 0;
    if (!t || !*t || strlen(t) >= JAGA_CASE_CODE_MAX)
        return -1;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
            return -1;
    snprintf(out, JAGA_CASE_CODE_MAX, "%s", t);
    return 0;
}

int server_config_teams(server_config *c, json_t *teams, char *err, size_t errlen)
{
    static const char *const keys[] = {"team",      "lead",        "jurisdictions",
                                       "languages", "specialties", NULL};
    if (!json_is_array(teams) || json_array_size(teams) > SERVER_ROUTES_MAX)
        return snprintf(err, errlen, "an array of at most %d routes", SERVER_ROUTES_MAX), -1;
    c->nroutes = 0;
    for (size_t i = 0; i < json_array_size(teams); i++) {
        json_t *o = json_array_get(teams, i);
        jaga_route *r = &c->routes[c->nroutes];
        memset(r, 0, sizeof(*r));
        const char *key;
        json_t *v;
        if (!json_is_object(o))
            return snprintf(err, errlen, "[%zu] is not an object", i), -1;
        json_object_foreach(o, key, v)
        {
            int known = 0;
            for (const char *const *k = keys; *k; k++)
                known |= strcmp(*k, key) == 0;
            if (!known)
                return snprintf(err, errlen, "[%zu]: unknown key %s", i, key), -1;
        }
        if (team_name(json_object_get(o, "team"), r->team, 1) != 0 ||
            team_name(json_object_get(o, "lead"), r->lead, 0) != 0)
            return snprintf(err, errlen,
                            "[%zu]: team (and lead) are names of a-z, 0-9, - and _ under %d bytes",
                            i, JAGA_CASE_CODE_MAX),
                   -1;
        if (string_list(json_object_get(o, "jurisdictions"), "jurisdictions", r->jurisdictions[0],
                        sizeof(r->jurisdictions[0]), &r->njurisdictions, jaga_country_known, err,
                        errlen) != 0 ||
            string_list(json_object_get(o, "languages"), "languages", r->languages[0],
                        sizeof(r->languages[0]), &r->nlanguages, language_code, err, errlen) != 0 ||
            string_list(json_object_get(o, "specialties"), "specialties", r->specialties[0],
                        sizeof(r->specialties[0]), &r->nspecialties, NULL, err, errlen) != 0)
            return -1;
        c->nroutes++;
    }
    return 0;
}

enum { UNREACHABLE_MAX = 64 };

int server_unreachable_teams(server_state *s, jaga_store *db, json_t **out)
{
    jaga_key *keys = NULL;
    size_t nkeys = 0;
    if (jaga_store_key_list(db, NULL, &keys, &nkeys) != JAGA_OK)
        return -1;
    char teams[UNREACHABLE_MAX][JAGA_CASE_CODE_MAX];
    size_t n = jaga_routing_unreachable(&s->routing, policy_acquire(s), keys, nkeys, teams,
                                        UNREACHABLE_MAX);
    policy_release(s);
    free(keys);
    *out = json_array();
    for (size_t i = 0; i < n && i < UNREACHABLE_MAX; i++)
        json_array_append_new(*out, json_string(teams[i]));
    return 0;
}
