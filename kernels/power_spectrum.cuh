#pragma once
// From cuFFT's frame-major spectra [frames, bins] to librosa's layout [bins, frames]:
// rounding float64 spectra to complex64 (librosa casts numpy's float64 rfft), and |X|^p.
// CPU twin: features::spectrogram_power in host/features/stft.cpp.
#include <cuda_runtime.h>
#include <cufft.h>

namespace gtzan::kernels {

void launch_round_to_complex64(const cufftDoubleComplex* in, long count, cufftComplex* out,
                               cudaStream_t stream);

// out[b * frames + f] = |X[f * bins + b]|^power, power 1 (magnitude) or 2 (power).
void launch_spectrogram_power(const cufftComplex* X, long frames, int bins, int power,
                              float* out, cudaStream_t stream);

}  // namespace gtzan::kernels
