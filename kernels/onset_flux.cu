#include "onset_flux.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

constexpr int kMaxBands = 128;

// One block of kMaxBands threads per frame (frames on grid.x: up to 2^31 - 1).
__global__ void onset_flux_kernel(const float* __restrict__ S, int bands, long total_cols,
                                  const long* __restrict__ offsets,
                                  const long* __restrict__ counts, const int* __restrict__ owner,
                                  int shift, bool median, float* __restrict__ out) {
  __shared__ float v[kMaxBands];
  __shared__ float mid[2];
  const long f = blockIdx.x;
  const int c = owner[f];
  const long t = f - offsets[c], T = counts[c];
  if (T < 2 || t < shift) {  // whole block takes the same branch
    if (threadIdx.x == 0) out[f] = 0.0f;
    return;
  }
  // agg[d] with d = t - shift uses the clip's frames d and d + 1 (both < T).
  const long a = f - shift;
  const int i = threadIdx.x;
  if (i < bands) v[i] = fmaxf(0.0f, __fsub_rn(S[static_cast<long>(i) * total_cols + a + 1],
                                             S[static_cast<long>(i) * total_cols + a]));
  __syncthreads();
  if (!median) {
    if (i == 0) {
      float acc = 0.0f;
      for (int b = 0; b < bands; ++b) acc = __fadd_rn(acc, v[b]);
      out[f] = __fdiv_rn(acc, static_cast<float>(bands));
    }
    return;
  }
  // Median by rank: the element of stable rank bands/2 (and bands/2 - 1 when even).
  const int h = bands / 2;
  if (i < bands) {
    const float x = v[i];
    int rank = 0;
    for (int j = 0; j < bands; ++j) rank += (v[j] < x) || (v[j] == x && j < i);
    if (rank == h) mid[1] = x;
    if (rank == h - 1) mid[0] = x;
  }
  __syncthreads();
  if (i == 0) out[f] = (bands % 2) ? mid[1] : __fdiv_rn(__fadd_rn(mid[0], mid[1]), 2.0f);
}

}  // namespace

void launch_onset_flux(const float* S, int bands, long total_cols, const long* offsets,
                       const long* counts, const int* owner, int shift, bool median,
                       float* out, cudaStream_t stream) {
  if (total_cols == 0) return;
  GTZAN_LAUNCH(onset_flux_kernel, static_cast<unsigned>(total_cols), kMaxBands, 0, stream, S, bands, total_cols, offsets, counts, owner, shift, median, out);
}

}  // namespace gtzan::kernels
