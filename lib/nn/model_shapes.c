/* Shape inference for the ops jaga runs: Keras layers and TensorFlow graph nodes, NHWC, the
 * batch 1. Each node's output shape comes from its inputs' and its weights'; anything it cannot
 * account for is refused with the node's name, at load, rather than met at inference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn/model_internal.h"
#include "jaga/core.h"

typedef struct shape_run {
    jaga_ctx *ctx;
    jaga_nn_model *m;
    const nn_node *in[8]; /* the node's inputs, resolved */
    size_t nin;
} shape_run;

static jaga_status fail(shape_run *r, const nn_node *n, const char *why)
{
    return jaga_fail(r->ctx, JAGA_ERR_DECODE, "model: %s (%s): %s", n->name, n->op, why);
}

static void set_shape(nn_node *n, int ndims, const int64_t *d)
{
    n->ndims = ndims;
    for (int i = 0; i < ndims; i++)
        n->shape[i] = d[i];
}

/* A Keras config value that is one int or a pair; def when absent. */
static int cfg_pair(json_t *cfg, const char *key, int64_t def, int64_t out[2])
{
    json_t *v = json_object_get(cfg, key);
    if (!v || json_is_null(v)) {
        out[0] = out[1] = def;
        return 0;
    }
    if (json_is_integer(v)) {
        out[0] = out[1] = json_integer_value(v);
        return out[0] > 0 ? 0 : -1;
    }
    if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_integer(json_array_get(v, 0)) ||
        !json_is_integer(json_array_get(v, 1)))
        return -1;
    out[0] = json_integer_value(json_array_get(v, 0));
    out[1] = json_integer_value(json_array_get(v, 1));
    return out[0] > 0 && out[1] > 0 ? 0 : -1;
}

static const char *cfg_str(json_t *cfg, const char *key, const char *def)
{
    const char *s = json_string_value(json_object_get(cfg, key));
    return s ? s : def;
}

/* A graph attribute's integer list (TensorFlow writes the numbers as strings). -1 when absent
 * or malformed, else how many (at most max). */
static int attr_ints(json_t *attr, const char *key, int64_t *out, int max)
{
    json_t *list = json_object_get(json_object_get(json_object_get(attr, key), "list"), "i");
    if (!json_is_array(list) || json_array_size(list) > (size_t)max)
        return -1;
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *v = json_array_get(list, i);
        char *end = NULL;
        const char *s = json_string_value(v);
        out[i] = json_is_integer(v) ? json_integer_value(v) : s ? strtoll(s, &end, 10) : 0;
        if (!json_is_integer(v) && (!s || !*s || *end))
            return -1;
    }
    return (int)json_array_size(list);
}

/* Base64 text (a graph attribute's bytes) into out, NUL-terminated; -1 when malformed. */
static int base64(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    unsigned acc = 0, bits = 0;
    for (; in && *in && *in != '='; in++) {
        const char *abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const char *p = strchr(abc, *in);
        if (!p)
            return -1;
        acc = acc << 6 | (unsigned)(p - abc);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n + 1 >= cap)
                return -1;
            out[n++] = (char)(acc >> bits & 0xff);
        }
    }
    out[n] = '\0';
    return in ? 0 : -1;
}

static int attr_str(json_t *attr, const char *key, char *out, size_t cap)
{
    return base64(json_string_value(json_object_get(json_object_get(attr, key), "s")), out, cap);
}

static int attr_bool(json_t *attr, const char *key)
{
    return json_is_true(json_object_get(json_object_get(attr, key), "b"));
}

/* Output size of a window over size n: SAME, VALID, or explicit padding before and after. */
static int64_t window(int64_t n, int64_t k, int64_t stride, int64_t dilation, const char *padding,
                      int64_t before, int64_t after)
{
    int64_t eff = (k - 1) * dilation + 1;
    if (strcmp(padding, "same") == 0 || strcmp(padding, "SAME") == 0)
        return (n + stride - 1) / stride;
    n += before + after;
    return n >= eff ? (n - eff) / stride + 1 : -1;
}

