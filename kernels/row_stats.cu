#include "row_stats.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

constexpr int kThreads = 256;

__device__ double block_sum(double v) {
  __shared__ double shared[kThreads / 32];
  for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  if (lane == 0) shared[warp] = v;
  __syncthreads();
  v = threadIdx.x < kThreads / 32 ? shared[threadIdx.x] : 0.0;
  if (warp == 0)
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
  __syncthreads();
  return v;  // valid in thread 0
}

// One block per (row range, clip): rows [r0, r1) of clip c reduced together.
__device__ void stats(const float* data, int r0, int r1, long total_cols, long off, long cnt,
                      double* mean_out, double* var_out) {
  const long n = static_cast<long>(r1 - r0) * cnt;
  double s = 0.0;
  for (long i = threadIdx.x; i < n; i += blockDim.x)
    s += data[(r0 + i / cnt) * total_cols + off + i % cnt];
  __shared__ double mean;
  s = block_sum(s);
  if (threadIdx.x == 0) mean = n > 0 ? s / n : 0.0;
  __syncthreads();
  double q = 0.0;
  for (long i = threadIdx.x; i < n; i += blockDim.x) {
    const double d = data[(r0 + i / cnt) * total_cols + off + i % cnt] - mean;
    q += d * d;
  }
  q = block_sum(q);
  if (threadIdx.x == 0) {
    *mean_out = mean;
    *var_out = n > 0 ? q / n : 0.0;
  }
}

__global__ void row_stats_kernel(const float* data, int rows, long total_cols, const long* offsets,
                                 const long* counts, double* mean, double* var) {
  const int r = blockIdx.x, c = blockIdx.y;
  stats(data, r, r + 1, total_cols, offsets[c], counts[c], mean + c * rows + r, var + c * rows + r);
}

__global__ void whole_stats_kernel(const float* data, int rows, long total_cols,
                                   const long* offsets, const long* counts, double* mean,
                                   double* var) {
  const int c = blockIdx.x;
  stats(data, 0, rows, total_cols, offsets[c], counts[c], mean + c, var + c);
}

}  // namespace

void launch_row_stats(const float* data, int rows, long total_cols, const long* offsets,
                      const long* counts, int clips, double* mean, double* var,
                      cudaStream_t stream) {
  if (rows == 0 || clips == 0) return;
  GTZAN_LAUNCH(row_stats_kernel, dim3(rows, clips), kThreads, 0, stream, data, rows, total_cols, offsets,
                                                               counts, mean, var);
}

void launch_whole_stats(const float* data, int rows, long total_cols, const long* offsets,
                        const long* counts, int clips, double* mean, double* var,
                        cudaStream_t stream) {
  if (clips == 0) return;
  GTZAN_LAUNCH(whole_stats_kernel, clips, kThreads, 0, stream, data, rows, total_cols, offsets, counts,
                                                     mean, var);
}

}  // namespace gtzan::kernels
