/* Internal: a loaded model as the interpreter sees it. */
#ifndef JAGA_NN_MODEL_INTERNAL_H
#define JAGA_NN_MODEL_INTERNAL_H

#include <jansson.h>

#include "jaga/nn.h"

typedef struct nn_weight {
    const char *name; /* in the model's JSON document */
    int ndims;
    int64_t shape[JAGA_NN_DIMS_MAX];
    size_t count;
    float *values; /* float weights, dequantized */
    int32_t *ints; /* int32 weights */
} nn_weight;

/* A layer (op = Keras class name, attr = its config) or a graph node (op = TensorFlow op,
 * attr = its attributes). Inputs name other nodes ("name" or "name:k" for output k of a
 * graph node; layers take output 0). */
typedef struct nn_node {
    const char *name, *op;
    const char **inputs;
    size_t ninputs;
    json_t *attr; /* borrowed from the document; NULL when none */
    int ndims;    /* its output's shape (the batch is 1), from jaga__nn_shapes_infer; -1 unknown */
    int64_t shape[JAGA_NN_DIMS_MAX];
} nn_node;

struct jaga_nn_model {
    jaga_nn_format format;
    json_t *doc; /* model.json: names and attributes point into it */
    nn_weight *weights;
    size_t nweights;
    nn_node *nodes;
    size_t nnodes;
    const char **inputs, **outputs; /* the model's, by node name */
    size_t ninputs, noutputs;
    size_t *order;    /* node indexes, each after the nodes it takes (jaga__nn_shapes_infer) */
    nn_node **byname; /* the nodes sorted by name */
};

/* The topology of a layers or graph model into m->nodes, inputs and outputs
 * (model_topology.c). */
jaga_status jaga__nn_topology_read(jaga_ctx *ctx, jaga_nn_model *m, json_t *topology,
                                   size_t max_nodes);

/* Every node's output shape from the model's input shapes and its weights, in an order where
 * inputs come first; an op it does not know, attributes it cannot read or shapes that do not
 * fit are refused with the node's name (model_shapes.c). */
jaga_status jaga__nn_shapes_infer(jaga_ctx *ctx, jaga_nn_model *m);

/* The node an input names ("name" or "name:0"), or NULL. */
const nn_node *jaga__nn_node_of(const jaga_nn_model *m, const char *input);

/* The weight of that name, or NULL. */
const nn_weight *jaga__nn_weight_find(const jaga_nn_model *m, const char *name);

#endif
