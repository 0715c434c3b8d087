/*
 * The report taxonomy: the categories people and trusted flaggers report content under,
 * grouped (sexual, minors, scams, hate, violence, other), each mapped to the DSA
 * Transparency Database's statement category and category specification, so that a decision
 * on a report carries the right statement of reasons. Policies name these codes in report
 * rules and category deadlines (a group name covers its categories).
 */
#ifndef JAGA_TAXONOMY_H
#define JAGA_TAXONOMY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jaga_category {
    const char *code;              /* e.g. "ncii_deepfake" */
    const char *group;             /* sexual, minors, scams, hate, violence, other */
    const char *label;             /* English, for people */
    const char *dsa_category;      /* e.g. "STATEMENT_CATEGORY_CYBER_VIOLENCE" */
    const char *dsa_specification; /* e.g. "KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE" */
    int priority;                  /* 1 (most urgent) .. 5, for a case it opens */
    int deepfake; /* synthetic media of a real person: rapid review where flagged */
} jaga_category;

/* The category with that code, or NULL. */
const jaga_category *jaga_category_find(const char *code);

/* Every category, in the taxonomy's order. */
const jaga_category *jaga_categories(size_t *n);

/* Whether name is a group of the taxonomy. */
int jaga_category_group_known(const char *name);

#ifdef __cplusplus
}
#endif
#endif
