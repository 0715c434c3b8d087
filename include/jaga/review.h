/*
 * The review queue's records: cases (one per content under review, with its sources, its
 * deadlines, its team and its history), user reports, decisions with their statements of
 * reasons, and the webhook deliveries that tell the platform. Plain structs; the store keeps
 * them (jaga/store.h) and jaga/cases.h works on them.
 */
#ifndef JAGA_REVIEW_H
#define JAGA_REVIEW_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    JAGA_CASE_CODE_MAX = 48,     /* teams, reasons, categories, with the NUL */
    JAGA_REPORT_TEXT_MAX = 2000, /* a reporter's free text, in bytes */
    JAGA_DECISION_NOTE_MAX = 1024,
    JAGA_STATEMENT_MAX = 8192, /* a statement of reasons as JSON */
    JAGA_WEBHOOK_BODY_MAX = 16384
};

/* Why a case is open: a policy rule that fired, a notice, a user report. */
typedef struct jaga_case_source {
    int64_t id, case_id;
    char ref[64];         /* "rule:ID", "notice:ID", "report:ID" */
    char jurisdiction[3]; /* where it applies; "*" everywhere */
    char reason[JAGA_CASE_CODE_MAX];
    char team[JAGA_CASE_CODE_MAX]; /* the rule's team, if it names one */
    int priority;                  /* 1 (most urgent) .. 5 */
    int64_t first_review_at;       /* a first look is due by then; 0: no such deadline */
    int64_t deadline_at;           /* final action due */
    int64_t added_at;
} jaga_case_source;

/* Bits of jaga_case.breached. */
enum { JAGA_BREACH_FIRST_REVIEW = 1, JAGA_BREACH_ACTION = 2 };

/*
 * A case: one per content under review. Status "open" (in its team's queue), "escalated"
 * (past a deadline, in the lead team's queue), "decided", "appealed" (back in the queue for
 * another moderator), "closed" (appeal decided). A case is held by the moderator who claimed
 * it until lease_until; an expired lease returns it to the queue.
 */
typedef struct jaga_case {
    int64_t id;
    char content_id[257];
    char jurisdiction[3]; /* of its first source */
    char source[64];      /* its first source's ref */
    char reason[JAGA_CASE_CODE_MAX];
    char language[4];                     /* ISO 639-1, for routing */
    int priority;                         /* the most urgent of its sources; raised on escalation */
    int64_t first_review_at, deadline_at; /* the earliest of its sources' */
    int64_t due_at; /* the next deadline: first review until a person looked, then action */
    char team[JAGA_CASE_CODE_MAX], lead_team[JAGA_CASE_CODE_MAX];
    char status[16];
    int64_t opened_at, first_reviewed_at;
    char claimed_by[16]; /* a key prefix */
    int64_t lease_until;
    int reports;         /* user reports joined */
    int machine_only;    /* no person (report, notice) asked for it: machine signals alone */
    int breaches;        /* deadlines passed before the work was done */
    unsigned breached;   /* JAGA_BREACH_* */
    int64_t decision_id; /* the latest decision */
    char decided_by[16]; /* who made it */
    int64_t decided_at;
} jaga_case;

/* A user's or a trusted flagger's report of a content. */
typedef struct jaga_report {
    int64_t id;
    char content_id[257];
    int content_known;     /* scanned by jaga before the report came */
    char reporter_id[257]; /* the platform's user id; "" when anonymous */
    char key_prefix[16];   /* the key that filed it */
    int trusted_flagger;   /* filed with a trusted flagger's key (DSA Art. 22) */
    char category[JAGA_CASE_CODE_MAX];
    char text[JAGA_REPORT_TEXT_MAX + 1];
    char country[3];  /* the reporter's, from their address; "" unknown */
    char language[4]; /* the reporter's */
    int rapid;        /* a deepfake report from a flagged jurisdiction */
    int64_t case_id;
    int64_t received_at;
} jaga_report;

/* One line of a case's history. */
typedef struct jaga_case_event {
    int64_t id, case_id, at;
    char kind[24];  /* opened, source, claimed, released, escalated, decided, appealed, ... */
    char actor[24]; /* a key prefix, or "jaga" */
    char detail[512];
} jaga_case_event;

/* A decision on a case (kind "review") or on an appeal of one (kind "appeal"), with the
 * statement of reasons it produced. */
typedef struct jaga_decision {
    int64_t id, case_id;
    char kind[8];
    char action[16]; /* no_violation, blur, age_gate, withhold, remove; appeals: uphold, overturn */
    char ground[8];  /* law or terms */
    char legal_id[JAGA_CASE_CODE_MAX];
    char category[JAGA_CASE_CODE_MAX]; /* a report category code (jaga_category_find) */
    char countries[128];               /* comma-separated, where withheld */
    char note[JAGA_DECISION_NOTE_MAX + 1];
    char decided_by[16];
    int64_t decided_at;
    int64_t appeal_of; /* for appeals: the decision appealed */
    int everywhere;    /* a platform-wide decision (remove is one): every jurisdiction */
    char teams[256];   /* the decider's teams, comma-separated, for the remit check (not stored);
                          "" for a caller bound to no team (an admin) */
    int preview;       /* only say what it would do (jaga_case_apply_decision); not stored */
    char statement[JAGA_STATEMENT_MAX]; /* JSON: the DSA statement-of-reasons fields */
} jaga_decision;

/* A statement of reasons as made: for a person's decision, or for an automated restriction
 * (a verified-bank removal, a provisional hold). Numbered in the order made: the number is an
 * export's cursor. */
typedef struct jaga_statement {
    int64_t id;
    char puid[48]; /* the platform's unique id of it, never reused */
    char content_id[257];
    int64_t made_at;
    char body[JAGA_STATEMENT_MAX]; /* JSON: the DSA statement-of-reasons fields */
} jaga_statement;

/* A webhook event waiting for (or done with) delivery to the platform. */
typedef struct jaga_delivery {
    int64_t id;
    char event_id[40]; /* the idempotency key: the same on every attempt */
    char event[32];    /* "case.decided", "case.escalated", ... */
    char body[JAGA_WEBHOOK_BODY_MAX];
    char status[12]; /* pending, delivered, dead */
    int attempts;
    int64_t created_at, next_at, done_at;
    char last_error[256];
} jaga_delivery;

#ifdef __cplusplus
}
#endif
#endif
