#pragma once
// Lays clips out back to back from a packed upload in which some clips are views into others
// (a track's segments inside the track): clip c's samples are src[src_offsets[c] + i],
// i < counts[c], written to dst[dst_offsets[c] + i]. The CPU twin is the host-side copy in
// cuda::GpuGraph's constructor when no clip is a view (each clip copied where it belongs).
#include <cuda_runtime.h>

namespace gtzan::kernels {

void launch_gather_clips(const float* src, const long* src_offsets, const long* dst_offsets,
                         const long* counts, int n_clips, long max_count, float* dst,
                         cudaStream_t stream);

}  // namespace gtzan::kernels
