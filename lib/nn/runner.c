/* A model's graph planned for XNNPACK (nn/xnn.h): each node, in an order where its inputs come
 * first, becomes XNNPACK ops on float32 values. Weights are laid out as XNNPACK takes them
 * (convolution filters [out, kh, kw, in]); a batch normalization right after a convolution is
 * folded into the convolution's filter and bias, and a ReLU after either into its clamp. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn/model_internal.h"
#include "nn/xnn.h"
#include "jaga/core.h"

struct jaga_nn_runner {
    nn_xnn *x;
    float **owned; /* weights prepared for XNNPACK, kept as long as the runtime */
    size_t nowned;
    int64_t side;    /* a square RGB image model's input side, else 0 */
    int64_t outputs; /* its output's size */
    float *input;    /* room for one input, for jaga_nn_classify */
};

typedef struct plan {
    jaga_ctx *ctx;
    const jaga_nn_model *m;
    jaga_nn_runner *r;
    uint32_t *ids;        /* each node's output value */
    size_t *consumers;    /* how many nodes take each node's output */
    size_t *only;         /* for a node taken once: the node that takes it */
    unsigned char *fused; /* nodes folded into the one before them */
    size_t output;        /* the node whose value is the model's output */
    jaga_status failed;
} plan;

static size_t index_of(const plan *p, const nn_node *n)
{
    return (size_t)(n - p->m->nodes);
}

static jaga_status fail(plan *p, const nn_node *n, const char *why)
{
    if (p->failed == JAGA_OK)
        p->failed = jaga_fail(p->ctx, JAGA_ERR_UNSUPPORTED, "nn: %s (%s): %s", n->name, n->op, why);
    return p->failed;
}

/* A buffer the runner keeps: count floats, zeroed. */
static float *owned(plan *p, size_t count)
{
    float **grown = realloc(p->r->owned, (p->r->nowned + 1) * sizeof(float *));
    float *buf = grown ? calloc(count ? count : 1, sizeof(float)) : NULL;
    if (grown)
        p->r->owned = grown;
    if (!buf) {
        if (p->failed == JAGA_OK)
            p->failed = jaga_fail(p->ctx, JAGA_ERR_NOMEM, "nn: no memory");
        return NULL;
    }
    p->r->owned[p->r->nowned++] = buf;
    return buf;
}

static uint32_t constant(plan *p, int ndims, const int64_t *shape, const float *data)
{
    uint32_t id = NN_NO_VALUE;
    if (data && jaga__nn_xnn_value(p->r->x, ndims, shape, data, NN_INTERNAL, &id) != 0)
        p->failed = jaga_fail(p->ctx, JAGA_ERR_UNSUPPORTED, "nn: XNNPACK refused a constant");
    return id;
}

/* The value of node n's output (the model's output value for the output node). */
static uint32_t value_of(plan *p, const nn_node *n)
{
    size_t i = index_of(p, n);
    if (p->ids[i] != NN_NO_VALUE)
        return p->ids[i];
    int external = i == p->output ? NN_EXTERNAL_OUTPUT : NN_INTERNAL;
    if (jaga__nn_xnn_value(p->r->x, n->ndims, n->shape, NULL, external, &p->ids[i]) != 0)
        p->failed = jaga_fail(p->ctx, JAGA_ERR_UNSUPPORTED, "nn: XNNPACK refused a value");
    return p->ids[i];
}

/* The value an input names: a node's output, or a constant (graph models' Const nodes). */
static uint32_t input_value(plan *p, const char *name)
{
    const nn_node *n = jaga__nn_node_of(p->m, name);
    if (!n)
        return NN_NO_VALUE;
    size_t i = index_of(p, n);
    if (p->ids[i] == NN_NO_VALUE && strcmp(n->op, "Const") == 0) {
        const nn_weight *w = jaga__nn_weight_find(p->m, n->name);
        p->ids[i] = w ? constant(p, w->ndims, w->shape, w->values) : NN_NO_VALUE;
    }
    return p->ids[i];
}

