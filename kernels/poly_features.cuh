#pragma once
// librosa.feature.poly_features (order m-1, np.polyfit per frame) of a batch of magnitude
// frames: coefficient k = sum_b P[k, b] * S_b in float64 in bin order with the CPU's fixed
// least-squares map P (features::poly_fit_matrix); rows highest power first, float32.
// CPU twin: features::poly_features in host/features/spectral.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

inline constexpr int kMaxPolyCoeffs = 8;

// mag: [bins, frames]; P: device [m, bins] float64; out: [m, frames], m <= kMaxPolyCoeffs.
void launch_poly_features(const float* mag, int bins, long frames, const double* P, int m,
                          float* out, cudaStream_t stream);

}  // namespace gtzan::kernels
