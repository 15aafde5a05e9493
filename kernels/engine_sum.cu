#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
constexpr int kThreads = 256;
// One block: strided partial sums in double, then a fixed shared-memory tree (deterministic).
__global__ void sum_kernel(const float* x, std::size_t n, double* out) {
  __shared__ double part[kThreads];
  double acc = 0.0;
  for (std::size_t i = threadIdx.x; i < n; i += kThreads) acc += static_cast<double>(x[i]);
  part[threadIdx.x] = acc;
  __syncthreads();
  for (int s = kThreads / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) part[threadIdx.x] += part[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[0] = part[0];
}
}  // namespace

void launch_engine_sum(const float* x, std::size_t n, double* out, cudaStream_t s) {
  GTZAN_LAUNCH(sum_kernel, 1, kThreads, 0, s, x, n, out);
}

}  // namespace gtzan::kernels
