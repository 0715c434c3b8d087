/* Routing cases to teams by jurisdiction, language and the rule's specialty. */
#include <stdio.h>
#include <string.h>

#include "jaga/cases.h"

/* Whether value is in the list (an empty list holds everything). */
static int listed(const char *list, size_t stride, size_t n, const char *value)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list + i * stride, value) == 0)
            return 1;
    return n == 0;
}

void jaga_route_case(const jaga_routing *routing, const char *jurisdiction, const char *language,
                     const char *rule_team, char team[JAGA_CASE_CODE_MAX],
                     char lead[JAGA_CASE_CODE_MAX])
{
    for (size_t i = 0; routing && i < routing->nroutes; i++) {
        const jaga_route *r = &routing->routes[i];
        if (listed(r->jurisdictions[0], sizeof(r->jurisdictions[0]), r->njurisdictions,
                   jurisdiction) &&
            listed(r->languages[0], sizeof(r->languages[0]), r->nlanguages, language) &&
            listed(r->specialties[0], sizeof(r->specialties[0]), r->nspecialties, rule_team)) {
            snprintf(team, JAGA_CASE_CODE_MAX, "%s", r->team);
            if (r->lead[0])
                snprintf(lead, JAGA_CASE_CODE_MAX, "%s", r->lead);
            else
                snprintf(lead, JAGA_CASE_CODE_MAX, "%.42s-lead", r->team);
            return;
        }
    }
    snprintf(team, JAGA_CASE_CODE_MAX, "%s", rule_team && *rule_team ? rule_team : "global");
    snprintf(lead, JAGA_CASE_CODE_MAX, "%.42s-lead", team);
}

/* Whether team works route r, as its team or its lead (named, or TEAM-lead by default). */
static int works(const jaga_route *r, const char *team, size_t len)
{
    char lead[JAGA_CASE_CODE_MAX];
    if (r->lead[0])
        snprintf(lead, sizeof(lead), "%s", r->lead);
    else
        snprintf(lead, sizeof(lead), "%.42s-lead", r->team);
    return (strlen(r->team) == len && strncmp(r->team, team, len) == 0) ||
           (strlen(lead) == len && strncmp(lead, team, len) == 0);
}

/* Whether one team (its name the len bytes at team) may decide in jurisdiction. */
static int team_remit(const jaga_routing *routing, const char *team, size_t len,
                      const char *jurisdiction)
{
    int named = 0;
    for (size_t i = 0; routing && i < routing->nroutes; i++) {
        const jaga_route *r = &routing->routes[i];
        if (!works(r, team, len))
            continue;
        named = 1;
        if (!r->njurisdictions)
            return 1;
        if (strcmp(jurisdiction, JAGA_EVERYWHERE) != 0 &&
            listed(r->jurisdictions[0], sizeof(r->jurisdictions[0]), r->njurisdictions,
                   jurisdiction))
            return 1;
    }
    return !named;
}

int jaga_route_remit(const jaga_routing *routing, const char *teams, const char *jurisdiction)
{
    while (teams && *teams) {
        size_t len = strcspn(teams, ",");
        if (len && team_remit(routing, teams, len, jurisdiction))
            return 1;
        teams += len + (teams[len] == ',');
    }
    return 0;
}

/* Whether a moderator key in force works in team. */
static int held(const jaga_key *keys, size_t nkeys, const char *team)
{
    size_t len = strlen(team);
    for (size_t i = 0; i < nkeys; i++) {
        if (keys[i].role != JAGA_ROLE_MODERATOR || keys[i].revoked_at)
            continue;
        for (const char *t = keys[i].teams; *t;) {
            size_t n = strcspn(t, ",");
            if (n == len && strncmp(t, team, len) == 0)
                return 1;
            t += n + (t[n] == ',');
        }
    }
    return 0;
}

/* Adds team (and, when lead, TEAM-lead) to out unless held or listed already. */
static void note_team(const char *team, const jaga_key *keys, size_t nkeys,
                      char (*out)[JAGA_CASE_CODE_MAX], size_t cap, size_t *n)
{
    if (!team[0] || held(keys, nkeys, team))
        return;
    for (size_t i = 0; i < *n && i < cap; i++)
        if (strcmp(out[i], team) == 0)
            return;
    if (*n < cap)
        snprintf(out[*n], JAGA_CASE_CODE_MAX, "%s", team);
    (*n)++;
}

static void note_with_lead(const char *team, const char *lead, const jaga_key *keys, size_t nkeys,
                           char (*out)[JAGA_CASE_CODE_MAX], size_t cap, size_t *n)
{
    char fallback[JAGA_CASE_CODE_MAX];
    snprintf(fallback, sizeof(fallback), "%.42s-lead", team);
    note_team(team, keys, nkeys, out, cap, n);
    note_team(lead && lead[0] ? lead : fallback, keys, nkeys, out, cap, n);
}

size_t jaga_routing_unreachable(const jaga_routing *routing, const jaga_policy *policy,
                                const jaga_key *keys, size_t nkeys, char (*out)[JAGA_CASE_CODE_MAX],
                                size_t cap)
{
    size_t n = 0;
    int catch_all = 0;
    for (size_t i = 0; routing && i < routing->nroutes; i++) {
        const jaga_route *r = &routing->routes[i];
        note_with_lead(r->team, r->lead, keys, nkeys, out, cap, &n);
        catch_all |= !r->njurisdictions && !r->nlanguages && !r->nspecialties;
    }
    if (catch_all)
        return n;
    size_t nrules = 0;
    const jaga_rule *rules = policy ? jaga_policy_rules(policy, &nrules) : NULL;
    for (size_t i = 0; i < nrules; i++)
        if (rules[i].review || rules[i].visibility != JAGA_VIS_ALLOW)
            note_with_lead(rules[i].team[0] ? rules[i].team : "global", NULL, keys, nkeys, out, cap,
                           &n);
    note_with_lead("global", NULL, keys, nkeys, out, cap, &n);
    return n;
}