static const nn_weight *weight_of(const plan *p, const nn_node *n, const char *part)
{
    char name[600];
    snprintf(name, sizeof(name), "%s/%s", n->name, part);
    return jaga__nn_weight_find(p->m, name);
}

/* The Keras activation's clamp bounds; -1 for softmax, -2 for one not run. */
static int activation(const char *a, float *min, float *max)
{
    *min = -INFINITY, *max = INFINITY;
    if (!strcmp(a, "linear"))
        return 0;
    if (!strcmp(a, "relu") || !strcmp(a, "relu6")) {
        *min = 0;
        *max = a[4] == '6' ? 6.0f : INFINITY;
        return 0;
    }
    return !strcmp(a, "softmax") ? -1 : -2;
}

/* A ReLU layer's bounds: 0 to max_value; -1 for a leaky or thresholded one. */
static int relu_bounds(const nn_node *n, float *min, float *max)
{
    json_t *mv = json_object_get(n->attr, "max_value");
    double slope = json_number_value(json_object_get(n->attr, "negative_slope"));
    double threshold = json_number_value(json_object_get(n->attr, "threshold"));
    *min = 0;
    *max = json_is_number(mv) ? (float)json_number_value(mv) : INFINITY;
    return slope == 0 && threshold == 0 ? 0 : -1;
}

/* The node after n, taken by nothing else, when it is of that op (for fusing); else NULL. */
static const nn_node *next_if(const plan *p, const nn_node *n, const char *op)
{
    size_t i = index_of(p, n);
    if (p->consumers[i] != 1 || i == p->output)
        return NULL;
    const nn_node *next = &p->m->nodes[p->only[i]];
    return strcmp(next->op, op) == 0 ? next : NULL;
}

/* Folds a batch normalization into a filter of channels output channels (out_major: each
 * channel's taps contiguous, as [out, kh, kw, in]; else interleaved, as [1, kh, kw, out]) and
 * its bias: w' = w * s, b' = (b - mean) * s + beta, with s = gamma / sqrt(var + eps). */
static int fold_batch_norm(const plan *p, const nn_node *bn, float *filter, size_t count,
                           size_t channels, int out_major, float *bias)
{
    const nn_weight *gamma = weight_of(p, bn, "gamma"), *beta = weight_of(p, bn, "beta"),
                    *mean = weight_of(p, bn, "moving_mean"),
                    *var = weight_of(p, bn, "moving_variance");
    json_t *eps_v = json_object_get(bn->attr, "epsilon");
    double eps = json_is_number(eps_v) ? json_number_value(eps_v) : 1e-3;
    if (!mean || !var || mean->count != channels || var->count != channels ||
        (gamma && gamma->count != channels) || (beta && beta->count != channels))
        return -1;
    size_t taps = count / channels;
    for (size_t c = 0; c < channels; c++) {
        float scale = (float)((gamma ? gamma->values[c] : 1.0f) / sqrt(var->values[c] + eps));
        bias[c] = (bias[c] - mean->values[c]) * scale + (beta ? beta->values[c] : 0.0f);
        for (size_t t = 0; t < taps; t++)
            filter[out_major ? c * taps + t : t * channels + c] *= scale;
    }
    return 0;
}

/* A TensorFlow filter laid out for XNNPACK, kept by the runner: [kh, kw, in, out] becomes
 * [out, kh, kw, in]; a depthwise [kh, kw, in, mult] is already XNNPACK's [1, kh, kw, in *
 * mult]. */
