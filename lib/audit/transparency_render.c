/* The transparency report as JSON, as CSV (RFC 4180) and as a page with inline SVG charts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/transparency_internal.h"
#include "jaga/digest.h"
#include "jaga/digest.h"

json_t *jaga__transparency_time(int64_t t)
{
    char text[32];
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_string(text);
}

static json_t *head_json(const jaga_tree_head *head, const uint8_t public_key[32])
{
    char root[65], sig[129], pub[65];
    jaga_hex_encode(head->root, 32, root);
    jaga_hex_encode(head->signature, 64, sig);
    jaga_hex_encode(public_key, 32, pub);
    return json_pack("{s:I,s:s,s:I,s:s,s:s}", "size", (json_int_t)head->size, "root", root,
                     "signed_at", (json_int_t)head->signed_at, "signature", sig, "public_key", pub);
}

static char *render_json(json_t *rows, const jaga_transparency_query *q, const jaga_tree_head *head,
                         const uint8_t public_key[32])
{
    json_t *doc =
        json_pack("{s:s,s:{s:o,s:o},s:o,s:o,s:o,s:O}", "report", "jaga transparency report",
                  "period", "from", jaga__transparency_time(q->from), "to",
                  q->to ? jaga__transparency_time(q->to) : json_null(), "jurisdiction",
                  q->jurisdiction[0] ? json_string(q->jurisdiction) : json_null(), "as_of",
                  jaga__transparency_time(head->signed_at), "tree_head",
                  head_json(head, public_key), "rows", rows);
    char *text = doc ? json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    return text;
}

/* A CSV field, quoted when it must be (RFC 4180 2.6, 2.7). */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_row(FILE *f, const char *const fields[6])
{
    for (int i = 0; i < 6; i++) {
        if (i)
            fputc(',', f);
        csv_field(f, fields[i]);
    }
    fputs("\r\n", f);
}

static void render_csv(FILE *f, json_t *rows, const jaga_tree_head *head,
                       const uint8_t public_key[32])
{
    static const char *const header[6] = {"quarter",      "section",  "dimension",
                                          "subdimension", "quantity", "value"};
    csv_row(f, header);
    json_t *h = head_json(head, public_key);
    const char *key;
    json_t *v;
    json_object_foreach(h, key, v)
    {
        char value[160];
        if (json_is_integer(v))
            snprintf(value, sizeof(value), "%lld", (long long)json_integer_value(v));
        else
            snprintf(value, sizeof(value), "%s", json_string_value(v));
        char quantity[48];
        snprintf(quantity, sizeof(quantity), "tree_%s", key);
        const char *fields[6] = {"all", "audit_log", "", "", quantity, value};
        csv_row(f, fields);
    }
    json_decref(h);
    size_t i;
    json_array_foreach(rows, i, v)
    {
        char value[64];
        snprintf(value, sizeof(value), "%.10g", json_number_value(json_object_get(v, "value")));
        const char *fields[6] = {json_string_value(json_object_get(v, "quarter")),
                                 json_string_value(json_object_get(v, "section")),
                                 json_string_value(json_object_get(v, "dimension")),
                                 json_string_value(json_object_get(v, "subdimension")),
                                 json_string_value(json_object_get(v, "quantity")),
                                 value};
        csv_row(f, fields);
    }
}

static void html_textn(FILE *f, const char *s, size_t n)
{
    for (const char *end = s + n; s < end; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static void html_text(FILE *f, const char *s)
{
    html_textn(f, s, strlen(s));
}

static const char *field(json_t *row, const char *name)
{
    const char *s = json_string_value(json_object_get(row, name));
    return s ? s : "";
}

/* Horizontal bars of one quantity of one section over the whole period, by dimension (summed
 * over the subdimension). */
static void chart(FILE *f, json_t *rows, const char *section, const char *quantity,
                  const char *title)
{
    json_t *sums = json_object();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (strcmp(field(row, "quarter"), "all") != 0 ||
            strcmp(field(row, "section"), section) != 0 ||
            strcmp(field(row, "quantity"), quantity) != 0)
            continue;
        const char *label = field(row, "dimension");
        json_t *was = json_object_get(sums, label);
        double sum =
            (was ? json_number_value(was) : 0) + json_number_value(json_object_get(row, "value"));
        json_object_set_new(sums, label, json_real(sum));
    }
    double max = 0;
    const char *label;
    json_t *v;
    json_object_foreach(sums, label, v)
    {
        max = json_number_value(v) > max ? json_number_value(v) : max;
    }
    size_t n = json_object_size(sums);
    fprintf(f,
            "<figure><svg class=\"chart\" data-chart=\"%s\" role=\"img\" width=\"640\""
            " height=\"%zu\" viewBox=\"0 0 640 %zu\"><title>",
            section, 24 * n + 8, 24 * n + 8);
    html_text(f, title);
    fputs("</title>", f);
    size_t y = 4;
    json_object_foreach(sums, label, v)
    {
        double value = json_number_value(v);
        double width = max > 0 ? 380.0 * value / max : 0;
        fputs("<text x=\"0\" y=\"", f);
        fprintf(f, "%zu\" dy=\"14\">", y);
        html_text(f, label);
        fprintf(f,
                "</text><rect class=\"bar\" x=\"200\" y=\"%zu\" width=\"%.1f\" height=\"18\""
                " data-label=\"",
                y, width);
        html_text(f, label);
        fprintf(f,
                "\" data-value=\"%.10g\"></rect><text x=\"%.1f\" y=\"%zu\" dy=\"14\">%.10g"
                "</text>",
                value, 206 + width, y, value);
        y += 24;
    }
    fputs("</svg><figcaption>", f);
    html_text(f, title);
    fputs("</figcaption></figure>", f);
    json_decref(sums);
}

/* One table per section: a row per quantity and dimension, a column per quarter. */
static void table(FILE *f, json_t *rows, const char *section)
{
    json_t *quarters = json_object(), *lines = json_object();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (strcmp(field(row, "section"), section) != 0)
            continue;
        json_object_set_new(quarters, field(row, "quarter"), json_true());
        char key[400];
        snprintf(key, sizeof(key), "%s\x1f%s\x1f%s", field(row, "quantity"),
                 field(row, "dimension"), field(row, "subdimension"));
        json_t *line = json_object_get(lines, key);
        if (!line)
            json_object_set_new(lines, key, line = json_object());
        json_object_set(line, field(row, "quarter"), json_object_get(row, "value"));
    }
    if (json_object_size(lines) == 0) {
        fputs("<p class=\"none\">Nothing in this period.</p>", f);
    } else {
        fprintf(f,
                "<table data-section=\"%s\"><thead><tr><th>quantity</th><th>dimension</th>"
                "<th>detail</th>",
                section);
        const char *q, *key;
        json_t *v, *line;
        json_object_foreach(quarters, q, v)
        {
            fputs("<th>", f);
            html_text(f, q);
            fputs("</th>", f);
        }
        fputs("</tr></thead><tbody>", f);
        json_object_foreach(lines, key, line)
        {
            fputs("<tr>", f);
            const char *p = key;
            for (int k = 0; k < 3; k++) { /* quantity, dimension, subdimension */
                size_t n = strcspn(p, "\x1f");
                fputs("<td>", f);
                html_textn(f, p, n);
                fputs("</td>", f);
                p += n + (p[n] != '\0');
            }
            json_object_foreach(quarters, q, v)
            {
                json_t *cell = json_object_get(line, q);
                if (cell)
                    fprintf(f, "<td class=\"n\">%.10g</td>", json_number_value(cell));
                else
                    fputs("<td></td>", f);
            }
            fputs("</tr>", f);
        }
        fputs("</tbody></table>", f);
    }
    json_decref(quarters);
    json_decref(lines);
}

