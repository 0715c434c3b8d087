/* The stopncii bank format: one FetchHashes response page. */
#include <jansson.h>
#include <string.h>

#include "index/bank_import.h"
#include "jaga/core.h"

/* One hash record into e; NULL or what is wrong with it. */
static const char *parse_record(json_t *rec, jaga_entry *e)
{
    if (!json_is_object(rec))
        return "not an object";
    const char *type = json_string_value(json_object_get(rec, "signalType"));
    const char *value = json_string_value(json_object_get(rec, "hashValue"));
    const char *status = json_string_value(json_object_get(rec, "hashStatus"));
    json_t *when = json_object_get(rec, "lastModtimestamp");
    if (!type || !value || !status)
        return "signalType, hashValue and hashStatus must be strings";
    if (strcmp(type, "ImagePDQ") == 0)
        e->type = JAGA_SIGNAL_PDQ;
    else if (strcmp(type, "VideoMD5") == 0)
        e->type = JAGA_SIGNAL_MD5;
    else
        return "signalType is neither ImagePDQ nor VideoMD5";
    if (strlen(value) >= sizeof(e->value))
        return "hashValue too long";
    strcpy(e->value, value);
    if (strcmp(status, "Withdrawn") == 0 || strcmp(status, "Deleted") == 0)
        e->withdrawn = 1;
    else if (strcmp(status, "Received") != 0 && strcmp(status, "Active") != 0)
        return "hashStatus is not Received, Active, Withdrawn or Deleted";
    if (when && !json_is_null(when)) {
        if (!json_is_integer(when) || json_integer_value(when) < 0)
            return "lastModtimestamp is not a Unix time";
        json_int_t t = json_integer_value(when);
        /* StopNCII stamps in milliseconds; seconds are taken as they are. */
        e->added_at = t > 100000000000LL ? t / 1000 : t;
    }
    strcpy(e->labels, "source=stopncii");
    return NULL;
}

jaga_status jaga__import_stopncii(importer *im, jaga_ctx *ctx, const char *data, size_t len)
{
    return jaga__import_json_records(im, ctx, "stopncii", data, len, "hashRecords", parse_record);
}
