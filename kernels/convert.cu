#include "convert.cuh"
#include "launch.cuh"

namespace gtzan::kernels {
namespace {

template <typename From, typename To>
__global__ void convert_kernel(const From* __restrict__ in, long count, To* __restrict__ out) {
  for (long i = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<long>(gridDim.x) * blockDim.x)
    out[i] = static_cast<To>(in[i]);
}

template <typename From, typename To>
void launch(const From* in, long count, To* out, cudaStream_t stream) {
  if (count <= 0) return;
  const int threads = 256;
  const long blocks = (count + threads - 1) / threads;
  GTZAN_LAUNCH((convert_kernel<From, To>), static_cast<unsigned>(blocks < 65535 ? blocks : 65535), threads, 0, stream, in, count, out);
}

}  // namespace

void launch_widen(const float* in, long count, double* out, cudaStream_t stream) {
  launch(in, count, out, stream);
}

void launch_narrow(const double* in, long count, float* out, cudaStream_t stream) {
  launch(in, count, out, stream);
}

}  // namespace gtzan::kernels
