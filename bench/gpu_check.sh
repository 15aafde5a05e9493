#!/usr/bin/env bash
# The one prepared GPU check (run by the `device` tool on a GPU machine, < 8 minutes on one
# H200): the GPU tests, the training benchmarks (seed_cnn1d, seed_dense; seed_lstm with cuDNN's
# LSTM and with the step kernels) and the feature benchmarks (GPU and CPU in the same run). The GPU machine cannot install our Debian packages, so the build comes from here:
#   here:  bash bench/make_gpu_bundle.sh            # -> .gpu_bundle.tar.xz (about 13 MB)
#   there: run(command="OUT=$OUT bash bench/gpu_check.sh", carry=[".gpu_bundle.tar.xz"])
# Without a bundle it tries to build with CUDA (works only where the packages are installed).
# Every step has a time limit, and steps are skipped once the budget (470 s) is near.
# Results: $OUT/summary.json (every benchmark JSON and test verdict), $OUT/log.txt and
# $OUT/gpu_check_files.tar.gz (all outputs): the tool brings back at most 8 files.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/gpu_check_out}
mkdir -p "$OUT"
work=$(mktemp -d)
build=${GTZAN_BUILD:-build}
clips=${GTZAN_BENCH_CLIPS:-1000}
start=$(date +%s)
budget=${GTZAN_CHECK_SECONDS:-470}
log() { echo "[gpu_check $(date +%T) +$(($(date +%s) - start))s] $*" | tee -a "$work/log.txt"; }
# step SECONDS CMD...: runs CMD with the smaller of its limit and what is left of the budget.
step() {
  local left=$((budget - ($(date +%s) - start))) t=$1
  shift
  [ "$left" -lt "$t" ] && t=$left
  if [ "$t" -lt 10 ]; then log "skipped (time budget spent): $*"; return 124; fi
  timeout "$t" "$@"
}
finish() {
  python3 - "$work" > "$OUT/summary.json" <<'PY' 2>>"$work/log.txt"
import glob, json, os, sys, re
work = sys.argv[1]
s = {"benchmarks": {}, "tests": {}}
for f in sorted(glob.glob(os.path.join(work, "bench_*.json"))):
    try:
        s["benchmarks"][os.path.basename(f)[:-5]] = json.load(open(f))
    except Exception as e:
        s["benchmarks"][os.path.basename(f)[:-5]] = {"error": str(e)}
for f in sorted(glob.glob(os.path.join(work, "test_*.txt"))):
    text = open(f, errors="replace").read()
    m = re.findall(r"(All tests passed.*|test cases:.*)", text)
    s["tests"][os.path.basename(f)[:-4]] = m[-1] if m else text[-2000:]
for name in ("nvidia_smi.csv", "version.txt"):
    p = os.path.join(work, name)
    if os.path.exists(p): s[name] = open(p).read()
print(json.dumps(s, indent=1))
PY
  cp "$work/log.txt" "$OUT/log.txt"
  tar -czf "$OUT/gpu_check_files.tar.gz" -C "$work" .
}
trap finish EXIT
export PATH="$PATH:/usr/local/cuda/bin"

nvidia-smi --query-gpu=name,memory.total,driver_version,pcie.link.gen.max,pcie.link.width.max \
  --format=csv > "$work/nvidia_smi.csv" 2>&1 || log "nvidia-smi failed"
log "GPU: $(tail -n +2 "$work/nvidia_smi.csv" | head -1)"

