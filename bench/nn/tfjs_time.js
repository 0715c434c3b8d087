// bench/nn: TensorFlow.js's per-image latency on a model with its WebAssembly backend in node
// (the runtime nsfwjs ships for), the median of RUNS predictions after warm ones, on the same
// generated image as bench_nn.c. Prints "tfjs MODEL MS".
// usage: node tfjs_time.js TFJS_DIR MODEL_JSON [RUNS]
'use strict';
const fs = require('fs');
const path = require('path');
const [dir, file, runsText] = process.argv.slice(2);
const runs = Number(runsText || 50);
const tf = require(path.join(path.resolve(dir), 'node_modules', '@tensorflow', 'tfjs'));
require(path.join(path.resolve(dir), 'node_modules', '@tensorflow', 'tfjs-backend-wasm'));

(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    const model = JSON.parse(fs.readFileSync(file, 'utf8'));
    const specs = [], buffers = [];
    for (const g of model.weightsManifest) {
        specs.push(...g.weights);
        for (const p of g.paths) buffers.push(fs.readFileSync(path.join(path.dirname(file), p)));
    }
    const all = Buffer.concat(buffers);
    const handler = { load: async () => ({ modelTopology: model.modelTopology, format: model.format,
        weightSpecs: specs, weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.length) }) };
    const net = model.format === 'graph-model' ? await tf.loadGraphModel(handler)
                                               : await tf.loadLayersModel(handler);
    const image = new Float32Array(224 * 224 * 3);
    for (let i = 0; i < image.length; i++) image[i] = ((i * 7919) % 251) / 255;
    const x = tf.tensor4d(image, [1, 224, 224, 3]);
    const once = async () => { const y = net.predict(x); await y.data(); y.dispose(); };
    for (let k = 0; k < 5; k++) await once();
    const ms = [];
    for (let k = 0; k < runs; k++) {
        const t0 = process.hrtime.bigint();
        await once();
        ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    ms.sort((a, b) => a - b);
    console.log(`tfjs ${file} ${ms[Math.floor(runs / 2)].toFixed(3)}`);
})().catch(e => { console.error(e.message); process.exit(1); });
