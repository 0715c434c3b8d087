/* Statements of reasons for what jaga did without a person: a verified-bank match's removal
 * (automated fully) and the provisional holds of machine signals and reports (automated
 * partially, a person's review to come). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case_internal.h"
#include "jaga/core.h"

static const jaga_rule *rule_of(const jaga_policy *policy, const char *source)
{
    size_t n;
    const jaga_rule *rules = jaga_policy_rules(policy, &n);
    for (size_t i = 0; strncmp(source, "rule:", 5) == 0 && i < n; i++)
        if (strcmp(rules[i].id, source + 5) == 0)
            return &rules[i];
    return NULL;
}

/* The category a rule's restriction stands for: the report's, the matched entry's category
 * label, the rule's reason when it is one, else "other". */
static const jaga_category *category_of(const jaga_rule *rule, const jaga_restriction *r,
                                        const char *report_category)
{
    const jaga_category *cat = report_category ? jaga_category_find(report_category) : NULL;
    if (!cat && rule->when == JAGA_WHEN_BANK_LABEL && strncmp(rule->value, "category=", 9) == 0)
        cat = jaga_category_find(rule->value + 9);
    if (!cat)
        cat = jaga_category_find(r->reason);
    return cat ? cat : jaga_category_find("other");
}

jaga_status jaga__statements_automated(jaga_ctx *ctx, const jaga_review *rv,
                                       const jaga_restriction *r, size_t n, const char *source_type,
                                       const char *category)
{
    if (!n)
        return JAGA_OK;
    /* One scan's or report's restrictions are of one content: its record read once. */
    jaga_content content;
    int scanned = 0;
    char *body = malloc(JAGA_STATEMENT_MAX);
    jaga_status st = body ? jaga__statement_content(ctx, rv, r[0].content_id, &content, &scanned)
                          : jaga_fail(ctx, JAGA_ERR_NOMEM, "statement: no memory");
    for (size_t i = 0; st == JAGA_OK && i < n; i++) {
        const jaga_rule *rule = rule_of(rv->policy, r[i].source);
        if (!rule || r[i].visibility == JAGA_VIS_ALLOW)
            continue;
        const jaga_legal_ref *l = jaga_policy_legal(rv->policy, r[i].scope, r[i].legal_id);
        char facts[512], puid[48];
        snprintf(facts, sizeof(facts), "%s by rule %s of policy %s: %s", r[i].reason, rule->id,
                 jaga_policy_version(rv->policy),
                 r[i].automated ? "a match in a verified hash bank, applied without a person"
                                : "held provisionally until a person reviews it");
        snprintf(puid, sizeof(puid), "jaga-r-%lld", (long long)r[i].id);
        statement_facts f = {
            .visibility = r[i].visibility,
            .category = category_of(rule, &r[i], category),
            .ground_terms = r[i].ground_terms,
            .legal_citation = l ? l->citation : r[i].legal_id,
            .facts = facts,
            .source_type = source_type,
            .automated_detection = jaga__machine_rule(rv->policy, rule->id),
            .automated_decision =
                r[i].automated ? "AUTOMATED_DECISION_FULLY" : "AUTOMATED_DECISION_PARTIALLY",
            .places = r[i].scope,
            .content_id = r[i].content_id,
            .scanned = scanned ? &content : NULL,
            .applied_at = r[i].created_at ? r[i].created_at : jaga__review_now(rv),
            .puid = puid,
        };
        st = jaga__statement_make(ctx, rv, &f, body);
    }
    free(body);
    return st;
}
