/* The TensorFlow.js model loader: synthetic models written here (every stored dtype checked
 * value by value, layers and graph topologies), every kind of broken model refused with its
 * reason, and nsfwjs's two models as fetched into .cache (skipped, visibly, without them). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jaga/nn.h"
#include "test_support.h"

static char dir[64];

static void write_file(const char *name, const void *data, size_t len)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* Loads model.json text (with the shard written before) from the scratch folder. */
static jaga_status load(const char *json, jaga_nn_model **m, jaga_ctx *ctx)
{
    write_file("model.json", json, strlen(json));
    char path[128];
    snprintf(path, sizeof(path), "%s/model.json", dir);
    return jaga_nn_model_load(ctx, path, NULL, m);
}

/* A sequential model of an input and a dropout: no weight of its own, so that the manifest
 * can hold any. */
static const char layers_head[] =
    "{\"format\":\"layers-model\",\"modelTopology\":{\"model_config\":{\"class_name\":"
    "\"Sequential\",\"config\":{\"name\":\"s\",\"layers\":[{\"class_name\":\"InputLayer\","
    "\"config\":{\"name\":\"in\",\"batch_input_shape\":[null,4]}},{\"class_name\":\"Dropout\","
    "\"config\":{\"name\":\"d\",\"rate\":0.5}}]}}},\"weightsManifest\":[{\"paths\":[\"w.bin\"],"
    "\"weights\":[";

/* The five stored kinds, one weight each, in one shard. */
static void write_every_dtype(void)
{
    uint8_t shard[64], *p = shard;
    float f[2] = {1.5f, -0.25f};
    memcpy(p, f, 8), p += 8; /* float32 (little-endian on x86) */
    int32_t i[2] = {-7, 123456};
    memcpy(p, i, 8), p += 8;
    *p++ = 0, *p++ = 255, *p++ = 10; /* uint8 */
    uint16_t u16[2] = {0, 1000};
    memcpy(p, u16, 4), p += 4;
    uint16_t h[4] = {0x3C00, 0xC000, 0x7BFF, 0x0001}; /* 1, -2, 65504, 2^-24 */
    memcpy(p, h, 8), p += 8;
    write_file("w.bin", shard, (size_t)(p - shard));
}

static void test_every_dtype(void **state)
{
    (void)state;
    jaga_ctx *ctx;
    jaga_ctx_open(&ctx);
    write_every_dtype();
    char json[2048];
    snprintf(json, sizeof(json),
             "%s{\"name\":\"f\",\"shape\":[2],\"dtype\":\"float32\"},"
             "{\"name\":\"i\",\"shape\":[1,2],\"dtype\":\"int32\"},"
             "{\"name\":\"q8\",\"shape\":[3],\"dtype\":\"float32\",\"quantization\":"
             "{\"dtype\":\"uint8\",\"min\":-1,\"scale\":0.5}},"
             "{\"name\":\"q16\",\"shape\":[2],\"dtype\":\"float32\",\"quantization\":"
             "{\"dtype\":\"uint16\",\"min\":0,\"scale\":0.001}},"
             "{\"name\":\"h\",\"shape\":[2,2],\"dtype\":\"float32\",\"quantization\":"
             "{\"dtype\":\"float16\"}}]}]}",
             layers_head);
    jaga_nn_model *m;
    if (load(json, &m, ctx) != JAGA_OK)
        fail_msg("%s", jaga_errmsg(ctx));
    assert_int_equal(jaga_nn_model_format(m), JAGA_NN_LAYERS_MODEL);
    assert_int_equal(jaga_nn_model_weights(m), 5);
    assert_int_equal(jaga_nn_model_nodes(m), 2);
    jaga_nn_tensor t;
    assert_int_equal(jaga_nn_model_weight(m, "f", &t), JAGA_OK);
    assert_true(t.values[0] == 1.5f && t.values[1] == -0.25f);
    assert_int_equal(jaga_nn_model_weight(m, "i", &t), JAGA_OK);
    assert_true(t.ints[0] == -7 && t.ints[1] == 123456 && t.ndims == 2 && t.shape[1] == 2);
    assert_int_equal(jaga_nn_model_weight(m, "q8", &t), JAGA_OK);
    assert_true(t.values[0] == -1.0f && t.values[1] == 126.5f && t.values[2] == 4.0f);
    assert_int_equal(jaga_nn_model_weight(m, "q16", &t), JAGA_OK);
    assert_true(t.values[0] == 0.0f && fabsf(t.values[1] - 1.0f) < 1e-6f);
    assert_int_equal(jaga_nn_model_weight(m, "h", &t), JAGA_OK);
    assert_true(t.values[0] == 1.0f && t.values[1] == -2.0f && t.values[2] == 65504.0f &&
                t.values[3] == ldexpf(1.0f, -24));
    assert_int_equal(jaga_nn_model_weight(m, "none", &t), JAGA_ERR_NOT_FOUND);
    jaga_nn_model_free(m);
    jaga_ctx_free(ctx);
}

