#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

// One thread per (row, step, feature) of a (batch, steps, width) tensor.
__global__ void repeat_kernel(int steps, int width, const int* lengths, const float* valid, float* y,
                              std::size_t n) {
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x) {
    const std::size_t b = e / (std::size_t(steps) * width);
    const int t = static_cast<int>(e / width % steps), j = static_cast<int>(e % width);
    const int last = lengths[b] - 1;
    y[e] = t <= last ? valid[e] : valid[(b * steps + last) * width + j];
  }
}

// Padded step t >= len carries h_{len-1} forward, so its gradient reaches step len - 1 through
// the pass-through of the step loop, summed from the last step down.
__global__ void fold_kernel(int steps, int width, const int* lengths, const float* dy, float* d_valid,
                            std::size_t n) {
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x) {
    const std::size_t b = e / (std::size_t(steps) * width);
    const int t = static_cast<int>(e / width % steps), j = static_cast<int>(e % width);
    const int last = lengths[b] - 1;
    if (t < last) {
      d_valid[e] = dy[e];
    } else if (t > last) {
      d_valid[e] = 0.0f;
    } else {
      float acc = 0.0f;
      for (int k = steps - 1; k >= last; --k) acc = __fadd_rn(acc, dy[(b * steps + k) * width + j]);
      d_valid[e] = acc;
    }
  }
}

__global__ void zero_kernel(int steps, int width, const int* lengths, float* x, std::size_t n) {
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x) {
    const std::size_t b = e / (std::size_t(steps) * width);
    const int t = static_cast<int>(e / width % steps);
    if (t >= lengths[b]) x[e] = 0.0f;
  }
}

}  // namespace

void launch_engine_repeat_last_valid(int batch, int steps, int width, const int* lengths,
                                     const float* valid, float* y, cudaStream_t s) {
  const std::size_t n = std::size_t(batch) * steps * width;
  if (n == 0) return;
  GTZAN_LAUNCH(repeat_kernel, engine_blocks(n), 256, 0, s, steps, width, lengths, valid, y, n);
}

void launch_engine_fold_padded_gradient(int batch, int steps, int width, const int* lengths,
                                        const float* dy, float* d_valid, cudaStream_t s) {
  const std::size_t n = std::size_t(batch) * steps * width;
  if (n == 0) return;
  GTZAN_LAUNCH(fold_kernel, engine_blocks(n), 256, 0, s, steps, width, lengths, dy, d_valid, n);
}

void launch_engine_zero_padded_steps(int batch, int steps, int width, const int* lengths, float* x,
                                     cudaStream_t s) {
  const std::size_t n = std::size_t(batch) * steps * width;
  if (n == 0) return;
  GTZAN_LAUNCH(zero_kernel, engine_blocks(n), 256, 0, s, steps, width, lengths, x, n);
}

}  // namespace gtzan::kernels
