/* The ncmec bank format: one page of NCMEC's hash-sharing API (XML, libxml2). */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <string.h>

#include "index/bank_import.h"
#include "jaga/core.h"

static int named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The text of the first child element called name into out (trimmed); 0 when absent or too
 * long. */
static int child_text(const xmlNode *parent, const char *name, char *out, size_t cap)
{
    for (const xmlNode *c = parent ? parent->children : NULL; c; c = c->next) {
        if (!named(c, name))
            continue;
        xmlChar *text = xmlNodeGetContent(c);
        const char *t = text ? (const char *)text : "";
        t += strspn(t, " \t\r\n");
        size_t len = strlen(t);
        while (len && strchr(" \t\r\n", t[len - 1]))
            len--;
        int ok = len > 0 && len < cap;
        if (ok) {
            memcpy(out, t, len);
            out[len] = '\0';
        }
        xmlFree(text);
        return ok;
    }
    return 0;
}

static const xmlNode *child(const xmlNode *parent, const char *name)
{
    for (const xmlNode *c = parent->children; c; c = c->next)
        if (named(c, name))
            return c;
    return NULL;
}

/* An id or classification fit for a label: no separators, no control characters. */
static int label_safe(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || strchr(",;=", *s))
            return 0;
    return 1;
}

/* "2017-10-24T15:00:00Z" as Unix seconds, or 0. */
static int64_t iso_time(const char *text)
{
    int64_t t;
    return jaga_time_parse(text, &t) == 0 ? t : 0;
}

/* One <image> or <video>: an entry per fingerprint jaga holds. 0, or -1 when the store
 * failed. */
static int record(importer *im, const xmlNode *n, size_t number)
{
    char id[64], classification[16] = "", when[40] = "";
    if (!child_text(n, "id", id, sizeof(id)) || !label_safe(id)) {
        jaga__importer_bad(im, number, "%s without a usable <id>", (const char *)n->name);
        return 0;
    }
    if (child_text(n, "classification", classification, sizeof(classification)) &&
        !label_safe(classification))
        classification[0] = '\0';
    child_text(n, "timestamp", when, sizeof(when));
    const xmlNode *fingerprints = child(n, "fingerprints");
    static const struct {
        const char *element;
        jaga_signal_type type;
    } kinds[] = {{"md5", JAGA_SIGNAL_MD5}, {"pdq", JAGA_SIGNAL_PDQ}};
    int found = 0;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        jaga_entry e = {.type = kinds[k].type, .quality = -1, .added_at = iso_time(when)};
        if (!fingerprints || !child_text(fingerprints, kinds[k].element, e.value, sizeof(e.value)))
            continue;
        found = 1;
        snprintf(e.labels, sizeof(e.labels), "source=ncmec;ncmec_id=%s%s%s", id,
                 classification[0] ? ";classification=" : "", classification);
        if (jaga__importer_record(im, number, &e) != 0)
            return -1;
    }
    if (!found)
        jaga__importer_bad(im, number, "%s %s has no md5 or pdq fingerprint", (const char *)n->name,
                           id);
    return 0;
}

jaga_status jaga__import_ncmec(importer *im, jaga_ctx *ctx, const char *data, size_t len)
{
    if (len > (size_t)INT32_MAX)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "ncmec: too large");
    /* No network, no DTD, no entity expansion: the document is data only. */
    xmlDoc *doc = xmlReadMemory(data, (int)len, "ncmec.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || !named(root, "queryResult")) {
        xmlFreeDoc(doc);
        return jaga_fail(ctx, JAGA_ERR_INVALID, "ncmec: not a <queryResult> document");
    }
    size_t number = 0;
    jaga_status st = JAGA_OK;
    for (const xmlNode *group = root->children; group && st == JAGA_OK; group = group->next) {
        if (!named(group, "images") && !named(group, "videos"))
            continue;
        for (const xmlNode *n = group->children; n && st == JAGA_OK; n = n->next) {
            if (n->type != XML_ELEMENT_NODE)
                continue;
            number++;
            char id[64];
            if (named(n, "image") || named(n, "video")) {
                st = record(im, n, number) == 0 ? JAGA_OK : JAGA_ERR_IO;
            } else if (named(n, "deletedImage") || named(n, "deletedVideo")) {
                if (!child_text(n, "id", id, sizeof(id)) || !label_safe(id))
                    jaga__importer_bad(im, number, "%s without a usable <id>",
                                       (const char *)n->name);
                else if (jaga__importer_withdraw_labelled(im, number, "ncmec_id=", id) != 0)
                    st = JAGA_ERR_IO;
            } else {
                jaga__importer_bad(im, number, "unknown element <%s>", (const char *)n->name);
            }
        }
    }
    xmlFreeDoc(doc);
    return st;
}
