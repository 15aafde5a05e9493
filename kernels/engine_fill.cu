#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
__global__ void fill_kernel(float* dst, std::size_t n, float v) {
  for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n; i += std::size_t(gridDim.x) * blockDim.x)
    dst[i] = v;
}
}  // namespace

void launch_engine_fill(float* dst, std::size_t n, float value, cudaStream_t s) {
  if (n == 0) return;
  GTZAN_LAUNCH(fill_kernel, engine_blocks(n), 256, 0, s, dst, n, value);
}

}  // namespace gtzan::kernels
