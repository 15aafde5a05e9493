#include "tonnetz.cuh"
#include "launch.cuh"

#include <cfloat>

namespace gtzan::kernels {
namespace {

constexpr int kChroma = 12;
constexpr int kDims = 6;

__global__ void tonnetz_kernel(const float* __restrict__ chroma, long cols,
                               const double* __restrict__ phi, float* __restrict__ out) {
  for (long t = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; t < cols;
       t += static_cast<long>(gridDim.x) * blockDim.x) {
    float x[kChroma];
    double len = 0.0;
    for (int k = 0; k < kChroma; ++k) {
      x[k] = chroma[static_cast<long>(k) * cols + t];
      len = __dadd_rn(len, fabs(static_cast<double>(x[k])));
    }
    if (len < static_cast<double>(FLT_MIN)) len = 1.0;
    for (int k = 0; k < kChroma; ++k) x[k] = static_cast<float>(__ddiv_rn(static_cast<double>(x[k]), len));
    for (int p = 0; p < kDims; ++p) {
      double acc = 0.0;
      for (int k = 0; k < kChroma; ++k)
        acc = __dadd_rn(acc, __dmul_rn(phi[p * kChroma + k], static_cast<double>(x[k])));
      out[static_cast<long>(p) * cols + t] = static_cast<float>(acc);
    }
  }
}

}  // namespace

void launch_tonnetz(const float* chroma, long cols, const double* phi, float* out,
                    cudaStream_t stream) {
  if (cols == 0) return;
  const int threads = 128;
  const long blocks = (cols + threads - 1) / threads;
  GTZAN_LAUNCH(tonnetz_kernel, static_cast<unsigned>(blocks < 1048576 ? blocks : 1048576), threads, 0, stream, chroma, cols, phi, out);
}

}  // namespace gtzan::kernels
