#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
// y = x * a + c with a = float(gamma / sqrt(double(var) + eps)), c = beta - mean * a (float, no
// FMA), exactly the CPU's batchnorm_forward_infer.
__global__ void batchnorm_apply_kernel(std::size_t n, int cols, const float* x, const float* gamma,
                                       const float* beta, const float* mean, const float* var,
                                       double eps, float* y) {
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x) {
    const int j = static_cast<int>(e % cols);
    const float a = static_cast<float>(
        __ddiv_rn(static_cast<double>(gamma[j]), __dsqrt_rn(__dadd_rn(static_cast<double>(var[j]), eps))));
    const float c = __fsub_rn(beta[j], __fmul_rn(mean[j], a));
    y[e] = __fadd_rn(__fmul_rn(x[e], a), c);
  }
}
}  // namespace

void launch_engine_batchnorm_apply(int rows, int cols, const float* x, const float* gamma,
                                   const float* beta, const float* mean, const float* var,
                                   double eps, float* y, cudaStream_t s) {
  const std::size_t n = std::size_t(rows) * cols;
  if (n == 0) return;
  GTZAN_LAUNCH(batchnorm_apply_kernel, engine_blocks(n), 256, 0, s, n, cols, x, gamma, beta, mean, var, eps, y);
}

}  // namespace gtzan::kernels
