// The reference outputs: TensorFlow.js itself with its WebAssembly backend, in node, on the
// inputs tests/nn/inputs.js makes. Prints {"model": ..., "outputs": [[...], ...]} as JSON.
// usage: node tfjs_reference.js TFJS_DIR MODEL_JSON
'use strict';
const fs = require('fs');
const path = require('path');
const { inputs, images } = require('./inputs');

const [dir, modelPath] = process.argv.slice(2);
const tf = require(path.join(dir, 'node_modules', '@tensorflow', 'tfjs'));
require(path.join(dir, 'node_modules', '@tensorflow', 'tfjs-backend-wasm'));

// A model from its files, through an IO handler (tfjs in node reads no file:// of its own).
function handler(file) {
    const model = JSON.parse(fs.readFileSync(file, 'utf8'));
    const specs = [], buffers = [];
    for (const group of model.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths)
            buffers.push(fs.readFileSync(path.join(path.dirname(file), p)));
    }
    const all = Buffer.concat(buffers);
    return {
        load: async () => ({
            modelTopology: model.modelTopology,
            format: model.format,
            generatedBy: model.generatedBy,
            convertedBy: model.convertedBy,
            weightSpecs: specs,
            weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.length),
        }),
    };
}

(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    const model = JSON.parse(fs.readFileSync(modelPath, 'utf8'));
    const net = model.format === 'graph-model' ? await tf.loadGraphModel(handler(modelPath))
                                               : await tf.loadLayersModel(handler(modelPath));
    const outputs = [];
    for (const input of inputs(224, 224)) {
        const x = tf.tensor4d(input, [1, 224, 224, 3]);
        const y = net.predict(x);
        outputs.push(Array.from(await y.data()));
        tf.dispose([x, y]);
    }
    // Whole images as nsfwjs prepares them: over 255, then resizeBilinear with alignCorners.
    const prepared = [];
    for (const [w, h, bytes] of images()) {
        const y = tf.tidy(() => {
            const img = tf.tensor3d(bytes, [h, w, 3], 'int32').toFloat().div(tf.scalar(255));
            const resized = h !== 224 || w !== 224
                                ? tf.image.resizeBilinear(img, [224, 224], true) : img;
            return net.predict(resized.reshape([1, 224, 224, 3]));
        });
        prepared.push(Array.from(await y.data()));
        y.dispose();
    }
    console.log(JSON.stringify({ backend: tf.getBackend(), outputs, images: prepared }));
})().catch(e => { console.error(e.message); process.exit(1); });
