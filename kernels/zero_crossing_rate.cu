#include "zero_crossing_rate.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

constexpr int kWarpsPerBlock = 8;

__global__ void zcr_kernel(const float* __restrict__ signals, const long* __restrict__ sample_offsets,
                           const long* __restrict__ sample_counts,
                           const long* __restrict__ frame_offsets,
                           const int* __restrict__ frame_owner, long total_frames,
                           int frame_length, int hop, float* __restrict__ out) {
  const long f = blockIdx.x * static_cast<long>(kWarpsPerBlock) + threadIdx.x / 32;
  const int lane = threadIdx.x % 32;
  if (f >= total_frames) return;  // whole warps leave together: f is uniform per warp
  const int c = frame_owner[f];
  const float* y = signals + sample_offsets[c];
  const long n = sample_counts[c];
  const long pad = frame_length / 2;
  const long s = (f - frame_offsets[c]) * hop;  // frame start in the padded signal
  const float thr = 1e-10f;
  // Edge padding: padded position i holds y[clamp(i - pad, 0, n - 1)].
  auto negative = [&](long i) {
    long k = i - pad;
    k = k < 0 ? 0 : (k > n - 1 ? n - 1 : k);
    return y[k] < -thr;
  };
  int count = 0;
  for (long i = s + 1 + lane; i < s + frame_length; i += 32)
    count += negative(i) != negative(i - 1) ? 1 : 0;
  for (int o = 16; o > 0; o >>= 1) count += __shfl_down_sync(0xffffffffu, count, o);
  if (lane == 0)
    out[f] = static_cast<float>(static_cast<double>(count) / static_cast<double>(frame_length));
}

}  // namespace

void launch_zero_crossing_rate(const float* signals, const long* sample_offsets,
                               const long* sample_counts, const long* frame_offsets,
                               const int* frame_owner, long total_frames, int frame_length,
                               int hop, float* out, cudaStream_t stream) {
  if (total_frames <= 0) return;
  const long blocks = (total_frames + kWarpsPerBlock - 1) / kWarpsPerBlock;
  GTZAN_LAUNCH(zcr_kernel, static_cast<unsigned>(blocks), 32 * kWarpsPerBlock, 0, stream, signals, sample_offsets, sample_counts, frame_offsets, frame_owner, total_frames,
      frame_length, hop, out);
}

}  // namespace gtzan::kernels
