// The test images, as the models take them (NHWC floats in [0, 1]), made here: the same
// values as nn_inputs in tests/nn/nn_outputs.c (both a few lines, kept in step by hand).
'use strict';
function value(kind, x, y, c, i) {
    if (kind === 0) return (x + y + 40 * c) % 256; // diagonal ramps
    if (kind === 1) return ((x >> 4) + (y >> 4)) % 2 ? 230 : 20; // checkers
    if (kind === 2) return (i * 7919) % 251; // noise
    return Math.round([200, 150, 120][c] - Math.abs(x - 112) / 2); // a skin-like gradient
}

exports.inputs = (h, w) => {
    const made = [];
    for (let kind = 0; kind < 4; kind++) {
        const a = new Float32Array(h * w * 3);
        for (let y = 0; y < h; y++)
            for (let x = 0; x < w; x++)
                for (let c = 0; c < 3; c++) {
                    const i = (y * w + x) * 3 + c;
                    a[i] = value(kind, x, y, c, i) / 255;
                }
        made.push(a);
    }
    return made;
};

// Images of other sizes and aspects, 8-bit RGB, for the whole preparation (over 255, then
// resized to the model's size): [width, height, bytes].
exports.images = () => [[300, 200], [123, 457], [640, 480], [50, 50]].map(([w, h], k) => {
    const a = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
            for (let c = 0; c < 3; c++) {
                const i = (y * w + x) * 3 + c;
                a[i] = k % 2 ? (((x >> 3) + (y >> 3)) % 2 ? 210 : 30) + (i * 31) % 17
                             : (x * 255 / w + y * 128 / h + 60 * c + k * 13) % 256;
            }
    return [w, h, a];
});
