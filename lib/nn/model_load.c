/* TensorFlow.js model files: model.json, its weights manifest and shards, dequantized. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn/model_internal.h"
#include "jaga/core.h"

void jaga_nn_limits_default(jaga_nn_limits *l)
{
    *l = (jaga_nn_limits){.json_bytes = 16u << 20,
                          .weight_bytes = 512u << 20,
                          .tensors = 4096,
                          .nodes = 4096,
                          .tensor_elements = 64u << 20};
}

static void limits_or_default(const jaga_nn_limits *given, jaga_nn_limits *out)
{
    if (given)
        *out = *given;
    else
        jaga_nn_limits_default(out);
}

/* How a weight is stored in its shard. */
typedef enum stored { STORED_F32, STORED_I32, STORED_U8, STORED_U16, STORED_F16 } stored;

static const size_t stored_bytes[] = {4, 4, 1, 2, 2};

typedef struct weight_spec {
    stored as;
    double min, scale; /* for uint8 and uint16 */
} weight_spec;

static jaga_status bad(jaga_ctx *ctx, const char *what, const char *name)
{
    return jaga_fail(ctx, JAGA_ERR_DECODE, "model: %s%s%s", what, name ? ": " : "",
                     name ? name : "");
}

/* A weight's manifest entry: name, shape, dtype, quantization. */
static jaga_status weight_entry(jaga_ctx *ctx, json_t *w, const jaga_nn_limits *lim, nn_weight *out,
                                weight_spec *spec)
{
    const char *name = json_string_value(json_object_get(w, "name"));
    const char *dtype = json_string_value(json_object_get(w, "dtype"));
    json_t *shape = json_object_get(w, "shape"), *q = json_object_get(w, "quantization");
    if (!name || !dtype || !json_is_array(shape))
        return bad(ctx, "a weight needs a name, a shape and a dtype", name);
    if (json_array_size(shape) > JAGA_NN_DIMS_MAX)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "model: weight %s has over %d dimensions", name,
                         JAGA_NN_DIMS_MAX);
    out->name = name;
    out->ndims = (int)json_array_size(shape);
    out->count = 1;
    for (int i = 0; i < out->ndims; i++) {
        json_t *d = json_array_get(shape, (size_t)i);
        json_int_t v = json_is_integer(d) ? json_integer_value(d) : -1;
        if (v < 0 || v > INT32_MAX)
            return bad(ctx, "a weight's dimensions are whole numbers from 0", name);
        out->shape[i] = v;
        if (v && out->count > lim->tensor_elements / (size_t)v)
            return jaga_fail(ctx, JAGA_ERR_LIMIT, "model: weight %s has over %zu elements", name,
                             lim->tensor_elements);
        out->count *= (size_t)v;
    }
    if (strcmp(dtype, "float32") != 0 && strcmp(dtype, "int32") != 0)
        return jaga_fail(ctx, JAGA_ERR_UNSUPPORTED, "model: weight %s has dtype %s", name, dtype);
    spec->as = strcmp(dtype, "int32") == 0 ? STORED_I32 : STORED_F32;
    if (!q)
        return JAGA_OK;
    const char *qtype = json_string_value(json_object_get(q, "dtype"));
    json_t *min = json_object_get(q, "min"), *scale = json_object_get(q, "scale");
    if (qtype && strcmp(qtype, "float16") == 0 && spec->as == STORED_F32) {
        spec->as = STORED_F16;
        return JAGA_OK;
    }
    if (!qtype || (strcmp(qtype, "uint8") != 0 && strcmp(qtype, "uint16") != 0) ||
        !json_is_number(min) || !json_is_number(scale))
        return bad(ctx, "quantization is uint8 or uint16 with min and scale, or float16", name);
    spec->as = strcmp(qtype, "uint8") == 0 ? STORED_U8 : STORED_U16;
    spec->min = json_number_value(min);
    spec->scale = json_number_value(scale);
    if (!isfinite(spec->min) || !isfinite(spec->scale))
        return bad(ctx, "quantization min and scale must be finite", name);
    return JAGA_OK;
}

