/*
 * Hash banks: named sets of known signals (from StopNCII, regulators' notices, jaga's own
 * reviewers) that uploads are matched against, and their entries.
 *
 * A bank's name is CAPS_AND_UNDERSCORE (A-Z, 0-9, _; starting with a letter; at most 63
 * characters), as in Meta's Hasher-Matcher-Actioner. Its entries are PDQ hashes, MD5 or
 * SHA-256 digests, or vPDQ hashes of videos, each with its quality (when known), labels and
 * status. A withdrawn entry never matches again but its record stays.
 */
#ifndef JAGA_BANK_H
#define JAGA_BANK_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/status.h"
#include "jaga/vpdq.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum jaga_signal_type {
    JAGA_SIGNAL_PDQ = 0,
    JAGA_SIGNAL_MD5,
    JAGA_SIGNAL_SHA256,
    JAGA_SIGNAL_VPDQ, /* a video's frame features; its value is jaga_vpdq_entry_value()'s */
    JAGA_SIGNAL_COUNT
} jaga_signal_type;

/* "pdq", "md5", "sha256", "vpdq". */
const char *jaga_signal_type_name(jaga_signal_type type);

/* Parses a signal type name. Returns JAGA_OK or JAGA_ERR_INVALID. */
jaga_status jaga_signal_type_parse(const char *name, jaga_signal_type *out);

#define JAGA_SIGNAL_VALUE_MAX 65 /* the longest value (64 hex digits) and its NUL */

/* Checks that value is a well-formed signal of that type (64 hex digits for pdq, sha256 and
 * vpdq, 32 for md5) and writes it in lowercase to out. JAGA_OK or JAGA_ERR_INVALID. */
jaga_status jaga_signal_normalize(jaga_ctx *ctx, jaga_signal_type type, const char *value,
                                  char out[JAGA_SIGNAL_VALUE_MAX]);

#define JAGA_BANK_NAME_MAX 64
#define JAGA_BANK_DESCRIPTION_MAX 512
#define JAGA_LABELS_MAX 512
#define JAGA_PDQ_THRESHOLD_DEFAULT 31

typedef struct jaga_bank {
    int64_t id;
    char name[JAGA_BANK_NAME_MAX];
    char description[JAGA_BANK_DESCRIPTION_MAX];
    unsigned signal_types;     /* bit (1u << jaga_signal_type) per type held */
    int pdq_threshold;         /* 0..63 */
    int verified;              /* human-confirmed entries: may act without review */
    int enabled;               /* matched against at all */
    int64_t created_at;        /* Unix seconds */
    int64_t active, withdrawn; /* entry counts, filled when read from a store */
} jaga_bank;

/* Whether the len bytes at name are a bank name (CAPS_AND_UNDERSCORE, under
 * JAGA_BANK_NAME_MAX). */
int jaga_bank_name_ok(const char *name, size_t len);

/* A bank with the defaults: every signal type, threshold 31, enabled, not verified. */
void jaga_bank_init(jaga_bank *bank, const char *name);

/* Checks a bank's fields (name, threshold, signal types, text lengths).
 * JAGA_OK or JAGA_ERR_INVALID with the reason on ctx. */
jaga_status jaga_bank_check(jaga_ctx *ctx, const jaga_bank *bank);

typedef struct jaga_entry {
    int64_t id, bank_id;
    jaga_signal_type type;
    char value[JAGA_SIGNAL_VALUE_MAX];
    int quality;                  /* 0..100, or -1 when unknown */
    char labels[JAGA_LABELS_MAX]; /* ';'-separated, e.g. "category=ncii_deepfake;source=stopncii" */
    int64_t added_at;             /* Unix seconds */
    int withdrawn;                /* 0 active, 1 withdrawn */
    /* vpdq entries: the video's features (borrowed). Required to add one; filled for the
     * callback's duration by jaga_store_entries_each(), NULL elsewhere. */
    const jaga_vpdq_feature *features;
    size_t nfeatures;
} jaga_entry;

/* The most features one vpdq entry may hold: 3 hours at one a second, 3 times over. */
#define JAGA_VPDQ_ENTRY_FEATURES_MAX 32400

/* A vpdq entry's value: the SHA-256, in hex, of its features' lines "hex,quality,timestamp"
 * (timestamp to the millisecond, each line ending in a line feed), so that the same video
 * banked twice is one entry. JAGA_OK, JAGA_ERR_INVALID (no features, or more than
 * JAGA_VPDQ_ENTRY_FEATURES_MAX) or JAGA_ERR_NOMEM. */
jaga_status jaga_vpdq_entry_value(jaga_ctx *ctx, const jaga_vpdq_feature *features, size_t n,
                                  char out[JAGA_SIGNAL_VALUE_MAX]);

/* Entries below this PDQ quality are refused: their hashes match too loosely. */
#define JAGA_PDQ_QUALITY_MIN 50

/* Checks labels: printable characters, no commas or line breaks, at most
 * JAGA_LABELS_MAX - 1 bytes. JAGA_OK or JAGA_ERR_INVALID. */
jaga_status jaga_labels_check(jaga_ctx *ctx, const char *labels);

#ifdef __cplusplus
}
#endif
#endif
