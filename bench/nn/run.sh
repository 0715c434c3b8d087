#!/usr/bin/env bash
# bench/nn: per-image latency of nsfwjs's two models in jaga (XNNPACK, one thread) against
# TensorFlow.js with its WebAssembly backend in node, on the same image, in the same run;
# prints both medians and the ratio (goal: jaga at least 8x faster).
# usage: bench/nn/run.sh BUILD_DIR [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build-bench}
runs=${2:-50}
for model in mobilenet_v2 mobilenet_v2_mid; do
    json=.cache/models/nsfwjs/$model/model.json
    jaga=$("$build/bench/bench_nn" "$json" "$runs" | awk '{print $3}')
    tfjs=$(node bench/nn/tfjs_time.js .cache/tfjs "$json" "$runs" | awk '{print $3}')
    awk -v m="$model" -v j="$jaga" -v t="$tfjs" 'BEGIN {
        printf "%-18s jaga %7.2f ms  tfjs-wasm %7.2f ms  jaga %.1fx faster (goal >= 8x)\n", m, j, t, t / j }'
done