static float *xnn_filter(plan *p, const nn_weight *w, int depthwise)
{
    float *filter = owned(p, w->count);
    int64_t kh = w->shape[0], kw = w->shape[1], cin = w->shape[2], cout = w->shape[3];
    if (!filter || depthwise) {
        if (filter)
            memcpy(filter, w->values, w->count * sizeof(float));
        return filter;
    }
    for (int64_t y = 0; y < kh; y++)
        for (int64_t x = 0; x < kw; x++)
            for (int64_t i = 0; i < cin; i++)
                for (int64_t o = 0; o < cout; o++)
                    filter[((o * kh + y) * kw + x) * cin + i] =
                        w->values[((y * kw + x) * cin + i) * cout + o];
    return filter;
}

/* A Keras config value of one int or a pair. */
static void pair(json_t *cfg, const char *key, int64_t def, int64_t out[2])
{
    json_t *v = json_object_get(cfg, key);
    out[0] = out[1] = def;
    if (json_is_integer(v))
        out[0] = out[1] = json_integer_value(v);
    else if (json_array_size(v) == 2)
        out[0] = json_integer_value(json_array_get(v, 0)),
        out[1] = json_integer_value(json_array_get(v, 1));
}

static const char *cfg_str(const nn_node *n, const char *key, const char *def)
{
    const char *v = json_string_value(json_object_get(n->attr, key));
    return v ? v : def;
}

/* The node after `last` fused into it when it is a ReLU taken by nothing else. */
static const nn_node *fuse_relu(plan *p, const nn_node *last, float *min, float *max)
{
    const nn_node *relu = next_if(p, last, "ReLU");
    if (relu && *min == -INFINITY && *max == INFINITY && relu_bounds(relu, min, max) == 0) {
        p->fused[index_of(p, relu)] = 1;
        return relu;
    }
    return last;
}

/* Keras Conv2D and DepthwiseConv2D, with a batch normalization and a ReLU after them fused. */
static void layer_conv(plan *p, const nn_node *n, int depthwise)
{
    const nn_node *in = jaga__nn_node_of(p->m, n->inputs[0]);
    const nn_weight *k = weight_of(p, n, depthwise ? "depthwise_kernel" : "kernel");
    const nn_weight *b = weight_of(p, n, "bias");
    int64_t kh = k->shape[0], kw = k->shape[1], cin = k->shape[2], cm = k->shape[3];
    int64_t cout = depthwise ? cin * cm : cm, s[2], d[2], kk[2] = {kh, kw};
    float min, max;
    if (activation(cfg_str(n, "activation", "linear"), &min, &max) != 0) {
        fail(p, n, "its activation cannot be fused");
        return;
    }
    float *filter = xnn_filter(p, k, depthwise), *bias = owned(p, (size_t)cout);
    if (!filter || !bias)
        return;
    if (b && json_is_true(json_object_get(n->attr, "use_bias")))
        memcpy(bias, b->values, (size_t)cout * sizeof(float));
    const nn_node *last = n, *bn = next_if(p, n, "BatchNormalization");
    if (bn && min == -INFINITY &&
        fold_batch_norm(p, bn, filter, k->count, (size_t)cout, !depthwise, bias) == 0) {
        p->fused[index_of(p, bn)] = 1;
        last = bn;
    }
    last = fuse_relu(p, last, &min, &max);
    int64_t fshape[4] = {depthwise ? 1 : cout, kh, kw, depthwise ? cout : cin}, bshape[1] = {cout};
    uint32_t fid = constant(p, 4, fshape, filter), bid = constant(p, 1, bshape, bias);
    pair(n->attr, "strides", 1, s);
    pair(n->attr, "dilation_rate", 1, d);
    nn_padding pad = {.same = strcmp(cfg_str(n, "padding", "valid"), "same") == 0};
    uint32_t out = value_of(p, last); /* the fused nodes share the convolution's value */
    p->ids[index_of(p, n)] = out;
    if (p->failed == JAGA_OK && jaga__nn_xnn_conv(p->r->x, &pad, kk, s, d, depthwise, (size_t)cin,
                                                  (size_t)(depthwise ? cm : cout), min, max,
                                                  p->ids[index_of(p, in)], fid, bid, out) != 0)
        fail(p, n, "XNNPACK refused the convolution");
}

