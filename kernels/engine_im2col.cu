#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
// col[(b*L + t), j*cin + c] = x[b, t + j - pad, c], zero outside [0, L). One thread per element.
__global__ void im2col_kernel(const float* x, float* col, int length, int cin, int kernel, int pad,
                              std::size_t n) {
  const std::size_t kc = std::size_t(kernel) * cin;
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x) {
    const std::size_t row = e / kc, q = e % kc;
    const int j = static_cast<int>(q / cin), c = static_cast<int>(q % cin);
    const int t = static_cast<int>(row % length);
    const std::size_t b = row / length;
    const int p = t + j - pad;
    col[e] = (p < 0 || p >= length) ? 0.0f : x[(b * length + p) * cin + c];
  }
}
}  // namespace

void launch_engine_im2col(const float* x, float* col, int batch, int length, int cin, int kernel,
                          int pad_left, cudaStream_t s) {
  const std::size_t n = std::size_t(batch) * length * kernel * cin;
  if (n == 0) return;
  GTZAN_LAUNCH(im2col_kernel, engine_blocks(n), 256, 0, s, x, col, length, cin, kernel, pad_left, n);
}

}  // namespace gtzan::kernels
