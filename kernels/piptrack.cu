#include "piptrack.cuh"
#include "launch.cuh"

#include <stdexcept>

namespace gtzan::kernels {
namespace {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;
constexpr int kMaxBins = 4097;  // n_fft <= 8192

struct Peak {
  bool found;
  float pitch, mag;
};

// The CPU's parabolic_shift: float32 sums, the stencil in float64, stored as float32.
__device__ float parabolic_shift(float xm1, float x0, float xp1) {
  const double a = __dsub_rn(static_cast<double>(__fadd_rn(xp1, xm1)),
                             __dmul_rn(2.0, static_cast<double>(x0)));
  const double b = __ddiv_rn(static_cast<double>(__fsub_rn(xp1, xm1)), 2.0);
  if (fabs(b) >= fabs(a)) return 0.0f;
  return static_cast<float>(__ddiv_rn(-b, a));
}

// Peak test and interpolation of bin k (k_lo' <= k < k_hi, k >= 1) of a frame whose power
// is `col` and thresholded power `thr` (shared memory).
__device__ Peak peak_at(const float* col, const float* thr, int k, int bins, int sr, int n_fft) {
  Peak p{false, 0.0f, 0.0f};
  const bool interior = k + 1 < bins;
  const bool lmax = interior ? (thr[k] > thr[k - 1] && thr[k] >= thr[k + 1]) : (thr[k] > thr[k - 1]);
  if (!lmax) return p;
  float shift = 0.0f, grad;
  if (interior) {
    shift = parabolic_shift(col[k - 1], col[k], col[k + 1]);
    grad = __fdiv_rn(__fsub_rn(col[k + 1], col[k - 1]), 2.0f);
  } else {
    grad = __fsub_rn(col[k], col[k - 1]);
  }
  const float dskew = __fmul_rn(__fmul_rn(0.5f, grad), shift);
  const double idx = __dadd_rn(static_cast<double>(k), static_cast<double>(shift));
  const float pitch = static_cast<float>(
      __ddiv_rn(__dmul_rn(idx, static_cast<double>(sr)), static_cast<double>(n_fft)));
  if (pitch > 0.0f) {
    p.found = true;
    p.pitch = pitch;
    p.mag = __fadd_rn(col[k], dskew);
  }
  return p;
}

// Loads frame f's power into col, the 0.1 * max threshold into thr.
__device__ void load_frame(const cufftComplex* X, long f, int bins, float* col, float* thr) {
  __shared__ float warp_max[kWarps];
  float mx = 0.0f;
  for (int k = threadIdx.x; k < bins; k += blockDim.x) {
    const cufftComplex z = X[f * bins + k];
    // float32 as numpy on complex64 (no FMA): re*re + im*im, then abs (a no-op here).
    const float v = fabsf(__fadd_rn(__fmul_rn(z.x, z.x), __fmul_rn(z.y, z.y)));
    col[k] = v;
    mx = fmaxf(mx, v);
  }
  for (int o = 16; o > 0; o >>= 1) mx = fmaxf(mx, __shfl_down_sync(0xffffffffu, mx, o));
  if (threadIdx.x % 32 == 0) warp_max[threadIdx.x / 32] = mx;
  __syncthreads();
  mx = 0.0f;
  for (int w = 0; w < kWarps; ++w) mx = fmaxf(mx, warp_max[w]);
  const float ref_value = __fmul_rn(0.1f, mx);
  for (int k = threadIdx.x; k < bins; k += blockDim.x) thr[k] = col[k] > ref_value ? col[k] : 0.0f;
  __syncthreads();
}

// Exclusive prefix of `flag` over the block (thread order); total in *total. All threads call.
__device__ int block_exclusive_scan(bool flag, int* total) {
  __shared__ int warp_count[kWarps];
  const unsigned ballot = __ballot_sync(0xffffffffu, flag);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  if (lane == 0) warp_count[warp] = __popc(ballot);
  __syncthreads();
  int before = 0, sum = 0;
  for (int w = 0; w < kWarps; ++w) {
    if (w < warp) before += warp_count[w];
    sum += warp_count[w];
  }
  __syncthreads();  // warp_count is reused by the next call
  *total = sum;
  return before + __popc(ballot & ((1u << lane) - 1u));
}

template <bool kWrite>
__global__ void __launch_bounds__(kThreads)
piptrack_kernel(const cufftComplex* __restrict__ X, long frames, int bins, int k_lo, int k_hi,
                int sr, int n_fft, int* counts, const long* ends, float* pitches, float* mags) {
  __shared__ float col[kMaxBins], thr[kMaxBins];
  const long f = blockIdx.x;
  if (f >= frames) return;  // uniform per block
  load_frame(X, f, bins, col, thr);
  const int k_begin = k_lo > 1 ? k_lo : 1;
  long out = kWrite ? ends[f] - counts[f] : 0;
  int found = 0;
  // Chunks of kThreads bins: every thread takes part in each scan (k may be past k_hi).
  for (int base = k_begin; base < k_hi; base += kThreads) {
    const int k = base + static_cast<int>(threadIdx.x);
    Peak p{false, 0.0f, 0.0f};
    if (k < k_hi) p = peak_at(col, thr, k, bins, sr, n_fft);
    int total = 0;
    const int slot = block_exclusive_scan(p.found, &total);
    if (kWrite && p.found) {
      pitches[out + slot] = p.pitch;
      mags[out + slot] = p.mag;
    }
    out += total;
    found += total;
  }
  if (!kWrite && threadIdx.x == 0) counts[f] = found;
}

unsigned blocks_for(long frames) { return static_cast<unsigned>(frames); }  // grid.x < 2^31

void check_bins(int bins) {
  if (bins < 3 || bins > kMaxBins) throw std::invalid_argument("piptrack: unsupported bin count");
}

}  // namespace

void launch_piptrack_count(const cufftComplex* X, long frames, int bins, int k_lo, int k_hi,
                           int sr, int n_fft, int* counts, cudaStream_t stream) {
  check_bins(bins);
  if (frames == 0) return;
  GTZAN_LAUNCH(piptrack_kernel<false>, blocks_for(frames), kThreads, 0, stream, X, frames, bins, k_lo, k_hi, sr, n_fft, counts, nullptr, nullptr, nullptr);
}

void launch_piptrack_write(const cufftComplex* X, long frames, int bins, int k_lo, int k_hi,
                           int sr, int n_fft, const long* ends, const int* counts,
                           float* pitches, float* mags, cudaStream_t stream) {
  check_bins(bins);
  if (frames == 0) return;
  GTZAN_LAUNCH(piptrack_kernel<true>, blocks_for(frames), kThreads, 0, stream, X, frames, bins, k_lo, k_hi, sr, n_fft, const_cast<int*>(counts), ends, pitches, mags);
}

}  // namespace gtzan::kernels
