#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
__global__ void axpy_kernel(std::size_t n, float alpha, const float* x, float* y) {
  for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n; i += std::size_t(gridDim.x) * blockDim.x)
    y[i] = __fadd_rn(y[i], __fmul_rn(alpha, x[i]));
}
}  // namespace

// y += alpha * x (no FMA, as the CPU loop)
void launch_engine_axpy(std::size_t n, float alpha, const float* x, float* y, cudaStream_t s) {
  if (n == 0) return;
  GTZAN_LAUNCH(axpy_kernel, engine_blocks(n), 256, 0, s, n, alpha, x, y);
}

}  // namespace gtzan::kernels
