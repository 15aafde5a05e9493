#pragma once
// Fused centre padding + framing with a rectangular window (librosa.stft(window="ones",
// center=True, pad_mode="constant"), what vqt's per-octave __cqt_response uses): frame f of
// clip c holds y_c[t*hop + i - n_fft/2] (zero outside the clip), t = f - frame_offsets[c].
// Widened to float64 (numpy<2 transforms the float32 frames in float64).
// CPU twin: octave_response in host/features/cqt.cpp (its framing loop).
#include <cuda_runtime.h>

namespace gtzan::kernels {

void launch_frame_ones_f64(const float* signals, const long* sample_offsets,
                           const long* sample_counts, const long* frame_offsets,
                           const int* frame_owner, long total_frames, int n_fft, int hop,
                           double* frames, cudaStream_t stream);

}  // namespace gtzan::kernels
