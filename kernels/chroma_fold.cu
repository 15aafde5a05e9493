#include "chroma_fold.cuh"
#include "launch.cuh"

#include <cfloat>

namespace gtzan::kernels {
namespace {

constexpr int kChroma = 12;

__global__ void chroma_fold_kernel(const float* __restrict__ C, int n_in, long cols,
                                   const int* __restrict__ bin_chroma, bool inf_normalise,
                                   float* __restrict__ out) {
  for (long t = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; t < cols;
       t += static_cast<long>(gridDim.x) * blockDim.x) {
    float acc[kChroma];
    for (int k = 0; k < kChroma; ++k) acc[k] = 0.0f;
    for (int b = 0; b < n_in; ++b) {
      const int k = bin_chroma[b];
      acc[k] = __fadd_rn(acc[k], C[static_cast<long>(b) * cols + t]);
    }
    double len = 0.0;
    for (int k = 0; k < kChroma; ++k) {
      if (acc[k] < 0.0f) acc[k] = 0.0f;  // threshold=0.0
      len = fmax(len, fabs(static_cast<double>(acc[k])));
    }
    if (!(len >= static_cast<double>(FLT_MIN))) len = 1.0;
    for (int k = 0; k < kChroma; ++k) {
      const float v = inf_normalise ? static_cast<float>(__ddiv_rn(static_cast<double>(acc[k]), len))
                                    : acc[k];
      out[static_cast<long>(k) * cols + t] = v;
    }
  }
}

}  // namespace

void launch_chroma_fold(const float* C, int n_in, long cols, const int* bin_chroma,
                        bool inf_normalise, float* out, cudaStream_t stream) {
  if (cols == 0) return;
  const int threads = 128;
  const long blocks = (cols + threads - 1) / threads;
  GTZAN_LAUNCH(chroma_fold_kernel, static_cast<unsigned>(blocks < 1048576 ? blocks : 1048576), threads, 0, stream, C, n_in, cols, bin_chroma, inf_normalise, out);
}

}  // namespace gtzan::kernels
