#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
__global__ void add_row_bias_kernel(float* y, const float* bias, std::size_t n, int cols) {
  for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n; i += std::size_t(gridDim.x) * blockDim.x)
    y[i] = __fadd_rn(y[i], bias[i % cols]);
}
}  // namespace

// y[i, j] += bias[j]
void launch_engine_add_row_bias(float* y, const float* bias, int rows, int cols, cudaStream_t s) {
  const std::size_t n = std::size_t(rows) * cols;
  if (n == 0) return;
  GTZAN_LAUNCH(add_row_bias_kernel, engine_blocks(n), 256, 0, s, y, bias, n, cols);
}

}  // namespace gtzan::kernels
