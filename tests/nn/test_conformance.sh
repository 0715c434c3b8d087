#!/usr/bin/env bash
# Conformance of jaga's inference with TensorFlow.js itself (the WebAssembly backend, in node):
# nsfwjs's two models on the test inputs both sides make (tests/nn/inputs.js, nn_outputs.c),
# and on images of other sizes and aspects prepared as nsfwjs prepares them (over 255, then
# resized with aligned corners): every class score within 1e-4. Skipped, visibly, without the models or TensorFlow.js in
# .cache (scripts/fetch-data fetches both).
# usage: test_conformance.sh NN_OUTPUTS
set -u
nn_outputs=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/cli/check.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for model in mobilenet_v2 mobilenet_v2_mid; do
    json="$root/.cache/models/nsfwjs/$model/model.json"
    if [ ! -f "$json" ] || [ ! -d "$root/.cache/tfjs/node_modules/@tensorflow/tfjs-backend-wasm" ]; then
        skip "$model against TensorFlow.js" "no models or TensorFlow.js in .cache: scripts/fetch-data fetches them"
        continue
    fi
    check "$model: jaga runs it" sh -c "'$nn_outputs' '$json' >'$work/got.json'"
    check "$model: TensorFlow.js runs it" sh -c "cd '$here' && node tfjs_reference.js '$root/.cache/tfjs' '$json' >'$work/want.json'"
    check "$model: on the wasm backend" grep -q '"backend":"wasm"' "$work/want.json"
    diff=$(python3 -c "
import json
g, w = json.load(open('$work/got.json')), json.load(open('$work/want.json'))
got, want = g['outputs'] + g['images'], w['outputs'] + w['images']
assert len(got) == len(want) == 8 and all(len(a) == len(b) == 5 for a, b in zip(got, want))
print(max(abs(a - b) for g, w in zip(got, want) for a, b in zip(g, w)))" 2>&1)
    echo "$model: largest difference from TensorFlow.js $diff"
    check "$model: within 1e-4 of TensorFlow.js" python3 -c "import sys; sys.exit(0 if float('$diff') <= 1e-4 else 1)"
done

finish "classifier conformance"
