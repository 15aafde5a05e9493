#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
__global__ void relu_forward_kernel(const float* x, float* y, std::size_t n) {
  for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n; i += std::size_t(gridDim.x) * blockDim.x)
    y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
__global__ void relu_backward_kernel(const float* y, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n; i += std::size_t(gridDim.x) * blockDim.x)
    dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}
}  // namespace

void launch_engine_relu_forward(const float* x, float* y, std::size_t n, cudaStream_t s) {
  if (n == 0) return;
  GTZAN_LAUNCH(relu_forward_kernel, engine_blocks(n), 256, 0, s, x, y, n);
}
// From the output y, as the CPU backend (dx = y > 0 ? dy : 0).
void launch_engine_relu_backward(const float* y, const float* dy, float* dx, std::size_t n, cudaStream_t s) {
  if (n == 0) return;
  GTZAN_LAUNCH(relu_backward_kernel, engine_blocks(n), 256, 0, s, y, dy, dx, n);
}

}  // namespace gtzan::kernels
