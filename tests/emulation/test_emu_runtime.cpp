// The emulated CUDA runtime itself: barriers, warp collectives in lock step, launch checks,
// memory checks, and that misuse a GPU would punish aborts with a message naming the kernel.
// Misuse cases run in a child process (fork), whose stderr and exit are inspected.
#include <catch2/catch.hpp>

#include <cuda_runtime.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "emu_test_util.hpp"
#include "launch.cuh"

namespace {

std::pair<bool, std::string> in_child(const std::function<void()>& fn) {
  const auto outcome = gtzan::emu_test::run_in_child(fn);
  return {outcome.aborted, outcome.stderr_text};
}

template <typename T>
T* device(std::size_t n) {
  void* p = nullptr;
  REQUIRE(cudaMalloc(&p, n * sizeof(T)) == cudaSuccess);
  return static_cast<T*>(p);
}
template <typename T>
std::vector<T> download(const T* d, std::size_t n) {
  std::vector<T> h(n);
  REQUIRE(cudaMemcpy(h.data(), d, n * sizeof(T), cudaMemcpyDeviceToHost) == cudaSuccess);
  return h;
}

// Block sum through shared memory with a barrier between the tree's levels.
__global__ void block_sum_kernel(const float* in, float* out) {
  __shared__ float partial[256];
  const unsigned t = threadIdx.x;
  partial[t] = in[blockIdx.x * blockDim.x + t];
  __syncthreads();
  for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
    if (t < s) partial[t] += partial[t + s];
    __syncthreads();
  }
  if (t == 0) out[blockIdx.x] = partial[0];
}

__global__ void warp_kernel(const int* in, int* sums, unsigned* ballots, int* from_lane3) {
  int v = in[threadIdx.x];
  for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
  const unsigned b = __ballot_sync(0xffffffffu, in[threadIdx.x] % 2);
  const int l3 = __shfl_sync(0xffffffffu, in[threadIdx.x], 3);
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  if (lane == 0) sums[warp] = v, ballots[warp] = b;
  from_lane3[threadIdx.x] = l3;
}

__global__ void exits_before_barrier_kernel(float* out) {
  if (threadIdx.x == 5) return;
  __syncthreads();
  out[threadIdx.x] = 1.0f;
}

__global__ void partial_mask_kernel(int* out) {
  if (threadIdx.x < 16) out[threadIdx.x] = __shfl_down_sync(0xffffffffu, static_cast<int>(threadIdx.x), 1);
}

__global__ void dynamic_shared_kernel(float* out) {
  GTZAN_DYNAMIC_SHARED(float, scratch);
  scratch[threadIdx.x] = static_cast<float>(threadIdx.x);
  __syncthreads();
  out[threadIdx.x] = scratch[blockDim.x - 1 - threadIdx.x];
}

__global__ void read_uninitialised_kernel(const float* in, float* out) { out[threadIdx.x] = in[threadIdx.x]; }

// Every thread writes the shared slot, unordered: the last writer wins (a race).
__global__ void racy_kernel(int* out) {
  __shared__ int last;
  last = static_cast<int>(threadIdx.x);
  __syncthreads();
  if (threadIdx.x == 0) *out = last;
}

}  // namespace

TEST_CASE("emulated CUDA: __syncthreads is a barrier across a block's threads", "[emulation]") {
  const int blocks = 5, threads = 256;
  std::vector<float> h(blocks * threads);
  for (std::size_t i = 0; i < h.size(); ++i) h[i] = static_cast<float>(i % 17);
  float* in = device<float>(h.size());
  float* out = device<float>(blocks);
  REQUIRE(cudaMemcpy(in, h.data(), h.size() * sizeof(float), cudaMemcpyHostToDevice) == cudaSuccess);
  GTZAN_LAUNCH(block_sum_kernel, blocks, threads, 0, nullptr, in, out);
  REQUIRE(cudaGetLastError() == cudaSuccess);
  const auto got = download(out, blocks);
  for (int b = 0; b < blocks; ++b) {
    double want = 0;
    for (int t = 0; t < threads; ++t) want += h[b * threads + t];
    CHECK(got[b] == Approx(want).epsilon(0));  // small integers: exact in float
  }
  cudaFree(in);
  cudaFree(out);
}

TEST_CASE("emulated CUDA: warp shuffles and ballots exchange values in lock step", "[emulation]") {
  const int threads = 64;
  std::vector<int> h(threads);
  for (int i = 0; i < threads; ++i) h[i] = i * 3 + 1;
  int* in = device<int>(threads);
  int* sums = device<int>(2);
  unsigned* ballots = device<unsigned>(2);
  int* lane3 = device<int>(threads);
  REQUIRE(cudaMemcpy(in, h.data(), threads * sizeof(int), cudaMemcpyHostToDevice) == cudaSuccess);
  GTZAN_LAUNCH(warp_kernel, 1, threads, 0, nullptr, in, sums, ballots, lane3);
  const auto s = download(sums, 2);
  const auto b = download(ballots, 2);
  const auto l3 = download(lane3, threads);
  for (int w = 0; w < 2; ++w) {
    int want = 0;
    unsigned want_ballot = 0;
    for (int l = 0; l < 32; ++l) {
      want += h[w * 32 + l];
      if (h[w * 32 + l] % 2) want_ballot |= 1u << l;
    }
    CHECK(s[w] == want);
    CHECK(b[w] == want_ballot);
    for (int l = 0; l < 32; ++l) CHECK(l3[w * 32 + l] == h[w * 32 + 3]);
  }
  for (void* p : {static_cast<void*>(in), static_cast<void*>(sums), static_cast<void*>(ballots), static_cast<void*>(lane3)})
    cudaFree(p);
}

