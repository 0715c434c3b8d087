/* The JSON body of POST /v1/keys, parsed strictly. */
#include "key_request.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

const char *key_request_parse(const char *text_in, size_t len, jaga_key *k)
{
    memset(k, 0, sizeof(*k));
    k->role = JAGA_ROLE_COUNT;
    json_error_t jerr;
    if (len > KEY_BODY_MAX)
        return "the body is over 4 KiB";
    json_t *root = json_loadb(text_in, len, JSON_REJECT_DUPLICATES, &jerr);
    const char *problem = root && json_is_object(root) ? NULL : "the body must be a JSON object";
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        const char *text = json_string_value(v);
        if (problem)
            break;
        if (strcmp(key, "role") == 0) {
            if (jaga_role_parse(text, &k->role) != JAGA_OK)
                problem = "role is admin, platform, moderator, regulator or auditor";
        } else if (strcmp(key, "jurisdiction") == 0) {
            if (!text || strlen(text) >= sizeof(k->jurisdiction))
                problem = "jurisdiction is an ISO 3166-1 alpha-2 code";
            else
                strcpy(k->jurisdiction, text);
        } else if (strcmp(key, "name") == 0) {
            if (!text || strlen(text) >= sizeof(k->name))
                problem = "name is a string under 128 bytes";
            else
                strcpy(k->name, text);
        } else if (strcmp(key, "teams") == 0 && json_is_array(v)) {
            for (size_t i = 0; !problem && i < json_array_size(v); i++) {
                const char *team = json_string_value(json_array_get(v, i));
                size_t used = strlen(k->teams);
                if (!team || used + strlen(team) + 2 >= sizeof(k->teams))
                    problem = "teams are strings, 255 bytes in all";
                else
                    snprintf(k->teams + used, sizeof(k->teams) - used, "%s%s", used ? "," : "",
                             team);
            }
        } else {
            problem = "unknown field, or teams not an array";
        }
    }
    if (!problem && k->role == JAGA_ROLE_COUNT)
        problem = "role is required";
    json_decref(root);
    return problem;
}
