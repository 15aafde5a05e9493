#pragma once
// The GPU feature graph seen from host code with plain C++ types (no CUDA headers), so tests
// and tools can run any op on both backends. Implemented in cuda/; without CUDA they throw.
#include <span>
#include <string>
#include <vector>

#include "core/matrix.hpp"

namespace gtzan::backend {

// Names of the frame-level features the CUDA graph computes (ClipGraph's names).
std::vector<std::string> gpu_frame_features();

// One feature for a batch of clips in one pass: per clip [rows, frames], the twin of
// features::ClipGraph(y).frame(feature).
std::vector<Matrix> gpu_frames(const std::string& feature,
                               const std::vector<std::span<const float>>& clips);

}  // namespace gtzan::backend