/* IEEE 754 half to single precision. */
static float half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 0x1f, man = h & 0x3ff, bits;
    if (exp == 0x1f)
        bits = sign | 0x7f800000u | man << 13; /* infinity, NaN */
    else if (exp)
        bits = sign | (exp + 112) << 23 | man << 13;
    else if (!man)
        bits = sign;
    else { /* subnormal: normalize */
        exp = 113;
        while (!(man & 0x400)) {
            man <<= 1;
            exp--;
        }
        bits = sign | exp << 23 | (man & 0x3ff) << 13;
    }
    float f;
    memcpy(&f, &bits, sizeof(f));
    return f;
}

/* The stored bytes of a weight into its values (little-endian, as TensorFlow.js writes). */
static jaga_status dequantize(jaga_ctx *ctx, nn_weight *w, const weight_spec *s, const uint8_t *p)
{
    size_t n = w->count ? w->count : 1;
    if (s->as == STORED_I32) {
        if (!(w->ints = malloc(n * sizeof(int32_t))))
            return jaga_fail(ctx, JAGA_ERR_NOMEM, "model: no memory for %s", w->name);
        for (size_t i = 0; i < w->count; i++)
            w->ints[i] = (int32_t)((uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
                                   (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24);
        return JAGA_OK;
    }
    if (!(w->values = malloc(n * sizeof(float))))
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "model: no memory for %s", w->name);
    for (size_t i = 0; i < w->count; i++) {
        switch (s->as) {
        case STORED_F32: {
            uint32_t bits = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
                            (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
            memcpy(&w->values[i], &bits, sizeof(float));
            break;
        }
        case STORED_U8:
            w->values[i] = (float)(s->min + s->scale * p[i]);
            break;
        case STORED_U16:
            w->values[i] = (float)(s->min + s->scale * (p[2 * i] | p[2 * i + 1] << 8));
            break;
        default:
            w->values[i] = half_to_float((uint16_t)(p[2 * i] | p[2 * i + 1] << 8));
        }
    }
    return JAGA_OK;
}

/* A shard's name as the manifest gives it: a plain file name beside model.json. */
static int plain_name(const char *name)
{
    return name && *name && name[0] != '.' && !strchr(name, '/') && !strchr(name, '\\') &&
           strlen(name) < 256;
}

/* One manifest group: its shards read and joined, then cut into its weights. */
static jaga_status read_group(jaga_ctx *ctx, jaga_nn_model *m, json_t *group,
                              const jaga_nn_limits *lim, jaga_nn_shard_fn shard, void *arg,
                              size_t *weight_bytes)
{
    json_t *paths = json_object_get(group, "paths"), *weights = json_object_get(group, "weights");
    if (!json_is_array(paths) || !json_is_array(weights))
        return bad(ctx, "a manifest group needs paths and weights", NULL);
    size_t n = json_array_size(weights), first = m->nweights, need = 0;
    if (m->nweights + n > lim->tensors)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "model: over %zu weights", lim->tensors);
    nn_weight *grown = realloc(m->weights, (m->nweights + n) * sizeof(nn_weight));
    weight_spec *specs = calloc(n ? n : 1, sizeof(weight_spec));
    if (grown)
        m->weights = grown;
    if (!grown || !specs) {
        free(specs);
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "model: no memory");
    }
    memset(m->weights + first, 0, n * sizeof(nn_weight));
    jaga_status st = JAGA_OK;
    for (size_t i = 0; st == JAGA_OK && i < n; i++) {
        st = weight_entry(ctx, json_array_get(weights, i), lim, &m->weights[first + i], &specs[i]);
        m->nweights += st == JAGA_OK;
        if (st == JAGA_OK) {
            size_t bytes = m->weights[first + i].count * stored_bytes[specs[i].as];
            if (bytes > lim->weight_bytes - *weight_bytes - need)
                st = jaga_fail(ctx, JAGA_ERR_LIMIT, "model: weights over %zu bytes",
                               lim->weight_bytes);
            need += bytes;
        }
    }
    /* The shards, joined: exactly the bytes the weights need. */
    uint8_t *joined = st == JAGA_OK ? malloc(need ? need : 1) : NULL;
    if (st == JAGA_OK && !joined)
        st = jaga_fail(ctx, JAGA_ERR_NOMEM, "model: no memory for %zu bytes of weights", need);
    size_t have = 0;
    for (size_t i = 0; st == JAGA_OK && i < json_array_size(paths); i++) {
        const char *name = json_string_value(json_array_get(paths, i));
        void *data = NULL;
        size_t len = 0;
        if (!plain_name(name))
            st = bad(ctx, "a shard path must be a file name beside model.json", name);
        else if ((st = shard(arg, ctx, name, need - have, &data, &len)) == JAGA_ERR_LIMIT)
            st = jaga_fail(ctx, JAGA_ERR_DECODE,
                           "model: shard %s holds more bytes than its weights need", name);
        if (st == JAGA_OK) {
            memcpy(joined + have, data, len);
            have += len;
        }
        free(data);
    }
    if (st == JAGA_OK && have != need)
        st = jaga_fail(ctx, JAGA_ERR_DECODE,
                       "model: the shards hold %zu bytes, the weights need %zu (truncated?)", have,
                       need);
    for (size_t i = 0, at = 0; st == JAGA_OK && i < n; i++) {
        nn_weight *w = &m->weights[first + i];
        st = dequantize(ctx, w, &specs[i], joined + at);
        at += w->count * stored_bytes[specs[i].as];
    }
    *weight_bytes += need;
    free(joined);
    free(specs);
    return st;
}

