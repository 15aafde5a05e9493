#include "istft.cuh"
#include "launch.cuh"

#include <cfloat>

namespace gtzan::kernels {
namespace {

__global__ void irfft_input_kernel(const cufftComplex* __restrict__ X, long count, int bins,
                                   cufftDoubleComplex* __restrict__ out) {
  for (long i = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<long>(gridDim.x) * blockDim.x) {
    const int b = static_cast<int>(i % bins);
    const bool edge = b == 0 || b == bins - 1;
    out[i] = make_cuDoubleComplex(X[i].x, edge ? 0.0 : static_cast<double>(X[i].y));
  }
}

__global__ void overlap_add_kernel(const double* __restrict__ time,
                                   const double* __restrict__ window, int n_fft, int hop,
                                   const long* sample_offsets, const long* sample_counts,
                                   const int* sample_owner, long total_samples,
                                   const long* frame_offsets, const long* frame_counts,
                                   float* __restrict__ y) {
  for (long s = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; s < total_samples;
       s += static_cast<long>(gridDim.x) * blockDim.x) {
    const int c = sample_owner[s];
    const long i = s - sample_offsets[c];
    const long length = sample_counts[c];
    const long pad = n_fft / 2;
    // Frames used: min(the STFT's frames, ceil((length + 2 pad) / hop)).
    const long needed = (length + 2 * pad + hop - 1) / hop;
    const long frames = frame_counts[c] < needed ? frame_counts[c] : needed;
    const long signal_len = n_fft + static_cast<long>(hop) * (frames - 1);
    const long k = i + pad;  // position in the un-trimmed signal
    if (frames <= 0 || k >= signal_len) {
      y[s] = 0.0f;
      continue;
    }
    long t_hi = k / hop;
    if (t_hi > frames - 1) t_hi = frames - 1;
    const long t_lo = k >= n_fft ? (k - n_fft) / hop + 1 : 0;
    const double* clip_time = time + frame_offsets[c] * static_cast<long>(n_fft);
    double acc = 0.0;
    float win_sum = 0.0f;
    for (long t = t_lo; t <= t_hi; ++t) {
      const long j = k - t * hop;  // 0 <= j < n_fft
      const float sample = static_cast<float>(clip_time[t * n_fft + j] / n_fft);
      acc = __dadd_rn(acc, __dmul_rn(static_cast<double>(sample), window[j]));
      const float w = static_cast<float>(window[j]);
      win_sum = __fadd_rn(win_sum, __fmul_rn(w, w));
    }
    y[s] = static_cast<float>(win_sum > FLT_MIN ? acc / static_cast<double>(win_sum) : acc);
  }
}

unsigned blocks_for(long count, int threads) {
  const long blocks = (count + threads - 1) / threads;
  return static_cast<unsigned>(blocks < 65535 ? blocks : 65535);
}

}  // namespace

void launch_irfft_input_f64(const cufftComplex* X, long frames, int bins, cufftDoubleComplex* out,
                            cudaStream_t stream) {
  const long count = frames * bins;
  if (count == 0) return;
  GTZAN_LAUNCH(irfft_input_kernel, blocks_for(count, 256), 256, 0, stream, X, count, bins, out);
}

void launch_overlap_add(const double* time, const double* window, int n_fft, int hop,
                        const long* sample_offsets, const long* sample_counts,
                        const int* sample_owner, long total_samples, const long* frame_offsets,
                        const long* frame_counts, float* y, cudaStream_t stream) {
  if (total_samples == 0) return;
  GTZAN_LAUNCH(overlap_add_kernel, blocks_for(total_samples, 256), 256, 0, stream, time, window, n_fft, hop, sample_offsets, sample_counts, sample_owner, total_samples,
      frame_offsets, frame_counts, y);
}

}  // namespace gtzan::kernels
