#include "bank_request.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t errlen, const char *fmt, const char *what)
{
    snprintf(err, errlen, fmt, what);
    return -1;
}

/* The body as a JSON object, or NULL with err. */
static json_t *object_of(const char *body, size_t len, char *err, size_t errlen)
{
    if (len > BANK_BODY_MAX) {
        fail(err, errlen, "%s", "the body is over 64 KiB");
        return NULL;
    }
    json_error_t jerr;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err, errlen, "malformed JSON at line %d: %s", jerr.line, jerr.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        fail(err, errlen, "%s", "the body must be a JSON object");
        return NULL;
    }
    return root;
}

static int signal_types(json_t *v, unsigned *out, char *err, size_t errlen)
{
    if (!json_is_array(v))
        return fail(err, errlen, "%s", "signal_types must be an array");
    unsigned mask = 0;
    for (size_t i = 0; i < json_array_size(v); i++) {
        jaga_signal_type t;
        if (jaga_signal_type_parse(json_string_value(json_array_get(v, i)), &t) != JAGA_OK)
            return fail(err, errlen, "%s", "signal_types are pdq, md5, sha256, vpdq");
        mask |= 1u << t;
    }
    *out = mask;
    return 0;
}

static int apply_field(const char *key, json_t *v, int creating, jaga_bank *b, char *err,
                       size_t errlen)
{
    if (strcmp(key, "name") == 0) {
        if (!creating)
            return fail(err, errlen, "%s", "a bank's name cannot change");
        if (!json_is_string(v) || strlen(json_string_value(v)) >= sizeof(b->name))
            return fail(err, errlen, "%s", "name must be a string of at most 63 bytes");
        strcpy(b->name, json_string_value(v));
    } else if (strcmp(key, "description") == 0) {
        if (!json_is_string(v) || strlen(json_string_value(v)) >= sizeof(b->description))
            return fail(err, errlen, "%s", "description must be a string under 512 bytes");
        strcpy(b->description, json_string_value(v));
    } else if (strcmp(key, "signal_types") == 0) {
        return signal_types(v, &b->signal_types, err, errlen);
    } else if (strcmp(key, "pdq_threshold") == 0) {
        if (!json_is_integer(v))
            return fail(err, errlen, "%s", "pdq_threshold must be an integer");
        b->pdq_threshold = (int)json_integer_value(v);
    } else if (strcmp(key, "verified") == 0 || strcmp(key, "enabled") == 0) {
        if (!json_is_boolean(v))
            return fail(err, errlen, "%s must be true or false", key);
        *(key[0] == 'v' ? &b->verified : &b->enabled) = json_is_true(v);
    } else {
        return fail(err, errlen, "unknown field '%.64s'", key);
    }
    return 0;
}

int bank_request_parse(const char *body, size_t len, int creating, jaga_bank *bank, char *err,
                       size_t errlen)
{
    json_t *root = object_of(body, len, err, errlen);
    if (!root)
        return -1;
    const char *key;
    json_t *v;
    int rc = 0;
    json_object_foreach(root, key, v)
    {
        if ((rc = apply_field(key, v, creating, bank, err, errlen)) != 0)
            break;
    }
    if (rc == 0 && creating && !bank->name[0])
        rc = fail(err, errlen, "%s", "name is required");
    json_decref(root);
    return rc;
}

int withdraw_request_parse(const char *body, size_t len, jaga_signal_type *type,
                           char (**values)[JAGA_SIGNAL_VALUE_MAX], size_t *n, char *err,
                           size_t errlen)
{
    *values = NULL;
    *n = 0;
    json_t *root = object_of(body, len, err, errlen);
    if (!root)
        return -1;
    json_t *t = json_object_get(root, "signal_type"), *list = json_object_get(root, "values");
    int rc = 0;
    if (json_object_size(root) != 2 || !t || !list)
        rc = fail(err, errlen, "%s", "the body is {\"signal_type\": ..., \"values\": [...]}");
    else if (jaga_signal_type_parse(json_string_value(t), type) != JAGA_OK)
        rc = fail(err, errlen, "%s", "signal_type is pdq, md5 or sha256");
    else if (!json_is_array(list) || json_array_size(list) == 0 ||
             json_array_size(list) > WITHDRAW_VALUES_MAX)
        rc = fail(err, errlen, "%s", "values must be an array of 1 to 10000 strings");
    else if (!(*values = calloc(json_array_size(list), sizeof(**values))))
        rc = fail(err, errlen, "%s", "no memory");
    for (size_t i = 0; rc == 0 && i < json_array_size(list); i++) {
        const char *s = json_string_value(json_array_get(list, i));
        if (!s || strlen(s) >= JAGA_SIGNAL_VALUE_MAX)
            rc = fail(err, errlen, "%s", "values are hex strings");
        else
            strcpy((*values)[(*n)++], s);
    }
    if (rc != 0) {
        free(*values);
        *values = NULL;
        *n = 0;
    }
    json_decref(root);
    return rc;
}
