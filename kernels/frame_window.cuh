#pragma once
// Fused centre padding + framing + window (librosa.stft, center=True, pad_mode="constant"):
// frame f of clip c holds y_c[t*hop + i - n_fft/2] * w[i] (zero outside the clip),
// t = f - frame_offsets[c], w = periodic Hann or ones (vqt's per-octave response). In
// float64, as numpy windows and transforms.
// CPU twins: features::stft in host/features/stft.cpp and octave_response in
// host/features/cqt.cpp (their framing loops).
#include <cuda_runtime.h>

namespace gtzan::kernels {

enum class Window { Hann, Ones };

void launch_frame_window_f64(const float* signals, const long* sample_offsets,
                             const long* sample_counts, const long* frame_offsets,
                             const int* frame_owner, long total_frames, int n_fft, int hop,
                             Window window, double* frames, cudaStream_t stream);

}  // namespace gtzan::kernels