/* A convolution or a pooling over an NHWC input: kernel kh x kw, strides, dilations. */
static jaga_status spatial(shape_run *r, nn_node *n, const int64_t k[2], const int64_t s[2],
                           const int64_t d[2], const char *padding, const int64_t pad[4],
                           int64_t channels)
{
    const nn_node *x = r->in[0];
    if (x->ndims != 4)
        return fail(r, n, "its input is not NHWC");
    for (int i = 0; i < 2; i++)
        if (k[i] < 1 || k[i] > 1 << 16 || s[i] < 1 || s[i] > 1024 || d[i] < 1 || d[i] > 1024)
            return fail(r, n, "its window, strides or dilations are out of range");
    for (int i = 0; i < 4; i++)
        if (pad[i] < 0 || pad[i] > 1 << 16)
            return fail(r, n, "its padding is out of range");
    if (strcmp(padding, "same") && strcmp(padding, "SAME") && strcmp(padding, "valid") &&
        strcmp(padding, "VALID") && strcmp(padding, "EXPLICIT"))
        return fail(r, n, "padding is same, valid or explicit");
    int64_t out[4] = {1, window(x->shape[1], k[0], s[0], d[0], padding, pad[0], pad[1]),
                      window(x->shape[2], k[1], s[1], d[1], padding, pad[2], pad[3]), channels};
    if (out[1] <= 0 || out[2] <= 0)
        return fail(r, n, "its window is larger than its input");
    set_shape(n, 4, out);
    return JAGA_OK;
}

/* A weight of the given rank, or a failure naming it. */
static const nn_weight *weight(shape_run *r, const nn_node *n, const char *name, int ndims,
                               jaga_status *st)
{
    const nn_weight *w = jaga__nn_weight_find(r->m, name);
    if (!w || w->ndims != ndims || !w->values) {
        *st = jaga_fail(r->ctx, JAGA_ERR_DECODE,
                        "model: %s (%s): weight %s is missing or not of "
                        "rank %d",
                        n->name, n->op, name, ndims);
        return NULL;
    }
    return w;
}

static int activation_known(const char *a)
{
    return !strcmp(a, "linear") || !strcmp(a, "relu") || !strcmp(a, "relu6") ||
           !strcmp(a, "softmax") || !strcmp(a, "sigmoid");
}

/* Keras Conv2D and DepthwiseConv2D. */
static jaga_status layer_conv(shape_run *r, nn_node *n, int depthwise)
{
    char name[300];
    jaga_status st = JAGA_OK;
    snprintf(name, sizeof(name), "%s/%s", n->name, depthwise ? "depthwise_kernel" : "kernel");
    const nn_weight *w = weight(r, n, name, 4, &st);
    int64_t s[2], d[2], k[2], pad[4] = {0};
    if (!w)
        return st;
    if (cfg_pair(n->attr, "strides", 1, s) || cfg_pair(n->attr, "dilation_rate", 1, d) ||
        strcmp(cfg_str(n->attr, "data_format", "channels_last"), "channels_last") ||
        !activation_known(cfg_str(n->attr, "activation", "linear")))
        return fail(r, n, "strides, dilations, data format or activation not readable");
    int64_t cin = r->in[0]->ndims == 4 ? r->in[0]->shape[3] : -1;
    if (w->shape[2] != cin)
        return fail(r, n, "its kernel does not fit its input's channels");
    k[0] = w->shape[0], k[1] = w->shape[1];
    int64_t channels = depthwise ? cin * w->shape[3] : w->shape[3];
    if (json_is_true(json_object_get(n->attr, "use_bias"))) {
        snprintf(name, sizeof(name), "%s/bias", n->name);
        const nn_weight *b = weight(r, n, name, 1, &st);
        if (!b)
            return st;
        if (b->shape[0] != channels)
            return fail(r, n, "its bias does not fit its channels");
    }
    return spatial(r, n, k, s, d, cfg_str(n->attr, "padding", "valid"), pad, channels);
}

