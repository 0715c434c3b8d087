/* The JSON bodies of the review queue's routes, parsed strictly: reports, decisions,
 * appeals. Each parser returns 0, or -1 with what is wrong in err. */
#ifndef JAGA_SERVER_REVIEW_REQUEST_H
#define JAGA_SERVER_REVIEW_REQUEST_H

#include <stddef.h>

#include "jaga/review.h"

#define REVIEW_BODY_MAX 16384
#define APPELLANT_MAX 100
#define APPEAL_TEXT_MAX 400

/* POST /v1/reports: {"content_id": "..", "category": "ncii_deepfake", "reporter_id": ".."
 * (absent: anonymous), "text": ".." (up to 2000 bytes), "reporter_ip": "203.0.113.7",
 * "country": "MY" (when there is no address), "language": "ms"}. */
typedef struct report_request {
    jaga_report report; /* content_id, reporter_id, category, text, country, language */
    char reporter_ip[64];
} report_request;

int report_request_parse(const char *body, size_t len, report_request *out, char *err,
                         size_t errlen);

/* POST /v1/cases/{id}/decision: {"action": "no_violation"|"blur"|"age_gate"|"withhold"|
 * "remove"|"uphold"|"overturn", "countries": ["MY"], "ground": "law"|"terms", "legal": "ID",
 * "category": "ncii_deepfake", "note": ".."}. */
int decision_request_parse(const char *body, size_t len, jaga_decision *out, char *err,
                           size_t errlen);

/* POST /v1/cases/{id}/appeal: {"appellant": "the uploader's id", "text": ".."}. */
typedef struct appeal_request {
    char appellant[APPELLANT_MAX + 1];
    char text[APPEAL_TEXT_MAX + 1];
} appeal_request;

int appeal_request_parse(const char *body, size_t len, appeal_request *out, char *err,
                         size_t errlen);

#endif
