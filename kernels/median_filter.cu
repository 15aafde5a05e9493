#include "median_filter.cuh"
#include "launch.cuh"

#include <stdexcept>

namespace gtzan::kernels {
namespace {

constexpr int kK = 31;  // window length
constexpr int kBlockX = 32, kBlockY = 8;

// scipy 'reflect' index for any offset and any n >= 1 (the CPU's reflect_index).
__device__ __forceinline__ long reflect_index(long i, long n) {
  const long period = 2 * n;
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - 1 - i;
}

// The median (element kK/2 of the sorted window). Constant indices only: stays in registers.
__device__ __forceinline__ float median_of(float (&v)[kK]) {
#pragma unroll
  for (int i = 0; i <= kK / 2; ++i) {
#pragma unroll
    for (int j = i + 1; j < kK; ++j) {
      const float lo = fminf(v[i], v[j]), hi = fmaxf(v[i], v[j]);
      v[i] = lo;
      v[j] = hi;
    }
  }
  return v[kK / 2];
}

// Frames spread over blockIdx.y and blockIdx.z (grid.y <= 65535).
__device__ __forceinline__ long frame_index() {
  return (blockIdx.y + static_cast<long>(blockIdx.z) * gridDim.y) * blockDim.y + threadIdx.y;
}

__global__ void __launch_bounds__(kBlockX * kBlockY)
median_time_kernel(const float* __restrict__ S, long frames, int bins, const long* frame_offsets,
                   const long* frame_counts, const int* frame_owner, float* __restrict__ out) {
  const long f = frame_index();
  const int b = blockIdx.x * blockDim.x + threadIdx.x;
  if (f >= frames || b >= bins) return;
  const int c = frame_owner[f];
  const long off = frame_offsets[c], n = frame_counts[c];
  const long t = f - off;
  float v[kK];
#pragma unroll
  for (int j = 0; j < kK; ++j) v[j] = S[(off + reflect_index(t - kK / 2 + j, n)) * bins + b];
  out[f * bins + b] = median_of(v);
}

__global__ void __launch_bounds__(kBlockX * kBlockY)
median_freq_kernel(const float* __restrict__ S, long frames, int bins, float* __restrict__ out) {
  const long f = frame_index();
  const int b = blockIdx.x * blockDim.x + threadIdx.x;
  if (f >= frames || b >= bins) return;
  const float* row = S + f * bins;
  float v[kK];
#pragma unroll
  for (int j = 0; j < kK; ++j) v[j] = row[reflect_index(b - kK / 2 + j, bins)];
  out[f * bins + b] = median_of(v);
}

dim3 grid_for(long frames, int bins) {
  const long rows = (frames + kBlockY - 1) / kBlockY;
  const long y = rows < 65535 ? rows : 65535;
  const long z = (rows + y - 1) / y;
  return dim3(static_cast<unsigned>((bins + kBlockX - 1) / kBlockX), static_cast<unsigned>(y),
              static_cast<unsigned>(z));
}

void check_kernel(int kernel_size) {
  if (kernel_size != kK) throw std::invalid_argument("median filter: only kernel_size 31 is built");
}

}  // namespace

void launch_median_filter_time(const float* S, long frames, int bins, const long* frame_offsets,
                               const long* frame_counts, const int* frame_owner, int kernel_size,
                               float* out, cudaStream_t stream) {
  check_kernel(kernel_size);
  if (frames == 0 || bins == 0) return;
  GTZAN_LAUNCH(median_time_kernel, grid_for(frames, bins), dim3(kBlockX, kBlockY), 0, stream, S, frames, bins, frame_offsets, frame_counts, frame_owner, out);
}

void launch_median_filter_freq(const float* S, long frames, int bins, int kernel_size,
                               float* out, cudaStream_t stream) {
  check_kernel(kernel_size);
  if (frames == 0 || bins == 0) return;
  GTZAN_LAUNCH(median_freq_kernel, grid_for(frames, bins), dim3(kBlockX, kBlockY), 0, stream, S, frames,
                                                                                   bins, out);
}

}  // namespace gtzan::kernels
