#pragma once
// librosa.feature.delta(X, width, order, axis=-1, mode="interp") per clip along time: the
// Savitzky-Golay derivative, float64 sums of the float32 inputs in the CPU's order, rounded.
// CPU twin: features::delta in host/features/mel.cpp (weights from features::delta_weights).
// A clip with fewer than `width` frames, which the CPU (and librosa) reject, gets NaN columns.
#include <cuda_runtime.h>

namespace gtzan::kernels {

inline constexpr int kMaxDeltaWidth = 15;

struct DeltaTaps {
  int width = 0;     // odd, 3..kMaxDeltaWidth
  double sign = 1;   // (-1)^order: the mirrored edge weights of the last window
  double centre[kMaxDeltaWidth] = {};
  double edge[kMaxDeltaWidth / 2][kMaxDeltaWidth] = {};
};

// X, out: [rows, total_cols]; clip c owns columns [offsets[c], offsets[c] + counts[c]).
void launch_delta(const float* X, int rows, long total_cols, const long* offsets,
                  const long* counts, const int* owner, const DeltaTaps& taps, float* out,
                  cudaStream_t stream);

}  // namespace gtzan::kernels
