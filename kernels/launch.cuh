#pragma once
// One spelling for kernel launches, so that the same sources build with nvcc and with the
// emulated CUDA (GTZAN_CUDA=EMULATE, cuda/emulation/):
//   GTZAN_LAUNCH(kernel, grid, block, shared_bytes, stream, args...)
// is kernel<<<grid, block, shared_bytes, stream>>>(args...) under nvcc. A template kernel whose
// arguments hold a comma goes in parentheses: GTZAN_LAUNCH((convert_kernel<From, To>), ...).
// Dynamic shared memory is declared with GTZAN_DYNAMIC_SHARED(T, name) (`extern __shared__`).
#include <cuda_runtime.h>

#include <cstddef>
#include <utility>

#ifdef GTZAN_CUDA_EMULATED
#define GTZAN_LAUNCH(kernel, grid, block, shared_bytes, stream, ...)                       \
  ::gtzan_emu::launch(#kernel, kernel, dim3(grid), dim3(block), (shared_bytes), (stream) \
                          __VA_OPT__(, ) __VA_ARGS__)
#define GTZAN_DYNAMIC_SHARED(T, name) GTZAN_EMU_DYNAMIC_SHARED(T, name)
#else
namespace gtzan::kernels {
template <typename... Params, typename... Args>
inline void launch_kernel(void (*kernel)(Params...), dim3 grid, dim3 block, std::size_t shared_bytes,
                          cudaStream_t stream, Args&&... args) {
  kernel<<<grid, block, shared_bytes, stream>>>(std::forward<Args>(args)...);
}
}  // namespace gtzan::kernels
#define GTZAN_LAUNCH(kernel, grid, block, shared_bytes, stream, ...)                               \
  ::gtzan::kernels::launch_kernel(kernel, dim3(grid), dim3(block), (shared_bytes), (stream) \
                                      __VA_OPT__(, ) __VA_ARGS__)
#define GTZAN_DYNAMIC_SHARED(T, name) extern __shared__ T name[]
#endif
