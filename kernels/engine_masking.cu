#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
// mask[r] = 1 if any x[r, :] != 0 else 0 (Keras Masking(0.0)); one thread per row.
__global__ void masking_kernel(int rows, int cols, const float* x, float* mask) {
  const int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  const float* row = x + std::size_t(r) * cols;
  bool any = false;
  for (int j = 0; j < cols && !any; ++j) any = row[j] != 0.0f;
  mask[r] = any ? 1.0f : 0.0f;
}
}  // namespace

void launch_engine_masking(int rows, int cols, const float* x, float* mask, cudaStream_t s) {
  if (rows <= 0) return;
  GTZAN_LAUNCH(masking_kernel, (rows + 127) / 128, 128, 0, s, rows, cols, x, mask);
}

}  // namespace gtzan::kernels
