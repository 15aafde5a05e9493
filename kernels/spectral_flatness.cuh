#pragma once
// librosa.feature.spectral_flatness (power=2, amin=1e-10) of a batch of magnitude frames:
// p_b = max(amin, float32(S_b^2)) in float64; exp(mean(log p)) / mean(p), the log of the
// geometric mean summed as logs of products of 16 bins, exactly the CPU's blocking and order.
// CPU twin: features::spectral_flatness in host/features/spectral.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// mag: [bins, frames]; out: [1, frames].
void launch_spectral_flatness(const float* mag, int bins, long frames, float* out,
                              cudaStream_t stream);

}  // namespace gtzan::kernels