/* A model.json refused with want and a reason holding why. */
static void refused(jaga_ctx *ctx, const char *json, jaga_status want, const char *why)
{
    jaga_nn_model *m = NULL;
    jaga_status st = load(json, &m, ctx);
    if (st != want || !strstr(jaga_errmsg(ctx), why))
        fail_msg("wanted %d '%s', got %d '%s' for %s", want, why, st, jaga_errmsg(ctx), json);
    assert_null(m);
}

static void test_broken_models(void **state)
{
    (void)state;
    jaga_ctx *ctx;
    jaga_ctx_open(&ctx);
    char json[2048];
    uint8_t four[4] = {0};
    write_file("w.bin", four, 4);
    /* Truncated: the shard holds 4 bytes, the weight needs 8. */
    snprintf(json, sizeof(json), "%s{\"name\":\"f\",\"shape\":[2],\"dtype\":\"float32\"}]}]}",
             layers_head);
    refused(ctx, json, JAGA_ERR_DECODE, "truncated");
    /* Longer than its weights. */
    snprintf(json, sizeof(json), "%s{\"name\":\"f\",\"shape\":[1,0],\"dtype\":\"float32\"}]}]}",
             layers_head);
    refused(ctx, json, JAGA_ERR_DECODE, "more bytes");
    /* Absurd sizes. */
    snprintf(json, sizeof(json),
             "%s{\"name\":\"f\",\"shape\":[100000,100000,100000],\"dtype\":\"float32\"}]}]}",
             layers_head);
    refused(ctx, json, JAGA_ERR_LIMIT, "elements");
    snprintf(json, sizeof(json),
             "%s{\"name\":\"f\",\"shape\":[1,1,1,1,1,1,1,1,1],\"dtype\":\"float32\"}]}]}",
             layers_head);
    refused(ctx, json, JAGA_ERR_LIMIT, "dimensions");
    snprintf(json, sizeof(json), "%s{\"name\":\"f\",\"shape\":[-1],\"dtype\":\"float32\"}]}]}",
             layers_head);
    refused(ctx, json, JAGA_ERR_DECODE, "dimensions");
    snprintf(json, sizeof(json), "%s{\"name\":\"f\",\"shape\":[1],\"dtype\":\"complex64\"}]}]}",
             layers_head);
    refused(ctx, json, JAGA_ERR_UNSUPPORTED, "complex64");
    snprintf(json, sizeof(json),
             "%s{\"name\":\"f\",\"shape\":[1],\"dtype\":\"float32\",\"quantization\":{\"dtype\":"
             "\"uint8\"}}]}]}",
             layers_head);
    refused(ctx, json, JAGA_ERR_DECODE, "min and scale");
    snprintf(json, sizeof(json),
             "%s{\"name\":\"f\",\"shape\":[1],\"dtype\":\"float32\"},{\"name\":\"f\",\"shape\":[],"
             "\"dtype\":\"float32\",\"quantization\":{\"dtype\":\"float16\"}}]}]}",
             layers_head);
    uint8_t six[6] = {0};
    write_file("w.bin", six, 6);
    refused(ctx, json, JAGA_ERR_DECODE, "named twice");
    /* A shard outside the model's folder. */
    refused(ctx,
            "{\"modelTopology\":{\"model_config\":{\"class_name\":\"Sequential\",\"config\":[]}},"
            "\"weightsManifest\":[{\"paths\":[\"../etc/passwd\"],\"weights\":[]}]}",
            JAGA_ERR_DECODE, "file name beside");
    refused(ctx, "[1,2]", JAGA_ERR_DECODE, "not a JSON object");
    refused(ctx, "{\"format\":\"graph-model\"}", JAGA_ERR_DECODE, "no modelTopology");
    refused(ctx, "{\"format\":\"onnx\",\"modelTopology\":{}}", JAGA_ERR_UNSUPPORTED, "onnx");
    /* Topologies that do not hold together. */
    refused(ctx,
            "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":[{\"name\":\"x\",\"op\":"
            "\"Placeholder\"},{\"name\":\"y\",\"op\":\"Relu\",\"input\":[\"z:0\"]}]},"
            "\"weightsManifest\":[]}",
            JAGA_ERR_DECODE, "which is no node");
    refused(ctx,
            "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":[{\"name\":\"x\",\"op\":"
            "\"Placeholder\"},{\"name\":\"x\",\"op\":\"Relu\",\"input\":[\"x\"]}]},"
            "\"weightsManifest\":[]}",
            JAGA_ERR_DECODE, "named twice");
    refused(ctx,
            "{\"modelTopology\":{\"model_config\":{\"class_name\":\"Model\",\"config\":{\"layers\":"
            "[{\"class_name\":\"InputLayer\",\"name\":\"in\",\"config\":{}}],\"input_layers\":"
            "[[\"in\",0,0]],\"output_layers\":[[\"out\",0,0]]}}},\"weightsManifest\":[]}",
            JAGA_ERR_DECODE, "output is no layer");
    /* Ops jaga does not run, and shapes that do not fit, found at load. */
    refused(ctx,
            "{\"modelTopology\":{\"model_config\":{\"class_name\":\"Sequential\",\"config\":["
            "{\"class_name\":\"InputLayer\",\"config\":{\"name\":\"in\",\"batch_input_shape\":"
            "[null,8,8,3]}},{\"class_name\":\"Conv3D\",\"config\":{\"name\":\"c\"}}]}},"
            "\"weightsManifest\":[]}",
            JAGA_ERR_UNSUPPORTED, "Conv3D is not a layer jaga runs");
    float kernel[3 * 3 * 4 * 2] = {0};
    write_file("k.bin", kernel, sizeof(kernel));
    refused(ctx,
            "{\"modelTopology\":{\"model_config\":{\"class_name\":\"Sequential\",\"config\":["
            "{\"class_name\":\"InputLayer\",\"config\":{\"name\":\"in\",\"batch_input_shape\":"
            "[null,8,8,3]}},{\"class_name\":\"Conv2D\",\"config\":{\"name\":\"c\",\"filters\":2,"
            "\"kernel_size\":[3,3],\"padding\":\"same\"}}]}},\"weightsManifest\":[{\"paths\":"
            "[\"k.bin\"],\"weights\":[{\"name\":\"c/kernel\",\"shape\":[3,3,4,2],\"dtype\":"
            "\"float32\"}]}]}",
            JAGA_ERR_DECODE, "does not fit its input's channels");
    refused(ctx,
            "{\"modelTopology\":{\"model_config\":{\"class_name\":\"Sequential\",\"config\":["
            "{\"class_name\":\"InputLayer\",\"config\":{\"name\":\"in\",\"batch_input_shape\":"
            "[null,2,2,3]}},{\"class_name\":\"AveragePooling2D\",\"config\":{\"name\":\"p\","
            "\"pool_size\":[5,5]}}]}},\"weightsManifest\":[]}",
            JAGA_ERR_DECODE, "larger than its input");
    refused(ctx,
            "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":[{\"name\":\"x\",\"op\":"
            "\"Placeholder\",\"attr\":{\"shape\":{\"shape\":{\"dim\":[{\"size\":\"-1\"},{\"size\":"
            "\"-1\"}]}}}},{\"name\":\"y\",\"op\":\"Relu\",\"input\":[\"x\"]}]},"
            "\"weightsManifest\":[]}",
            JAGA_ERR_DECODE, "unknown or absurd size");
    jaga_ctx_free(ctx);
}

static void test_graph_model(void **state)
{
    (void)state;
    jaga_ctx *ctx;
    jaga_ctx_open(&ctx);
    float w[6] = {1, 2, 3, 4, 5, 6};
    write_file("g.bin", w, sizeof(w));
    jaga_nn_model *m;
    jaga_status st = load(
        "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":["
        "{\"name\":\"in\",\"op\":\"Placeholder\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"},"
        "\"shape\":{\"shape\":{\"dim\":[{\"size\":\"-1\"},{\"size\":\"2\"}]}}}},"
        "{\"name\":\"w\",\"op\":\"Const\"},"
        "{\"name\":\"mm\",\"op\":\"MatMul\",\"input\":[\"in\",\"w:0\",\"^in\"]},"
        "{\"name\":\"out\",\"op\":\"Softmax\",\"input\":[\"mm\"]}]},"
        "\"weightsManifest\":[{\"paths\":[\"g.bin\"],\"weights\":[{\"name\":\"w\",\"shape\":[2,3],"
        "\"dtype\":\"float32\"}]}]}",
        &m, ctx);
    if (st != JAGA_OK)
        fail_msg("%s", jaga_errmsg(ctx));
    assert_int_equal(jaga_nn_model_format(m), JAGA_NN_GRAPH_MODEL);
    assert_int_equal(jaga_nn_model_nodes(m), 4);
    jaga_nn_tensor t;
    assert_int_equal(jaga_nn_model_weight(m, "w", &t), JAGA_OK);
    assert_true(t.count == 6 && t.values[5] == 6.0f);
    int64_t shape[JAGA_NN_DIMS_MAX];
    int nd;
    jaga_nn_model_output(m, shape, &nd);
    assert_true(nd == 2 && shape[0] == 1 && shape[1] == 3); /* [1,2] x [2,3] */
    assert_int_equal(jaga_nn_model_macs(m), 6);
    jaga_nn_model_free(m);
    jaga_ctx_free(ctx);
}

/* A 224x224 RGB image in, the five classes' scores out. */
static void expect_io(const jaga_nn_model *m)
{
    int64_t shape[JAGA_NN_DIMS_MAX];
    int nd;
    jaga_nn_model_input(m, shape, &nd);
    assert_true(nd == 4 && shape[0] == 1 && shape[1] == 224 && shape[2] == 224 && shape[3] == 3);
    jaga_nn_model_output(m, shape, &nd);
    assert_true(nd == 2 && shape[0] == 1 && shape[1] == 5);
}

/* nsfwjs's models as scripts/fetch-data leaves them. */
static void test_nsfwjs_models(void **state)
{
    (void)state;
    const char *paths[2] = {JAGA_SOURCE_DIR "/.cache/models/nsfwjs/mobilenet_v2/model.json",
                            JAGA_SOURCE_DIR "/.cache/models/nsfwjs/mobilenet_v2_mid/model.json"};
    struct stat sb;
    if (stat(paths[0], &sb) != 0 || stat(paths[1], &sb) != 0) {
        print_message("skipped: nsfwjs models not in .cache (scripts/fetch-data fetches them)\n");
        skip();
    }
    jaga_ctx *ctx;
    jaga_ctx_open(&ctx);
    jaga_nn_model *m;
    if (jaga_nn_model_load(ctx, paths[0], NULL, &m) != JAGA_OK)
        fail_msg("%s", jaga_errmsg(ctx));
    assert_int_equal(jaga_nn_model_format(m), JAGA_NN_LAYERS_MODEL);
    assert_int_equal(jaga_nn_model_nodes(m), 162); /* MobileNetV2 with nsfwjs's head */
    assert_int_equal(jaga_nn_model_weights(m), 266);
    jaga_nn_tensor t;
    assert_int_equal(jaga_nn_model_weight(m, "Conv1/kernel", &t), JAGA_OK);
    assert_true(t.ndims == 4 && t.shape[0] == 3 && t.shape[3] == 32 && t.count == 864);
    for (size_t i = 0; i < t.count; i++) /* uint8 over min -0.873 and scale 0.00667 */
        assert_true(t.values[i] >= -0.8734f && t.values[i] <= -0.8733f + 255 * 0.0066668f);
    expect_io(m);
    /* MobileNetV2 1.0 at 224 is published as 300M multiply-adds, 1.4 as 582M (with the
     * 1000-class head; nsfwjs's has 5 classes). */
    assert_in_range(jaga_nn_model_macs(m), 295000000, 302000000);
    jaga_nn_model_free(m);
    if (jaga_nn_model_load(ctx, paths[1], NULL, &m) != JAGA_OK)
        fail_msg("%s", jaga_errmsg(ctx));
    assert_int_equal(jaga_nn_model_format(m), JAGA_NN_GRAPH_MODEL);
    assert_int_equal(jaga_nn_model_nodes(m), 178);
    assert_int_equal(jaga_nn_model_weights(m), 108);
    expect_io(m);
    assert_in_range(jaga_nn_model_macs(m), 575000000, 582000000);
    jaga_nn_model_free(m);
    jaga_ctx_free(ctx);
}

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/jaga-nn-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[96];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_dtype),
        cmocka_unit_test(test_broken_models),
        cmocka_unit_test(test_graph_model),
        cmocka_unit_test(test_nsfwjs_models),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
