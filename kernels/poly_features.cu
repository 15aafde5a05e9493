#include "poly_features.cuh"
#include "launch.cuh"
#include "spectral_frame.cuh"

namespace gtzan::kernels {
namespace {

__global__ void poly_kernel(const float* __restrict__ mag, int bins, long frames,
                            const double* __restrict__ P, int m, float* __restrict__ out) {
  const long f = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x;
  if (f >= frames) return;
  double acc[kMaxPolyCoeffs];
  for (int k = 0; k < kMaxPolyCoeffs; ++k) acc[k] = 0.0;
  for (int b = 0; b < bins; ++b) {
    const double s = static_cast<double>(mag[b * frames + f]);
    for (int k = 0; k < m; ++k) acc[k] = __dadd_rn(acc[k], __dmul_rn(P[k * bins + b], s));
  }
  for (int k = 0; k < m; ++k) out[(m - 1 - k) * frames + f] = static_cast<float>(acc[k]);
}

}  // namespace

void launch_poly_features(const float* mag, int bins, long frames, const double* P, int m,
                          float* out, cudaStream_t stream) {
  if (frames <= 0 || m <= 0 || m > kMaxPolyCoeffs) return;
  GTZAN_LAUNCH(poly_kernel, detail::frame_blocks(frames, 128), 128, 0, stream, mag, bins, frames, P, m, out);
}

}  // namespace gtzan::kernels
