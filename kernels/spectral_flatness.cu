#include "spectral_flatness.cuh"
#include "launch.cuh"
#include "spectral_frame.cuh"

namespace gtzan::kernels {
namespace {

__global__ void flatness_kernel(const float* __restrict__ mag, int bins, long frames,
                                float* __restrict__ out) {
  const long f = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x;
  if (f >= frames) return;
  constexpr int kBlock = 16;
  const double amin = static_cast<double>(1e-10f);  // as the CPU: a float32 amin widened
  double logsum = 0.0, sum = 0.0;
  for (int b0 = 0; b0 < bins; b0 += kBlock) {
    const int b1 = b0 + kBlock < bins ? b0 + kBlock : bins;
    double prod = 1.0;
    for (int b = b0; b < b1; ++b) {
      const float s = mag[b * frames + f];
      const double p = fmax(amin, static_cast<double>(__fmul_rn(s, s)));  // float32 S**2
      prod = __dmul_rn(prod, p);
      sum = __dadd_rn(sum, p);
    }
    logsum = __dadd_rn(logsum, log(prod));
  }
  const double n = static_cast<double>(bins);
  out[f] = static_cast<float>(__ddiv_rn(exp(__ddiv_rn(logsum, n)), __ddiv_rn(sum, n)));
}

}  // namespace

void launch_spectral_flatness(const float* mag, int bins, long frames, float* out,
                              cudaStream_t stream) {
  if (frames <= 0) return;
  GTZAN_LAUNCH(flatness_kernel, detail::frame_blocks(frames, 256), 256, 0, stream, mag, bins, frames, out);
}

}  // namespace gtzan::kernels
