/*
 * Cases: the review queue. One case per content and jurisdiction under review gathers its
 * sources of that jurisdiction (policy rules that fired on a scan, regulators' notices, user
 * reports), carries the earliest
 * deadline that applies, sits in its team's queue (routing by jurisdiction, language and the
 * rule's specialty), is claimed by one moderator at a time under a lease, and is decided by a
 * person: the decision updates the restrictions (store, then the visibility map), completes
 * the notice items it covers, records a statement of reasons and queues a webhook to the
 * platform, all in one store transaction. A sweeper escalates what is past its deadline and
 * ends provisional actions nobody confirmed.
 *
 * Every function here that changes the store does it in one transaction and brings memory
 * (the matcher, the visibility map) after the commit, before it returns. Callers serialize
 * them with every other bank change, so that the matcher sees changes in the store's order.
 */
#ifndef JAGA_CASES_H
#define JAGA_CASES_H

#include <stddef.h>

#include "jaga/auth.h"
#include "jaga/matcher.h"
#include "jaga/policy.h"
#include "jaga/store.h"
#include "jaga/taxonomy.h"
#include "jaga/visibility.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { JAGA_ROUTE_LIST_MAX = 16 };

/* One routing rule: cases whose jurisdiction, language and rule team are in its lists (an
 * empty list matches anything) go to team; escalations go to lead. */
typedef struct jaga_route {
    char team[JAGA_CASE_CODE_MAX], lead[JAGA_CASE_CODE_MAX];
    char jurisdictions[JAGA_ROUTE_LIST_MAX][3];
    size_t njurisdictions;
    char languages[JAGA_ROUTE_LIST_MAX][4];
    size_t nlanguages;
    char specialties[JAGA_ROUTE_LIST_MAX][JAGA_CASE_CODE_MAX]; /* rule teams, e.g. "ncii" */
    size_t nspecialties;
} jaga_route;

typedef struct jaga_routing {
    const jaga_route *routes; /* tried in order; the first that matches wins */
    size_t nroutes;
} jaga_routing;

/* The team (and lead team) of a case: the first route that matches; without one, the rule's
 * team if it names one, else "global"; the lead team is the route's, else TEAM-lead. */
void jaga_route_case(const jaga_routing *routing, const char *jurisdiction, const char *language,
                     const char *rule_team, char team[JAGA_CASE_CODE_MAX],
                     char lead[JAGA_CASE_CODE_MAX]);

/* Whether a moderator of teams (comma-separated) may decide in jurisdiction (a code of the
 * policy, or JAGA_EVERYWHERE for a platform-wide decision). A team's remit is the union of the
 * jurisdictions of the routes it works or leads; a route without jurisdictions, or a team no
 * route names (a rule's team, "global" without routes), reaches everywhere. */
int jaga_route_remit(const jaga_routing *routing, const char *teams, const char *jurisdiction);

/* The teams cases can reach that no moderator key in force works in (no one could decide or
 * even see what reaches them): each route's team and lead, and where no route catches every
 * case, the policy's rule teams and "global" with their leads. Up to cap names into out;
 * returns how many there are. */
size_t jaga_routing_unreachable(const jaga_routing *routing, const jaga_policy *policy,
                                const jaga_key *keys, size_t nkeys, char (*out)[JAGA_CASE_CODE_MAX],
                                size_t cap);

/* What the queue works with. */
/* What reviews inside an outer transaction do to memory (the visibility map, the matcher),
 * kept until that transaction commits: applied then, or dropped with it. */
typedef struct jaga_review_effects jaga_review_effects;

typedef struct jaga_review {
    jaga_store *db;
    const jaga_policy *policy;
    jaga_matcher *matcher;       /* for scans and notices */
    jaga_visibility_map *map;    /* restrictions reach it after each commit */
    const jaga_routing *routing; /* NULL: no routes */
    int webhooks;                /* queue a delivery for each decision and escalation */
    int64_t now;                 /* 0: the clock */
    /* NULL: memory follows each review's own commit. Set: the review runs inside an outer
     * transaction of the caller's, and what memory would learn waits here for its commit. */
    jaga_review_effects *effects;
} jaga_review;

/* An empty set of effects: JAGA_OK or JAGA_ERR_NOMEM. */
jaga_status jaga_review_effects_open(jaga_review_effects **out);

/* Brings the kept effects into rv's map and matcher, once the outer transaction committed,
 * and empties the set. */
jaga_status jaga_review_effects_apply(jaga_review_effects *e, jaga_ctx *ctx, const jaga_review *rv);

/* Drops the set (what it held never reaches memory: the outer transaction rolled back). */
void jaga_review_effects_free(jaga_review_effects *e);

