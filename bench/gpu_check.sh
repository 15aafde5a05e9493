#!/usr/bin/env bash
# The one prepared GPU check (run by the `device` tool on a GPU machine, < 8 minutes on one
# H200): build with CUDA unless a carried build works, run the GPU tests, run the feature
# benchmarks (GPU and CPU in the same run), the training benchmarks (seed_cnn1d; seed_lstm with
# cuDNN's LSTM and with the step kernels), and write everything as JSON/text under $OUT.
#   OUT=/tmp/out bash bench/gpu_check.sh
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/gpu_check_out}
mkdir -p "$OUT"
build=${GTZAN_BUILD:-build}
clips=${GTZAN_BENCH_CLIPS:-1000}
log() { echo "[gpu_check $(date +%T)] $*" | tee -a "$OUT/log.txt"; }
export PATH="$PATH:/usr/local/cuda/bin"

nvidia-smi --query-gpu=name,memory.total,driver_version,pcie.link.gen.max,pcie.link.width.max \
  --format=csv > "$OUT/nvidia_smi.csv" 2>&1 || log "nvidia-smi failed"
log "GPU: $(tail -n +2 "$OUT/nvidia_smi.csv" | head -1)"

if ! "$build/gtzan" --version >/dev/null 2>&1; then
  log "no working carried build in $build: configuring and building (CUDA arch 90)"
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DGTZAN_CUDA=ON \
        -DCMAKE_CUDA_ARCHITECTURES=90 > "$OUT/cmake.txt" 2>&1 || { log "cmake failed"; }
  timeout 300 cmake --build "$build" -j "$(nproc)" > "$OUT/build.txt" 2>&1 || log "build failed (see build.txt)"
fi
"$build/gtzan" --version > "$OUT/version.txt" 2>&1 || { log "gtzan does not run; stopping"; exit 1; }

log "GPU tests"
status=0
for t in "$build"/tests/test_gpu_* "$build"/tests/test_engine_gpu; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  timeout 240 "$t" -r junit -o "$OUT/$name.xml" > "$OUT/$name.txt" 2>&1
  rc=$?
  log "$name exit $rc"
  [ $rc -eq 0 ] || status=1
done

log "benchmarks ($clips clips of 30 s)"
timeout 120 "$build/gtzan" bench train --model experiments/models/seed_cnn1d.toml --inputs 63 \
   --samples 4096 --device cuda --json "$OUT/bench_train_cuda_seed_cnn1d.json" > "$OUT/bench_train.txt" 2>&1
log "bench train cnn1d exit $?"
# seed_lstm both ways: cuDNN's whole-sequence RNN and the step kernels (GTZAN_LSTM, cuda/engine/README.md).
for lstm in cudnn steps; do
  GTZAN_LSTM=$lstm timeout 150 "$build/gtzan" bench train --model experiments/models/seed_lstm.toml \
     --steps 1300 --channels 13 --samples 256 --device cuda \
     --json "$OUT/bench_train_cuda_seed_lstm_$lstm.json" > "$OUT/bench_train_lstm_$lstm.txt" 2>&1
  log "bench train seed_lstm ($lstm) exit $? $(grep -o '"samples_per_second": [0-9.]*' "$OUT/bench_train_cuda_seed_lstm_$lstm.json" 2>/dev/null)"
done
for set in spectral core seed309; do
  timeout 240 "$build/gtzan" bench features --device cuda --set "$set" --clips "$clips" --threads 0 \
     --json "$OUT/bench_cuda_$set.json" > "$OUT/bench_cuda_$set.txt" 2>&1
  log "bench $set exit $? $(grep -o '"clips_per_second": [0-9.]*' "$OUT/bench_cuda_$set.json" 2>/dev/null)"
done
log "done (tests status $status)"
exit $status
