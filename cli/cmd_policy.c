/* jaga policy: check a policy document; show the verdict it gives for some signals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jaga/jaga.h"

enum { SIGNALS_MAX = 32 };

static void usage(FILE *out)
{
    fputs("usage: jaga policy check FILE\n"
          "       jaga policy decide FILE COUNTRY [--bank NAME] [--label LABEL]\n"
          "                          [--verified-label LABEL] [--score NAME=X] [--report CAT]\n"
          "                          [--notice]\n"
          "check validates a policy (docs/policy.md) and summarizes it; every problem is\n"
          "reported as FILE:LINE: field: what is wrong. decide prints the verdict for viewers\n"
          "in COUNTRY of a content with the given signals (bank matches by bank name or entry\n"
          "label, in a verified bank or not; classifier scores; user reports; a notice).\n",
          out);
}

static int check(const char *path)
{
    jaga_ctx *ctx = NULL;
    jaga_policy *p = NULL;
    jaga_ctx_open(&ctx);
    jaga_status st = jaga_policy_load(ctx, path, &p);
    if (st != JAGA_OK)
        fprintf(stderr, "jaga policy: %s\n", jaga_errmsg(ctx));
    else {
        size_t nj, nr;
        const jaga_jurisdiction *j = jaga_policy_jurisdictions(p, &nj);
        jaga_policy_rules(p, &nr);
        printf("%s: policy %s, %zu jurisdictions, %zu rules\n", path, jaga_policy_version(p), nj,
               nr);
        for (size_t i = 0; i < nj; i++) {
            printf("  %s %s%s: notice %llds, acknowledge %llds", j[i].code, j[i].name,
                   j[i].flagged ? " (flagged)" : "", (long long)j[i].notice_s,
                   (long long)j[i].acknowledge_s);
            if (j[i].ncountries)
                printf(", %zu further countries", j[i].ncountries);
            if (j[i].as_of[0])
                printf(", as of %s", j[i].as_of);
            puts(strcmp(j[i].code, jaga_policy_jurisdiction(p, "")->code) == 0 ? " (default)" : "");
        }
    }
    jaga_policy_free(p);
    jaga_ctx_free(ctx);
    return st == JAGA_OK ? CLI_OK : CLI_FAILED;
}

static int decide(int argc, char **argv)
{
    jaga_policy_match matches[SIGNALS_MAX];
    jaga_policy_score scores[SIGNALS_MAX];
    const char *reports[SIGNALS_MAX];
    jaga_policy_input in = {.matches = matches, .scores = scores, .reports = reports};
    for (int i = 4; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--notice") == 0) {
            in.notice = 1;
            continue;
        }
        if (!v || in.nmatches == SIGNALS_MAX || in.nscores == SIGNALS_MAX ||
            in.nreports == SIGNALS_MAX)
            return usage(stderr), CLI_USAGE;
        i++;
        if (strcmp(a, "--bank") == 0)
            matches[in.nmatches++] = (jaga_policy_match){v, "", 0};
        else if (strcmp(a, "--label") == 0 || strcmp(a, "--verified-label") == 0)
            matches[in.nmatches++] = (jaga_policy_match){"", v, a[2] == 'v'};
        else if (strcmp(a, "--report") == 0)
            reports[in.nreports++] = v;
        else if (strcmp(a, "--score") == 0 && strchr(v, '='))
            scores[in.nscores++] = (jaga_policy_score){v, atof(strchr(v, '=') + 1)};
        else
            return usage(stderr), CLI_USAGE;
    }
    /* A score's name ends at its '=': copy the names out. */
    char names[SIGNALS_MAX][64];
    for (size_t i = 0; i < in.nscores; i++) {
        snprintf(names[i], sizeof(names[i]), "%.*s",
                 (int)(strchr(scores[i].name, '=') - scores[i].name), scores[i].name);
        scores[i].name = names[i];
    }
    jaga_ctx *ctx = NULL;
    jaga_policy *p = NULL;
    jaga_ctx_open(&ctx);
    jaga_status st = jaga_policy_load(ctx, argv[2], &p);
    if (st != JAGA_OK) {
        fprintf(stderr, "jaga policy: %s\n", jaga_errmsg(ctx));
    } else {
        jaga_verdict v;
        jaga_policy_decide(p, argv[3], &in, &v);
        printf("%s %s", jaga_policy_jurisdiction(p, argv[3])->code,
               jaga_visibility_name(v.visibility));
        if (v.rule)
            printf(" %s rule=%s reason=%s ground=%s%s%s", v.automated ? "automated" : "provisional",
                   v.rule->id, v.rule->reason, v.rule->ground_terms ? "terms" : "law",
                   v.rule->legal_id[0] ? " legal=" : "", v.rule->legal_id);
        if (v.review)
            printf(" review priority=%d deadline=%llds%s%s", v.priority,
                   (long long)v.review_deadline_s, v.team[0] ? " team=" : "", v.team);
        printf("\n");
    }
    jaga_policy_free(p);
    jaga_ctx_free(ctx);
    return st == JAGA_OK ? CLI_OK : CLI_FAILED;
}

int cmd_policy(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "check") == 0)
        return check(argv[2]);
    if (argc >= 4 && strcmp(argv[1], "decide") == 0)
        return decide(argc, argv);
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return usage(stdout), CLI_OK;
    return usage(stderr), CLI_USAGE;
}
