/* XNNPACK behind nn/xnn.h: a subgraph with two external values (the input and the output),
 * a runtime without a thread pool (one thread per inference; requests run side by side). */
#include "nn/xnn.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <xnnpack.h>

#include "jaga/core.h"

struct nn_xnn {
    xnn_subgraph_t graph;
    xnn_runtime_t runtime;
    const char *failed; /* the first definition XNNPACK refused */
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static enum xnn_status init_status = xnn_status_uninitialized;

static void init(void)
{
    init_status = xnn_initialize(NULL);
}

jaga_status jaga__nn_xnn_open(jaga_ctx *ctx, nn_xnn **out)
{
    *out = NULL;
    pthread_once(&init_once, init);
    if (init_status != xnn_status_success)
        return jaga_fail(ctx, JAGA_ERR_UNSUPPORTED, "nn: XNNPACK does not run on this CPU");
    nn_xnn *x = calloc(1, sizeof(*x));
    if (!x || xnn_create_subgraph(2, 0, &x->graph) != xnn_status_success) {
        free(x);
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "nn: no memory for a graph");
    }
    *out = x;
    return JAGA_OK;
}

void jaga__nn_xnn_free(nn_xnn *x)
{
    if (!x)
        return;
    if (x->runtime)
        xnn_delete_runtime(x->runtime);
    if (x->graph)
        xnn_delete_subgraph(x->graph);
    free(x);
}

static int check(nn_xnn *x, enum xnn_status st, const char *what)
{
    if (st == xnn_status_success)
        return 0;
    if (!x->failed)
        x->failed = what;
    return -1;
}

int jaga__nn_xnn_value(nn_xnn *x, int ndims, const int64_t *shape, const float *data, int external,
                       uint32_t *id)
{
    size_t dims[8];
    for (int i = 0; i < ndims && i < 8; i++)
        dims[i] = (size_t)shape[i];
    uint32_t ext = external == NN_EXTERNAL_INPUT    ? 0
                   : external == NN_EXTERNAL_OUTPUT ? 1
                                                    : XNN_INVALID_VALUE_ID;
    uint32_t flags = external == NN_EXTERNAL_INPUT    ? XNN_VALUE_FLAG_EXTERNAL_INPUT
                     : external == NN_EXTERNAL_OUTPUT ? XNN_VALUE_FLAG_EXTERNAL_OUTPUT
                                                      : 0;
    return check(x,
                 xnn_define_tensor_value(x->graph, xnn_datatype_fp32, (size_t)ndims, dims, data,
                                         ext, flags, id),
                 "a value");
}

int jaga__nn_xnn_conv(nn_xnn *x, const nn_padding *p, const int64_t k[2], const int64_t s[2],
                      const int64_t d[2], int depthwise, size_t in_channels, size_t out_channels,
                      float min, float max, uint32_t in, uint32_t filter, uint32_t bias,
                      uint32_t out)
{
    uint32_t flags = p->same ? XNN_FLAG_TENSORFLOW_SAME_PADDING : 0;
    if (depthwise)
        return check(x,
                     xnn_define_depthwise_convolution_2d(
                         x->graph, p->top, p->right, p->bottom, p->left, (uint32_t)k[0],
                         (uint32_t)k[1], (uint32_t)s[0], (uint32_t)s[1], (uint32_t)d[0],
                         (uint32_t)d[1], (uint32_t)out_channels, in_channels, min, max, in, filter,
                         bias, out, flags),
                     "a depthwise convolution");
    return check(x,
                 xnn_define_convolution_2d(
                     x->graph, p->top, p->right, p->bottom, p->left, (uint32_t)k[0], (uint32_t)k[1],
                     (uint32_t)s[0], (uint32_t)s[1], (uint32_t)d[0], (uint32_t)d[1], 1, in_channels,
                     out_channels, min, max, in, filter, bias, out, flags),
                 "a convolution");
}

