/* GET /compliance/{cc}[?content=ID]: the landing page for viewers in a country, public (no
 * key): a withheld viewer's browser follows landing_url here. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "compliance_page.h"
#include "http.h"

static page_state state_of(const jaga_visibility_answer *a)
{
    if (a->country_block)
        return PAGE_SERVICE_WITHHELD;
    switch (a->visibility) {
    case JAGA_VIS_ALLOW:
        return PAGE_AVAILABLE;
    case JAGA_VIS_WITHHELD:
        return PAGE_WITHHELD;
    case JAGA_VIS_REMOVED:
        return PAGE_REMOVED;
    default:
        return PAGE_OTHER;
    }
}

static void compliance(server_state *s, http_request *req, http_response *r)
{
    char cc[8];
    path_segment(req->path, 1, cc, sizeof(cc));
    for (char *c = cc; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    if (!jaga_country_known(cc)) {
        respond_error(r, 404, "not_found", "no compliance page for %s", cc);
        return;
    }
    const char *content = request_arg(req, "content");
    if (content && (!*content || strlen(content) > 256)) {
        respond_error(r, 400, "bad_request", "content is an id of 1 to 256 bytes");
        return;
    }
    const jaga_policy *p = policy_acquire(s);
    page_view v = {.country = cc,
                   .j = jaga_policy_jurisdiction(p, cc),
                   .state = PAGE_OVERVIEW,
                   .report_url = s->config->report_url,
                   .appeal_url = s->config->appeal_url};
    jaga_visibility_answer a;
    jaga_visibility_map_answer(s->visibility, content ? content : "", cc, v.j->code, &a);
    if (content || a.country_block) {
        v.state = state_of(&a);
        v.reason = a.reason;
        v.ground_terms = a.ground_terms;
        v.legal = jaga_policy_legal(p, v.j->code, a.legal_id);
    }
    char *html = compliance_page_render(s->texts, &v);
    policy_release(s);
    if (!html) {
        respond_error(r, 503, "overloaded", "no memory for the page");
        return;
    }
    free(r->body);
    r->status = 200, r->body = html, r->body_len = 0;
    r->content_type = "text/html; charset=utf-8";
    /* The page is text and its own style: nothing else may load or run in it. */
    r->csp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none';"
             " base-uri 'none'; form-action 'none'";
}

static const route table[] = {
    {"GET", "/compliance/*", PUBLIC, compliance, BODY_IN_MEMORY, RUN_INLINE, "content"},
};

const route *routes_compliance(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}
