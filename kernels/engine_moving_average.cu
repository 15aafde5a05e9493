#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
__global__ void moving_average_kernel(float* moving, const float* batch, std::size_t n, double mom,
                                      double one_minus) {
  for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n; i += std::size_t(gridDim.x) * blockDim.x)
    moving[i] = static_cast<float>(__dadd_rn(__dmul_rn(static_cast<double>(moving[i]), mom),
                                             __dmul_rn(static_cast<double>(batch[i]), one_minus)));
}
}  // namespace

// moving = moving * momentum + batch * (1 - momentum), in double as the CPU (Keras form).
void launch_engine_moving_average(float* moving, const float* batch, std::size_t n, double momentum,
                                  cudaStream_t s) {
  if (n == 0) return;
  GTZAN_LAUNCH(moving_average_kernel, engine_blocks(n), 256, 0, s, moving, batch, n, momentum, 1.0 - momentum);
}

}  // namespace gtzan::kernels