static jaga_status layer_batch_norm(shape_run *r, nn_node *n)
{
    static const char *const parts[] = {"gamma", "beta", "moving_mean", "moving_variance"};
    const nn_node *x = r->in[0];
    json_t *axis = json_object_get(n->attr, "axis");
    int64_t a = json_is_array(axis) && json_array_size(axis) == 1
                    ? json_integer_value(json_array_get(axis, 0))
                    : json_integer_value(axis);
    if (x->ndims < 1 || (a != -1 && a != x->ndims - 1))
        return fail(r, n, "it normalizes another axis than the channels");
    for (int i = 0; i < 4; i++) {
        if ((i == 0 && json_is_false(json_object_get(n->attr, "scale"))) ||
            (i == 1 && json_is_false(json_object_get(n->attr, "center"))))
            continue;
        char name[300];
        jaga_status st = JAGA_OK;
        snprintf(name, sizeof(name), "%s/%s", n->name, parts[i]);
        const nn_weight *w = weight(r, n, name, 1, &st);
        if (!w)
            return st;
        if (w->shape[0] != x->shape[x->ndims - 1])
            return fail(r, n, "its parameters do not fit its channels");
    }
    set_shape(n, x->ndims, x->shape);
    return JAGA_OK;
}

static jaga_status layer_zero_padding(shape_run *r, nn_node *n)
{
    const nn_node *x = r->in[0];
    json_t *p = json_object_get(n->attr, "padding");
    int64_t pad[4];
    if (json_is_integer(p))
        pad[0] = pad[1] = pad[2] = pad[3] = json_integer_value(p);
    else if (json_array_size(p) == 2 && json_is_array(json_array_get(p, 0)))
        for (int i = 0; i < 4; i++)
            pad[i] = json_integer_value(json_array_get(json_array_get(p, (size_t)i / 2), i % 2));
    else if (json_array_size(p) == 2)
        for (int i = 0; i < 4; i++)
            pad[i] = json_integer_value(json_array_get(p, (size_t)i / 2));
    else
        return fail(r, n, "padding not readable");
    for (int i = 0; i < 4; i++)
        if (pad[i] < 0 || pad[i] > 1 << 16)
            return fail(r, n, "its padding is out of range");
    if (x->ndims != 4)
        return fail(r, n, "its input is not NHWC");
    int64_t out[4] = {1, x->shape[1] + pad[0] + pad[1], x->shape[2] + pad[2] + pad[3], x->shape[3]};
    set_shape(n, 4, out);
    return JAGA_OK;
}

static jaga_status layer_pool(shape_run *r, nn_node *n)
{
    int64_t k[2], s[2], d[2] = {1, 1}, pad[4] = {0};
    if (cfg_pair(n->attr, "pool_size", 2, k) || cfg_pair(n->attr, "strides", 0, s))
        return fail(r, n, "pool size or strides not readable");
    if (!s[0]) /* strides default to the pool size */
        s[0] = k[0], s[1] = k[1];
    return spatial(r, n, k, s, d, cfg_str(n->attr, "padding", "valid"), pad,
                   r->in[0]->ndims == 4 ? r->in[0]->shape[3] : -1);
}

static jaga_status layer_dense(shape_run *r, nn_node *n)
{
    char name[300];
    jaga_status st = JAGA_OK;
    snprintf(name, sizeof(name), "%s/kernel", n->name);
    const nn_weight *w = weight(r, n, name, 2, &st);
    if (!w)
        return st;
    const nn_node *x = r->in[0];
    if (x->ndims != 2 || x->shape[1] != w->shape[0] ||
        !activation_known(cfg_str(n->attr, "activation", "linear")))
        return fail(r, n, "its kernel does not fit its input, or its activation is unknown");
    if (json_is_true(json_object_get(n->attr, "use_bias"))) {
        snprintf(name, sizeof(name), "%s/bias", n->name);
        const nn_weight *b = weight(r, n, name, 1, &st);
        if (!b || b->shape[0] != w->shape[1])
            return b ? fail(r, n, "its bias does not fit its units") : st;
    }
    int64_t out[2] = {1, w->shape[1]};
    set_shape(n, 2, out);
    return JAGA_OK;
}

static jaga_status same_shapes(shape_run *r, nn_node *n)
{
    for (size_t i = 1; i < r->nin; i++)
        if (r->in[i]->ndims != r->in[0]->ndims ||
            memcmp(r->in[i]->shape, r->in[0]->shape, sizeof(int64_t) * (size_t)r->in[0]->ndims))
            return fail(r, n, "its inputs differ in shape");
    set_shape(n, r->in[0]->ndims, r->in[0]->shape);
    return JAGA_OK;
}