/* A batch normalization left alone: x * s + (beta - mean * s), per channel. */
static void layer_batch_norm(plan *p, const nn_node *n, uint32_t in)
{
    size_t c = (size_t)n->shape[n->ndims - 1];
    float *scale = owned(p, c), *shift = owned(p, c);
    if (!scale || !shift)
        return;
    for (size_t i = 0; i < c; i++)
        scale[i] = 1.0f;
    /* Folded into an identity: the same arithmetic as into a convolution. */
    if (fold_batch_norm(p, n, scale, c, c, 1, shift) != 0) {
        fail(p, n, "its parameters are missing");
        return;
    }
    int64_t shape[1] = {(int64_t)c};
    uint32_t sid = constant(p, 1, shape, scale), bid = constant(p, 1, shape, shift), mid;
    if (p->failed != JAGA_OK ||
        jaga__nn_xnn_value(p->r->x, n->ndims, n->shape, NULL, NN_INTERNAL, &mid) != 0 ||
        jaga__nn_xnn_binary(p->r->x, '*', -INFINITY, INFINITY, in, sid, mid) != 0 ||
        jaga__nn_xnn_binary(p->r->x, '+', -INFINITY, INFINITY, mid, bid, value_of(p, n)) != 0)
        fail(p, n, "XNNPACK refused the normalization");
}

static void layer_dense(plan *p, const nn_node *n, uint32_t in)
{
    const nn_weight *k = weight_of(p, n, "kernel"), *b = weight_of(p, n, "bias");
    float min, max;
    int kind = activation(cfg_str(n, "activation", "linear"), &min, &max);
    if (kind == -2) {
        fail(p, n, "its activation is not run");
        return;
    }
    uint32_t kid = constant(p, 2, k->shape, k->values), bid = NN_NO_VALUE, mid = value_of(p, n);
    if (b && json_is_true(json_object_get(n->attr, "use_bias")))
        bid = constant(p, 1, b->shape, b->values);
    if (kind == -1 && jaga__nn_xnn_value(p->r->x, n->ndims, n->shape, NULL, NN_INTERNAL, &mid) != 0)
        fail(p, n, "XNNPACK refused a value");
    if (p->failed == JAGA_OK &&
        (jaga__nn_xnn_dense(p->r->x, min, max, 1, in, kid, bid, mid) != 0 ||
         (kind == -1 && jaga__nn_xnn_softmax(p->r->x, mid, value_of(p, n)) != 0)))
        fail(p, n, "XNNPACK refused the dense layer");
}