/* Weights named twice would make the model ambiguous. */
static int by_name(const void *a, const void *b)
{
    return strcmp(((const nn_weight *)a)->name, ((const nn_weight *)b)->name);
}

static jaga_status read_weights(jaga_ctx *ctx, jaga_nn_model *m, json_t *manifest,
                                const jaga_nn_limits *lim, jaga_nn_shard_fn shard, void *arg)
{
    if (!json_is_array(manifest))
        return bad(ctx, "weightsManifest must be an array", NULL);
    size_t bytes = 0;
    jaga_status st = JAGA_OK;
    for (size_t i = 0; st == JAGA_OK && i < json_array_size(manifest); i++)
        st = read_group(ctx, m, json_array_get(manifest, i), lim, shard, arg, &bytes);
    if (st != JAGA_OK)
        return st;
    if (m->nweights)
        qsort(m->weights, m->nweights, sizeof(nn_weight), by_name);
    for (size_t i = 1; i < m->nweights; i++)
        if (strcmp(m->weights[i - 1].name, m->weights[i].name) == 0)
            return bad(ctx, "a weight is named twice", m->weights[i].name);
    return JAGA_OK;
}

jaga_status jaga_nn_model_parse(jaga_ctx *ctx, const char *json, size_t len,
                                const jaga_nn_limits *limits, jaga_nn_shard_fn shard, void *arg,
                                jaga_nn_model **out)
{
    *out = NULL;
    jaga_nn_limits lim;
    limits_or_default(limits, &lim);
    if (len > lim.json_bytes)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "model: model.json over %zu bytes", lim.json_bytes);
    json_error_t err;
    json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return jaga_fail(ctx, JAGA_ERR_DECODE, "model: model.json is not a JSON object (%s)",
                         doc ? "" : err.text);
    }
    jaga_nn_model *m = calloc(1, sizeof(*m));
    if (!m) {
        json_decref(doc);
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "model: no memory");
    }
    m->doc = doc;
    json_t *topology = json_object_get(doc, "modelTopology");
    const char *format = json_string_value(json_object_get(doc, "format"));
    jaga_status st = JAGA_OK;
    if (!json_is_object(topology))
        st = bad(ctx, "model.json has no modelTopology", NULL);
    else if (format && strcmp(format, "graph-model") == 0)
        m->format = JAGA_NN_GRAPH_MODEL;
    else if ((!format || strcmp(format, "layers-model") == 0) &&
             json_object_get(topology, "model_config"))
        m->format = JAGA_NN_LAYERS_MODEL;
    else
        st = jaga_fail(ctx, JAGA_ERR_UNSUPPORTED, "model: format %s is not a layers or graph model",
                       format ? format : "(none)");
    if (st == JAGA_OK)
        st = read_weights(ctx, m, json_object_get(doc, "weightsManifest"), &lim, shard, arg);
    if (st == JAGA_OK)
        st = jaga__nn_topology_read(ctx, m, topology, lim.nodes);
    if (st == JAGA_OK)
        st = jaga__nn_shapes_infer(ctx, m);
    if (st != JAGA_OK) {
        jaga_nn_model_free(m);
        return st;
    }
    *out = m;
    return JAGA_OK;
}

