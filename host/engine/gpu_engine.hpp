#pragma once
// The CUDA training backend seen from host code (no CUDA headers): implemented in cuda/engine/;
// without the CUDA build host/engine/cuda_engine_unavailable.cpp says so.
#include <memory>

#include "engine/backend.hpp"

namespace gtzan::engine {

// Backend<float> on GPU 0 (cuBLAS gemm, own kernels for the rest). Throws std::runtime_error
// naming the reason when this build has no CUDA backend or no GPU is usable.
std::unique_ptr<Backend<float>> make_cuda_engine_backend();

}  // namespace gtzan::engine
