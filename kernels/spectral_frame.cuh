#pragma once
// Device helpers shared by the per-frame spectral kernels (one thread per frame, bins read
// down a column of a [bins, frames] matrix: neighbouring threads read neighbouring floats).
// __dadd_rn/__dmul_rn keep the CPU twins' operation order and rounding (no FMA contraction).
#include <cuda_runtime.h>

#include <cfloat>

namespace gtzan::kernels::detail {

// features' l1_norms (host/features/spectral.cpp): float64 sum in bin order, < FLT_MIN -> 1.
__device__ inline double l1_norm(const float* __restrict__ mag, int bins, long frames, long f) {
  double L = 0.0;
  for (int b = 0; b < bins; ++b) L = __dadd_rn(L, fabs(static_cast<double>(mag[b * frames + f])));
  return L < static_cast<double>(FLT_MIN) ? 1.0 : L;
}

// float32(S / L) widened back: librosa's normalize() returns float32.
__device__ inline double normalised(float s, double L) {
  return static_cast<double>(static_cast<float>(__ddiv_rn(static_cast<double>(s), L)));
}

inline unsigned frame_blocks(long frames, int threads) {
  return static_cast<unsigned>((frames + threads - 1) / threads);  // grid.x: up to 2^31 - 1
}

}  // namespace gtzan::kernels::detail
