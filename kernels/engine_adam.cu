#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
// Keras Adam in float, the CPU's (AVX2, no FMA) operation order: bitwise the same update.
__global__ void adam_kernel(std::size_t n, float* w, const float* g, float* m, float* v, float lr,
                            float b1, float b2, float a1, float a2, float eps) {
  for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n; i += std::size_t(gridDim.x) * blockDim.x) {
    const float gi = g[i];
    const float mi = __fadd_rn(__fmul_rn(b1, m[i]), __fmul_rn(a1, gi));
    const float vi = __fadd_rn(__fmul_rn(b2, v[i]), __fmul_rn(__fmul_rn(a2, gi), gi));
    m[i] = mi;
    v[i] = vi;
    const float step = __fdiv_rn(__fmul_rn(lr, mi), __fadd_rn(__fsqrt_rn(vi), eps));
    w[i] = __fsub_rn(w[i], step);
  }
}
}  // namespace

void launch_engine_adam(std::size_t n, float* w, const float* g, float* m, float* v, float lr,
                        float b1, float b2, float eps, cudaStream_t s) {
  if (n == 0) return;
  GTZAN_LAUNCH(adam_kernel, engine_blocks(n), 256, 0, s, n, w, g, m, v, lr, b1, b2, 1.0f - b1, 1.0f - b2, eps);
}

}  // namespace gtzan::kernels
