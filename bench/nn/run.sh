#!/usr/bin/env bash
# bench/nn: per-image latency of nsfwjs's two models in jaga (XNNPACK, one thread) against
# TensorFlow.js with its WebAssembly backend in node, on the same image, in the same run;
# prints both medians and the ratio (goal: jaga at least 8x faster). Each model's arithmetic
# rate is also read against this core's float32 FMA peak (fma_peak, same run): what share of
# the hardware jaga uses, and what share the 8x goal would need.
# usage: bench/nn/run.sh BUILD_DIR [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build-bench}
runs=${2:-50}
peak=$("$build/bench/fma_peak")
echo "this core's float32 FMA peak: $(echo "$peak" | awk '{print $3}') GFLOP/s ($(echo "$peak" | awk '{print $2}'))"
for model in mobilenet_v2 mobilenet_v2_mid; do
    json=.cache/models/nsfwjs/$model/model.json
    read -r _ _ jaga macs < <("$build/bench/bench_nn" "$json" "$runs")
    tfjs=$(node bench/nn/tfjs_time.js .cache/tfjs "$json" "$runs" | awk '{print $3}')
    awk -v m="$model" -v j="$jaga" -v t="$tfjs" -v macs="$macs" -v p="$(echo "$peak" | awk '{print $3}')" 'BEGIN {
        printf "%-18s jaga %7.2f ms  tfjs-wasm %7.2f ms  jaga %.1fx faster (goal >= 8x)\n", m, j, t, t / j
        g = 2 * macs / (j / 1e3) / 1e9; need = 2 * macs / (t / 8 / 1e3) / 1e9
        printf "%-18s %.0f MMACs: jaga %.0f GFLOP/s = %.0f%% of peak; 8x would need %.0f GFLOP/s = %.0f%% of peak\n",
            "", macs / 1e6, g, 100 * g / p, need, 100 * need / p }'
done