static void layer_node(plan *p, const nn_node *n)
{
    const char *op = n->op;
    size_t i = index_of(p, n);
    if (!strcmp(op, "InputLayer")) {
        if (jaga__nn_xnn_value(p->r->x, n->ndims, n->shape, NULL, NN_EXTERNAL_INPUT, &p->ids[i]) !=
            0)
            fail(p, n, "XNNPACK refused the input");
        return;
    }
    if (!strcmp(op, "Conv2D") || !strcmp(op, "DepthwiseConv2D")) {
        layer_conv(p, n, op[0] == 'D');
        return;
    }
    uint32_t in = p->ids[index_of(p, jaga__nn_node_of(p->m, n->inputs[0]))];
    if (!strcmp(op, "Dropout") ||
        (!strcmp(op, "Activation") && !strcmp(cfg_str(n, "activation", "linear"), "linear"))) {
        p->ids[i] = i == p->output ? value_of(p, n) : in;
        if (i == p->output && jaga__nn_xnn_clamp(p->r->x, -INFINITY, INFINITY, in, p->ids[i]) != 0)
            fail(p, n, "XNNPACK refused a copy");
        return;
    }
    uint32_t out = value_of(p, n);
    int err = 0;
    float min, max;
    if (!strcmp(op, "BatchNormalization")) {
        layer_batch_norm(p, n, in);
    } else if (!strcmp(op, "ReLU") || !strcmp(op, "Activation")) {
        if (!strcmp(op, "ReLU") ? relu_bounds(n, &min, &max) != 0
                                : activation(cfg_str(n, "activation", ""), &min, &max) == -2)
            fail(p, n, "its activation is not run");
        else if (!strcmp(op, "Activation") &&
                 activation(cfg_str(n, "activation", ""), &min, &max) == -1)
            err = jaga__nn_xnn_softmax(p->r->x, in, out);
        else
            err = jaga__nn_xnn_clamp(p->r->x, min, max, in, out);
    } else if (!strcmp(op, "Softmax")) {
        err = jaga__nn_xnn_softmax(p->r->x, in, out);
    } else if (!strcmp(op, "ZeroPadding2D")) {
        json_t *pad = json_object_get(n->attr, "padding");
        size_t pre[4] = {0}, post[4] = {0};
        for (int axis = 0; axis < 2; axis++) {
            json_t *e = json_is_array(pad) ? json_array_get(pad, (size_t)axis) : pad;
            pre[1 + axis] = (size_t)json_integer_value(json_is_array(e) ? json_array_get(e, 0) : e);
            post[1 + axis] =
                (size_t)json_integer_value(json_is_array(e) ? json_array_get(e, 1) : e);
        }
        err = jaga__nn_xnn_pad(p->r->x, pre, post, in, out);
    } else if (!strcmp(op, "Add")) {
        uint32_t acc = in;
        for (size_t k = 1; !err && k < n->ninputs; k++) {
            uint32_t next = out;
            if (k + 1 < n->ninputs)
                err = jaga__nn_xnn_value(p->r->x, n->ndims, n->shape, NULL, NN_INTERNAL, &next);
            err = err || jaga__nn_xnn_binary(
                             p->r->x, '+', -INFINITY, INFINITY, acc,
                             p->ids[index_of(p, jaga__nn_node_of(p->m, n->inputs[k]))], next);
            acc = next;
        }
    } else if (!strcmp(op, "AveragePooling2D")) {
        int64_t k[2], s[2];
        pair(n->attr, "pool_size", 2, k);
        pair(n->attr, "strides", 0, s);
        if (!s[0])
            s[0] = k[0], s[1] = k[1];
        nn_padding pad = {.same = strcmp(cfg_str(n, "padding", "valid"), "same") == 0};
        err = jaga__nn_xnn_average_pool(p->r->x, &pad, k, s, in, out);
    } else if (!strcmp(op, "GlobalAveragePooling2D")) {
        const nn_node *x = jaga__nn_node_of(p->m, n->inputs[0]);
        int64_t pooled[4] = {1, 1, 1, x->shape[3]};
        uint32_t mid;
        err = jaga__nn_xnn_value(p->r->x, 4, pooled, NULL, NN_INTERNAL, &mid) ||
              jaga__nn_xnn_global_average_pool(p->r->x, in, mid) ||
              jaga__nn_xnn_reshape(p->r->x, n->ndims, n->shape, mid, out);
    } else if (!strcmp(op, "Flatten")) {
        err = jaga__nn_xnn_reshape(p->r->x, n->ndims, n->shape, in, out);
    } else if (!strcmp(op, "Dense")) {
        layer_dense(p, n, in);
    } else {
        fail(p, n, "no XNNPACK plan for it");
    }
    if (err)
        fail(p, n, "XNNPACK refused it");
}

/* A graph attribute's integer list, or -1. */
static int attr_ints(const nn_node *n, const char *key, int64_t *out, int max)
{
    json_t *list = json_object_get(json_object_get(json_object_get(n->attr, key), "list"), "i");
    if (!json_is_array(list) || json_array_size(list) > (size_t)max)
        return -1;
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *v = json_array_get(list, i);
        out[i] = json_is_integer(v)
                     ? json_integer_value(v)
                     : strtoll(json_string_value(v) ? json_string_value(v) : "0", NULL, 10);
    }
    return (int)json_array_size(list);
}

