#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
// y(d1, d0, d2) = x(d0, d1, d2); one thread per element of y.
__global__ void swap01_kernel(const float* x, float* y, int d0, int d1, int d2, std::size_t n) {
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x) {
    const std::size_t k = e % d2;
    const std::size_t r = e / d2;  // r = j * d0 + i
    const std::size_t i = r % d0, j = r / d0;
    y[e] = x[(i * d1 + j) * d2 + k];
  }
}
}  // namespace

void launch_engine_swap01(const float* x, float* y, int d0, int d1, int d2, cudaStream_t s) {
  const std::size_t n = std::size_t(d0) * d1 * d2;
  if (n == 0) return;
  GTZAN_LAUNCH(swap01_kernel, engine_blocks(n), 256, 0, s, x, y, d0, d1, d2, n);
}

}  // namespace gtzan::kernels