static jaga_status layer_shape(shape_run *r, nn_node *n)
{
    const char *op = n->op;
    if (!strcmp(op, "InputLayer")) {
        json_t *s = json_object_get(n->attr, "batch_input_shape");
        if (!s)
            s = json_object_get(n->attr, "batch_shape");
        size_t nd = json_array_size(s);
        int64_t d[JAGA_NN_DIMS_MAX];
        if (nd < 2 || nd > JAGA_NN_DIMS_MAX)
            return fail(r, n, "its batch input shape is not readable");
        d[0] = 1;
        for (size_t i = 1; i < nd; i++)
            if ((d[i] = json_integer_value(json_array_get(s, i))) <= 0 || d[i] > 1 << 16)
                return fail(r, n, "its input has an unknown or absurd size");
        set_shape(n, (int)nd, d);
        return JAGA_OK;
    }
    if (r->nin < 1)
        return fail(r, n, "it has no input");
    if (!strcmp(op, "Conv2D") || !strcmp(op, "DepthwiseConv2D"))
        return layer_conv(r, n, op[0] == 'D');
    if (!strcmp(op, "BatchNormalization"))
        return layer_batch_norm(r, n);
    if (!strcmp(op, "ZeroPadding2D"))
        return layer_zero_padding(r, n);
    if (!strcmp(op, "AveragePooling2D") || !strcmp(op, "MaxPooling2D"))
        return layer_pool(r, n);
    if (!strcmp(op, "Dense"))
        return layer_dense(r, n);
    if (!strcmp(op, "GlobalAveragePooling2D") || !strcmp(op, "Flatten")) {
        const nn_node *x = r->in[0];
        int64_t out[2] = {1, x->ndims == 4 && op[0] == 'G' ? x->shape[3] : 1};
        for (int i = 1; op[0] == 'F' && i < x->ndims; i++)
            if ((out[1] *= x->shape[i]) > (int64_t)1 << 40)
                return fail(r, n, "its output is absurdly large");
        if (x->ndims < 2 || (op[0] == 'G' && x->ndims != 4))
            return fail(r, n, "its input has the wrong rank");
        set_shape(n, 2, out);
        return JAGA_OK;
    }
    if (!strcmp(op, "ReLU") || !strcmp(op, "Dropout") || !strcmp(op, "Softmax") ||
        !strcmp(op, "Add") ||
        (!strcmp(op, "Activation") && activation_known(cfg_str(n->attr, "activation", "linear"))))
        return same_shapes(r, n);
    char why[96];
    snprintf(why, sizeof(why), "%s is not a layer jaga runs", op);
    return jaga_fail(r->ctx, JAGA_ERR_UNSUPPORTED, "model: %s: %s", n->name, why);
}

/* NumPy broadcasting of two shapes. */
static jaga_status broadcast(shape_run *r, nn_node *n)
{
    const nn_node *a = r->in[0], *b = r->nin > 1 ? r->in[1] : r->in[0];
    int nd = a->ndims > b->ndims ? a->ndims : b->ndims;
    int64_t out[JAGA_NN_DIMS_MAX];
    for (int i = 0; i < nd; i++) {
        int ia = a->ndims - nd + i, ib = b->ndims - nd + i;
        int64_t x = ia >= 0 ? a->shape[ia] : 1, y = ib >= 0 ? b->shape[ib] : 1;
        if (x != y && x != 1 && y != 1)
            return fail(r, n, "its inputs do not broadcast");
        out[i] = x == 1 ? y : x;
    }
    set_shape(n, nd, out);
    return JAGA_OK;
}

