#include "compliance_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *compliance_texts_load(const char *path, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *t = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!t) {
        snprintf(err, errlen, "%s:%d: %s", path, jerr.line, jerr.text);
        return NULL;
    }
    json_t *en = json_object_get(t, "en");
    const char *lang, *key;
    json_t *texts, *v;
    int ok = json_is_object(en) && json_object_size(en) > 0;
    json_object_foreach(t, lang, texts)
    {
        ok &= json_is_object(texts) && strlen(lang) == 2;
        json_object_foreach(en, key, v)
        {
            if (!json_is_string(json_object_get(texts, key))) {
                snprintf(err, errlen, "%s: language %s has no text for %s", path, lang, key);
                json_decref(t);
                return NULL;
            }
        }
    }
    if (!ok) {
        snprintf(err, errlen, "%s: an object of two-letter languages with \"en\" among them", path);
        json_decref(t);
        return NULL;
    }
    return t;
}

static void escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else if (*s == '\'')
            fputs("&#39;", f);
        else
            fputc(*s, f);
    }
}

/* A text of the language with {country} replaced by name, escaped. */
static void text(FILE *f, json_t *lang, const char *key, const char *name)
{
    const char *t = json_string_value(json_object_get(lang, key));
    const char *at = t ? strstr(t, "{country}") : NULL;
    if (!t)
        return;
    if (!at) {
        escaped(f, t);
        return;
    }
    char *head = strndup(t, (size_t)(at - t));
    if (head)
        escaped(f, head);
    free(head);
    escaped(f, name);
    escaped(f, at + 9);
}

static void link(FILE *f, const char *url)
{
    fputs("<a href=\"", f);
    escaped(f, url);
    fputs("\">", f);
    escaped(f, url);
    fputs("</a>", f);
}

static const char style[] =
    "body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;"
    "color:#1b1b1b;line-height:1.5}section{border-top:1px solid #ccc;padding:1rem 0}"
    "h1{font-size:1.4rem}h2{font-size:1.1rem}dt{font-weight:600}dd{margin:0 0 .5rem}";

static void section(FILE *f, json_t *texts, const char *lang, const page_view *v)
{
    json_t *t = json_object_get(texts, lang);
    const char *name = strcmp(v->j->code, v->country) == 0 ? v->j->name : v->country;
    static const char *const status[] = {"restricted_here", "available",        "withheld_content",
                                         "removed",         "withheld_service", "available"};
    fprintf(f, "<section lang=\"%s\" class=\"lang-%s\">\n<h1>", lang, lang);
    text(f, t, "title", name);
    fputs("</h1>\n<p class=\"status\">", f);
    text(f, t, status[v->state], name);
    fputs("</p>\n<dl>\n", f);
    if (v->reason && v->reason[0] && v->state != PAGE_AVAILABLE) {
        fputs("<dt>", f);
        text(f, t, "reason", name);
        fputs("</dt><dd class=\"reason\">", f);
        escaped(f, v->reason);
        fputs("</dd>\n", f);
    }
    if (v->state != PAGE_AVAILABLE && v->state != PAGE_OVERVIEW) {
        fputs("<dt>", f);
        text(f, t, "legal", name);
        fputs("</dt><dd class=\"legal\">", f);
        if (v->legal) {
            escaped(f, v->legal->citation);
            if (v->legal->source[0])
                fputs(" (", f), link(f, v->legal->source), fputs(")", f);
        } else if (v->ground_terms) {
            text(f, t, "terms", name);
        } else {
            fputs("&#8212;", f);
        }
        fputs("</dd>\n", f);
    }
    if (v->state == PAGE_OVERVIEW && v->j->nlegal) {
        fputs("<dt>", f);
        text(f, t, "legal", name);
        fputs("</dt>\n", f);
    }
    for (size_t i = 0; v->state == PAGE_OVERVIEW && i < v->j->nlegal; i++) {
        fputs("<dd class=\"legal\">", f);
        escaped(f, v->j->legal[i].citation);
        fputs("</dd>\n", f);
    }
    if (v->j->regulator[0]) {
        fputs("<dt>", f);
        text(f, t, "regulator", name);
        fputs("</dt><dd>", f);
        escaped(f, v->j->regulator);
        fputs("</dd>\n", f);
    }
    fputs("</dl>\n<h2>", f);
    text(f, t, "report", name);
    fputs("</h2>\n<p>", f);
    text(f, t, "report_text", name);
    fputs(" ", f);
    link(f, v->report_url);
    fputs("</p>\n", f);
    if (v->state != PAGE_OVERVIEW && v->state != PAGE_SERVICE_WITHHELD) {
        fputs("<h2>", f);
        text(f, t, "appeal", name);
        fputs("</h2>\n<p>", f);
        text(f, t, "appeal_text", name);
        fputs(" ", f);
        link(f, v->appeal_url);
        fputs("</p>\n", f);
    }
    fputs("</section>\n", f);
}

char *compliance_page_render(json_t *texts, const page_view *v)
{
    /* The jurisdiction's languages that have texts, then English if it is not among them. */
    const char *langs[JAGA_POLICY_LANGS_MAX + 1];
    size_t n = 0;
    int english = 0;
    for (size_t i = 0; i < v->j->nlanguages; i++)
        if (json_object_get(texts, v->j->languages[i])) {
            langs[n++] = v->j->languages[i];
            english |= strcmp(v->j->languages[i], "en") == 0;
        }
    if (!english)
        langs[n++] = "en";
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f)
        return NULL;
    fprintf(f,
            "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>",
            langs[0]);
    text(f, json_object_get(texts, langs[0]), "title", v->country);
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n", style);
    for (size_t i = 0; i < n; i++)
        section(f, texts, langs[i], v);
    fputs("</body>\n</html>\n", f);
    if (fclose(f) != 0) {
        free(out);
        return NULL;
    }
    return out;
}
