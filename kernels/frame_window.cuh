#pragma once
// Fused centre padding + framing + periodic Hann window (librosa.stft, center=True,
// pad_mode="constant"): frames[c][t][i] = y_c[t*hop + i - n_fft/2] * hann[i], zero outside.
// CPU twin: features::stft in host/features/stft.cpp (its framing loop).
#include <cstddef>

namespace gtzan::kernels {

// Clips are stored back to back in `signals`; clip c starts at offsets[c] with lengths[c]
// samples and owns frames [frame_offsets[c], frame_offsets[c] + n_frames(c)).
void launch_frame_window(const float* signals, const long* offsets, const long* lengths,
                         const long* frame_offsets, const int* frame_clip, long total_frames,
                         int n_fft, int hop, float* frames, void* stream);

}  // namespace gtzan::kernels