/* _FusedConv2D, Conv2D, (Fused)DepthwiseConv2dNative. */
static jaga_status graph_conv(shape_run *r, nn_node *n, int depthwise)
{
    int64_t s[4], d[4] = {1, 1, 1, 1}, pad[8] = {0}, k[2];
    char padding[16], format[16] = "NHWC";
    if (attr_ints(n->attr, "strides", s, 4) != 4 || attr_str(n->attr, "padding", padding, 16) ||
        (json_object_get(n->attr, "dilations") && attr_ints(n->attr, "dilations", d, 4) != 4) ||
        (json_object_get(n->attr, "data_format") && attr_str(n->attr, "data_format", format, 16)))
        return fail(r, n, "strides, padding or dilations not readable");
    if (strcmp(format, "NHWC") != 0 || s[0] != 1 || s[3] != 1)
        return fail(r, n, "only NHWC with spatial strides is run");
    if (!strcmp(padding, "EXPLICIT") && attr_ints(n->attr, "explicit_paddings", pad, 8) != 8)
        return fail(r, n, "explicit paddings not readable");
    if (r->nin < 2)
        return fail(r, n, "it has no filter");
    const nn_node *f = r->in[1];
    if (f->ndims != 4 || r->in[0]->ndims != 4 || f->shape[2] != r->in[0]->shape[3])
        return fail(r, n, "its filter does not fit its input's channels");
    k[0] = f->shape[0], k[1] = f->shape[1];
    int64_t channels = depthwise ? f->shape[2] * f->shape[3] : f->shape[3];
    /* Fused ops: BiasAdd (the third input), then Relu or Relu6. */
    json_t *fused =
        json_object_get(json_object_get(json_object_get(n->attr, "fused_ops"), "list"), "s");
    for (size_t i = 0; i < json_array_size(fused); i++) {
        char op[32];
        if (base64(json_string_value(json_array_get(fused, i)), op, sizeof(op)) ||
            (strcmp(op, "BiasAdd") && strcmp(op, "Relu") && strcmp(op, "Relu6")))
            return fail(r, n, "a fused op is not BiasAdd, Relu or Relu6");
        if (!strcmp(op, "BiasAdd") &&
            (r->nin < 3 || r->in[2]->ndims != 1 || r->in[2]->shape[0] != channels))
            return fail(r, n, "its bias does not fit its channels");
    }
    int64_t s2[2] = {s[1], s[2]}, d2[2] = {d[1], d[2]}, p4[4] = {pad[2], pad[3], pad[4], pad[5]};
    return spatial(r, n, k, s2, d2, padding, p4, channels);
}

static jaga_status graph_pool(shape_run *r, nn_node *n)
{
    int64_t k[4], s[4], d[2] = {1, 1}, pad[4] = {0};
    char padding[16];
    if (attr_ints(n->attr, "ksize", k, 4) != 4 || attr_ints(n->attr, "strides", s, 4) != 4 ||
        attr_str(n->attr, "padding", padding, 16) || k[0] != 1 || k[3] != 1)
        return fail(r, n, "window, strides or padding not readable");
    int64_t k2[2] = {k[1], k[2]}, s2[2] = {s[1], s[2]};
    return spatial(r, n, k2, s2, d, padding, pad, r->in[0]->ndims == 4 ? r->in[0]->shape[3] : -1);
}

static jaga_status graph_matmul(shape_run *r, nn_node *n)
{
    if (r->nin < 2 || r->in[0]->ndims != 2 || r->in[1]->ndims != 2)
        return fail(r, n, "it multiplies two matrices");
    int ta = attr_bool(n->attr, "transpose_a"), tb = attr_bool(n->attr, "transpose_b");
    int64_t m = r->in[0]->shape[ta], k = r->in[0]->shape[!ta];
    int64_t k2 = r->in[1]->shape[tb], cols = r->in[1]->shape[!tb];
    if (k != k2)
        return fail(r, n, "its matrices do not fit");
    if (r->nin > 2 && (r->in[2]->ndims != 1 || r->in[2]->shape[0] != cols))
        return fail(r, n, "its bias does not fit its columns");
    int64_t out[2] = {m, cols};
    set_shape(n, 2, out);
    return JAGA_OK;
}

static jaga_status graph_squeeze(shape_run *r, nn_node *n)
{
    int64_t dims[JAGA_NN_DIMS_MAX], out[JAGA_NN_DIMS_MAX];
    const nn_node *x = r->in[0];
    int nd = attr_ints(n->attr, "squeeze_dims", dims, JAGA_NN_DIMS_MAX), k = 0;
    if (nd < 0)
        return fail(r, n, "squeeze_dims not readable");
    for (int i = 0; i < x->ndims; i++) {
        int drop = 0;
        for (int j = 0; j < nd; j++)
            drop |= dims[j] == i || dims[j] == i - x->ndims;
        if (drop && x->shape[i] != 1)
            return fail(r, n, "it squeezes a dimension that is not 1");
        if (!drop && !(nd == 0 && x->shape[i] == 1))
            out[k++] = x->shape[i];
    }
    set_shape(n, k, out);
    return JAGA_OK;
}

