#pragma once
// scipy.ndimage.median_filter(S, size=(1, 31) or (31, 1), mode="reflect") on magnitude
// spectra stored frame-major [frames, bins] (as cuFFT writes them): one thread per output,
// its 31 window values gathered into registers and partially sorted by compare-exchange
// (16 selection passes); the median is an element of the window, so the result is bit-exact.
//   time:      along the frames of each clip, per bin; 'reflect' at the clip's first and
//              last frame (d c b a | a b c d | d c b a), never across clips.
//   frequency: along the bins of each frame; 'reflect' at bin 0 and bin bins-1.
// CPU twins: features::median_filter_time / median_filter_freq in host/features/hpss.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// S, out: [frames, bins]; clip c owns frames [frame_offsets[c], + frame_counts[c]);
// frame_owner[f] = the clip of frame f. kernel_size must be 31 (librosa.decompose.hpss).
void launch_median_filter_time(const float* S, long frames, int bins, const long* frame_offsets,
                               const long* frame_counts, const int* frame_owner, int kernel_size,
                               float* out, cudaStream_t stream);

void launch_median_filter_freq(const float* S, long frames, int bins, int kernel_size,
                               float* out, cudaStream_t stream);

}  // namespace gtzan::kernels
