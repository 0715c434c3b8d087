/* The topology of a TensorFlow.js model: Keras layers (functional or sequential) or
 * TensorFlow graph nodes, into one list of nodes with their inputs by name, checked: names
 * unique, every input a node of the model. */
#include <stdlib.h>
#include <string.h>

#include "nn/model_internal.h"
#include "jaga/core.h"

static jaga_status bad(jaga_ctx *ctx, const char *what, const char *name)
{
    return jaga_fail(ctx, JAGA_ERR_DECODE, "model: %s%s%s", what, name ? ": " : "",
                     name ? name : "");
}

static jaga_status add_input(jaga_ctx *ctx, nn_node *n, const char *input)
{
    const char **grown = realloc(n->inputs, (n->ninputs + 1) * sizeof(char *));
    if (!grown)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "model: no memory");
    n->inputs = grown;
    n->inputs[n->ninputs++] = input;
    return JAGA_OK;
}

static jaga_status name_list(jaga_ctx *ctx, json_t *list, const char ***out, size_t *n)
{
    size_t count = json_array_size(list);
    *out = calloc(count ? count : 1, sizeof(char *));
    if (!*out)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "model: no memory");
    for (size_t i = 0; i < count; i++) {
        json_t *e = json_array_get(list, i);
        const char *name = json_string_value(json_is_array(e) ? json_array_get(e, 0) : e);
        if (!name)
            return bad(ctx, "a model input or output is not named", NULL);
        (*out)[(*n)++] = name;
    }
    return JAGA_OK;
}

/* A Keras layer: class_name, name, config; its inputs from its one call (inbound_nodes), or
 * the layer before it in a sequential model. */
static jaga_status layer(jaga_ctx *ctx, json_t *l, nn_node *n, const nn_node *before)
{
    n->op = json_string_value(json_object_get(l, "class_name"));
    n->attr = json_object_get(l, "config");
    n->name = json_string_value(json_object_get(l, "name"));
    if (!n->name)
        n->name = json_string_value(json_object_get(n->attr, "name"));
    if (!n->op || !n->name || !json_is_object(n->attr))
        return bad(ctx, "a layer needs a class_name, a name and a config", n->name);
    json_t *calls = json_object_get(l, "inbound_nodes");
    if (!calls || json_array_size(calls) == 0)
        return before ? add_input(ctx, n, before->name) : JAGA_OK;
    if (json_array_size(calls) > 1)
        return jaga_fail(ctx, JAGA_ERR_UNSUPPORTED, "model: layer %s is called more than once",
                         n->name);
    json_t *call = json_array_get(calls, 0);
    for (size_t i = 0; i < json_array_size(call); i++) {
        const char *from = json_string_value(json_array_get(json_array_get(call, i), 0));
        if (!from)
            return bad(ctx, "a layer's input is not named", n->name);
        jaga_status st = add_input(ctx, n, from);
        if (st != JAGA_OK)
            return st;
    }
    return JAGA_OK;
}

static jaga_status read_layers(jaga_ctx *ctx, jaga_nn_model *m, json_t *topology, size_t max_nodes)
{
    json_t *model = json_object_get(topology, "model_config");
    const char *kind = json_string_value(json_object_get(model, "class_name"));
    json_t *config = json_object_get(model, "config");
    json_t *layers = json_is_array(config) ? config : json_object_get(config, "layers");
    int sequential = kind && strcmp(kind, "Sequential") == 0;
    if (!kind || !json_is_array(layers))
        return bad(ctx, "model_config needs a class_name and layers", NULL);
    if (json_array_size(layers) > max_nodes)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "model: over %zu layers", max_nodes);
    m->nodes = calloc(json_array_size(layers) + 1, sizeof(nn_node));
    if (!m->nodes)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "model: no memory");
    jaga_status st = JAGA_OK;
    for (size_t i = 0; st == JAGA_OK && i < json_array_size(layers); i++) {
        st = layer(ctx, json_array_get(layers, i), &m->nodes[i],
                   sequential && i ? &m->nodes[i - 1] : NULL);
        m->nnodes++;
    }
    if (st != JAGA_OK)
        return st;
    if (sequential) {
        m->inputs = calloc(1, sizeof(char *));
        m->outputs = calloc(1, sizeof(char *));
        if (!m->inputs || !m->outputs)
            return jaga_fail(ctx, JAGA_ERR_NOMEM, "model: no memory");
        if (m->nnodes) {
            m->inputs[m->ninputs++] = m->nodes[0].name;
            m->outputs[m->noutputs++] = m->nodes[m->nnodes - 1].name;
        }
        return JAGA_OK;
    }
    st = name_list(ctx, json_object_get(config, "input_layers"), &m->inputs, &m->ninputs);
    if (st == JAGA_OK)
        st = name_list(ctx, json_object_get(config, "output_layers"), &m->outputs, &m->noutputs);
    return st;
}

/* A graph node: name, op, inputs (control inputs, "^name", only order: left out), attr. */
static jaga_status graph_node(jaga_ctx *ctx, json_t *g, nn_node *n)
{
    n->name = json_string_value(json_object_get(g, "name"));
    n->op = json_string_value(json_object_get(g, "op"));
    n->attr = json_object_get(g, "attr");
    json_t *inputs = json_object_get(g, "input");
    if (!n->name || !n->op || (inputs && !json_is_array(inputs)) ||
        (n->attr && !json_is_object(n->attr)))
        return bad(ctx, "a graph node needs a name and an op", n->name);
    for (size_t i = 0; i < json_array_size(inputs); i++) {
        const char *from = json_string_value(json_array_get(inputs, i));
        if (!from)
            return bad(ctx, "a node's input is not a name", n->name);
        jaga_status st = from[0] == '^' ? JAGA_OK : add_input(ctx, n, from);
        if (st != JAGA_OK)
            return st;
    }
    return JAGA_OK;
}

