#include "chroma_cens.cuh"
#include "launch.cuh"

#include <cfloat>

namespace gtzan::kernels {
namespace {

constexpr int kChroma = 12;
constexpr int kWin = 43;

// L1 normalise + quantise, per frame.
__global__ void cens_quantise_kernel(const float* __restrict__ raw, long cols,
                                     float* __restrict__ q) {
  for (long t = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; t < cols;
       t += static_cast<long>(gridDim.x) * blockDim.x) {
    double len = 0.0;
    for (int k = 0; k < kChroma; ++k)
      len = __dadd_rn(len, fabs(static_cast<double>(raw[static_cast<long>(k) * cols + t])));
    if (len < static_cast<double>(FLT_MIN)) len = 1.0;
    for (int k = 0; k < kChroma; ++k) {
      const float v = static_cast<float>(__ddiv_rn(static_cast<double>(raw[static_cast<long>(k) * cols + t]), len));
      float s = 0.0f;
      s = __fadd_rn(s, v > 0.4f ? 0.25f : 0.0f);
      s = __fadd_rn(s, v > 0.2f ? 0.25f : 0.0f);
      s = __fadd_rn(s, v > 0.1f ? 0.25f : 0.0f);
      s = __fadd_rn(s, v > 0.05f ? 0.25f : 0.0f);
      q[static_cast<long>(k) * cols + t] = s;
    }
  }
}

// Hann(43) smoothing within the clip, then L2 normalise, per frame.
__global__ void cens_smooth_kernel(const float* __restrict__ q, long cols,
                                   const long* __restrict__ offsets,
                                   const long* __restrict__ counts, const int* __restrict__ owner,
                                   const double* __restrict__ weights, float* __restrict__ out) {
  for (long f = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; f < cols;
       f += static_cast<long>(gridDim.x) * blockDim.x) {
    const int c = owner[f];
    const long off = offsets[c], T = counts[c], t = f - off;
    constexpr int half = kWin / 2;
    float sm[kChroma];
    double len = 0.0;
    for (int k = 0; k < kChroma; ++k) {
      const float* row = q + static_cast<long>(k) * cols + off;
      double acc = 0.0;
      for (int j = 0; j < kWin; ++j) {
        const double wf = weights[kWin - 1 - j];
        if (!(fabs(wf) > DBL_EPSILON)) continue;
        const long i = t + j - half;
        const double v = (i >= 0 && i < T) ? static_cast<double>(row[i]) : 0.0;
        acc = __dadd_rn(acc, __dmul_rn(v, wf));
      }
      sm[k] = static_cast<float>(acc);
      const double m = fabs(static_cast<double>(sm[k]));
      len = __dadd_rn(len, __dmul_rn(m, m));
    }
    len = sqrt(len);
    if (len < static_cast<double>(FLT_MIN)) len = 1.0;
    for (int k = 0; k < kChroma; ++k)
      out[static_cast<long>(k) * cols + f] = static_cast<float>(__ddiv_rn(static_cast<double>(sm[k]), len));
  }
}

}  // namespace

void launch_chroma_cens(const float* raw, long total_cols, const long* offsets,
                        const long* counts, const int* owner, const double* weights,
                        float* scratch, float* out, cudaStream_t stream) {
  if (total_cols == 0) return;
  const int threads = 128;
  long blocks = (total_cols + threads - 1) / threads;
  if (blocks > 1048576) blocks = 1048576;
  GTZAN_LAUNCH(cens_quantise_kernel, static_cast<unsigned>(blocks), threads, 0, stream, raw, total_cols, scratch);
  GTZAN_LAUNCH(cens_smooth_kernel, static_cast<unsigned>(blocks), threads, 0, stream, scratch, total_cols, offsets, counts, owner, weights, out);
}

}  // namespace gtzan::kernels
