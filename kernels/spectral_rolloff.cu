#include "spectral_frame.cuh"
#include "launch.cuh"
#include "spectral_rolloff.cuh"

namespace gtzan::kernels {
namespace {

__global__ void rolloff_kernel(const float* __restrict__ mag, int bins, long frames, float pct,
                               double freq_step, float* __restrict__ out) {
  const long f = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x;
  if (f >= frames) return;
  float total = 0.0f;
  for (int b = 0; b < bins; ++b) total = __fadd_rn(total, mag[b * frames + f]);
  const float thr = __fmul_rn(pct, total);
  float cum = 0.0f, result = -1.0f;
  for (int b = 0; b < bins; ++b) {
    cum = __fadd_rn(cum, mag[b * frames + f]);
    if (!(cum < thr)) {
      result = static_cast<float>(__dmul_rn(static_cast<double>(b), freq_step));
      break;
    }
  }
  out[f] = result;
}

}  // namespace

void launch_spectral_rolloff(const float* mag, int bins, long frames, float roll_percent,
                             double freq_step, float* out, cudaStream_t stream) {
  if (frames <= 0) return;
  GTZAN_LAUNCH(rolloff_kernel, detail::frame_blocks(frames, 256), 256, 0, stream, mag, bins, frames, roll_percent, freq_step, out);
}

}  // namespace gtzan::kernels