/* Whether the graph node's fused_ops (base64 strings) hold that op. */
static int fused_op(const nn_node *n, const char *b64)
{
    json_t *list =
        json_object_get(json_object_get(json_object_get(n->attr, "fused_ops"), "list"), "s");
    for (size_t i = 0; i < json_array_size(list); i++)
        if (!strcmp(json_string_value(json_array_get(list, i)), b64))
            return 1;
    return 0;
}

/* "SAME" in base64, as graph attributes hold it. */
#define B64_SAME "U0FNRQ=="
#define B64_BIAS_ADD "Qmlhc0FkZA=="
#define B64_RELU "UmVsdQ=="
#define B64_RELU6 "UmVsdTY="

static void graph_conv(plan *p, const nn_node *n, uint32_t in, uint32_t out, int depthwise)
{
    const nn_weight *f = jaga__nn_weight_find(p->m, jaga__nn_node_of(p->m, n->inputs[1])->name);
    const nn_node *bn = n->ninputs > 2 ? jaga__nn_node_of(p->m, n->inputs[2]) : NULL;
    const nn_weight *b = bn ? jaga__nn_weight_find(p->m, bn->name) : NULL;
    if (!f || !f->values || (fused_op(n, B64_BIAS_ADD) && (!b || !b->values))) {
        fail(p, n, "its filter or bias is not a constant");
        return;
    }
    int64_t kh = f->shape[0], kw = f->shape[1], cin = f->shape[2], cm = f->shape[3];
    int64_t cout = depthwise ? cin * cm : cm, st[4], dl[4] = {1, 1, 1, 1};
    float *filter = xnn_filter(p, f, depthwise);
    if (!filter)
        return;
    int64_t fshape[4] = {depthwise ? 1 : cout, kh, kw, depthwise ? cout : cin};
    uint32_t fid = constant(p, 4, fshape, filter), bid = NN_NO_VALUE;
    if (fused_op(n, B64_BIAS_ADD))
        bid = constant(p, 1, b->shape, b->values);
    attr_ints(n, "strides", st, 4);
    if (json_object_get(n->attr, "dilations"))
        attr_ints(n, "dilations", dl, 4);
    const char *padding =
        json_string_value(json_object_get(json_object_get(n->attr, "padding"), "s"));
    nn_padding pad = {.same = padding && !strcmp(padding, B64_SAME)};
    float min = fused_op(n, B64_RELU) || fused_op(n, B64_RELU6) ? 0.0f : -INFINITY;
    float max = fused_op(n, B64_RELU6) ? 6.0f : INFINITY;
    int64_t k[2] = {kh, kw}, s2[2] = {st[1], st[2]}, d2[2] = {dl[1], dl[2]};
    if (p->failed == JAGA_OK &&
        jaga__nn_xnn_conv(p->r->x, &pad, k, s2, d2, depthwise, (size_t)cin,
                          (size_t)(depthwise ? cm : cout), min, max, in, fid, bid, out) != 0)
        fail(p, n, "XNNPACK refused the convolution");
}

