#pragma once
// librosa.feature.tonnetz(chroma=chroma) of a 12-row chroma batch: util.normalize(norm=1) per
// frame (float64 norm, float32 result), then the six tonal-centroid projections (phi, built on
// the host as the CPU twin builds it) accumulated in float64 in chroma order, stored float32.
// CPU twin: tonnetz_from_chroma in host/features/chroma_cqt.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// chroma: [12, cols]; phi: [6, 12] float64; out: [6, cols].
void launch_tonnetz(const float* chroma, long cols, const double* phi, float* out,
                    cudaStream_t stream);

}  // namespace gtzan::kernels
