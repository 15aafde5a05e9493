#!/usr/bin/env bash
# Configures and builds gtzan (Release) in ./build. CUDA is compiled when nvcc is found
# (GTZAN_CUDA=AUTO); pass GTZAN_CUDA=OFF in the environment to skip it.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$PATH:/usr/local/cuda/bin"
# GTZAN_CUDA_ARCHS picks the GPU architectures (default: Ampere and Hopper, "80;90").
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGTZAN_CUDA="${GTZAN_CUDA:-AUTO}" \
      -DCMAKE_CUDA_ARCHITECTURES="${GTZAN_CUDA_ARCHS:-80;90}" >/dev/null
cmake --build build -j "$(nproc)"
