#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
// One thread per column, rows in order (the CPU's float accumulation order); neighbouring
// threads read neighbouring columns, so the loads coalesce.
__global__ void sum_rows_kernel(const float* x, float* out, int rows, int cols) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= cols) return;
  float acc = 0.0f;
  for (int i = 0; i < rows; ++i) acc = __fadd_rn(acc, x[std::size_t(i) * cols + j]);
  out[j] = acc;
}
}  // namespace

void launch_engine_sum_rows(const float* x, float* out, int rows, int cols, cudaStream_t s) {
  if (cols <= 0) return;
  GTZAN_LAUNCH(sum_rows_kernel, (cols + 127) / 128, 128, 0, s, x, out, rows, cols);
}

}  // namespace gtzan::kernels
