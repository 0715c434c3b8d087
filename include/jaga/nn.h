/*
 * Neural networks from TensorFlow.js files. This header is the loader: a model.json, either a
 * layers model (Keras's topology, "modelTopology.model_config") or a graph model (TensorFlow's
 * node list, "format": "graph-model"), with the weight shards its weightsManifest names:
 * float32 and int32 weights, and weights quantized to uint8 or uint16 (value = min + scale *
 * q) or to float16, all dequantized at load. Every size is checked against limits before
 * anything is allocated for it; every node's output shape is inferred at load, and a model
 * that does not hold together (an op jaga does not run, shapes that do not fit) is refused
 * with the reason.
 */
#ifndef JAGA_NN_H
#define JAGA_NN_H

#include <stddef.h>
#include <stdint.h>

#include "jaga/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jaga_nn_model jaga_nn_model;

typedef enum jaga_nn_format { JAGA_NN_LAYERS_MODEL, JAGA_NN_GRAPH_MODEL } jaga_nn_format;

enum { JAGA_NN_DIMS_MAX = 8 };

typedef struct jaga_nn_limits {
    size_t json_bytes;      /* model.json (default 16 MiB) */
    size_t weight_bytes;    /* all shards together (default 512 MiB) */
    size_t tensors;         /* weights in the manifest (default 4096) */
    size_t nodes;           /* layers or graph nodes (default 4096) */
    size_t tensor_elements; /* in one weight (default 64M) */
} jaga_nn_limits;

void jaga_nn_limits_default(jaga_nn_limits *limits);

/* Gives the shard of that name (a plain file name, already checked: no '/', no leading '.')
 * whole: *data malloc'd (the loader frees it), at most max bytes (JAGA_ERR_LIMIT beyond). */
typedef jaga_status (*jaga_nn_shard_fn)(void *arg, jaga_ctx *ctx, const char *name, size_t max,
                                        void **data, size_t *len);

/* A model from model.json's text, its shards read through shard. limits NULL: the defaults.
 * JAGA_ERR_DECODE (not a model, inconsistent), JAGA_ERR_LIMIT (over a limit), JAGA_ERR_NOMEM,
 * or the shard reader's status; the reason on ctx. */
jaga_status jaga_nn_model_parse(jaga_ctx *ctx, const char *json, size_t len,
                                const jaga_nn_limits *limits, jaga_nn_shard_fn shard, void *arg,
                                jaga_nn_model **out);

/* A model from the model.json at path, its shards from the same folder. */
jaga_status jaga_nn_model_load(jaga_ctx *ctx, const char *path, const jaga_nn_limits *limits,
                               jaga_nn_model **out);

/* A no-op on NULL. */
void jaga_nn_model_free(jaga_nn_model *model);

jaga_nn_format jaga_nn_model_format(const jaga_nn_model *model);

/* How many layers (layers model) or nodes (graph model) it has. */
size_t jaga_nn_model_nodes(const jaga_nn_model *model);

/* A weight: float values (ints for int32 weights, then values is NULL), borrowed from the
 * model. */
typedef struct jaga_nn_tensor {
    const char *name;
    int ndims;
    int64_t shape[JAGA_NN_DIMS_MAX];
    size_t count;
    const float *values;
    const int32_t *ints;
} jaga_nn_tensor;

size_t jaga_nn_model_weights(const jaga_nn_model *model);

/* The shape of the model's (first) input and output, the batch dimension 1; *ndims their
 * rank. */
void jaga_nn_model_input(const jaga_nn_model *model, int64_t shape[JAGA_NN_DIMS_MAX], int *ndims);
void jaga_nn_model_output(const jaga_nn_model *model, int64_t shape[JAGA_NN_DIMS_MAX], int *ndims);

/* Multiply-accumulates of one inference in its convolutions and matrix products (the bulk
 * of its work; twice this is its FLOPs), from the inferred shapes. */
uint64_t jaga_nn_model_macs(const jaga_nn_model *model);

/* The weight of that name, or JAGA_ERR_NOT_FOUND. */
jaga_status jaga_nn_model_weight(const jaga_nn_model *model, const char *name, jaga_nn_tensor *out);

/*
 * An image as nsfwjs gives it to its models: 8-bit samples over 255, then resized to size x
 * size by bilinear interpolation with aligned corners (TensorFlow.js's resizeBilinear with
 * alignCorners), whatever the image's size and aspect. pixels: width x height x channels
 * bytes, channels 1 (grey, spread to RGB) or 3; out: size x size x 3 floats. JAGA_ERR_INVALID
 * for sizes of 0 or over 65536.
 */
jaga_status jaga_nn_image_input(jaga_ctx *ctx, const uint8_t *pixels, uint32_t width,
                                uint32_t height, int channels, uint32_t size, float *out);

/*
 * Inference: a runner is the model's graph planned for XNNPACK (weights laid out for it,
 * batch normalizations folded into the convolutions before them, activations fused), run on
 * the calling thread. A runner is used by one thread at a time; make one per thread, they
 * share nothing but the model (which must outlive them).
 */
typedef struct jaga_nn_runner jaga_nn_runner;

/* JAGA_ERR_UNSUPPORTED when XNNPACK does not run on this CPU or refuses a part of the graph;
 * JAGA_ERR_NOMEM. */
jaga_status jaga_nn_runner_open(jaga_ctx *ctx, const jaga_nn_model *model, jaga_nn_runner **out);
void jaga_nn_runner_free(jaga_nn_runner *runner);

/* The explicit-content classifier's classes (nsfwjs's), in its models' output order. */
enum { JAGA_NN_CLASSES = 5 };
const char *const *jaga_nn_classes(void);

/* An image classified: prepared as jaga_nn_image_input does for the runner's model (square
 * RGB input, JAGA_NN_CLASSES outputs), then run; scores in class order. JAGA_ERR_UNSUPPORTED
 * for a model of another shape. */
jaga_status jaga_nn_classify(jaga_nn_runner *runner, jaga_ctx *ctx, const uint8_t *pixels,
                             uint32_t width, uint32_t height, int channels,
                             float scores[JAGA_NN_CLASSES]);

/* One inference: input holds the model's input (jaga_nn_model_input's shape, NHWC, float),
 * output receives its output. */
jaga_status jaga_nn_run(jaga_nn_runner *runner, jaga_ctx *ctx, const float *input, float *output);

#ifdef __cplusplus
}
#endif
#endif
