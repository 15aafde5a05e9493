#pragma once
// RAII device memory: a typed buffer freed on destruction, movable, not copyable.
//
// Everything here runs on the calling host thread's own stream (cudaStreamPerThread), never on
// the legacy default stream: the feature backend runs one batch per host thread, and work of
// one thread (allocation, copies, the synchronous downloads) must not wait for the other's.
// Allocation is stream-ordered (cudaMallocAsync/cudaFreeAsync, pooled) where the device
// supports memory pools, because cudaMalloc/cudaFree synchronise the whole device.
#include <cstddef>
#include <utility>
#include <vector>

#include "cuda_check.hpp"

namespace gtzan::cuda {

// True when the current device has stream-ordered memory pools (queried once per process).
inline bool memory_pools_supported() {
  static const bool supported = [] {
    int device = 0, value = 0;
    if (cudaGetDevice(&device) != cudaSuccess) return false;
    if (cudaDeviceGetAttribute(&value, cudaDevAttrMemoryPoolsSupported, device) != cudaSuccess) return false;
    return value != 0;
  }();
  return supported;
}

inline void* device_allocate(std::size_t bytes) {
  void* p = nullptr;
  if (memory_pools_supported()) GTZAN_CUDA_CHECK(cudaMallocAsync(&p, bytes, cudaStreamPerThread));
  else GTZAN_CUDA_CHECK(cudaMalloc(&p, bytes));
  return p;
}

inline void device_free(void* p) {
  if (!p) return;
  if (memory_pools_supported()) cudaFreeAsync(p, cudaStreamPerThread);
  else cudaFree(p);
}

template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t count) : count_(count) {
    if (count) ptr_ = static_cast<T*>(device_allocate(count * sizeof(T)));
  }
  ~DeviceBuffer() { device_free(ptr_); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& o) noexcept : ptr_(std::exchange(o.ptr_, nullptr)), count_(std::exchange(o.count_, 0)) {}
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
    if (this != &o) {
      device_free(ptr_);
      ptr_ = std::exchange(o.ptr_, nullptr);
      count_ = std::exchange(o.count_, 0);
    }
    return *this;
  }

  T* data() { return ptr_; }
  const T* data() const { return ptr_; }
  std::size_t size() const { return count_; }

  void upload_async(const T* host, std::size_t count, cudaStream_t stream) {
    GTZAN_CUDA_CHECK(cudaMemcpyAsync(ptr_, host, count * sizeof(T), cudaMemcpyHostToDevice, stream));
  }
  // Synchronous for the calling thread only: waits for this thread's stream, not the device.
  void upload(const T* host, std::size_t count) {
    GTZAN_CUDA_CHECK(cudaMemcpyAsync(ptr_, host, count * sizeof(T), cudaMemcpyHostToDevice, cudaStreamPerThread));
    GTZAN_CUDA_CHECK(cudaStreamSynchronize(cudaStreamPerThread));
  }
  std::vector<T> download() const {
    std::vector<T> host(count_);
    if (count_) {
      GTZAN_CUDA_CHECK(cudaMemcpyAsync(host.data(), ptr_, count_ * sizeof(T), cudaMemcpyDeviceToHost,
                                       cudaStreamPerThread));
      GTZAN_CUDA_CHECK(cudaStreamSynchronize(cudaStreamPerThread));
    }
    return host;
  }

 private:
  T* ptr_ = nullptr;
  std::size_t count_ = 0;
};

// A page-locked staging area (host<->device copies at full PCIe speed and asynchronous) that
// grows as needed and is kept: pinning is slow (every page is mapped), so each in-flight batch
// slot reuses one across batches.
template <typename T>
class GrowablePinnedBuffer {
 public:
  GrowablePinnedBuffer() = default;
  ~GrowablePinnedBuffer() { if (ptr_) cudaFreeHost(ptr_); }
  GrowablePinnedBuffer(const GrowablePinnedBuffer&) = delete;
  GrowablePinnedBuffer& operator=(const GrowablePinnedBuffer&) = delete;
  // At least `count` elements; the previous contents are not kept when it grows.
  T* reserve(std::size_t count) {
    if (count > count_) {
      if (ptr_) GTZAN_CUDA_CHECK(cudaFreeHost(ptr_));
      ptr_ = nullptr;
      count_ = 0;
      GTZAN_CUDA_CHECK(cudaHostAlloc(reinterpret_cast<void**>(&ptr_), count * sizeof(T), cudaHostAllocDefault));
      count_ = count;
    }
    return ptr_;
  }

 private:
  T* ptr_ = nullptr;
  std::size_t count_ = 0;
};

}  // namespace gtzan::cuda
