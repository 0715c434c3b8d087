/* Internal: the import core that every bank format's parser feeds, record by record. */
#ifndef JAGA_INDEX_BANK_IMPORT_H
#define JAGA_INDEX_BANK_IMPORT_H

#include <stddef.h>

#include "jaga/bank_io.h"

typedef struct importer importer;

/* Offers one parsed record (type, value, quality, labels, added_at, withdrawn) from line.
 * Returns 0 to go on, -1 when the store failed and the import must stop. */
int jaga__importer_record(importer *im, size_t line, jaga_entry *e);

/* Withdraws every entry of the bank labelled key + id (e.g. "ncmec_id=" "image4": records
 * that a source deletes by its own id); none is counted as an unknown withdrawal. 0, or -1
 * when the store failed. */
int jaga__importer_withdraw_labelled(importer *im, size_t line, const char *key, const char *id);

/* Reports a malformed record. */
void jaga__importer_bad(importer *im, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A JSON page's records, the array at its root's member: each read by parse (NULL, or what is
 * wrong with it) and offered, numbered from 1. JAGA_OK, JAGA_ERR_INVALID for a document
 * that is not such a page (the message names format), JAGA_ERR_IO when the store failed. */
struct json_t;
jaga_status jaga__import_json_records(importer *im, jaga_ctx *ctx, const char *format,
                                      const char *data, size_t len, const char *member,
                                      const char *(*parse)(struct json_t *record, jaga_entry *e));

/* Walks the lines of a text (LF or CRLF), numbering them from 1. */
typedef struct line_reader {
    const char *p, *end;
    size_t number;
} line_reader;

/* The next line (without its line break); 0 at the end. */
int jaga__next_line(line_reader *r, const char **line, size_t *len);

/* The format parsers. They return JAGA_OK when the document was read to its end (bad
 * records are reported through jaga__importer_bad), JAGA_ERR_INVALID for a malformed document,
 * JAGA_ERR_IO when the store failed. */
jaga_status jaga__import_csv(importer *im, jaga_ctx *ctx, const char *data, size_t len);
jaga_status jaga__import_te(importer *im, jaga_ctx *ctx, const char *data, size_t len);
jaga_status jaga__import_stopncii(importer *im, jaga_ctx *ctx, const char *data, size_t len);
jaga_status jaga__import_threatexchange(importer *im, jaga_ctx *ctx, const char *data, size_t len);
jaga_status jaga__import_ncmec(importer *im, jaga_ctx *ctx, const char *data, size_t len);

#endif
