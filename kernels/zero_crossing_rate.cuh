#pragma once
// librosa.feature.zero_crossing_rate (frame_length, hop, center=True: edge padding by
// frame_length/2; |x| <= 1e-10 counts as 0, zero_pos=True) of a batch of signals: per frame
// the count of sign changes at positions 1 .. frame_length-1 of the frame, / frame_length.
// Integer counts: exact. One warp per frame.
// CPU twin: features::zero_crossing_rate in host/features/spectral.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// signals: [1, total_samples] with the sample layout (sample_offsets/counts per clip); frames
// in the frame layout (frame_offsets per clip, frame_owner per frame); out: [1, total_frames].
void launch_zero_crossing_rate(const float* signals, const long* sample_offsets,
                               const long* sample_counts, const long* frame_offsets,
                               const int* frame_owner, long total_frames, int frame_length,
                               int hop, float* out, cudaStream_t stream);

}  // namespace gtzan::kernels
