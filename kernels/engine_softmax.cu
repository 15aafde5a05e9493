#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
// One thread per row, as the CPU: max in float, the sum of exp in double, p = expf(z - max) / s.
__global__ void softmax_kernel(int rows, int classes, const float* logits, float* probs) {
  const int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  const float* z = logits + std::size_t(r) * classes;
  float* p = probs + std::size_t(r) * classes;
  float mx = z[0];
  for (int k = 1; k < classes; ++k) mx = (mx < z[k]) ? z[k] : mx;
  double s = 0.0;
  for (int k = 0; k < classes; ++k) s = __dadd_rn(s, exp(__dsub_rn(static_cast<double>(z[k]), static_cast<double>(mx))));
  for (int k = 0; k < classes; ++k)
    p[k] = static_cast<float>(__ddiv_rn(static_cast<double>(expf(__fsub_rn(z[k], mx))), s));
}
}  // namespace

void launch_engine_softmax(int rows, int classes, const float* logits, float* probs, cudaStream_t s) {
  if (rows <= 0) return;
  GTZAN_LAUNCH(softmax_kernel, (rows + 127) / 128, 128, 0, s, rows, classes, logits, probs);
}

}  // namespace gtzan::kernels
