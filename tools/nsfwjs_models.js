// Turns the nsfwjs package's model bundles (dist/models/NAME/model.min.js, a JavaScript module
// holding the TensorFlow.js model JSON, and group*-shard*.min.js, each the base64 text of a
// weight shard) into the standard TensorFlow.js files that jaga's loader reads:
// OUT/NAME/model.json with its weightsManifest paths pointing at OUT/NAME/<shard>.bin.
// usage: node nsfwjs_models.js PACKAGE_MODELS_DIR OUT_DIR NAME...
'use strict';
const fs = require('fs');
const path = require('path');

const [src, out, ...names] = process.argv.slice(2);
if (!src || !out || !names.length) {
    console.error('usage: node nsfwjs_models.js PACKAGE_MODELS_DIR OUT_DIR NAME...');
    process.exit(2);
}
const bytesOf = { float32: 4, int32: 4, float16: 2, uint8: 1, uint16: 2 };

for (const name of names) {
    const from = path.join(src, name);
    const bundle = require(path.resolve(from, 'model.min.js'));
    const model = bundle.default || bundle;
    if (!model.modelTopology || !Array.isArray(model.weightsManifest))
        throw new Error(`${name}: model.min.js holds no TensorFlow.js model`);
    const dir = path.join(out, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const group of model.weightsManifest) {
        let total = 0;
        for (const w of group.weights) {
            const dtype = w.quantization ? w.quantization.dtype : w.dtype;
            total += w.shape.reduce((a, b) => a * b, 1) * bytesOf[dtype];
        }
        let written = 0;
        group.paths = group.paths.map(p => {
            const shard = require(path.resolve(from, `${p}.min.js`));
            const text = shard.default || shard;
            if (typeof text !== 'string')
                throw new Error(`${name}/${p}: not a base64 shard`);
            const bytes = Buffer.from(text, 'base64');
            fs.writeFileSync(path.join(dir, `${p}.bin`), bytes);
            written += bytes.length;
            return `${p}.bin`;
        });
        if (written !== total)
            throw new Error(`${name}: shards hold ${written} bytes, the manifest ${total}`);
    }
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(model));
    console.log(`${name}: ${path.join(dir, 'model.json')}`);
}
