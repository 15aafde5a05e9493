#pragma once
// Error checks for the CUDA runtime, cuFFT and cuBLAS: every failure becomes a std::runtime_error
// naming the call, the file and line, and the library's own message. Allocation failures of
// all three say "out of memory", which the feature backend answers by halving its batch.
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cufft.h>

#include <stdexcept>
#include <string>

namespace gtzan::cuda {

[[noreturn]] inline void throw_cuda(const char* what, const char* file, int line, const std::string& msg) {
  throw std::runtime_error(std::string(what) + " failed at " + file + ":" + std::to_string(line) +
                           ": " + msg);
}

inline void check_cublas(cublasStatus_t s, const char* what) {
  if (s == CUBLAS_STATUS_SUCCESS) return;
  throw std::runtime_error(std::string(what) + " failed: cublasStatus " + std::to_string(static_cast<int>(s)) +
                           (s == CUBLAS_STATUS_ALLOC_FAILED ? " (out of memory)" : ""));
}

}  // namespace gtzan::cuda

#define GTZAN_CUDA_CHECK(call)                                                          \
  do {                                                                                  \
    cudaError_t err_ = (call);                                                          \
    if (err_ != cudaSuccess)                                                            \
      ::gtzan::cuda::throw_cuda(#call, __FILE__, __LINE__, cudaGetErrorString(err_));   \
  } while (0)

#define GTZAN_CUFFT_CHECK(call)                                                          \
  do {                                                                                   \
    cufftResult res_ = (call);                                                           \
    if (res_ != CUFFT_SUCCESS)                                                           \
      ::gtzan::cuda::throw_cuda(#call, __FILE__, __LINE__,                               \
                                "cufftResult " + std::to_string(static_cast<int>(res_)) + \
                                (res_ == CUFFT_ALLOC_FAILED ? " (out of memory)" : ""));\
  } while (0)
