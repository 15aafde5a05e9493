#include "gather_clips.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

// grid.y walks the clips, grid.x the samples of one clip (both grid-strided).
__global__ void gather_clips_kernel(const float* __restrict__ src, const long* __restrict__ src_offsets,
                                    const long* __restrict__ dst_offsets, const long* __restrict__ counts,
                                    int n_clips, float* __restrict__ dst) {
  for (int c = blockIdx.y; c < n_clips; c += gridDim.y) {
    const long n = counts[c];
    const float* from = src + src_offsets[c];
    float* to = dst + dst_offsets[c];
    for (long i = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<long>(gridDim.x) * blockDim.x)
      to[i] = from[i];
  }
}

}  // namespace

void launch_gather_clips(const float* src, const long* src_offsets, const long* dst_offsets,
                         const long* counts, int n_clips, long max_count, float* dst,
                         cudaStream_t stream) {
  if (n_clips <= 0 || max_count <= 0) return;
  const int threads = 256;
  const long blocks_x = (max_count + threads - 1) / threads;
  const dim3 grid(static_cast<unsigned>(blocks_x < 1024 ? blocks_x : 1024),
                  static_cast<unsigned>(n_clips < 65535 ? n_clips : 65535));
  GTZAN_LAUNCH(gather_clips_kernel, grid, threads, 0, stream, src, src_offsets, dst_offsets, counts, n_clips, dst);
}

}  // namespace gtzan::kernels
