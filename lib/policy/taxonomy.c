/* The report taxonomy, aligned with the DSA statement-of-reasons categories (2025 revision). */
#include "jaga/taxonomy.h"

#include <string.h>

#define SOR(c) "STATEMENT_CATEGORY_" c
#define KW(k) "KEYWORD_" k

static const jaga_category categories[] = {
    {"ncii_deepfake", "sexual", "Non-consensual sexual deepfake of a real person",
     SOR("CYBER_VIOLENCE"), KW("NON_CONSENSUAL_MATERIAL_DEEPFAKE"), 1, 1},
    {"ncii", "sexual", "Non-consensual sharing of intimate images", SOR("CYBER_VIOLENCE"),
     KW("NON_CONSENSUAL_IMAGE_SHARING"), 1, 0},
    {"adult_content", "sexual", "Adult sexual material where it is not allowed",
     SOR("OTHER_VIOLATION_TC"), KW("ADULT_SEXUAL_MATERIAL"), 4, 0},
    {"nudity", "sexual", "Nudity against the platform's rules", SOR("OTHER_VIOLATION_TC"),
     KW("NUDITY"), 4, 0},
    {"csam", "minors", "Sexual abuse material depicting a child", SOR("PROTECTION_OF_MINORS"),
     KW("CHILD_SEXUAL_ABUSE_MATERIAL"), 1, 0},
    {"csam_deepfake", "minors", "Synthetic sexual material depicting a child",
     SOR("PROTECTION_OF_MINORS"), KW("CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE"), 1, 1},
    {"grooming", "minors", "Grooming or sexual enticement of minors", SOR("PROTECTION_OF_MINORS"),
     KW("GROOMING_SEXUAL_ENTICEMENT_MINORS"), 1, 0},
    {"phishing", "scams", "Phishing", SOR("SCAMS_AND_FRAUD"), KW("PHISHING"), 3, 0},
    {"impersonation", "scams", "Impersonation or account hijacking", SOR("SCAMS_AND_FRAUD"),
     KW("IMPERSONATION_ACCOUNT_HIJACKING"), 3, 0},
    {"scam", "scams", "Another scam or fraud", SOR("SCAMS_AND_FRAUD"), KW("OTHER"), 3, 0},
    {"hate_speech", "hate", "Hate speech", SOR("ILLEGAL_OR_HARMFUL_SPEECH"), KW("HATE_SPEECH"), 3,
     0},
    {"harassment", "hate", "Harassment or bullying", SOR("CYBER_VIOLENCE"), KW("CYBER_HARASSMENT"),
     3, 0},
    {"violence_incitement", "violence", "Incitement to violence or hatred", SOR("VIOLENCE"),
     KW("INCITEMENT_VIOLENCE_HATRED"), 2, 0},
    {"terrorism", "violence", "Terrorist content", SOR("RISK_FOR_PUBLIC_SECURITY"),
     KW("TERRORIST_CONTENT"), 1, 0},
    {"self_harm", "violence", "Self-harm or suicide", SOR("SELF_HARM"), KW("SELF_MUTILATION"), 2,
     0},
    {"privacy", "other", "Private information shared without consent",
     SOR("DATA_PROTECTION_AND_PRIVACY_VIOLATIONS"), KW("OTHER"), 3, 0},
    {"other", "other", "Something else against the platform's rules", SOR("OTHER_VIOLATION_TC"),
     KW("OTHER"), 4, 0},
};

const jaga_category *jaga_category_find(const char *code)
{
    for (size_t i = 0; code && i < sizeof(categories) / sizeof(categories[0]); i++)
        if (strcmp(categories[i].code, code) == 0)
            return &categories[i];
    return NULL;
}

const jaga_category *jaga_categories(size_t *n)
{
    *n = sizeof(categories) / sizeof(categories[0]);
    return categories;
}

int jaga_category_group_known(const char *name)
{
    for (size_t i = 0; name && i < sizeof(categories) / sizeof(categories[0]); i++)
        if (strcmp(categories[i].group, name) == 0)
            return 1;
    return 0;
}
