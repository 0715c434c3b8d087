/* libFuzzer target: the JSON bodies of the review queue: reports, decisions, appeals. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "jaga/taxonomy.h"
#include "review_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static report_request report;
    static jaga_decision decision;
    appeal_request appeal;
    char err[256];
    const char *body = (const char *)data;
    if (report_request_parse(body, size, &report, err, sizeof(err)) == 0 &&
        (!report.report.content_id[0] || !jaga_category_find(report.report.category) ||
         strlen(report.report.text) > JAGA_REPORT_TEXT_MAX))
        __builtin_trap();
    if (decision_request_parse(body, size, &decision, err, sizeof(err)) == 0 && !decision.action[0])
        __builtin_trap();
    if (appeal_request_parse(body, size, &appeal, err, sizeof(err)) == 0 &&
        (!appeal.appellant[0] || strlen(appeal.text) > APPEAL_TEXT_MAX))
        __builtin_trap();
    return 0;
}
