#pragma once
// librosa.feature.spectral_centroid of a batch of magnitude frames: per frame, the L1 norm in
// float64 (a norm below FLT_MIN leaves the frame un-normalised), then sum_b f_b *
// float32(S_b / L), float64, in bin order; rounded to float32. Frames are independent, so the
// whole batch is one launch over columns.
// CPU twin: features::spectral_centroid in host/features/spectral.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// mag: [bins, frames]; out: [1, frames]. freq_step = sr / n_fft as the CPU computes it
// (1.0 / (n_fft * (1.0 / sr))), bin b's frequency = b * freq_step.
void launch_spectral_centroid(const float* mag, int bins, long frames, double freq_step,
                              float* out, cudaStream_t stream);

}  // namespace gtzan::kernels
