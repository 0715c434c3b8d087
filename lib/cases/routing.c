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
