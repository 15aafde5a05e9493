#include "power_to_db.cuh"

namespace gtzan::kernels {
namespace {

__global__ void log_kernel(float* __restrict__ S, long count, float amin) {
  for (long i = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<long>(gridDim.x) * blockDim.x)
    S[i] = 10.0f * log10f(fmaxf(amin, S[i]));
}

// One block per clip: the max over its rows x columns.
__global__ void peak_kernel(const float* __restrict__ S, int rows, long total_cols,
                            const long* __restrict__ offsets, const long* __restrict__ counts,
                            float* __restrict__ peak) {
  __shared__ float part[256];
  const int c = blockIdx.x;
  const long off = offsets[c], n = counts[c], total = n * rows;
  float m = -INFINITY;
  for (long i = threadIdx.x; i < total; i += blockDim.x) {
    const long r = i / n, t = i % n;
    m = fmaxf(m, S[r * total_cols + off + t]);
  }
  part[threadIdx.x] = m;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s /= 2) {
    if (threadIdx.x < s) part[threadIdx.x] = fmaxf(part[threadIdx.x], part[threadIdx.x + s]);
    __syncthreads();
  }
  if (threadIdx.x == 0) peak[c] = part[0];
}

__global__ void floor_kernel(float* __restrict__ S, long count, long total_cols,
                             const int* __restrict__ owner, const float* __restrict__ peak,
                             float top_db) {
  for (long i = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<long>(gridDim.x) * blockDim.x) {
    const float floor_db = __fsub_rn(peak[owner[i % total_cols]], top_db);
    S[i] = fmaxf(S[i], floor_db);
  }
}

}  // namespace

void launch_power_to_db(float* S, int rows, long total_cols, const long* offsets,
                        const long* counts, const int* owner, int clips, float amin,
                        float top_db, float* peak, cudaStream_t stream) {
  const long count = static_cast<long>(rows) * total_cols;
  if (count == 0 || clips == 0) return;
  const int threads = 256;
  long blocks = (count + threads - 1) / threads;
  if (blocks > 1048576) blocks = 1048576;
  log_kernel<<<static_cast<unsigned>(blocks), threads, 0, stream>>>(S, count, amin);
  if (top_db < 0) return;
  peak_kernel<<<clips, 256, 0, stream>>>(S, rows, total_cols, offsets, counts, peak);
  floor_kernel<<<static_cast<unsigned>(blocks), threads, 0, stream>>>(S, count, total_cols,
                                                                       owner, peak, top_db);
}

}  // namespace gtzan::kernels
