#pragma once
// librosa.feature.chroma_cens from the raw (un-normalised) 12-row chroma of a batch:
// util.normalize(norm=1) per frame (float64 norm), quantisation (0.4, 0.2, 0.1, 0.05 at 0.25
// each, compared in float32), smoothing along each clip's time axis with the normalised
// symmetric hann(43) (scipy.ndimage.convolve, mode constant: zeros outside the clip, float64
// accumulation, weights <= DBL_EPSILON skipped), then util.normalize(norm=2) per frame.
// CPU twin: chroma_cens_from_raw in host/features/chroma_cqt.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// raw, out: [12, total_cols]; clip layout as the frames (offsets/counts per clip, owner per
// column); weights: the 43 normalised window weights (features::chroma_cens_window());
// scratch: [12, total_cols] floats.
void launch_chroma_cens(const float* raw, long total_cols, const long* offsets,
                        const long* counts, const int* owner, const double* weights,
                        float* scratch, float* out, cudaStream_t stream);

}  // namespace gtzan::kernels