tests_dir="$build/tests"
if [ -f .gpu_bundle.tar.xz ]; then
  tar -xJf .gpu_bundle.tar.xz -C /tmp
  build=/tmp/gpu_bundle/bin
  tests_dir=$build/tests
  cuda_libs=$(ls -d /usr/local/cuda/lib64 /usr/local/cuda/lib /usr/local/cuda/targets/x86_64-linux/lib 2>/dev/null | tr '\n' ':')
  py_libs=$(python3 -c 'import nvidia, os; r = list(nvidia.__path__)[0]; print(":".join(os.path.join(r, d, "lib") for d in sorted(os.listdir(r)) if os.path.isdir(os.path.join(r, d, "lib"))))' 2>/dev/null || true)
  export LD_LIBRARY_PATH="/tmp/gpu_bundle/lib:${cuda_libs}${py_libs}:${LD_LIBRARY_PATH:-}"
  # The test programs were built elsewhere: their fixtures are in this working tree.
  export GTZAN_SOURCE_DIR="$PWD"
  log "using the carried bundle; LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  ldd "$build/gtzan" > "$work/ldd.txt" 2>&1
  # Built on Debian 12 (glibc 2.36, GCC 12's libstdc++). Where the carried libstdc++ does not
  # load on this machine's glibc, its own libstdc++ may still do.
  if ! "$build/gtzan" --version > "$work/version.txt" 2>&1; then
    log "gtzan does not start with the carried C++ runtime: $(head -c 300 "$work/version.txt"); trying the system's"
    mkdir -p /tmp/gpu_bundle/lib_cxx_unused
    mv /tmp/gpu_bundle/lib/libstdc++.so.6 /tmp/gpu_bundle/lib/libgcc_s.so.1 /tmp/gpu_bundle/lib_cxx_unused/ 2>/dev/null
  fi
elif ! "$build/gtzan" --version >/dev/null 2>&1; then
  log "no bundle and no working build in $build: configuring and building (CUDA arch 90)"
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DGTZAN_CUDA=ON \
        -DCMAKE_CUDA_ARCHITECTURES=90 > "$work/cmake.txt" 2>&1 || log "cmake failed"
  step 300 cmake --build "$build" -j "$(nproc)" > "$work/build.txt" 2>&1 || log "build failed (see build.txt)"
fi
"$build/gtzan" --version > "$work/version.txt" 2>&1 || { log "gtzan does not run; stopping"; exit 1; }

log "GPU tests"
status=0
for src in tests/test_gpu_*.cpp tests/test_engine_gpu.cpp; do
  name=$(basename "$src" .cpp)
  t="$tests_dir/$name"
  [ -x "$t" ] || { log "$name: not built"; status=1; continue; }
  step 150 "$t" --durations yes > "$work/$name.txt" 2>&1
  rc=$?
  log "$name exit $rc"
  [ $rc -eq 0 ] || status=1
done

bench() {  # bench NAME ARGS...: one `gtzan bench` run, its JSON in $work/bench_NAME.json
  local name=$1
  shift
  step 120 "$build/gtzan" bench "$@" --json "$work/bench_$name.json" > "$work/bench_$name.txt" 2>&1
  log "bench $name exit $? $(grep -o '"\(clips\|samples\)_per_second": [0-9.e+]*' "$work/bench_$name.json" 2>/dev/null | head -1)"
}
log "benchmarks ($clips clips of 30 s)"
bench train_cuda_seed_cnn1d train --model experiments/models/seed_cnn1d.toml --inputs 63 --samples 4096 --device cuda
bench train_cuda_seed_dense train --model experiments/models/seed_dense.toml --inputs 63 --samples 4096 --device cuda
# seed_lstm both ways: cuDNN's whole-sequence RNN and the step kernels (GTZAN_LSTM, cuda/engine/README.md).
for lstm in cudnn steps; do
  GTZAN_LSTM=$lstm bench "train_cuda_seed_lstm_$lstm" train --model experiments/models/seed_lstm.toml \
    --steps 1300 --channels 13 --samples 256 --device cuda
done
for set in spectral core seed309; do
  bench "cuda_$set" features --device cuda --set "$set" --clips "$clips" --threads 0
done
# The issue's second goal: seed309 track rows and 3-s segment rows of every clip in one pass.
bench cuda_seed309_with_segments features --device cuda --set seed309 --clips "$clips" --segments 10 --threads 0
# Streams side by side: one batch at a time vs four in flight (the default, 2, ran above).
for streams in 1 4; do
  bench "cuda_core_streams$streams" features --device cuda --set core --clips "$clips" --streams "$streams" --threads 0
done
log "done (tests status $status)"
exit $status
