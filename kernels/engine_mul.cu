#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
__global__ void mul_kernel(const float* a, const float* b, float* c, std::size_t n) {
  for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n; i += std::size_t(gridDim.x) * blockDim.x)
    c[i] = __fmul_rn(a[i], b[i]);
}
}  // namespace

void launch_engine_mul(const float* a, const float* b, float* c, std::size_t n, cudaStream_t s) {
  if (n == 0) return;
  GTZAN_LAUNCH(mul_kernel, engine_blocks(n), 256, 0, s, a, b, c, n);
}

}  // namespace gtzan::kernels
