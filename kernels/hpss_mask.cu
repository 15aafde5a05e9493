#include "hpss_mask.cuh"
#include "launch.cuh"

#include <cfloat>

namespace gtzan::kernels {
namespace {

__global__ void magnitude_kernel(const cufftComplex* __restrict__ X, long count,
                                 float* __restrict__ S) {
  for (long i = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<long>(gridDim.x) * blockDim.x) {
    const double re = X[i].x, im = X[i].y;
    // glibc's hypotf: products of floats are exact in float64, one rounded sum, one sqrt.
    S[i] = static_cast<float>(__dsqrt_rn(__dadd_rn(__dmul_rn(re, re), __dmul_rn(im, im))));
  }
}

__global__ void masks_kernel(const cufftComplex* __restrict__ X, const float* __restrict__ S,
                             const float* __restrict__ harm, const float* __restrict__ perc,
                             long count, cufftComplex* __restrict__ H,
                             cufftComplex* __restrict__ P) {
  for (long i = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<long>(gridDim.x) * blockDim.x) {
    const float re = X[i].x, im = X[i].y, mag = S[i];
    const float zero = mag == 0.0f ? 1.0f : 0.0f;
    const float nz = __fadd_rn(mag, zero);
    const float ph_re = __fadd_rn(__fdiv_rn(re, nz), zero), ph_im = __fdiv_rn(im, nz);
    const float h = harm[i], p = perc[i];
    const float z = fmaxf(h, p);
    float mh, mp;
    if (z < FLT_MIN) {
      mh = mp = 0.5f;
    } else {
      const float hz = __fdiv_rn(h, z), pz = __fdiv_rn(p, z);
      const float hh = __fmul_rn(hz, hz), pp = __fmul_rn(pz, pz);
      mh = __fdiv_rn(hh, __fadd_rn(hh, pp));
      mp = __fdiv_rn(pp, __fadd_rn(pp, hh));
    }
    const float sh = __fmul_rn(mag, mh), sp = __fmul_rn(mag, mp);
    H[i] = make_cuComplex(__fmul_rn(sh, ph_re), __fmul_rn(sh, ph_im));
    P[i] = make_cuComplex(__fmul_rn(sp, ph_re), __fmul_rn(sp, ph_im));
  }
}

unsigned blocks_for(long count, int threads) {
  const long blocks = (count + threads - 1) / threads;
  return static_cast<unsigned>(blocks < 65535 ? blocks : 65535);
}

}  // namespace

void launch_hpss_magnitude(const cufftComplex* X, long count, float* S, cudaStream_t stream) {
  if (count == 0) return;
  GTZAN_LAUNCH(magnitude_kernel, blocks_for(count, 256), 256, 0, stream, X, count, S);
}

void launch_hpss_masks(const cufftComplex* X, const float* S, const float* harm,
                       const float* perc, long count, cufftComplex* H, cufftComplex* P,
                       cudaStream_t stream) {
  if (count == 0) return;
  GTZAN_LAUNCH(masks_kernel, blocks_for(count, 256), 256, 0, stream, X, S, harm, perc, count, H, P);
}

}  // namespace gtzan::kernels
