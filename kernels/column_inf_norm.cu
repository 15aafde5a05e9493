#include "column_inf_norm.cuh"
#include "launch.cuh"

#include <cfloat>

namespace gtzan::kernels {
namespace {

__global__ void column_inf_norm_kernel(float* __restrict__ data, int rows, long cols) {
  for (long t = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; t < cols;
       t += static_cast<long>(gridDim.x) * blockDim.x) {
    float len = 0.0f;
    for (int r = 0; r < rows; ++r) len = fmaxf(len, fabsf(data[r * cols + t]));
    if (len < FLT_MIN) continue;
    for (int r = 0; r < rows; ++r) data[r * cols + t] = __fdiv_rn(data[r * cols + t], len);
  }
}

}  // namespace

void launch_column_inf_norm(float* data, int rows, long cols, cudaStream_t stream) {
  if (cols == 0 || rows == 0) return;
  const int threads = 256;
  const long blocks = (cols + threads - 1) / threads;
  GTZAN_LAUNCH(column_inf_norm_kernel, static_cast<unsigned>(blocks < 65535 ? blocks : 65535), threads, 0, stream, data, rows, cols);
}

}  // namespace gtzan::kernels
