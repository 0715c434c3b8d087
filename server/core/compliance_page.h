/* The compliance landing page that withheld viewers get: what is restricted, under which
 * law or notice, how to report more content and how to appeal, in the jurisdiction's
 * languages (its texts in web/compliance/strings.json). One self-contained HTML document:
 * inline style, no scripts, no third-party assets. */
#ifndef JAGA_SERVER_COMPLIANCE_PAGE_H
#define JAGA_SERVER_COMPLIANCE_PAGE_H

#include <jansson.h>
#include <stddef.h>

#include "jaga/policy.h"

/* Loads and checks the texts: an object of languages, each with every key "en" has, all
 * strings. NULL with what is wrong in err. */
json_t *compliance_texts_load(const char *path, char *err, size_t errlen);

typedef enum page_state {
    PAGE_OVERVIEW,         /* no content asked: the laws content may be restricted under */
    PAGE_AVAILABLE,        /* the content is not restricted there */
    PAGE_WITHHELD,         /* the content is withheld there */
    PAGE_REMOVED,          /* removed everywhere */
    PAGE_SERVICE_WITHHELD, /* the whole service is blocked there */
    PAGE_OTHER             /* blurred or age-gated: shown, with a notice */
} page_state;

typedef struct page_view {
    const char *country;        /* the viewer's country code */
    const jaga_jurisdiction *j; /* its jurisdiction under the policy */
    page_state state;
    const char *reason; /* a reason code, or "" */
    int ground_terms;
    const jaga_legal_ref *legal;         /* or NULL */
    const char *report_url, *appeal_url; /* the platform's pages */
} page_view;

/* The page (malloc'd), in the jurisdiction's languages that have texts (English always),
 * the first the document's own; NULL when out of memory. */
char *compliance_page_render(json_t *texts, const page_view *v);

#endif
