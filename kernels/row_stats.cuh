#pragma once
// Per clip: mean and population variance, per row or over the whole [rows, clip columns]
// block, accumulated in float64 (two passes: the mean, then squared deviations), so only the
// feature table leaves the GPU.
// CPU twin: FeatureSet::compute's mean_var in host/features/feature_set.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// data: [rows, total_cols]; clip c owns columns [offsets[c], offsets[c] + counts[c]).
// mean/var: [clips, rows] (per row) in float64.
void launch_row_stats(const float* data, int rows, long total_cols, const long* offsets,
                      const long* counts, int clips, double* mean, double* var,
                      cudaStream_t stream);

// mean/var over all rows and the clip's columns together: [clips].
void launch_whole_stats(const float* data, int rows, long total_cols, const long* offsets,
                        const long* counts, int clips, double* mean, double* var,
                        cudaStream_t stream);

}  // namespace gtzan::kernels