int jaga__nn_xnn_pad(nn_xnn *x, const size_t pre[4], const size_t post[4], uint32_t in,
                     uint32_t out)
{
    return check(x, xnn_define_static_constant_pad(x->graph, pre, post, 0.0f, in, out, 0),
                 "a padding");
}

int jaga__nn_xnn_binary(nn_xnn *x, char op, float min, float max, uint32_t a, uint32_t b,
                        uint32_t out)
{
    enum xnn_status st = op == '+'   ? xnn_define_add2(x->graph, min, max, a, b, out, 0)
                         : op == '-' ? xnn_define_subtract(x->graph, min, max, a, b, out, 0)
                                     : xnn_define_multiply2(x->graph, min, max, a, b, out, 0);
    return check(x, st, "an elementwise op");
}

int jaga__nn_xnn_clamp(nn_xnn *x, float min, float max, uint32_t in, uint32_t out)
{
    return check(x, xnn_define_clamp(x->graph, min, max, in, out, 0), "a clamp");
}

int jaga__nn_xnn_average_pool(nn_xnn *x, const nn_padding *p, const int64_t k[2],
                              const int64_t s[2], uint32_t in, uint32_t out)
{
    return check(x,
                 xnn_define_average_pooling_2d(x->graph, p->top, p->right, p->bottom, p->left,
                                               (uint32_t)k[0], (uint32_t)k[1], (uint32_t)s[0],
                                               (uint32_t)s[1], -INFINITY, INFINITY, in, out,
                                               p->same ? XNN_FLAG_TENSORFLOW_SAME_PADDING : 0),
                 "an average pooling");
}

int jaga__nn_xnn_global_average_pool(nn_xnn *x, uint32_t in, uint32_t out)
{
    return check(x, xnn_define_global_average_pooling_2d(x->graph, -INFINITY, INFINITY, in, out, 0),
                 "a global average pooling");
}

int jaga__nn_xnn_dense(nn_xnn *x, float min, float max, int transposed, uint32_t in,
                       uint32_t filter, uint32_t bias, uint32_t out)
{
    return check(x,
                 xnn_define_fully_connected(x->graph, min, max, in, filter, bias, out,
                                            transposed ? XNN_FLAG_TRANSPOSE_WEIGHTS : 0),
                 "a fully connected layer");
}

int jaga__nn_xnn_softmax(nn_xnn *x, uint32_t in, uint32_t out)
{
    return check(x, xnn_define_softmax(x->graph, in, out, 0), "a softmax");
}

int jaga__nn_xnn_reshape(nn_xnn *x, int ndims, const int64_t *shape, uint32_t in, uint32_t out)
{
    size_t dims[8];
    for (int i = 0; i < ndims && i < 8; i++)
        dims[i] = (size_t)shape[i];
    return check(x, xnn_define_static_reshape(x->graph, (size_t)ndims, dims, in, out, 0),
                 "a reshape");
}

jaga_status jaga__nn_xnn_build(nn_xnn *x, jaga_ctx *ctx)
{
    if (x->failed)
        return jaga_fail(ctx, JAGA_ERR_UNSUPPORTED, "nn: XNNPACK refused %s", x->failed);
    if (xnn_create_runtime_v2(x->graph, NULL, 0, &x->runtime) != xnn_status_success)
        return jaga_fail(ctx, JAGA_ERR_UNSUPPORTED, "nn: XNNPACK could not plan the graph");
    return JAGA_OK;
}

jaga_status jaga__nn_xnn_run(nn_xnn *x, jaga_ctx *ctx, const float *in, float *out)
{
    struct xnn_external_value io[2] = {{0, (void *)in}, {1, out}};
    if (xnn_setup_runtime(x->runtime, 2, io) != xnn_status_success ||
        xnn_invoke_runtime(x->runtime) != xnn_status_success)
        return jaga_fail(ctx, JAGA_ERR_UNSUPPORTED, "nn: the inference failed");
    return JAGA_OK;
}