/*
 * Receives a notice of n->jurisdiction with its items (kind and value set): the notice, and
 * for each item a case source "notice:ID" due at the notice's deadline (the content's case
 * of that jurisdiction, or one of its own for a hash or URL item); for content items, what
 * the policy's notice rule of that jurisdiction does there; for hashes, entries in the
 * regulator's bank NOTICES_CC (created on first use) labelled
 * "notice=ID;notice_jurisdiction=CC". A zero
 * n->deadline_at becomes received_at plus the jurisdiction's notice (or urgent notice)
 * deadline, an empty penalty currency its penalty. Fills n and the items (ids, case ids).
 */
jaga_status jaga_notice_receive(jaga_ctx *ctx, const jaga_review *rv, jaga_notice *n,
                                jaga_notice_item *items, size_t nitems);

/* What withdrawing a notice item did. */
typedef struct jaga_notice_withdrawal {
    jaga_notice_item item; /* as it stands now */
    size_t lifted;         /* restrictions the item's notice held on its content, ended */
    int entry_withdrawn;   /* its hash left the regulator's bank (no item in force names it) */
    int case_closed;       /* its case, open only for withdrawn notice items, closed */
} jaga_notice_withdrawal;

/*
 * A regulator of jurisdiction withdraws item_id of its notice notice_id (by: its key prefix),
 * in one transaction: the item stands withdrawn (no decision actions it, it counts as no
 * breach from then on); for a content, the restrictions of source "notice:ID" on it end unless
 * another item in force of that notice names it; for a hash, its entry in NOTICES_CC is
 * withdrawn unless an item in force of that jurisdiction's notices names it; its case records
 * the withdrawal ("notice_withdrawn") and, while it waits for review, is due by the sources
 * left, or closed when none asks for review any more; a "notice.withdrawn" webhook is queued.
 * Then the visibility map and the matcher follow. JAGA_ERR_NOT_FOUND for a notice of another
 * jurisdiction or an item not of that notice, JAGA_ERR_CONFLICT when it is withdrawn already.
 * A decision on the case stands: a withdrawal ends only what the notice itself put in force.
 */
jaga_status jaga_notice_withdraw(jaga_ctx *ctx, const jaga_review *rv, const char *jurisdiction,
                                 int64_t notice_id, int64_t item_id, const char *by,
                                 jaga_notice_withdrawal *out);

/*
 * Records a new scan: the content (its matches_json set) with what the policy does to it
 * given its matches: restrictions, and the case sources of the rules that ask for review
 * (joined to the content's case of each source's jurisdiction: for a platform-wide rule, the
 * uploader's). JAGA_ERR_CONFLICT when the content id is stored already (nothing written).
 */
jaga_status jaga_scan_record(jaga_ctx *ctx, const jaga_review *rv, jaga_content *c,
                             const jaga_match *matches, size_t nmatches);

/* Signals found after a content was recorded (a live stream's later events): what the
 * policy does given them (c->content_id and c->scores, and matches), restrictions and case
 * sources joined to its case, as jaga_scan_record does; the stored record is left as it is.
 * Restrictions already in force are not doubled. */
jaga_status jaga_scan_amend(jaga_ctx *ctx, const jaga_review *rv, const jaga_content *c,
                            const jaga_match *matches, size_t nmatches);

/*
 * Receives a report (content_id, reporter_id, key_prefix, trusted_flagger, category, text,
 * country, language set): stored, joined to the content's case under review in the reporter's
 * jurisdiction (or a new one;
 * a report of content jaga has not scanned is kept all the same, content_known 0), with what
 * the policy's report rules do to the content. A deepfake category from a country whose
 * jurisdiction is flagged is a rapid report: first review due within the jurisdiction's
 * flagged_first_review_s. The final deadline is the category's in the reporter's
 * jurisdiction, else its report deadline, else its notice deadline (and a rule's earlier one).
 * Trusted flaggers' reports come first (priority one step more urgent). Fills id, received_at,
 * rapid, content_known and case_id. JAGA_ERR_INVALID for an unknown category.
 */
jaga_status jaga_report_receive(jaga_ctx *ctx, const jaga_review *rv, jaga_report *r);

/*
 * Claims the most urgent free case of team for claimer (a key prefix) until now + lease_s;
 * the first claim of a case is its first review. Appealed cases go only to moderators who
 * did not decide them. JAGA_ERR_NOT_FOUND when nothing waits. One store transaction: two
 * claimers never get the same case.
 */
jaga_status jaga_queue_claim(jaga_ctx *ctx, const jaga_review *rv, const char *team,
                             const char *claimer, int64_t lease_s, jaga_case *out);

/* Claims one case (or renews the claimer's own lease). JAGA_ERR_CONFLICT when another holds
 * it, or it waits for no one (decided, closed), or it is an appeal of claimer's decision. */
jaga_status jaga_case_claim(jaga_ctx *ctx, const jaga_review *rv, int64_t case_id,
                            const char *claimer, int64_t lease_s, jaga_case *out);

/* Whether a case waits for a person (open, escalated or appealed), held or not. */
int jaga_case_waiting(const jaga_case *c);

