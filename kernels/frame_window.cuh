#pragma once
// Fused centre padding + framing + periodic Hann window (librosa.stft, center=True,
// pad_mode="constant"): frame f of clip c holds y_c[t*hop + i - n_fft/2] * hann[i] (zero
// outside the clip), t = f - frame_offsets[c]. In float64, as numpy windows and transforms.
// CPU twin: features::stft in host/features/stft.cpp (its framing loop).
#include <cuda_runtime.h>

namespace gtzan::kernels {

void launch_frame_window_f64(const float* signals, const long* sample_offsets,
                             const long* sample_counts, const long* frame_offsets,
                             const int* frame_owner, long total_frames, int n_fft, int hop,
                             double* frames, cudaStream_t stream);

}  // namespace gtzan::kernels
