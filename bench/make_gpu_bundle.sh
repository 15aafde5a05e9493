#!/usr/bin/env bash
# Packs what bench/gpu_check.sh needs on the lent GPU machine, which has CUDA, CMake and
# PyTorch but none of our Debian -dev packages and no network (so it cannot build gtzan):
# the CUDA build of gtzan and the GPU test programs, the shared libraries they need beyond
# glibc and CUDA's own (the GPU machine's CUDA 13 libraries are used there). The fixture clips
# the GPU tests read travel with the working tree (tests/golden). Writes .gpu_bundle.tar.xz
# (ignored by git; the `run` tool's carry takes it). Then, on the GPU machine:
#   OUT=... bash bench/gpu_check.sh      (it unpacks the bundle when it finds one)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${GTZAN_BUILD:-build}
# Incremental: a no-op when $build already holds this CUDA build.
GTZAN_CUDA=ON GTZAN_CUDA_ARCHS=${GTZAN_CUDA_ARCHS:-90} ./build.sh >&2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
b="$stage/gpu_bundle"
mkdir -p "$b/bin/tests" "$b/lib"
cp "$build/gtzan" "$b/bin/"
# Only the GPU test programs of the current sources (an old build folder can hold stale ones).
for src in tests/test_gpu_*.cpp tests/test_engine_gpu.cpp; do
  name=$(basename "$src" .cpp)
  cp "$build/tests/$name" "$b/bin/tests/"
done
# Shared libraries beyond glibc and CUDA's (libcudart, cuFFT, cuBLAS, cuDNN come from the GPU
# machine, matching its driver).
for exe in "$b/bin/gtzan" "$b"/bin/tests/*; do
  ldd "$exe" | awk '/=> \//{print $3}'
done | sort -u | while read -r lib; do
  case "$(basename "$lib")" in
    libc.so*|libm.so*|libpthread.so*|libdl.so*|librt.so*|ld-linux*|libcuda.so*|libcudart*|libcufft*|libcublas*|libcudnn*|libnvrtc*) ;;
    *) cp -L "$lib" "$b/lib/" ;;
  esac
done
tar -C "$stage" -cJf .gpu_bundle.tar.xz gpu_bundle
echo "make_gpu_bundle: .gpu_bundle.tar.xz $(du -h .gpu_bundle.tar.xz | cut -f1) ($(ls "$b/lib" | wc -l) libraries," \
     "$(ls "$b/bin/tests" | wc -l) test programs); carry it to the GPU machine (limit 64 MiB)" >&2
