#include "tempogram.cuh"
#include "launch.cuh"

#include <cfloat>

namespace gtzan::kernels {
namespace {

// One block of `win` threads per frame (frames on grid.x). Shared: x[win], red[win] doubles.
__global__ void tempogram_kernel(const float* __restrict__ env, long total_cols,
                                 const long* __restrict__ offsets,
                                 const long* __restrict__ counts, const int* __restrict__ owner,
                                 const double* __restrict__ window, int win,
                                 float* __restrict__ out) {
  GTZAN_DYNAMIC_SHARED(double, shared);
  double* x = shared;
  double* red = shared + win;
  const long f = blockIdx.x;
  const int c = owner[f];
  const long off = offsets[c], n = counts[c], t = f - off;
  const long half = win / 2;
  const int i = threadIdx.x;
  // padded[p], p = t + i: left ramp, the envelope, right ramp (numpy's linear_ramp).
  {
    const long p = t + i;
    float v;
    if (p < half) {
      const double step = __ddiv_rn(static_cast<double>(env[off]), static_cast<double>(half));
      v = static_cast<float>(__dmul_rn(static_cast<double>(p), step));
    } else if (p < half + n) {
      v = env[off + p - half];
    } else {
      const long k = p - half - n;
      const double step = __ddiv_rn(static_cast<double>(env[off + n - 1]), static_cast<double>(half));
      v = static_cast<float>(__dmul_rn(static_cast<double>(half - 1 - k), step));
    }
    x[i] = __dmul_rn(static_cast<double>(v), window[i]);
  }
  __syncthreads();
  // Lag m = i: sum_j x[j] * x[j + m].
  double ac = 0.0;
  for (int j = 0; j + i < win; ++j) ac = fma(x[j], x[j + i], ac);
  red[i] = fabs(ac);
  __syncthreads();
  // Max over the block (win need not be a power of two).
  for (int s = 1; s < win; s *= 2) {
    double other = 0.0;
    const bool take = (i % (2 * s) == 0) && (i + s < win);
    if (take) other = red[i + s];
    __syncthreads();
    if (take) red[i] = fmax(red[i], other);
    __syncthreads();
  }
  double peak = red[0];
  if (peak < DBL_MIN) peak = 1.0;
  out[static_cast<long>(i) * total_cols + f] = static_cast<float>(ac / peak);
}

}  // namespace

void launch_tempogram(const float* env, long total_cols, const long* offsets,
                      const long* counts, const int* owner, const double* window, int win,
                      float* out, cudaStream_t stream) {
  if (total_cols == 0) return;
  const std::size_t shared = 2 * static_cast<std::size_t>(win) * sizeof(double);
  GTZAN_LAUNCH(tempogram_kernel, static_cast<unsigned>(total_cols), win, shared, stream, env, total_cols, offsets, counts, owner, window, win, out);
}

}  // namespace gtzan::kernels