static jaga_status graph_shape(shape_run *r, nn_node *n)
{
    const char *op = n->op;
    if (!strcmp(op, "Const")) {
        const nn_weight *w = jaga__nn_weight_find(r->m, n->name);
        if (!w)
            return fail(r, n, "the constant has no weight in the manifest");
        set_shape(n, w->ndims, w->shape);
        return JAGA_OK;
    }
    if (!strcmp(op, "Placeholder")) {
        json_t *dims =
            json_object_get(json_object_get(json_object_get(n->attr, "shape"), "shape"), "dim");
        size_t nd = json_array_size(dims);
        int64_t d[JAGA_NN_DIMS_MAX];
        if (nd < 1 || nd > JAGA_NN_DIMS_MAX)
            return fail(r, n, "its shape is not readable");
        for (size_t i = 0; i < nd; i++) {
            const char *s = json_string_value(json_object_get(json_array_get(dims, i), "size"));
            d[i] = s ? strtoll(s, NULL, 10) : 0;
            if (i == 0 && d[i] == -1)
                d[i] = 1;
            if (d[i] <= 0 || d[i] > 1 << 16)
                return fail(r, n, "its input has an unknown or absurd size");
        }
        set_shape(n, (int)nd, d);
        return JAGA_OK;
    }
    if (r->nin < 1)
        return fail(r, n, "it has no input");
    if (!strcmp(op, "_FusedConv2D") || !strcmp(op, "Conv2D"))
        return graph_conv(r, n, 0);
    if (!strcmp(op, "FusedDepthwiseConv2dNative") || !strcmp(op, "DepthwiseConv2dNative"))
        return graph_conv(r, n, 1);
    if (!strcmp(op, "AvgPool") || !strcmp(op, "MaxPool"))
        return graph_pool(r, n);
    if (!strcmp(op, "_FusedMatMul") || !strcmp(op, "MatMul"))
        return graph_matmul(r, n);
    if (!strcmp(op, "Squeeze"))
        return graph_squeeze(r, n);
    if (!strcmp(op, "Mul") || !strcmp(op, "Sub") || !strcmp(op, "AddV2") || !strcmp(op, "Add") ||
        !strcmp(op, "RealDiv") || !strcmp(op, "BiasAdd"))
        return broadcast(r, n);
    if (!strcmp(op, "Identity") || !strcmp(op, "Relu") || !strcmp(op, "Relu6") ||
        !strcmp(op, "Softmax"))
        return same_shapes(r, n);
    char why[96];
    snprintf(why, sizeof(why), "%s is not an op jaga runs", op);
    return jaga_fail(r->ctx, JAGA_ERR_UNSUPPORTED, "model: %s: %s", n->name, why);
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(const nn_node *const *)a)->name, (*(const nn_node *const *)b)->name);
}

/* The node an input names ("name" or "name:k"); *other_output when k is not 0 (ops here have
 * one output). */
static const nn_node *resolve(nn_node **sorted, size_t n, const char *input, int *other_output)
{
    char name[1024];
    const char *colon = strrchr(input, ':');
    int numbered = colon && colon[1] >= '0' && colon[1] <= '9';
    *other_output = numbered && strcmp(colon, ":0") != 0;
    snprintf(name, sizeof(name), "%.*s", (int)(numbered ? colon - input : (long)strlen(input)),
             input);
    nn_node key = {.name = name}, *k = &key;
    nn_node **hit = n ? bsearch(&k, sorted, n, sizeof(nn_node *), by_name) : NULL;
    return hit ? *hit : NULL;
}

const nn_node *jaga__nn_node_of(const jaga_nn_model *m, const char *input)
{
    int other;
    return resolve(m->byname, m->nnodes, input, &other);
}

