#pragma once
// |X|^2 of cuFFT's R2C output, transposed from [frames, bins] to per-clip [bins, frames]
// (librosa's layout). CPU twin: features::spectrogram_power in host/features/stft.cpp.
#include <cufft.h>

namespace gtzan::kernels {

void launch_power_spectrum(const cufftComplex* spectra, long total_frames, int bins,
                           const long* frame_offsets, const int* frame_clip,
                           const long* clip_frames, float* power, void* stream);

}  // namespace gtzan::kernels
