#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
// One thread per column: the CPU's two passes in double, rows in order (bitwise the same).
__global__ void batchnorm_stats_kernel(int rows, int cols, const float* x, float* mean, float* var) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= cols) return;
  double m = 0.0;
  for (int i = 0; i < rows; ++i) m = __dadd_rn(m, static_cast<double>(x[std::size_t(i) * cols + j]));
  m = __ddiv_rn(m, static_cast<double>(rows));
  double v = 0.0;
  for (int i = 0; i < rows; ++i) {
    const double d = __dsub_rn(static_cast<double>(x[std::size_t(i) * cols + j]), m);
    v = __dadd_rn(v, __dmul_rn(d, d));
  }
  v = __ddiv_rn(v, static_cast<double>(rows));
  mean[j] = static_cast<float>(m);
  var[j] = static_cast<float>(v);  // biased
}
}  // namespace

void launch_engine_batchnorm_stats(int rows, int cols, const float* x, float* mean, float* var,
                                   cudaStream_t s) {
  if (cols <= 0) return;
  GTZAN_LAUNCH(batchnorm_stats_kernel, (cols + 127) / 128, 128, 0, s, rows, cols, x, mean, var);
}

}  // namespace gtzan::kernels