TEST_CASE("emulated CUDA: dynamic shared memory has the launch's size", "[emulation]") {
  float* out = device<float>(128);
  GTZAN_LAUNCH(dynamic_shared_kernel, 1, 128, 128 * sizeof(float), nullptr, out);
  REQUIRE(cudaGetLastError() == cudaSuccess);
  const auto got = download(out, 128);
  for (int i = 0; i < 128; ++i) CHECK(got[i] == static_cast<float>(127 - i));
  cudaFree(out);
}

TEST_CASE("emulated CUDA: bad launch configurations fail as on a GPU", "[emulation]") {
  float* out = device<float>(2048);
  GTZAN_LAUNCH(dynamic_shared_kernel, 1, 1025, 0, nullptr, out);
  CHECK(cudaGetLastError() == cudaErrorInvalidConfiguration);
  GTZAN_LAUNCH(dynamic_shared_kernel, 0, 32, 0, nullptr, out);
  CHECK(cudaGetLastError() == cudaErrorInvalidConfiguration);
  GTZAN_LAUNCH(dynamic_shared_kernel, dim3(1, 65536), 32, 0, nullptr, out);
  CHECK(cudaGetLastError() == cudaErrorInvalidConfiguration);
  GTZAN_LAUNCH(dynamic_shared_kernel, 1, 32, 64 * 1024, nullptr, out);  // > 48 KiB without opt-in
  CHECK(cudaGetLastError() == cudaErrorInvalidConfiguration);
  CHECK(cudaGetLastError() == cudaSuccess);  // read and cleared
  cudaFree(out);
}

TEST_CASE("emulated CUDA: device memory starts as NaN, not zero", "[emulation]") {
  float* in = device<float>(32);
  float* out = device<float>(32);
  GTZAN_LAUNCH(read_uninitialised_kernel, 1, 32, 0, nullptr, in, out);
  for (float v : download(out, 32)) CHECK(std::isnan(v));
  cudaFree(in);
  cudaFree(out);
}

TEST_CASE("emulated CUDA: synccheck catches a thread that exits before a barrier", "[emulation]") {
  const auto [aborted, err] = in_child([] {
    float* out = device<float>(64);
    GTZAN_LAUNCH(exits_before_barrier_kernel, 1, 64, 0, nullptr, out);
  });
  CHECK(aborted);
  CHECK(err.find("exits_before_barrier_kernel") != std::string::npos);
  CHECK(err.find("exited") != std::string::npos);
}

TEST_CASE("emulated CUDA: a shuffle whose mask names lanes that do not take part aborts", "[emulation]") {
  const auto [aborted, err] = in_child([] {
    int* out = device<int>(32);
    GTZAN_LAUNCH(partial_mask_kernel, 1, 32, 0, nullptr, out);
  });
  CHECK(aborted);
  CHECK(err.find("partial_mask_kernel") != std::string::npos);
  CHECK(err.find("__shfl_down_sync") != std::string::npos);
}

TEST_CASE("emulated CUDA: host/device confusion aborts", "[emulation]") {
  const auto [copy_aborted, copy_err] = in_child([] {
    std::vector<float> host(16), other(16);
    cudaMemcpy(other.data(), host.data(), 16 * sizeof(float), cudaMemcpyHostToDevice);
  });
  CHECK(copy_aborted);
  CHECK(copy_err.find("cudaMemcpy") != std::string::npos);
  const auto [free_aborted, free_err] = in_child([] {
    float x = 0;
    cudaFree(&x);
  });
  CHECK(free_aborted);
  CHECK(free_err.find("cudaFree") != std::string::npos);
}

TEST_CASE("emulated CUDA: the schedule seed changes the order threads run in", "[emulation]") {
  // The racy kernel's answer is whichever thread wrote last: index order gives the last
  // thread; another seed gives another thread, which is how a race shows up in the tests.
  // ctest runs this file once with the default order and once with GTZAN_EMU_SCHEDULE_SEED.
  int* out = device<int>(1);
  GTZAN_LAUNCH(racy_kernel, 1, 128, 0, nullptr, out);
  const int natural = download(out, 1)[0];
  const char* seed = std::getenv("GTZAN_EMU_SCHEDULE_SEED");
  if (!seed || std::string(seed) == "0") CHECK(natural == 127);
  else CHECK(natural != 127);
  cudaFree(out);
}
