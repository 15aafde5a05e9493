#include <cfloat>

#include "clip_max.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

constexpr int kThreads = 256;

__device__ inline float max_of(float a, float b) { return fmaxf(a, b); }
__device__ inline double max_of(double a, double b) { return fmax(a, b); }

// One block per clip: a strided scan of the clip's rows x columns, then a shared-memory tree.
template <typename T>
__global__ void clip_max_kernel(const T* __restrict__ data, int rows, long total_cols,
                                const long* __restrict__ offsets, const long* __restrict__ counts,
                                T* __restrict__ out) {
  __shared__ T part[kThreads];
  const int c = blockIdx.x;
  const long off = offsets[c], cnt = counts[c];
  const long n = static_cast<long>(rows) * cnt;
  T m = -static_cast<T>(INFINITY);
  for (long i = threadIdx.x; i < n; i += blockDim.x)
    m = max_of(m, data[(i / cnt) * total_cols + off + i % cnt]);
  part[threadIdx.x] = m;
  __syncthreads();
  for (int s = kThreads / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) part[threadIdx.x] = max_of(part[threadIdx.x], part[threadIdx.x + s]);
    __syncthreads();
  }
  if (threadIdx.x == 0) out[c] = part[0];
}

template <typename T>
void launch(const T* data, int rows, long total_cols, const long* offsets, const long* counts,
            int clips, T* out, cudaStream_t stream) {
  if (clips <= 0) return;
  GTZAN_LAUNCH(clip_max_kernel<T>, clips, kThreads, 0, stream, data, rows, total_cols, offsets, counts, out);
}

}  // namespace

void launch_clip_max(const float* data, int rows, long total_cols, const long* offsets,
                     const long* counts, int clips, float* out, cudaStream_t stream) {
  launch(data, rows, total_cols, offsets, counts, clips, out, stream);
}

void launch_clip_max(const double* data, int rows, long total_cols, const long* offsets,
                     const long* counts, int clips, double* out, cudaStream_t stream) {
  launch(data, rows, total_cols, offsets, counts, clips, out, stream);
}

}  // namespace gtzan::kernels
