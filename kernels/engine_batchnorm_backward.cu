#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
__device__ inline double inv_std(const float* var, int j, double eps) {
  return __ddiv_rn(1.0, __dsqrt_rn(__dadd_rn(static_cast<double>(var[j]), eps)));
}

// Pass 1, one thread per column, rows in order: sdy = sum dy, sdyx = sum dy * (x - mean) * inv
// with the CPU's mixed precision ((x - mean) and dy * (x - mean) in float, the rest in double).
__global__ void batchnorm_sums_kernel(int rows, int cols, const float* x, const float* mean,
                                      const float* var, double eps, const float* dy, float* dgamma,
                                      float* dbeta, double* work) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= cols) return;
  const double inv = inv_std(var, j, eps);
  double sdy = 0.0, sdyx = 0.0;
  for (int i = 0; i < rows; ++i) {
    const std::size_t e = std::size_t(i) * cols + j;
    const float g = dy[e];
    sdy = __dadd_rn(sdy, static_cast<double>(g));
    const float t = __fmul_rn(g, __fsub_rn(x[e], mean[j]));
    sdyx = __dadd_rn(sdyx, __dmul_rn(static_cast<double>(t), inv));
  }
  dbeta[j] = static_cast<float>(sdy);
  dgamma[j] = static_cast<float>(sdyx);
  work[j] = sdy;
  work[cols + j] = sdyx;
}

// Pass 2: dx = gamma * inv / rows * (rows * dy - sdy - xhat * sdyx), as the CPU evaluates it
// (rows * dy in float, xhat = float(x - mean) * inv in double).
__global__ void batchnorm_dx_kernel(std::size_t n, int rows, int cols, const float* x,
                                    const float* gamma, const float* mean, const float* var,
                                    double eps, const float* dy, const double* work, float* dx) {
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x) {
    const int j = static_cast<int>(e % cols);
    const double inv = inv_std(var, j, eps);
    const double xhat = __dmul_rn(static_cast<double>(__fsub_rn(x[e], mean[j])), inv);
    const float rg = __fmul_rn(static_cast<float>(rows), dy[e]);
    const double inner = __dsub_rn(__dsub_rn(static_cast<double>(rg), work[j]), __dmul_rn(xhat, work[cols + j]));
    const double pre = __ddiv_rn(__dmul_rn(static_cast<double>(gamma[j]), inv), static_cast<double>(rows));
    dx[e] = static_cast<float>(__dmul_rn(pre, inner));
  }
}
}  // namespace

void launch_engine_batchnorm_backward(int rows, int cols, const float* x, const float* gamma,
                                      const float* mean, const float* var, double eps,
                                      const float* dy, float* dx, float* dgamma, float* dbeta,
                                      double* work, cudaStream_t s) {
  if (cols <= 0) return;
  GTZAN_LAUNCH(batchnorm_sums_kernel, (cols + 127) / 128, 128, 0, s, rows, cols, x, mean, var, eps, dy, dgamma,
                                                            dbeta, work);
  const std::size_t n = std::size_t(rows) * cols;
  if (n == 0) return;
  GTZAN_LAUNCH(batchnorm_dx_kernel, engine_blocks(n), 256, 0, s, n, rows, cols, x, gamma, mean, var, eps, dy,
                                                        work, dx);
}

}  // namespace gtzan::kernels
