#include "frame_window.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

__global__ void frame_window_kernel(const float* __restrict__ signals, const long* sample_offsets,
                                    const long* sample_counts, const long* frame_offsets,
                                    const int* frame_owner, long total_frames, int n_fft, int hop,
                                    bool hann, double* __restrict__ frames) {
  const long f = blockIdx.y + static_cast<long>(blockIdx.z) * gridDim.y;
  if (f >= total_frames) return;
  const int c = frame_owner[f];
  const long t = f - frame_offsets[c];
  const long start = t * hop - n_fft / 2;
  const float* y = signals + sample_offsets[c];
  const long n = sample_counts[c];
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n_fft; i += gridDim.x * blockDim.x) {
    const long k = start + i;
    // Periodic Hann in float64, as scipy.signal.get_window("hann", n_fft, fftbins=True).
    const double w = hann ? 0.5 - 0.5 * cospi(2.0 * i / n_fft) : 1.0;
    frames[f * n_fft + i] = (k >= 0 && k < n) ? static_cast<double>(y[k]) * w : 0.0;
  }
}

}  // namespace

void launch_frame_window_f64(const float* signals, const long* sample_offsets,
                             const long* sample_counts, const long* frame_offsets,
                             const int* frame_owner, long total_frames, int n_fft, int hop,
                             Window window, double* frames, cudaStream_t stream) {
  if (total_frames == 0) return;
  const int threads = 256;
  // Frames spread over grid.y (max 65535) and grid.z so any batch size fits.
  const long y = total_frames < 65535 ? total_frames : 65535;
  const long z = (total_frames + y - 1) / y;
  dim3 grid((n_fft + threads - 1) / threads, static_cast<unsigned>(y), static_cast<unsigned>(z));
  GTZAN_LAUNCH(frame_window_kernel, grid, threads, 0, stream, signals, sample_offsets, sample_counts,
                                                    frame_offsets, frame_owner, total_frames,
                                                    n_fft, hop, window == Window::Hann, frames);
}

}  // namespace gtzan::kernels