jaga_status jaga__nn_shapes_infer(jaga_ctx *ctx, jaga_nn_model *m)
{
    nn_node **sorted = m->byname = malloc((m->nnodes ? m->nnodes : 1) * sizeof(nn_node *));
    m->order = malloc((m->nnodes ? m->nnodes : 1) * sizeof(size_t));
    if (!sorted || !m->order)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "model: no memory");
    for (size_t i = 0; i < m->nnodes; i++) {
        sorted[i] = &m->nodes[i];
        m->nodes[i].ndims = -1;
    }
    if (m->nnodes)
        qsort(sorted, m->nnodes, sizeof(nn_node *), by_name);
    shape_run r = {.ctx = ctx, .m = m};
    jaga_status st = JAGA_OK;
    /* Passes until every node is resolved; a pass that resolves none means a cycle. */
    size_t done = 0;
    while (st == JAGA_OK && done < m->nnodes) {
        size_t before = done;
        for (size_t i = 0; st == JAGA_OK && i < m->nnodes; i++) {
            nn_node *n = &m->nodes[i];
            int ready = n->ndims < 0 && n->ninputs <= 8, other = 0;
            r.nin = n->ninputs;
            for (size_t k = 0; ready && k < n->ninputs; k++) {
                r.in[k] = resolve(sorted, m->nnodes, n->inputs[k], &other);
                ready = r.in[k] && r.in[k]->ndims >= 0;
                if (other)
                    st = fail(&r, n, "it takes an output other than a node's first");
            }
            if (n->ninputs > 8)
                st = fail(&r, n, "it has over 8 inputs");
            if (st != JAGA_OK || !ready)
                continue;
            st = m->format == JAGA_NN_LAYERS_MODEL ? layer_shape(&r, n) : graph_shape(&r, n);
            if (st == JAGA_OK)
                m->order[done++] = i;
        }
        if (st == JAGA_OK && done == before)
            st = jaga_fail(ctx, JAGA_ERR_DECODE, "model: its graph has a cycle");
    }
    return st;
}

/* The first input's or output's node. */
static const nn_node *named(const jaga_nn_model *m, const char *name)
{
    for (size_t i = 0; i < m->nnodes; i++)
        if (strcmp(m->nodes[i].name, name) == 0)
            return &m->nodes[i];
    return NULL;
}

static void shape_of(const nn_node *n, int64_t shape[JAGA_NN_DIMS_MAX], int *ndims)
{
    *ndims = n ? n->ndims : 0;
    for (int i = 0; i < *ndims; i++)
        shape[i] = n->shape[i];
}

void jaga_nn_model_input(const jaga_nn_model *m, int64_t shape[JAGA_NN_DIMS_MAX], int *ndims)
{
    shape_of(named(m, m->inputs[0]), shape, ndims);
}

void jaga_nn_model_output(const jaga_nn_model *m, int64_t shape[JAGA_NN_DIMS_MAX], int *ndims)
{
    shape_of(named(m, m->outputs[0]), shape, ndims);
}

/* The kernel of a convolution or matrix product: a graph node's second input, a layer's
 * "NAME/kernel" or "NAME/depthwise_kernel"; NULL for other nodes. */
static const nn_weight *kernel_of(const jaga_nn_model *m, const nn_node *n)
{
    if (!strstr(n->op, "Conv") && !strstr(n->op, "MatMul") && strcmp(n->op, "Dense") != 0)
        return NULL;
    char name[512];
    if (m->format == JAGA_NN_GRAPH_MODEL) {
        if (n->ninputs < 2)
            return NULL;
        snprintf(name, sizeof(name), "%.*s", (int)strcspn(n->inputs[1], ":"), n->inputs[1]);
        return jaga__nn_weight_find(m, name);
    }
    snprintf(name, sizeof(name), "%s/kernel", n->name);
    const nn_weight *k = jaga__nn_weight_find(m, name);
    snprintf(name, sizeof(name), "%s/depthwise_kernel", n->name);
    return k ? k : jaga__nn_weight_find(m, name);
}

uint64_t jaga_nn_model_macs(const jaga_nn_model *m)
{
    uint64_t total = 0;
    for (size_t i = 0; i < m->nnodes; i++) {
        const nn_node *n = &m->nodes[i];
        const nn_weight *k = kernel_of(m, n);
        if (!k || k->ndims < 2 || n->ndims < 1 || n->shape[n->ndims - 1] <= 0)
            continue;
        uint64_t out = 1;
        for (int d = 0; d < n->ndims; d++)
            out *= (uint64_t)n->shape[d];
        /* Each output takes the kernel's weights of one output channel: kh x kw x cin for a
         * convolution, kh x kw for a depthwise one, the inputs for a product. */
        total += out * (k->count / (uint64_t)n->shape[n->ndims - 1]);
    }
    return total;
}
