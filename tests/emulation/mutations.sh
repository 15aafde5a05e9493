#!/usr/bin/env bash
# Proof that the emulated GPU tests catch bugs: plants one bug at a time in a scratch copy of
# the sources (never in this checkout), rebuilds the emulated build incrementally and runs the
# GPU test that covers the code. A mutation counts as caught when that test fails (a failed
# assertion, or the emulator aborting). Prints a Markdown table; exit 1 if any bug slipped.
#   bash tests/emulation/mutations.sh            (about 15 minutes on 2 cores)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${GTZAN_MUTATION_DIR:-$(mktemp -d)}
mkdir -p "$work/src"
git -C "$root" ls-files -z | (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$work/src"
cmake -S "$work/src" -B "$work/build" -DGTZAN_CUDA=EMULATE -DCMAKE_BUILD_TYPE=Release >/dev/null || exit 2
targets=(test_gpu_ops test_engine_gpu)
cmake --build "$work/build" -j "$(nproc)" --target "${targets[@]}" >"$work/build.log" 2>&1 || { echo "baseline build failed"; exit 2; }
# A Catch2 test-name filter (no commas: Catch splits filters at them), or "" for the whole program.
ops_case="every CUDA graph op equals its CPU twin on a batch"
rows_case="CUDA feature rows equal the CPU rows for every set the GPU computes"
lstm_case=""

# name | file | exact text | replacement | test binary | test case
mutations=(
  "off-by-one loop bound in a kernel|kernels/frame_window.cu|i < n_fft; i += gridDim.x|i < n_fft - 1; i += gridDim.x|test_gpu_ops|$ops_case"
  "removed __syncthreads() (block reduction)|kernels/row_stats.cu|  if (lane == 0) shared[warp] = v;
  __syncthreads();|  if (lane == 0) shared[warp] = v;|test_gpu_ops|$rows_case"
  "wrong shuffle offset|kernels/row_stats.cu|for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
  const int lane|for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o + 1);
  const int lane|test_gpu_ops|$rows_case"
  "wrong column offset in a graph node (mel)|cuda/nodes_spectral.cu|P.data.data(), F, W, kNbins|P.data.data() + 1, F, W, kNbins|test_gpu_ops|$ops_case"
  "swapped cuBLAS transpose (mel)|cuda/nodes_spectral.cu|cublasSgemm(g.cublas(), CUBLAS_OP_N, CUBLAS_OP_N, F, n_mels|cublasSgemm(g.cublas(), CUBLAS_OP_N, CUBLAS_OP_T, F, n_mels|test_gpu_ops|$ops_case"
  "wrong cuDNN gate order (input/forget swapped)|kernels/engine_lstm_weights.cu|return l.matrix[g] + h * in + row;|return l.matrix[g ^ 1u] + h * in + row;|test_engine_gpu|$lstm_case"
)

echo "| planted bug | file | test | result |"
echo "|---|---|---|---|"
slipped=0
for m in "${mutations[@]}"; do
  # Fields split by '|'; the texts may span lines, so python splits them.
  name=$(printf '%s' "$m" | python3 -c 'import sys; print(sys.stdin.read().split("|")[0])')
  file=$(printf '%s' "$m" | python3 -c 'import sys; print(sys.stdin.read().split("|")[1])')
  test_bin=$(printf '%s' "$m" | python3 -c 'import sys; print(sys.stdin.read().split("|")[4])')
  test_case=$(printf '%s' "$m" | python3 -c 'import sys; print(sys.stdin.read().split("|")[5])')
  cp "$work/src/$file" "$work/original"
  if ! printf '%s' "$m" | python3 -c '
import sys
parts = sys.stdin.read().split("|")
path, old, new = sys.argv[1], parts[2], parts[3]
text = open(path).read()
if text.count(old) < 1:
    sys.exit("mutation text not found in " + path)
open(path, "w").write(text.replace(old, new, 1))' "$work/src/$file"; then
    echo "| $name | $file | - | NOT APPLIED (text not found) |"
    slipped=1
    continue
  fi
  if ! cmake --build "$work/build" -j "$(nproc)" --target "$test_bin" >"$work/mutant_build.log" 2>&1; then
    result="does not compile (not a valid mutation)"
    slipped=1
  else
    if [ -n "$test_case" ]; then
      "$work/build/tests/$test_bin" "$test_case" >"$work/mutant_test.log" 2>&1
    else
      "$work/build/tests/$test_bin" >"$work/mutant_test.log" 2>&1
    fi
    rc=$?
    if grep -q "No tests ran" "$work/mutant_test.log"; then
      result="test filter matched nothing"
      slipped=1
    elif [ $rc -eq 0 ]; then
      result="**NOT CAUGHT**"
      slipped=1
    elif grep -q "emulated CUDA:" "$work/mutant_test.log"; then
      result="caught: $(grep -m1 'emulated CUDA:' "$work/mutant_test.log" | cut -c1-120)"
    else
      result="caught: $(grep -c FAILED "$work/mutant_test.log") failed checks ($(grep -m1 -E 'with expansion|FAILED' "$work/mutant_test.log" | head -1 | cut -c1-60))"
    fi
  fi
  echo "| $name | $file | $test_bin | $result |"
  cp "$work/original" "$work/src/$file"
  touch "$work/src/$file"
done
[ -n "${GTZAN_MUTATION_DIR:-}" ] || rm -rf "$work"
exit $slipped
