#include "frame_window.cuh"

#include <cuda_runtime.h>

namespace gtzan::kernels {
namespace {

__global__ void frame_window_kernel(const float* __restrict__ signals, const long* offsets,
                                    const long* lengths, const long* frame_offsets,
                                    const int* frame_clip, long total_frames, int n_fft, int hop,
                                    float* __restrict__ frames) {
  const long f = blockIdx.y;  // global frame index
  if (f >= total_frames) return;
  const int c = frame_clip[f];
  const long t = f - frame_offsets[c];
  const long start = t * hop - n_fft / 2;
  const float* y = signals + offsets[c];
  const long n = lengths[c];
  // Periodic Hann in double, rounded to float, exactly as the CPU twin (hann_window).
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n_fft; i += gridDim.x * blockDim.x) {
    const long k = start + i;
    const float w = static_cast<float>(0.5 - 0.5 * cospi(2.0 * i / n_fft));
    frames[f * n_fft + i] = (k >= 0 && k < n) ? y[k] * w : 0.0f;
  }
}

}  // namespace

void launch_frame_window(const float* signals, const long* offsets, const long* lengths,
                         const long* frame_offsets, const int* frame_clip, long total_frames,
                         int n_fft, int hop, float* frames, void* stream) {
  if (total_frames == 0) return;
  const int threads = 256;
  dim3 grid((n_fft + threads - 1) / threads, static_cast<unsigned>(total_frames));
  frame_window_kernel<<<grid, threads, 0, static_cast<cudaStream_t>(stream)>>>(
      signals, offsets, lengths, frame_offsets, frame_clip, total_frames, n_fft, hop, frames);
}

}  // namespace gtzan::kernels
