#pragma once
// The GPU feature graph seen from host code with plain C++ types (no CUDA headers), so tests
// and tools can run any op on both backends. Implemented in cuda/; without CUDA they throw.
#include <span>
#include <utility>
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

// Milliseconds per node for one batch, each node timed when first computed (so it includes
// inputs not yet computed), in the set's order, synchronised: the bench's per-stage figures.
// "upload" is the host->device copy of the audio, "stats" the per-clip mean/var reductions.
std::vector<std::pair<std::string, double>> gpu_profile(const std::vector<std::string>& frames,
                                                        const std::vector<std::span<const float>>& clips);

}  // namespace gtzan::backend
