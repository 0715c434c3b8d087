/* Bank and signal validation. */
#include "jaga/bank.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jaga/digest.h"

#include "jaga/core.h"
#include "core/names.h"

static const char *const type_names[JAGA_SIGNAL_COUNT] = {"pdq", "md5", "sha256", "vpdq"};
static const size_t type_hex_len[JAGA_SIGNAL_COUNT] = {64, 32, 64, 64};

const char *jaga_signal_type_name(jaga_signal_type type)
{
    return (unsigned)type < JAGA_SIGNAL_COUNT ? type_names[type] : "unknown";
}

jaga_status jaga_signal_type_parse(const char *name, jaga_signal_type *out)
{
    int t = jaga_name_index(type_names, JAGA_SIGNAL_COUNT, name);
    if (t < 0)
        return JAGA_ERR_INVALID;
    *out = (jaga_signal_type)t;
    return JAGA_OK;
}

jaga_status jaga_signal_normalize(jaga_ctx *ctx, jaga_signal_type type, const char *value,
                                  char out[JAGA_SIGNAL_VALUE_MAX])
{
    if ((unsigned)type >= JAGA_SIGNAL_COUNT)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "unknown signal type");
    size_t want = type_hex_len[type], len = strnlen(value, want + 1);
    if (len != want)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "%s value must be %zu hex digits, not %s%zu",
                         type_names[type], want, len > want ? "more than " : "", len);
    for (size_t i = 0; i < len; i++) {
        if (!isxdigit((unsigned char)value[i]))
            return jaga_fail(ctx, JAGA_ERR_INVALID, "%s value has a non-hex character at %zu",
                             type_names[type], i + 1);
        out[i] = (char)tolower((unsigned char)value[i]);
    }
    out[len] = '\0';
    return JAGA_OK;
}

void jaga_bank_init(jaga_bank *bank, const char *name)
{
    memset(bank, 0, sizeof(*bank));
    snprintf(bank->name, sizeof(bank->name), "%s", name ? name : "");
    bank->signal_types = (1u << JAGA_SIGNAL_COUNT) - 1;
    bank->pdq_threshold = JAGA_PDQ_THRESHOLD_DEFAULT;
    bank->enabled = 1;
}

int jaga_bank_name_ok(const char *name, size_t len)
{
    if (len == 0 || len >= JAGA_BANK_NAME_MAX || !isupper((unsigned char)name[0]))
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!isupper((unsigned char)name[i]) && !isdigit((unsigned char)name[i]) && name[i] != '_')
            return 0;
    return 1;
}

jaga_status jaga_bank_check(jaga_ctx *ctx, const jaga_bank *bank)
{
    if (!jaga_bank_name_ok(bank->name, strnlen(bank->name, sizeof(bank->name))))
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "bank name '%.*s' is not CAPS_AND_UNDERSCORE (A-Z, 0-9, _; starting "
                         "with a letter; 1 to %d characters)",
                         JAGA_BANK_NAME_MAX - 1, bank->name, JAGA_BANK_NAME_MAX - 1);
    if (bank->pdq_threshold < 0 || bank->pdq_threshold > 63)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "PDQ threshold %d is outside 0..63",
                         bank->pdq_threshold);
    if (bank->signal_types == 0 || bank->signal_types >= (1u << JAGA_SIGNAL_COUNT))
        return jaga_fail(ctx, JAGA_ERR_INVALID,
                         "a bank holds pdq, md5, sha256 and/or vpdq signals");
    if (strnlen(bank->description, sizeof(bank->description)) >= sizeof(bank->description))
        return jaga_fail(ctx, JAGA_ERR_INVALID, "description too long");
    return JAGA_OK;
}

jaga_status jaga_labels_check(jaga_ctx *ctx, const char *labels)
{
    size_t len = strnlen(labels, JAGA_LABELS_MAX);
    if (len >= JAGA_LABELS_MAX)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "labels longer than %d bytes", JAGA_LABELS_MAX - 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)labels[i];
        if (c < 0x20 || c == 0x7f || c == ',' || c == '"')
            return jaga_fail(ctx, JAGA_ERR_INVALID,
                             "labels may not hold commas, quotes or control characters");
    }
    return JAGA_OK;
}

jaga_status jaga_vpdq_entry_value(jaga_ctx *ctx, const jaga_vpdq_feature *features, size_t n,
                                  char out[JAGA_SIGNAL_VALUE_MAX])
{
    if (n == 0 || n > JAGA_VPDQ_ENTRY_FEATURES_MAX)
        return jaga_fail(ctx, JAGA_ERR_INVALID, "a vpdq entry holds 1 to %d features, not %zu",
                         JAGA_VPDQ_ENTRY_FEATURES_MAX, n);
    char *text = malloc(n * JAGA_VPDQ_LINE_MAX), *at = text;
    if (!text)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "vpdq: no memory");
    for (size_t i = 0; i < n; i++) {
        if (features[i].quality < 0 || features[i].quality > 100 ||
            !(features[i].timestamp >= 0 && features[i].timestamp < 1e9f)) {
            free(text);
            return jaga_fail(ctx, JAGA_ERR_INVALID,
                             "vpdq feature %zu: quality or time out of range", i + 1);
        }
        jaga_vpdq_feature_compact(&features[i], at);
        at += strlen(at);
        *at++ = '\n';
    }
    jaga_digests d;
    jaga_status st = jaga_digest_bytes(ctx, text, (size_t)(at - text), &d);
    free(text);
    if (st == JAGA_OK)
        jaga_hex_encode(d.sha256, 32, out);
    return st;
}
