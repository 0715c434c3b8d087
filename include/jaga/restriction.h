/*
 * Restrictions: what is shown where. A restriction limits one content in one jurisdiction
 * (or everywhere) to a visibility, for a reason, on a ground (a law or the platform's
 * terms), from a source (a policy rule, a notice, a reviewer's decision). The store keeps
 * them; the visibility map answers from memory.
 */
#ifndef JAGA_RESTRICTION_H
#define JAGA_RESTRICTION_H

#include <stdint.h>

#include "jaga/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a viewer in one country gets, in increasing severity. */
typedef enum jaga_visibility {
    JAGA_VIS_ALLOW,
    JAGA_VIS_BLUR,
    JAGA_VIS_AGE_GATE,
    JAGA_VIS_WITHHELD, /* not shown in that country; the viewer gets the compliance page */
    JAGA_VIS_REMOVED,  /* gone everywhere */
    JAGA_VIS_COUNT
} jaga_visibility;

const char *jaga_visibility_name(jaga_visibility v);
jaga_status jaga_visibility_parse(const char *text, jaga_visibility *out);

#define JAGA_EVERYWHERE "*"

typedef struct jaga_restriction {
    int64_t id;
    char content_id[257];
    char scope[3]; /* a country, a jurisdiction code of the policy, or JAGA_EVERYWHERE */
    jaga_visibility visibility;
    char reason[48];   /* the reason code viewers and platforms see */
    char legal_id[48]; /* the legal reference, for a ground in law */
    char source[64];   /* "rule:ID", "notice:ID", "decision:ID" */
    int ground_terms;  /* 1: the platform's terms; 0: the law */
    int provisional;   /* machine signals only: reversible, awaiting a person */
    int automated;     /* set by a verified-bank match without a person */
    int64_t created_at;
    int64_t expires_at; /* a provisional one ends then unless a person confirms it; 0: never */
} jaga_restriction;

#ifdef __cplusplus
}
#endif
#endif