static void graph_node(plan *p, const nn_node *n)
{
    const char *op = n->op;
    size_t i = index_of(p, n);
    if (!strcmp(op, "Const"))
        return; /* defined where it is taken */
    if (!strcmp(op, "Placeholder")) {
        if (jaga__nn_xnn_value(p->r->x, n->ndims, n->shape, NULL, NN_EXTERNAL_INPUT, &p->ids[i]) !=
            0)
            fail(p, n, "XNNPACK refused the input");
        return;
    }
    uint32_t in = input_value(p, n->inputs[0]);
    if (!strcmp(op, "Identity") && i != p->output) {
        p->ids[i] = in;
        return;
    }
    uint32_t out = value_of(p, n);
    int err = 0;
    if (!strcmp(op, "Identity")) {
        err = jaga__nn_xnn_clamp(p->r->x, -INFINITY, INFINITY, in, out);
    } else if (!strcmp(op, "Mul") || !strcmp(op, "Sub") || !strcmp(op, "AddV2") ||
               !strcmp(op, "Add")) {
        err = jaga__nn_xnn_binary(p->r->x,
                                  op[0] == 'M'   ? '*'
                                  : op[0] == 'S' ? '-'
                                                 : '+',
                                  -INFINITY, INFINITY, in, input_value(p, n->inputs[1]), out);
    } else if (!strcmp(op, "_FusedConv2D") || !strcmp(op, "Conv2D")) {
        graph_conv(p, n, in, out, 0);
    } else if (!strcmp(op, "FusedDepthwiseConv2dNative") || !strcmp(op, "DepthwiseConv2dNative")) {
        graph_conv(p, n, in, out, 1);
    } else if (!strcmp(op, "AvgPool")) {
        int64_t k[4], st[4];
        attr_ints(n, "ksize", k, 4);
        attr_ints(n, "strides", st, 4);
        const char *padding =
            json_string_value(json_object_get(json_object_get(n->attr, "padding"), "s"));
        nn_padding pad = {.same = padding && !strcmp(padding, B64_SAME)};
        int64_t k2[2] = {k[1], k[2]}, s2[2] = {st[1], st[2]};
        err = jaga__nn_xnn_average_pool(p->r->x, &pad, k2, s2, in, out);
    } else if (!strcmp(op, "Squeeze")) {
        err = jaga__nn_xnn_reshape(p->r->x, n->ndims, n->shape, in, out);
    } else if (!strcmp(op, "_FusedMatMul") || !strcmp(op, "MatMul")) {
        const nn_node *wn = jaga__nn_node_of(p->m, n->inputs[1]);
        const nn_weight *w = wn ? jaga__nn_weight_find(p->m, wn->name) : NULL;
        const nn_node *bn = n->ninputs > 2 ? jaga__nn_node_of(p->m, n->inputs[2]) : NULL;
        int tb = json_is_true(json_object_get(json_object_get(n->attr, "transpose_b"), "b"));
        if (!w || !w->values ||
            json_is_true(json_object_get(json_object_get(n->attr, "transpose_a"), "b")))
            fail(p, n, "its weights are not a constant, or its input is transposed");
        else
            err = jaga__nn_xnn_dense(
                p->r->x, -INFINITY, INFINITY, !tb, in, input_value(p, wn->name),
                bn && fused_op(n, B64_BIAS_ADD) ? input_value(p, bn->name) : NN_NO_VALUE, out);
    } else if (!strcmp(op, "Softmax")) {
        err = jaga__nn_xnn_softmax(p->r->x, in, out);
    } else if (!strcmp(op, "Relu") || !strcmp(op, "Relu6")) {
        err = jaga__nn_xnn_clamp(p->r->x, 0, op[4] == '6' ? 6.0f : INFINITY, in, out);
    } else {
        fail(p, n, "no XNNPACK plan for it");
    }
    if (err)
        fail(p, n, "XNNPACK refused it");
}

/* The node whose value the model gives: its output, through copies. */
static size_t output_node(const jaga_nn_model *m)
{
    return (size_t)(jaga__nn_node_of(m, m->outputs[0]) - m->nodes);
}

static jaga_status count_consumers(plan *p)
{
    const jaga_nn_model *m = p->m;
    for (size_t i = 0; i < m->nnodes; i++)
        for (size_t k = 0; k < m->nodes[i].ninputs; k++) {
            size_t from = index_of(p, jaga__nn_node_of(m, m->nodes[i].inputs[k]));
            p->consumers[from]++;
            p->only[from] = i;
        }
    return JAGA_OK;
}

