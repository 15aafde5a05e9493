#pragma once
// librosa.onset.onset_strength's aggregation (lag 1, max_size 1, center=True) for a batch:
// per frame, the positive flux max(0, S[:, t+1] - S[:, t]) of the log-power mel bands
// aggregated over bands (mean: float32 sum in band order / bands; median: the middle value or
// the float32 mean of the two middle values), shifted right by `shift` frames (zeros) within
// each clip and cut to its frame count (clips of < 2 frames are all zero).
// CPU twin: features::onset_strength_from_power in host/features/onset.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// S: [bands, total_cols] dB (bands <= 128); out: [total_cols].
void launch_onset_flux(const float* S, int bands, long total_cols, const long* offsets,
                       const long* counts, const int* owner, int shift, bool median,
                       float* out, cudaStream_t stream);

}  // namespace gtzan::kernels
