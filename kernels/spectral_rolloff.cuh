#pragma once
// librosa.feature.spectral_rolloff of a batch of magnitude frames: float32 cumulative sum over
// bins, threshold = roll_percent * total (float32), the frequency of the first bin whose
// cumulative sum is not below the threshold. Float32 sums in bin order, as the CPU: exact.
// CPU twin: features::spectral_rolloff in host/features/spectral.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// mag: [bins, frames]; out: [1, frames]; bin b's frequency = b * freq_step (float64, rounded).
void launch_spectral_rolloff(const float* mag, int bins, long frames, float roll_percent,
                             double freq_step, float* out, cudaStream_t stream);

}  // namespace gtzan::kernels
