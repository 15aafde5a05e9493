#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
// Stride == pool, "same": out = ceil(L / pool); the last window is cut at L (padding never wins).
__global__ void maxpool_forward_kernel(int length, int ch, int pool, int out, const float* x, float* y,
                                       std::size_t n) {
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x) {
    const int c = static_cast<int>(e % ch);
    const std::size_t r = e / ch;
    const int o = static_cast<int>(r % out);
    const std::size_t b = r / out;
    const int p0 = o * pool, p1 = min(p0 + pool, length);
    float m = x[(b * length + p0) * ch + c];
    for (int p = p0 + 1; p < p1; ++p) {
      const float v = x[(b * length + p) * ch + c];
      m = (m < v) ? v : m;  // std::max(m, v)
    }
    y[e] = m;
  }
}
// Windows do not overlap: the thread of output (b, o, c) writes every dx of its window, dy to
// the first element equal to the max, zero elsewhere.
__global__ void maxpool_backward_kernel(int length, int ch, int pool, int out, const float* x,
                                        const float* y, const float* dy, float* dx, std::size_t n) {
  for (std::size_t e = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; e < n; e += std::size_t(gridDim.x) * blockDim.x) {
    const int c = static_cast<int>(e % ch);
    const std::size_t r = e / ch;
    const int o = static_cast<int>(r % out);
    const std::size_t b = r / out;
    const int p0 = o * pool, p1 = min(p0 + pool, length);
    bool done = false;
    for (int p = p0; p < p1; ++p) {
      const std::size_t xi = (b * length + p) * ch + c;
      if (!done && x[xi] == y[e]) {
        dx[xi] = dy[e];
        done = true;
      } else {
        dx[xi] = 0.0f;
      }
    }
  }
}
}  // namespace

void launch_engine_maxpool_forward(int batch, int length, int ch, int pool, const float* x, float* y,
                                   cudaStream_t s) {
  const int out = (length + pool - 1) / pool;
  const std::size_t n = std::size_t(batch) * out * ch;
  if (n == 0) return;
  GTZAN_LAUNCH(maxpool_forward_kernel, engine_blocks(n), 256, 0, s, length, ch, pool, out, x, y, n);
}

void launch_engine_maxpool_backward(int batch, int length, int ch, int pool, const float* x,
                                    const float* y, const float* dy, float* dx, cudaStream_t s) {
  const int out = (length + pool - 1) / pool;
  const std::size_t n = std::size_t(batch) * out * ch;
  if (n == 0) return;
  GTZAN_LAUNCH(maxpool_backward_kernel, engine_blocks(n), 256, 0, s, length, ch, pool, out, x, y, dy, dx, n);
}

}  // namespace gtzan::kernels
