/*
 * Bank import and export formats.
 *
 *   csv       a header naming at least signal_type and signal (quality, labels and further
 *             columns optional), then one entry per line; RFC 4180 quoting within a line
 *   te        python-threatexchange's local_file lines: "pdq <hex>", "md5 <hex>",
 *             "sha256 <hex>"; '#' comments and blank lines are skipped
 *   stopncii  a StopNCII FetchHashes response page: {"hashRecords": [{"signalType":
 *             "ImagePDQ"|"VideoMD5", "hashValue": "...", "hashStatus": "Received"|"Active"|
 *             "Withdrawn"|"Deleted", "lastModtimestamp": ...}, ...]}; Withdrawn and Deleted
 *             withdraw the entry
 *   threatexchange  a page of ThreatExchange's /threat_updates: {"data": [{"id", "indicator",
 *             "type": "HASH_PDQ"|"HASH_MD5"|"HASH_VIDEO_MD5"|"HASH_SHA256", "last_updated",
 *             "should_delete", "descriptors": {"data": [{"tags": [...]}]}}, ...]}; a
 *             should_delete record (or one without descriptors) withdraws the entry; labels
 *             source=threatexchange, te_id=ID and tag=TAG for each tag
 *   ncmec     a page of NCMEC's hash-sharing API (XML, <queryResult> with <images> and
 *             <videos>): each <image>/<video>'s <fingerprints> <md5> and <pdq> are entries
 *             labelled source=ncmec, ncmec_id=ID, classification=C; a <deletedImage>/
 *             <deletedVideo> withdraws the entries labelled with its id. Other fingerprints
 *             (sha1, PhotoDNA, TMK) are not held by jaga and are passed over
 *
 * An import is one store transaction: all of it or none. A malformed record (bad hex, wrong
 * length, unknown or unbanked signal type, duplicate within the import, over-long line) is
 * reported with its line (record number for stopncii) and fails the whole import, unless
 * skip_bad is set, in which case it is counted and skipped. PDQ entries of quality below
 * JAGA_PDQ_QUALITY_MIN are refused and counted, never an error.
 */
#ifndef JAGA_BANK_IO_H
#define JAGA_BANK_IO_H

#include <stddef.h>
#include <stdio.h>

#include "jaga/bank.h"
#include "jaga/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum jaga_bank_format {
    JAGA_BANK_CSV,
    JAGA_BANK_TE,
    JAGA_BANK_STOPNCII,
    JAGA_BANK_THREATEXCHANGE,
    JAGA_BANK_NCMEC
} jaga_bank_format;

/* "csv", "te", "stopncii", "threatexchange", "ncmec". JAGA_OK or JAGA_ERR_INVALID. */
jaga_status jaga_bank_format_parse(const char *name, jaga_bank_format *out);

/* Hard limits on imported data. */
#define JAGA_IMPORT_BYTES_MAX ((size_t)1 << 30) /* csv and te */
#define JAGA_IMPORT_JSON_MAX ((size_t)64 << 20) /* one page of stopncii, threatexchange, ncmec */

/* The limit of an import of that format: JAGA_IMPORT_BYTES_MAX or JAGA_IMPORT_JSON_MAX. */
size_t jaga_bank_import_limit(jaga_bank_format format);
#define JAGA_IMPORT_LINE_MAX 4096

typedef struct jaga_import_report {
    size_t records; /* records read */
    size_t added, present, reactivated, withdrawn;
    size_t unknown;     /* withdrawals of entries the bank does not hold */
    size_t low_quality; /* refused for quality below JAGA_PDQ_QUALITY_MIN */
    size_t bad;         /* malformed records */
} jaga_import_report;

/* Called for each malformed record: its line (or record) number and what is wrong. */
typedef void (*jaga_import_problem_fn)(void *arg, size_t line, const char *message);

/* What a caller adds to an import. changed is called for each entry the import changed
 * (added, reactivated or withdrawn), with its id, before the import commits: a caller that
 * mirrors the store (the matcher) applies them once jaga_bank_import returned JAGA_OK, and
 * drops them otherwise. labels (NULL: none) are added to every record's own: what the whole
 * feed is, e.g. "category=ncii_deepfake", where its format has no labels (te, stopncii). */
typedef struct jaga_import_hooks {
    jaga_import_problem_fn problem;
    void (*changed)(void *arg, const jaga_entry *entry);
    void *arg;
    const char *labels;
} jaga_import_hooks;

/*
 * Imports len bytes of the given format into bank (which must exist in store).
 * Returns JAGA_OK when committed; JAGA_ERR_INVALID when malformed records (without
 * skip_bad) or a malformed document rolled it back; JAGA_ERR_LIMIT for input over the
 * limits; JAGA_ERR_IO from the store. report is filled in every case.
 */
jaga_status jaga_bank_import(jaga_store *store, jaga_ctx *ctx, const jaga_bank *bank,
                             jaga_bank_format format, const char *data, size_t len, int skip_bad,
                             const jaga_import_hooks *hooks, jaga_import_report *report);

/* Writes the bank's entries (withdrawn ones too when with_withdrawn; te writes active ones
 * only) as csv or te. JAGA_ERR_UNSUPPORTED for the import-only formats; JAGA_ERR_IO on write
 * errors. */
jaga_status jaga_bank_export(jaga_store *store, jaga_ctx *ctx, const jaga_bank *bank,
                             jaga_bank_format format, int with_withdrawn, FILE *out);

/* The pieces of an export, for writers that page through a bank themselves: the first line
 * (csv's header; "" for te) and one entry's line, written to out. A vpdq entry's te line
 * carries its features as ThreatExchange writes them, vpdq ["hex,quality,timestamp", ...];
 * its csv line, its value (enough to withdraw it). Returns 0, or -1 on a write error. */
const char *jaga_bank_export_header(jaga_bank_format format);
int jaga_bank_export_write(jaga_bank_format format, const jaga_entry *e, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