static void render_html(FILE *f, json_t *rows, const jaga_transparency_query *q,
                        const jaga_tree_head *head, const uint8_t public_key[32])
{
    static const struct {
        const char *section, *title, *quantity, *chart;
    } sections[] = {
        {"orders", "Orders and notices from authorities", "notices_received",
         "Notices received, by jurisdiction"},
        {"notices", "Reports from users and trusted flaggers", "reports_received",
         "Reports received, by category"},
        {"actions", "Decisions by action and ground", "decisions", "Decisions, by action"},
        {"automation", "Automated detection and automated actions", NULL, NULL},
        {"appeals", "Appeals and reversals", NULL, NULL},
        {"first_review", "First review within its deadline", NULL, NULL},
    };
    json_t *from = jaga__transparency_time(q->from),
           *to = q->to ? jaga__transparency_time(q->to) : NULL,
           *as_of = jaga__transparency_time(head->signed_at);
    char root[65], sig[129], pub[65];
    jaga_hex_encode(head->root, 32, root);
    jaga_hex_encode(head->signature, 64, sig);
    jaga_hex_encode(public_key, 32, pub);
    fputs("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width\">"
          "<title>Transparency report</title><style>"
          "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;"
          "padding:0 1em;color:#1a1a1a}h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em}"
          "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
          "padding:.2em .5em;text-align:left}td.n{text-align:right}code{word-break:break-all}"
          ".bar{fill:#2b6cb0}svg text{font-size:12px;fill:#1a1a1a}figure{margin:1em 0}"
          "</style></head><body><h1>Transparency report</h1>",
          f);
    fprintf(f, "<p id=\"period\">From %s to %s", json_string_value(from),
            to ? json_string_value(to) : "now");
    fprintf(f, ", %s. As of %s.</p>", q->jurisdiction[0] ? q->jurisdiction : "every jurisdiction",
            json_string_value(as_of));
    fprintf(f,
            "<section id=\"audit-log\"><h2>Where these figures come from</h2><p>Every figure "
            "below is computed from the first <span id=\"tree-size\">%llu</span> leaves of the "
            "audit log, whose tree head is signed with Ed25519:</p><dl><dt>root</dt>"
            "<dd><code id=\"tree-root\">%s</code></dd><dt>signed at</dt><dd>%lld</dd>"
            "<dt>signature</dt><dd><code id=\"tree-signature\">%s</code></dd><dt>public key</dt>"
            "<dd><code id=\"public-key\">%s</code></dd></dl><p>Auditors check that this head is "
            "consistent with the ones they saw before (jaga audit watch) and recompute the "
            "figures from the leaves.</p></section>",
            (unsigned long long)head->size, root, (long long)head->signed_at, sig, pub);
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        fprintf(f, "<section id=\"%s\"><h2>%s</h2>", sections[i].section, sections[i].title);
        if (sections[i].chart)
            chart(f, rows, sections[i].section, sections[i].quantity, sections[i].chart);
        table(f, rows, sections[i].section);
        fputs("</section>", f);
    }
    fputs("</body></html>\n", f);
    json_decref(from);
    json_decref(to);
    json_decref(as_of);
}

char *jaga__transparency_render(json_t *rows, const jaga_transparency_query *q,
                                const jaga_tree_head *head, const uint8_t public_key[32],
                                jaga_transparency_format fmt, size_t *len)
{
    if (fmt == JAGA_TRANSPARENCY_JSON) {
        char *text = render_json(rows, q, head, public_key);
        *len = text ? strlen(text) : 0;
        return text;
    }
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (!f)
        return NULL;
    if (fmt == JAGA_TRANSPARENCY_CSV)
        render_csv(f, rows, head, public_key);
    else
        render_html(f, rows, q, head, public_key);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
