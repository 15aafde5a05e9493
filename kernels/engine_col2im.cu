#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
// dx[b, p, c] = sum over taps j of dcol[b, t = p + pad - j, j, c] for t in [0, L). A gather (no
// atomics). The CPU scatters with t ascending, i.e. j descending for a fixed p: same order here.
__global__ void col2im_kernel(const float* dcol, float* dx, int length, int cin, int kernel, int pad,
                              std::size_t n) {
  const std::size_t kc = std::size_t(kernel) * cin;
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x) {
    const int c = static_cast<int>(e % cin);
    const std::size_t r = e / cin;
    const int p = static_cast<int>(r % length);
    const std::size_t b = r / length;
    float acc = 0.0f;
    for (int j = kernel - 1; j >= 0; --j) {
      const int t = p + pad - j;
      if (t < 0 || t >= length) continue;
      acc = __fadd_rn(acc, dcol[(b * length + t) * kc + std::size_t(j) * cin + c]);
    }
    dx[e] = acc;
  }
}
}  // namespace

void launch_engine_col2im(const float* dcol, float* dx, int batch, int length, int cin, int kernel,
                          int pad_left, cudaStream_t s) {
  const std::size_t n = std::size_t(batch) * length * cin;
  if (n == 0) return;
  GTZAN_LAUNCH(col2im_kernel, engine_blocks(n), 256, 0, s, dcol, dx, length, cin, kernel, pad_left, n);
}

}  // namespace gtzan::kernels
