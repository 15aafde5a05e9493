#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
// One thread per row (classes is small: the number of genres). The CPU's arithmetic in double.
__global__ void softmax_xent_kernel(int rows, int classes, const float* logits, const float* labels,
                                    float* dlogits, float* loss, float* correct) {
  const int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  const float* z = logits + std::size_t(r) * classes;
  float* d = dlogits + std::size_t(r) * classes;
  const int y = static_cast<int>(labels[r]);
  int arg = 0;
  for (int k = 1; k < classes; ++k)
    if (z[k] > z[arg]) arg = k;
  const double zmax = static_cast<double>(z[arg]);
  double s = 0.0;
  for (int k = 0; k < classes; ++k) s = __dadd_rn(s, exp(__dsub_rn(static_cast<double>(z[k]), zmax)));
  const double lse = __dadd_rn(log(s), zmax);
  loss[r] = static_cast<float>(__dsub_rn(lse, static_cast<double>(z[y])));
  correct[r] = arg == y ? 1.0f : 0.0f;
  for (int k = 0; k < classes; ++k)
    d[k] = static_cast<float>(__ddiv_rn(__dsub_rn(exp(__dsub_rn(static_cast<double>(z[k]), lse)),
                                                  k == y ? 1.0 : 0.0),
                                       static_cast<double>(rows)));
}
}  // namespace

// Stable softmax + sparse categorical cross-entropy; dlogits = (p - onehot) / rows.
void launch_engine_softmax_xent(int rows, int classes, const float* logits, const float* labels,
                                float* dlogits, float* loss, float* correct, cudaStream_t s) {
  if (rows <= 0) return;
  GTZAN_LAUNCH(softmax_xent_kernel, (rows + 127) / 128, 128, 0, s, rows, classes, logits, labels, dlogits, loss,
                                                          correct);
}

}  // namespace gtzan::kernels
