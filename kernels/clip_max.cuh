#pragma once
// Per clip: the maximum over all rows and the clip's columns of a batched node
// [rows, total_cols] (clip c owns columns [offsets[c], offsets[c] + counts[c])).
// CPU twin: the `peak` loop of features::power_to_db (host/features/mel.cpp) and the `mx` of
// spectral_contrast's to_db (host/features/spectral.cpp). A max is exact in any order.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// out[c] = max over the clip's block; -inf for a clip without columns. NaNs are ignored.
void launch_clip_max(const float* data, int rows, long total_cols, const long* offsets,
                     const long* counts, int clips, float* out, cudaStream_t stream);
void launch_clip_max(const double* data, int rows, long total_cols, const long* offsets,
                     const long* counts, int clips, double* out, cudaStream_t stream);

}  // namespace gtzan::kernels