/* Gives a held case back to its queue. JAGA_ERR_CONFLICT when claimer does not hold it. */
jaga_status jaga_case_release(jaga_ctx *ctx, const jaga_review *rv, int64_t case_id,
                              const char *claimer);

enum { JAGA_EFFECT_PLACES_MAX = 24 };

/* What viewers in one place see of the content before and after a decision: a country, a
 * jurisdiction's code (its viewers in general), or "*" (viewers wherever no restriction
 * names). Country blocks of the whole service are not counted. */
typedef struct jaga_decision_effect {
    char place[3];
    int elsewhere; /* place is "*" */
    jaga_visibility before, after;
} jaga_decision_effect;

/* What a decision changed (or, previewed, would change). */
typedef struct jaga_decision_result {
    size_t lifted; /* restrictions ended */
    size_t added;  /* restrictions decided */
    /* Every place a restriction of the content names, those the decision acts in, and "*";
     * at most JAGA_EFFECT_PLACES_MAX. */
    jaga_decision_effect effect[JAGA_EFFECT_PLACES_MAX];
    size_t neffect;
} jaga_decision_result;

/*
 * Applies a person's decision (d->case_id, action, ground, legal_id, category, countries,
 * note, decided_by, and teams for a moderator set). On a case waiting for review:
 * no_violation, blur, age_gate, withhold (in d->countries, comma-separated ISO codes of the
 * case's jurisdiction; without them, in the jurisdiction), remove (everywhere); a
 * platform-wide decision (remove, d->everywhere, a "*" case) acts in every jurisdiction.
 * Where it acts, the restrictions of the case's sources end and the decided ones are stored,
 * final; a provisional hold everywhere it leaves goes on to the content's "*" case; the
 * notice items of the case are actioned. On an appealed case: uphold, or overturn (the appealed
 * decision's restrictions end). Then the statement of reasons, the case's history, a webhook.
 * JAGA_ERR_CONFLICT when decided_by does not hold the case (claim it first) or it waits for
 * no decision; JAGA_ERR_DENIED when d->teams' remit does not reach the case's jurisdiction
 * (or, platform-wide, everywhere); JAGA_ERR_INVALID for an action, countries, ground, legal
 * reference (one of every decided country's) or category that does not fit;
 * JAGA_ERR_NOT_FOUND for no such case. Fills d (id, decided_at, statement) and out, with the
 * effect in each place. With d->preview set, every check runs and out says what the decision
 * would do, but nothing is written (d->id stays 0).
 */
jaga_status jaga_case_apply_decision(jaga_ctx *ctx, const jaga_review *rv, jaga_decision *d,
                                     jaga_decision_result *out);

/* The uploader appeals the latest decision of a decided case (appellant at most 100 bytes,
 * text 400; JAGA_ERR_INVALID past them): the case goes back to its team's queue as
 * "appealed", due within the policy's appeal deadline, for a moderator other than the one
 * who decided. JAGA_ERR_CONFLICT unless the case is decided. */
jaga_status jaga_case_appeal(jaga_ctx *ctx, const jaga_review *rv, int64_t case_id,
                             const char *appellant, const char *text, jaga_case *out);

/* What a sweep did. */
typedef struct jaga_sweep_result {
    size_t escalated; /* cases moved to their lead team's queue */
    size_t expired;   /* provisional restrictions ended unconfirmed */
} jaga_sweep_result;

/*
 * Escalates up to limit cases past a deadline not yet counted: the breach is counted (first
 * review, final action), the case goes to its lead team's queue ("escalated"), its priority
 * one step more urgent, its history and a webhook say so. Ends provisional restrictions
 * past their expiry (and says so in their case's history).
 */
jaga_status jaga_cases_sweep(jaga_ctx *ctx, const jaga_review *rv, size_t limit,
                             jaga_sweep_result *out);

/* Queues a webhook event when rv->webhooks is set: body_json is a JSON object's text, to
 * which event, event_id and occurred_at are added. JAGA_OK (also with webhooks off),
 * JAGA_ERR_INVALID (no JSON object), JAGA_ERR_LIMIT (too large), or a store status. */
jaga_status jaga_event_queue(jaga_ctx *ctx, const jaga_review *rv, const char *event,
                             const char *body_json);

/*
 * Webhook signatures: "t=UNIX,v1=HEX" where HEX is HMAC-SHA256 over "UNIX." followed by the
 * body, keyed with the shared secret. verify checks one against a body and refuses a
 * timestamp more than tolerance_s away from now (a replay). JAGA_OK or JAGA_ERR_INVALID.
 */
enum { JAGA_SIGNATURE_MAX = 96 };
void jaga_webhook_sign(const char *secret, int64_t timestamp, const char *body, size_t len,
                       char out[JAGA_SIGNATURE_MAX]);
jaga_status jaga_webhook_verify(jaga_ctx *ctx, const char *secret, const char *header,
                                const char *body, size_t len, int64_t now, int64_t tolerance_s);

#ifdef __cplusplus
}
#endif
#endif