jaga_status jaga_nn_runner_open(jaga_ctx *ctx, const jaga_nn_model *m, jaga_nn_runner **out)
{
    *out = NULL;
    jaga_nn_runner *r = calloc(1, sizeof(*r));
    plan p = {.ctx = ctx, .m = m, .r = r, .failed = JAGA_OK};
    size_t n = m->nnodes ? m->nnodes : 1;
    p.ids = malloc(n * sizeof(uint32_t));
    p.consumers = calloc(n, sizeof(size_t));
    p.only = calloc(n, sizeof(size_t));
    p.fused = calloc(n, 1);
    jaga_status st = r && p.ids && p.consumers && p.only && p.fused
                         ? jaga__nn_xnn_open(ctx, &r->x)
                         : jaga_fail(ctx, JAGA_ERR_NOMEM, "nn: no memory");
    if (st == JAGA_OK) {
        for (size_t i = 0; i < m->nnodes; i++)
            p.ids[i] = NN_NO_VALUE;
        p.output = output_node(m);
        count_consumers(&p);
        for (size_t k = 0; k < m->nnodes && p.failed == JAGA_OK; k++) {
            const nn_node *node = &m->nodes[m->order[k]];
            if (p.fused[m->order[k]])
                continue;
            if (m->format == JAGA_NN_LAYERS_MODEL)
                layer_node(&p, node);
            else
                graph_node(&p, node);
        }
        st = p.failed != JAGA_OK ? p.failed : jaga__nn_xnn_build(r->x, ctx);
    }
    if (st == JAGA_OK) {
        int64_t in[JAGA_NN_DIMS_MAX], outs[JAGA_NN_DIMS_MAX];
        int ni, no;
        jaga_nn_model_input(m, in, &ni);
        jaga_nn_model_output(m, outs, &no);
        if (ni == 4 && in[1] == in[2] && in[3] == 3 && no == 2) {
            r->side = in[1];
            r->outputs = outs[1];
            if (!(r->input = malloc((size_t)(in[1] * in[2] * 3) * sizeof(float))))
                st = jaga_fail(ctx, JAGA_ERR_NOMEM, "nn: no memory");
        }
    }
    free(p.ids);
    free(p.consumers);
    free(p.only);
    free(p.fused);
    if (st != JAGA_OK) {
        jaga_nn_runner_free(r);
        return st;
    }
    *out = r;
    return JAGA_OK;
}

void jaga_nn_runner_free(jaga_nn_runner *r)
{
    if (!r)
        return;
    jaga__nn_xnn_free(r->x);
    for (size_t i = 0; i < r->nowned; i++)
        free(r->owned[i]);
    free(r->owned);
    free(r->input);
    free(r);
}

jaga_status jaga_nn_run(jaga_nn_runner *r, jaga_ctx *ctx, const float *input, float *output)
{
    return jaga__nn_xnn_run(r->x, ctx, input, output);
}

const char *const *jaga_nn_classes(void)
{
    static const char *const classes[JAGA_NN_CLASSES] = {"drawing", "hentai", "neutral", "porn",
                                                         "sexy"};
    return classes;
}

jaga_status jaga_nn_classify(jaga_nn_runner *r, jaga_ctx *ctx, const uint8_t *pixels,
                             uint32_t width, uint32_t height, int channels,
                             float scores[JAGA_NN_CLASSES])
{
    if (!r->side || r->outputs != JAGA_NN_CLASSES)
        return jaga_fail(ctx, JAGA_ERR_UNSUPPORTED,
                         "nn: the model does not take square RGB images to %d classes",
                         JAGA_NN_CLASSES);
    jaga_status st =
        jaga_nn_image_input(ctx, pixels, width, height, channels, (uint32_t)r->side, r->input);
    return st == JAGA_OK ? jaga_nn_run(r, ctx, r->input, scores) : st;
}
