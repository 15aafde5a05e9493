#include "power_spectrum.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

__global__ void round_kernel(const cufftDoubleComplex* __restrict__ in, long count,
                             cufftComplex* __restrict__ out) {
  for (long i = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<long>(gridDim.x) * blockDim.x)
    out[i] = make_cuComplex(static_cast<float>(in[i].x), static_cast<float>(in[i].y));
}

// A 32x32 tile transpose through shared memory: coalesced reads of [frames, bins] and
// coalesced writes of [bins, frames].
// `frames` columns of this launch; `stride` = the row stride of `out` (all frames).
__global__ void power_kernel(const cufftComplex* __restrict__ X, long frames, long stride,
                             int bins, int power, float* __restrict__ out) {
  __shared__ float tile[32][33];
  const long f0 = static_cast<long>(blockIdx.y) * 32, b0 = static_cast<long>(blockIdx.x) * 32;
  for (int j = threadIdx.y; j < 32; j += blockDim.y) {
    const long f = f0 + j, b = b0 + threadIdx.x;
    float v = 0.0f;
    if (f < frames && b < bins) {
      const cufftComplex z = X[f * bins + b];
      // float32, as numpy on complex64; _rn: no FMA contraction (the host computes it unfused).
      const float p2 = __fadd_rn(__fmul_rn(z.x, z.x), __fmul_rn(z.y, z.y));
      v = power == 2 ? p2 : sqrtf(p2);
    }
    tile[j][threadIdx.x] = v;
  }
  __syncthreads();
  for (int j = threadIdx.y; j < 32; j += blockDim.y) {
    const long b = b0 + j, f = f0 + threadIdx.x;
    if (f < frames && b < bins) out[b * stride + f] = tile[threadIdx.x][j];
  }
}

}  // namespace

void launch_round_to_complex64(const cufftDoubleComplex* in, long count, cufftComplex* out,
                               cudaStream_t stream) {
  if (count == 0) return;
  const int threads = 256;
  const long blocks = (count + threads - 1) / threads;
  GTZAN_LAUNCH(round_kernel, static_cast<unsigned>(blocks < 65535 ? blocks : 65535), threads, 0, stream, in, count, out);
}

void launch_spectrogram_power(const cufftComplex* X, long frames, int bins, int power,
                              float* out, cudaStream_t stream) {
  const long chunk = 65535L * 32;  // grid.y limit
  for (long start = 0; start < frames; start += chunk) {
    const long count = frames - start < chunk ? frames - start : chunk;
    dim3 block(32, 8);
    dim3 grid((bins + 31) / 32, static_cast<unsigned>((count + 31) / 32));
    GTZAN_LAUNCH(power_kernel, grid, block, 0, stream, X + start * bins, count, frames, bins, power, out + start);
  }
}

}  // namespace gtzan::kernels
