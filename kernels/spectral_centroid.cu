#include "spectral_centroid.cuh"
#include "launch.cuh"
#include "spectral_frame.cuh"

namespace gtzan::kernels {
namespace {

__global__ void centroid_kernel(const float* __restrict__ mag, int bins, long frames,
                                double freq_step, float* __restrict__ out) {
  const long f = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x;
  if (f >= frames) return;
  const double L = detail::l1_norm(mag, bins, frames, f);
  double acc = 0.0;
  for (int b = 0; b < bins; ++b) {
    const double freq = __dmul_rn(static_cast<double>(b), freq_step);
    acc = __dadd_rn(acc, __dmul_rn(freq, detail::normalised(mag[b * frames + f], L)));
  }
  out[f] = static_cast<float>(acc);
}

}  // namespace

void launch_spectral_centroid(const float* mag, int bins, long frames, double freq_step,
                              float* out, cudaStream_t stream) {
  if (frames <= 0) return;
  GTZAN_LAUNCH(centroid_kernel, detail::frame_blocks(frames, 256), 256, 0, stream, mag, bins, frames,
                                                                         freq_step, out);
}

}  // namespace gtzan::kernels
