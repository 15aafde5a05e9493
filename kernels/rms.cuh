#pragma once
// librosa.feature.rms (frame_length, hop, center=True, pad_mode='constant') of a batch of
// signals: per frame sqrt(float32(sum(float32 y^2) / frame_length)), the sum in float64 over
// the frame's in-clip samples (zeros outside). One warp per frame: the float64 partial sums
// are added in another order than the CPU's sequential loop, which may move the float32
// result by one ulp in rare cases.
// CPU twin: features::rms in host/features/spectral.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// Layouts as launch_zero_crossing_rate; out: [1, total_frames].
void launch_rms(const float* signals, const long* sample_offsets, const long* sample_counts,
                const long* frame_offsets, const int* frame_owner, long total_frames,
                int frame_length, int hop, float* out, cudaStream_t stream);

}  // namespace gtzan::kernels
