#include "power_to_db.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

__global__ void power_to_db_kernel(const float* S, long count, float amin, float* out) {
  for (long i = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<long>(gridDim.x) * blockDim.x) {
    // The CPU's std::log10(float) is glibc's log10f (correctly rounded in practice); log10 in
    // float64 rounded to float matches it far better than CUDA's log10f (2 ulp). The product
    // by 10 is float32 like numpy's.
    const float l = static_cast<float>(log10(static_cast<double>(fmaxf(amin, S[i]))));
    out[i] = __fmul_rn(10.0f, l);
  }
}

__global__ void db_floor_kernel(float* data, int rows, long total_cols, const int* owner,
                                const float* clip_max, float top_db) {
  const long count = static_cast<long>(rows) * total_cols;
  for (long i = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<long>(gridDim.x) * blockDim.x) {
    const float floor_db = __fsub_rn(clip_max[owner[i % total_cols]], top_db);
    data[i] = fmaxf(data[i], floor_db);
  }
}

unsigned blocks_for(long count, int threads) {
  const long b = (count + threads - 1) / threads;
  return static_cast<unsigned>(b < 65535 ? b : 65535);
}

}  // namespace

void launch_power_to_db(const float* S, long count, float amin, float* out, cudaStream_t stream) {
  if (count <= 0) return;
  GTZAN_LAUNCH(power_to_db_kernel, blocks_for(count, 256), 256, 0, stream, S, count, amin, out);
}

void launch_db_floor(float* data, int rows, long total_cols, const int* owner,
                     const float* clip_max, float top_db, cudaStream_t stream) {
  const long count = static_cast<long>(rows) * total_cols;
  if (count <= 0) return;
  GTZAN_LAUNCH(db_floor_kernel, blocks_for(count, 256), 256, 0, stream, data, rows, total_cols, owner,
                                                              clip_max, top_db);
}

}  // namespace gtzan::kernels
