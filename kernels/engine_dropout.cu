#include "engine_ops.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {
// The counter-based hash of host/engine/rng.hpp (hash_uniform), bit for bit.
__device__ inline double hash_uniform(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t x = seed ^ (index * 0xD1B54A32D192ED03ull);
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z = z ^ (z >> 31);
  return static_cast<double>(z >> 40) * (1.0 / 16777216.0);
}

__global__ void dropout_kernel(const float* x, float* y, float* scale, std::size_t n, double rate,
                               float keep_scale, std::uint64_t seed, std::uint64_t offset) {
  for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n; i += std::size_t(gridDim.x) * blockDim.x) {
    const float sc = hash_uniform(seed, offset + i) >= rate ? keep_scale : 0.0f;
    scale[i] = sc;
    y[i] = __fmul_rn(x[i], sc);
  }
}
}  // namespace

// Inverted dropout: scale = keep ? 1/(1-rate) : 0 with keep = u(seed, offset + i) >= rate.
void launch_engine_dropout(const float* x, float* y, float* scale, std::size_t n, double rate,
                           std::uint64_t seed, std::uint64_t offset, cudaStream_t s) {
  if (n == 0) return;
  const float keep_scale = static_cast<float>(1.0 / (1.0 - rate));
  GTZAN_LAUNCH(dropout_kernel, engine_blocks(n), 256, 0, s, x, y, scale, n, rate, keep_scale, seed, offset);
}

}  // namespace gtzan::kernels
