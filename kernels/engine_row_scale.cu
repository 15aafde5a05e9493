#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
__global__ void row_scale_kernel(std::size_t n, int cols, const float* x, const float* scale, float* y) {
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x)
    y[e] = __fmul_rn(x[e], scale[e / cols]);
}
}  // namespace

// y[r, j] = x[r, j] * scale[r]
void launch_engine_row_scale(int rows, int cols, const float* x, const float* scale, float* y,
                             cudaStream_t s) {
  const std::size_t n = std::size_t(rows) * cols;
  if (n == 0) return;
  GTZAN_LAUNCH(row_scale_kernel, engine_blocks(n), 256, 0, s, n, cols, x, scale, y);
}

}  // namespace gtzan::kernels
