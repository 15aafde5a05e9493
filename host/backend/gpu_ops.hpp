#pragma once
// GPU operations exposed to host code with plain C++ types (no CUDA headers), each the twin
// of a CPU reference in host/features. Implemented in cuda/; without CUDA they throw.
#include <span>
#include <vector>

#include "core/matrix.hpp"
#include "features/params.hpp"

namespace gtzan::backend {

// Batched power spectrogram of many clips in one launch (frame+window kernel, cuFFT R2C,
// power kernel). Twin of features::spectrogram_power(features::stft(y), 2).
std::vector<Matrix> gpu_stft_power(const std::vector<std::span<const float>>& clips,
                                   int n_fft = features::kNfft, int hop = features::kHop);

}  // namespace gtzan::backend
