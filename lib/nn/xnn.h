/* Internal: the one file that speaks XNNPACK (its API changes between releases). A graph of
 * float32 values and ops is defined, built into a runtime, then run on one thread. */
#ifndef JAGA_NN_XNN_H
#define JAGA_NN_XNN_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/status.h"

typedef struct nn_xnn nn_xnn;

#define NN_NO_VALUE UINT32_MAX

enum { NN_INTERNAL = 0, NN_EXTERNAL_INPUT = 1, NN_EXTERNAL_OUTPUT = 2 };

/* Padding top, right, bottom, left, or TensorFlow's SAME (then all 0). */
typedef struct nn_padding {
    uint32_t top, right, bottom, left;
    int same;
} nn_padding;

jaga_status jaga__nn_xnn_open(jaga_ctx *ctx, nn_xnn **out);
void jaga__nn_xnn_free(nn_xnn *x);

/* The definitions give 0, or -1 with the reason kept for jaga__nn_xnn_build. data (for constants)
 * must outlive the runtime. */
int jaga__nn_xnn_value(nn_xnn *x, int ndims, const int64_t *shape, const float *data, int external,
                       uint32_t *id);
/* A convolution (filter [out, kh, kw, in]) or, depthwise, one with filter [1, kh, kw, in *
 * multiplier] (out_channels is the multiplier then). */
int jaga__nn_xnn_conv(nn_xnn *x, const nn_padding *p, const int64_t k[2], const int64_t s[2],
                      const int64_t d[2], int depthwise, size_t in_channels, size_t out_channels,
                      float min, float max, uint32_t in, uint32_t filter, uint32_t bias,
                      uint32_t out);
int jaga__nn_xnn_pad(nn_xnn *x, const size_t pre[4], const size_t post[4], uint32_t in,
                     uint32_t out);
/* op '+', '-' or '*', with NumPy broadcasting. */
int jaga__nn_xnn_binary(nn_xnn *x, char op, float min, float max, uint32_t a, uint32_t b,
                        uint32_t out);
int jaga__nn_xnn_clamp(nn_xnn *x, float min, float max, uint32_t in, uint32_t out);
int jaga__nn_xnn_average_pool(nn_xnn *x, const nn_padding *p, const int64_t k[2],
                              const int64_t s[2], uint32_t in, uint32_t out);
int jaga__nn_xnn_global_average_pool(nn_xnn *x, uint32_t in, uint32_t out);
/* A fully connected layer; filter [in, out] when transposed, else [out, in]. */
int jaga__nn_xnn_dense(nn_xnn *x, float min, float max, int transposed, uint32_t in,
                       uint32_t filter, uint32_t bias, uint32_t out);
int jaga__nn_xnn_softmax(nn_xnn *x, uint32_t in, uint32_t out);
int jaga__nn_xnn_reshape(nn_xnn *x, int ndims, const int64_t *shape, uint32_t in, uint32_t out);

/* The runtime, run on the caller's thread. */
jaga_status jaga__nn_xnn_build(nn_xnn *x, jaga_ctx *ctx);
jaga_status jaga__nn_xnn_run(nn_xnn *x, jaga_ctx *ctx, const float *in, float *out);

#endif
