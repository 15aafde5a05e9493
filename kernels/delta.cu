#include "delta.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

// One thread per output element. __dmul_rn/__dadd_rn keep the CPU's rounding (no FMA
// contraction: the x86-64 host build has none), so the sums equal the CPU's bit for bit.
__global__ void delta_kernel(const float* __restrict__ X, int rows, long total_cols,
                             const long* __restrict__ offsets, const long* __restrict__ counts,
                             const int* __restrict__ owner, DeltaTaps taps,
                             float* __restrict__ out) {
  const long count = static_cast<long>(rows) * total_cols;
  const int width = taps.width, half = width / 2;
  for (long i = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<long>(gridDim.x) * blockDim.x) {
    const long r = i / total_cols, col = i % total_cols;
    const int c = owner[col];
    const long off = offsets[c], T = counts[c], t = col - off;
    if (T < width) {
      out[i] = __int_as_float(0x7fc00000);  // quiet NaN: the CPU throws for this clip
      continue;
    }
    const float* x = X + r * total_cols + off;  // the clip's row
    double s = 0.0;
    if (t >= half && t + half < T) {
      const float* w = x + (t - half);
      for (int k = 0; k < width; ++k) s = __dadd_rn(s, __dmul_rn(taps.centre[k], w[k]));
    } else if (t < half) {
      const int e = static_cast<int>(t);
      for (int k = 0; k < width; ++k) s = __dadd_rn(s, __dmul_rn(taps.edge[e][k], x[k]));
    } else {
      const int e = static_cast<int>(T - 1 - t);  // 0 .. half-1
      const float* last = x + (T - width);
      for (int k = 0; k < width; ++k)
        s = __dadd_rn(s, __dmul_rn(__dmul_rn(taps.edge[e][width - 1 - k], last[k]), taps.sign));
    }
    out[i] = static_cast<float>(s);
  }
}

}  // namespace

void launch_delta(const float* X, int rows, long total_cols, const long* offsets,
                  const long* counts, const int* owner, const DeltaTaps& taps, float* out,
                  cudaStream_t stream) {
  const long count = static_cast<long>(rows) * total_cols;
  if (count <= 0) return;
  const int threads = 256;
  const long blocks = (count + threads - 1) / threads;
  GTZAN_LAUNCH(delta_kernel, static_cast<unsigned>(blocks < 65535 ? blocks : 65535), threads, 0, stream, X, rows, total_cols, offsets, counts, owner, taps, out);
}

}  // namespace gtzan::kernels
