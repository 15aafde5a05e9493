#pragma once
// librosa.feature.spectral_bandwidth (p=2, norm=True) of a batch of magnitude frames: per
// frame the centroid as spectral_centroid (float64), then sqrt(sum_b float32(S_b / L) *
// (f_b - centroid)^2) in float64, in bin order; rounded to float32.
// CPU twin: features::spectral_bandwidth in host/features/spectral.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// mag: [bins, frames]; out: [1, frames]; bin b's frequency = b * freq_step.
void launch_spectral_bandwidth(const float* mag, int bins, long frames, double freq_step,
                               float* out, cudaStream_t stream);

}  // namespace gtzan::kernels