/* Shards from the folder of model.json. */
static jaga_status file_shard(void *arg, jaga_ctx *ctx, const char *name, size_t max, void **data,
                              size_t *len)
{
    char path[4096];
    if (snprintf(path, sizeof(path), "%s/%s", (const char *)arg, name) >= (int)sizeof(path))
        return jaga_fail(ctx, JAGA_ERR_INVALID, "model: path too long");
    return jaga_file_read(ctx, path, max, data, len);
}

jaga_status jaga_nn_model_load(jaga_ctx *ctx, const char *path, const jaga_nn_limits *limits,
                               jaga_nn_model **out)
{
    *out = NULL;
    jaga_nn_limits lim;
    limits_or_default(limits, &lim);
    char dir[4096];
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    void *json = NULL;
    size_t len = 0;
    jaga_status st = jaga_file_read(ctx, path, lim.json_bytes, &json, &len);
    if (st == JAGA_OK)
        st = jaga_nn_model_parse(ctx, json, len, &lim, file_shard, dir, out);
    free(json);
    return st;
}

void jaga_nn_model_free(jaga_nn_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nweights; i++) {
        free(m->weights[i].values);
        free(m->weights[i].ints);
    }
    for (size_t i = 0; i < m->nnodes; i++)
        free(m->nodes[i].inputs);
    free(m->weights);
    free(m->nodes);
    free(m->inputs);
    free(m->outputs);
    free(m->order);
    free(m->byname);
    json_decref(m->doc);
    free(m);
}

jaga_nn_format jaga_nn_model_format(const jaga_nn_model *m)
{
    return m->format;
}

size_t jaga_nn_model_nodes(const jaga_nn_model *m)
{
    return m->nnodes;
}

size_t jaga_nn_model_weights(const jaga_nn_model *m)
{
    return m->nweights;
}

const nn_weight *jaga__nn_weight_find(const jaga_nn_model *m, const char *name)
{
    nn_weight key = {.name = name};
    return m->nweights ? bsearch(&key, m->weights, m->nweights, sizeof(nn_weight), by_name) : NULL;
}

jaga_status jaga_nn_model_weight(const jaga_nn_model *m, const char *name, jaga_nn_tensor *out)
{
    const nn_weight *w = jaga__nn_weight_find(m, name);
    if (!w)
        return JAGA_ERR_NOT_FOUND;
    *out = (jaga_nn_tensor){.name = w->name,
                            .ndims = w->ndims,
                            .count = w->count,
                            .values = w->values,
                            .ints = w->ints};
    memcpy(out->shape, w->shape, sizeof(out->shape));
    return JAGA_OK;
}
