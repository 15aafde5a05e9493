#include "stack_memory.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

__global__ void stack_memory_kernel(const float* __restrict__ y, long total_cols,
                                    const long* __restrict__ offsets,
                                    const int* __restrict__ owner, int n_steps, int delay,
                                    float* __restrict__ out) {
  for (long j = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; j < total_cols;
       j += static_cast<long>(gridDim.x) * blockDim.x) {
    const long t = j - offsets[owner[j]];
    for (int k = 0; k < n_steps; ++k) {
      const long shift = static_cast<long>(k) * delay;
      out[static_cast<long>(k) * total_cols + j] = t >= shift ? y[j - shift] : 0.0f;
    }
  }
}

}  // namespace

void launch_stack_memory(const float* y, long total_cols, const long* offsets,
                         const int* owner, int n_steps, int delay, float* out,
                         cudaStream_t stream) {
  if (total_cols == 0) return;
  const int threads = 256;
  const long blocks = (total_cols + threads - 1) / threads;
  GTZAN_LAUNCH(stack_memory_kernel, static_cast<unsigned>(blocks < 1048576 ? blocks : 1048576), threads, 0, stream, y, total_cols, offsets, owner, n_steps, delay, out);
}

}  // namespace gtzan::kernels
