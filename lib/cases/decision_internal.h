/* Internal: one decision on its way through the store, shared by its checks and its effects. */
#ifndef JAGA_DECISION_INTERNAL_H
#define JAGA_DECISION_INTERNAL_H

#include "jaga/cases.h"

enum { DECISION_CHANGES_MAX = 64, DECISION_COUNTRIES_MAX = 16 };

typedef struct decision_run {
    jaga_decision *d;
    jaga_case c;
    int everywhere; /* platform-wide: every jurisdiction (remove, d->everywhere, a "*" case) */
    /* Where it acts: the countries named, else (a local decision) the case's jurisdiction;
     * none for a platform-wide decision naming no country. */
    char scopes[DECISION_COUNTRIES_MAX][3];
    size_t nscopes, ncountries;
    jaga_case_source *sources; /* the case's, to tell its own restrictions from others' */
    size_t nsources;
    jaga_restriction lifted[DECISION_CHANGES_MAX], added[DECISION_CHANGES_MAX];
    size_t nlifted, nadded;
    /* Provisional holds everywhere of this case's rules that a local decision leaves in force
     * elsewhere: they go on to the content's platform-wide case. */
    jaga_restriction kept[DECISION_CHANGES_MAX];
    size_t nkept;
    int held_everywhere;         /* some provisional hold everywhere is in force on the content */
    int64_t lift_decision;       /* appeals: the decision whose restrictions end */
    jaga_visibility_map *before; /* the content's restrictions before the decision */
    jaga_decision_result result; /* its effect */
} decision_run;

/* The effect: jaga__effect_before reads the content's restrictions before any change (into
 * run->before); jaga__effect_after, once the changes are in the store's transaction, compares what
 * viewers see in each place (into run->result) and frees what jaga__effect_before made. */
jaga_status jaga__effect_before(jaga_ctx *ctx, const jaga_review *rv, decision_run *run);
jaga_status jaga__effect_after(jaga_ctx *ctx, const jaga_review *rv, decision_run *run);

/* Whether a review decision fits its case: the action, the countries within the case's
 * jurisdiction (or a platform-wide decision by a team whose remit is everywhere), the ground,
 * a legal reference of every country it acts in, the category. Fills the run's scopes. */
jaga_status jaga__decision_check_review(jaga_ctx *ctx, const jaga_review *rv, decision_run *run);

/* Whether the ref ("rule:ID", "notice:ID") is one of the case's sources. */
int jaga__decision_own_source(const decision_run *run, const char *ref);

#endif