static jaga_status read_graph(jaga_ctx *ctx, jaga_nn_model *m, json_t *topology, size_t max_nodes)
{
    json_t *nodes = json_object_get(topology, "node");
    if (!json_is_array(nodes))
        return bad(ctx, "a graph model's topology needs its node list", NULL);
    size_t n = json_array_size(nodes);
    if (n > max_nodes)
        return jaga_fail(ctx, JAGA_ERR_LIMIT, "model: over %zu nodes", max_nodes);
    m->nodes = calloc(n + 1, sizeof(nn_node));
    m->inputs = calloc(n + 1, sizeof(char *));
    m->outputs = calloc(n + 1, sizeof(char *));
    if (!m->nodes || !m->inputs || !m->outputs)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "model: no memory");
    jaga_status st = JAGA_OK;
    for (size_t i = 0; st == JAGA_OK && i < n; i++) {
        st = graph_node(ctx, json_array_get(nodes, i), &m->nodes[i]);
        m->nnodes++;
    }
    return st;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The node name an input refers to: "name" or "name:k". */
static size_t base_len(const char *input)
{
    const char *colon = strrchr(input, ':');
    if (!colon || !colon[1])
        return strlen(input);
    for (const char *p = colon + 1; *p; p++)
        if (*p < '0' || *p > '9')
            return strlen(input);
    return (size_t)(colon - input);
}

/* Names unique; every input, model input and output a node; a graph's inputs (Placeholder
 * nodes) and outputs (nodes no other node takes) found. */
static jaga_status check(jaga_ctx *ctx, jaga_nn_model *m)
{
    const char **names = malloc((m->nnodes ? m->nnodes : 1) * sizeof(char *));
    if (!names)
        return jaga_fail(ctx, JAGA_ERR_NOMEM, "model: no memory");
    for (size_t i = 0; i < m->nnodes; i++)
        names[i] = m->nodes[i].name;
    qsort(names, m->nnodes, sizeof(char *), by_name);
    jaga_status st = JAGA_OK;
    for (size_t i = 1; st == JAGA_OK && i < m->nnodes; i++)
        if (strcmp(names[i - 1], names[i]) == 0)
            st = bad(ctx, "a node is named twice", names[i]);
    unsigned char *used = calloc(m->nnodes + 1, 1);
    if (st == JAGA_OK && !used)
        st = jaga_fail(ctx, JAGA_ERR_NOMEM, "model: no memory");
    for (size_t i = 0; st == JAGA_OK && i < m->nnodes; i++) {
        for (size_t k = 0; st == JAGA_OK && k < m->nodes[i].ninputs; k++) {
            char name[1024];
            const char *in = m->nodes[i].inputs[k];
            snprintf(name, sizeof(name), "%.*s", (int)base_len(in), in);
            const char *key = name;
            const char **hit = bsearch(&key, names, m->nnodes, sizeof(char *), by_name);
            if (!hit)
                st = jaga_fail(ctx, JAGA_ERR_DECODE, "model: node %s takes %s, which is no node",
                               m->nodes[i].name, in);
            else
                used[hit - names] = 1;
        }
    }
    const char **lists[2] = {m->inputs, m->outputs};
    size_t counts[2] = {m->ninputs, m->noutputs};
    for (int l = 0; st == JAGA_OK && l < 2 && m->format == JAGA_NN_LAYERS_MODEL; l++)
        for (size_t i = 0; st == JAGA_OK && i < counts[l]; i++)
            if (!bsearch(&lists[l][i], names, m->nnodes, sizeof(char *), by_name))
                st = bad(ctx, l ? "a model output is no layer" : "a model input is no layer",
                         lists[l][i]);
    if (st == JAGA_OK && m->format == JAGA_NN_GRAPH_MODEL) {
        for (size_t i = 0; i < m->nnodes; i++) {
            const nn_node *n = &m->nodes[i];
            const char *key = n->name;
            size_t at =
                (size_t)((const char **)bsearch(&key, names, m->nnodes, sizeof(char *), by_name) -
                         names);
            if (strcmp(n->op, "Placeholder") == 0)
                m->inputs[m->ninputs++] = n->name;
            else if (!used[at] && strcmp(n->op, "Const") != 0)
                m->outputs[m->noutputs++] = n->name;
        }
    }
    if (st == JAGA_OK && (!m->ninputs || !m->noutputs))
        st = bad(ctx, "the model has no input or no output", NULL);
    free(used);
    free(names);
    return st;
}

jaga_status jaga__nn_topology_read(jaga_ctx *ctx, jaga_nn_model *m, json_t *topology,
                                   size_t max_nodes)
{
    jaga_status st = m->format == JAGA_NN_LAYERS_MODEL ? read_layers(ctx, m, topology, max_nodes)
                                                       : read_graph(ctx, m, topology, max_nodes);
    return st == JAGA_OK ? check(ctx, m) : st;
}
