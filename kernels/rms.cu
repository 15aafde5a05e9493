#include "rms.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

constexpr int kWarpsPerBlock = 8;

__global__ void rms_kernel(const float* __restrict__ signals, const long* __restrict__ sample_offsets,
                           const long* __restrict__ sample_counts,
                           const long* __restrict__ frame_offsets,
                           const int* __restrict__ frame_owner, long total_frames,
                           int frame_length, int hop, float* __restrict__ out) {
  const long f = blockIdx.x * static_cast<long>(kWarpsPerBlock) + threadIdx.x / 32;
  const int lane = threadIdx.x % 32;
  if (f >= total_frames) return;  // uniform per warp
  const int c = frame_owner[f];
  const float* y = signals + sample_offsets[c];
  const long n = sample_counts[c];
  const long s = (f - frame_offsets[c]) * hop - frame_length / 2;  // first sample (unpadded)
  const long a = s > 0 ? s : 0, b = s + frame_length < n ? s + frame_length : n;
  double acc = 0.0;
  for (long i = a + lane; i < b; i += 32) acc = __dadd_rn(acc, static_cast<double>(__fmul_rn(y[i], y[i])));
  for (int o = 16; o > 0; o >>= 1) acc += __shfl_down_sync(0xffffffffu, acc, o);
  if (lane == 0)
    out[f] = sqrtf(static_cast<float>(acc / static_cast<double>(frame_length)));
}

}  // namespace

void launch_rms(const float* signals, const long* sample_offsets, const long* sample_counts,
                const long* frame_offsets, const int* frame_owner, long total_frames,
                int frame_length, int hop, float* out, cudaStream_t stream) {
  if (total_frames <= 0) return;
  const long blocks = (total_frames + kWarpsPerBlock - 1) / kWarpsPerBlock;
  GTZAN_LAUNCH(rms_kernel, static_cast<unsigned>(blocks), 32 * kWarpsPerBlock, 0, stream, signals, sample_offsets, sample_counts, frame_offsets, frame_owner, total_frames,
      frame_length, hop, out);
}

}  // namespace gtzan::kernels
