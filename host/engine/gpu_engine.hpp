#pragma once
// The CUDA training backend seen from host code (no CUDA headers): implemented in cuda/engine/;
// without the CUDA build host/engine/cuda_engine_unavailable.cpp says so.
#include <memory>
#include <string>

#include "engine/backend.hpp"

namespace gtzan::engine {

// Backend<float> on GPU 0 (cuBLAS gemm, own kernels for the rest). Throws std::runtime_error
// naming the reason when this build has no CUDA backend or no GPU is usable.
// lstm_path picks how LSTM layers run: "cudnn" (cuDNN's whole-sequence RNN where the mask allows,
// the default), "steps" (the step kernels, the CPU's arithmetic: the deterministic, CPU-matching
// choice), or "" = the environment variable GTZAN_LSTM, else "cudnn". Anything else throws.
std::unique_ptr<Backend<float>> make_cuda_engine_backend(const std::string& lstm_path = "");

}  // namespace gtzan::engine
