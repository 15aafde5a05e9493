#pragma once
// The device side of the emulated CUDA: what a .cu file sees from nvcc's built-ins, on g++.
//
// Execution model (cuda/emulation/README.md): a launch runs its grid block by block on a pool
// of host threads; the threads of a block are cooperative fibers on one host thread, so
// __syncthreads() is a real barrier and a warp's shuffles exchange values in lock step. Static
// __shared__ variables are thread_local: a host thread runs one block at a time, so all fibers
// of a block share them and the next block on that host thread reuses them, as on a GPU.
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "gtzan_emu/vector_types.hpp"

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static thread_local
#define GTZAN_CUDA_EMULATED 1

struct dim3 {
  unsigned x = 1, y = 1, z = 1;
  constexpr dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};
struct uint3 {
  unsigned x = 0, y = 0, z = 0;
};

struct CUstream_st;

namespace gtzan_emu {

// What one emulated GPU thread sees. The scheduler points current() at the running thread's.
struct ThreadContext {
  uint3 thread_idx;
  uint3 block_idx;
  dim3 block_dim;
  dim3 grid_dim;
  void* dynamic_shared = nullptr;
};

// Out of line: the thread_local it reads lives in one translation unit (UBSan's null check
// misreads an extern thread_local's address from other units).
ThreadContext& current();

// Where a barrier or warp collective is in the source (see GTZAN_EMU_SITE below).
struct CallSite {
  const char* file;
  int line;
};
// Block barrier; errors (a thread that exited or waits elsewhere) abort with the kernel's name.
void syncthreads(const CallSite& site);

// Warp collectives. kind: what each lane gets back from the lanes in `mask`.
enum class WarpOp { ShflDown, ShflUp, ShflXor, ShflIdx, Ballot };
std::uint64_t warp_collective(WarpOp op, unsigned mask, std::uint64_t value, int arg, int width,
                              const CallSite& site);

template <typename T>
T shuffle(WarpOp op, unsigned mask, T value, int arg, int width, const CallSite& site) {
  static_assert(sizeof(T) <= 8 && std::is_trivially_copyable_v<T>, "shuffle of an 8-byte-or-smaller value");
  std::uint64_t raw = 0;
  std::memcpy(&raw, &value, sizeof(T));
  raw = warp_collective(op, mask, raw, arg, width, site);
  T out;
  std::memcpy(&out, &raw, sizeof(T));
  return out;
}

struct LaunchConfig {
  const char* kernel;
  dim3 grid, block;
  std::size_t dynamic_shared_bytes;
  CUstream_st* stream;
};
// Validates the configuration as the CUDA runtime does (the error goes to cudaGetLastError),
// then runs body once per GPU thread with current() set.
void run_grid(const LaunchConfig& config, const std::function<void()>& body);

// kernel<<<grid, block, shmem, stream>>>(args...): the arguments are copied once, as into a
// GPU's parameter space, and every thread calls the kernel with them.
template <typename... Params, typename... Args>
void launch(const char* name, void (*kernel)(Params...), dim3 grid, dim3 block, std::size_t shmem,
            CUstream_st* stream, Args&&... args) {
  static_assert(sizeof...(Params) == sizeof...(Args), "kernel launched with the wrong number of arguments");
  const std::tuple<std::decay_t<Params>...> params(std::forward<Args>(args)...);
  run_grid({name, grid, block, shmem, stream}, [&] { std::apply(kernel, params); });
}

}  // namespace gtzan_emu

#define threadIdx (::gtzan_emu::current().thread_idx)
#define blockIdx (::gtzan_emu::current().block_idx)
#define blockDim (::gtzan_emu::current().block_dim)
#define gridDim (::gtzan_emu::current().grid_dim)
inline constexpr int warpSize = 32;

// Barriers and warp collectives are told apart by their source line (a macro passes it): all
// threads of a block must wait at the same __syncthreads(), all lanes of a mask at the same
// shuffle. (A return address would not do: the optimiser duplicates calls into branches.)
#define GTZAN_EMU_SITE (::gtzan_emu::CallSite{__FILE__, __LINE__})

#define __syncthreads() ::gtzan_emu::syncthreads(GTZAN_EMU_SITE)
#define __shfl_down_sync(...) ::gtzan_emu::shfl_down_sync(GTZAN_EMU_SITE, __VA_ARGS__)
#define __shfl_up_sync(...) ::gtzan_emu::shfl_up_sync(GTZAN_EMU_SITE, __VA_ARGS__)
#define __shfl_xor_sync(...) ::gtzan_emu::shfl_xor_sync(GTZAN_EMU_SITE, __VA_ARGS__)
#define __shfl_sync(...) ::gtzan_emu::shfl_sync(GTZAN_EMU_SITE, __VA_ARGS__)
#define __ballot_sync(...) ::gtzan_emu::ballot_sync(GTZAN_EMU_SITE, __VA_ARGS__)

namespace gtzan_emu {
template <typename T>
T shfl_down_sync(CallSite site, unsigned mask, T value, unsigned delta, int width = 32) {
  return shuffle(WarpOp::ShflDown, mask, value, static_cast<int>(delta), width, site);
}
template <typename T>
T shfl_up_sync(CallSite site, unsigned mask, T value, unsigned delta, int width = 32) {
  return shuffle(WarpOp::ShflUp, mask, value, static_cast<int>(delta), width, site);
}
template <typename T>
T shfl_xor_sync(CallSite site, unsigned mask, T value, int lane_mask, int width = 32) {
  return shuffle(WarpOp::ShflXor, mask, value, lane_mask, width, site);
}
template <typename T>
T shfl_sync(CallSite site, unsigned mask, T value, int src_lane, int width = 32) {
  return shuffle(WarpOp::ShflIdx, mask, value, src_lane, width, site);
}
inline unsigned ballot_sync(CallSite site, unsigned mask, int predicate) {
  return static_cast<unsigned>(warp_collective(WarpOp::Ballot, mask, predicate ? 1u : 0u, 0, 32, site));
}
}  // namespace gtzan_emu

inline int __popc(unsigned x) { return std::popcount(x); }
inline int __popcll(unsigned long long x) { return std::popcount(x); }

// Correctly rounded arithmetic without contraction: the emulated build compiles with
// -ffp-contract=off, so a plain operator is one IEEE operation, as the _rn intrinsics are.
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return std::sqrt(a); }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __ddiv_rn(double a, double b) { return a / b; }
inline double __dsqrt_rn(double a) { return std::sqrt(a); }
inline float __int_as_float(int i) { return std::bit_cast<float>(i); }
inline int __float_as_int(float f) { return std::bit_cast<int>(f); }

// cos(pi x) and sin(pi x) as CUDA's math library offers them: the argument is reduced exactly
// (fmod and the subtractions below are exact), so large or half-integer x lose nothing to pi's
// rounding.
inline double cospi(double x) {
  double r = std::fmod(std::fabs(x), 2.0);
  if (r > 1.0) r = 2.0 - r;  // cos(pi r) for r in [0, 1]
  if (r == 0.5) return 0.0;
  const bool negate = r > 0.5;
  if (negate) r = 1.0 - r;
  const double v = r <= 0.25 ? std::cos(M_PI * r) : std::sin(M_PI * (0.5 - r));
  return negate ? -v : v;
}
inline double sinpi(double x) { return cospi(x - 0.5); }
inline float cospif(float x) { return static_cast<float>(cospi(x)); }
inline float sinpif(float x) { return static_cast<float>(sinpi(x)); }

// CUDA's global min/max overloads for arithmetic types (device code calls them unqualified).
template <typename A, typename B>
  requires(std::is_arithmetic_v<A> && std::is_arithmetic_v<B>)
constexpr std::common_type_t<A, B> min(A a, B b) {
  using C = std::common_type_t<A, B>;
  return static_cast<C>(b) < static_cast<C>(a) ? static_cast<C>(b) : static_cast<C>(a);
}
template <typename A, typename B>
  requires(std::is_arithmetic_v<A> && std::is_arithmetic_v<B>)
constexpr std::common_type_t<A, B> max(A a, B b) {
  using C = std::common_type_t<A, B>;
  return static_cast<C>(a) < static_cast<C>(b) ? static_cast<C>(b) : static_cast<C>(a);
}

// `extern __shared__ T name[];` has no g++ spelling: kernels declare dynamic shared memory with
// GTZAN_DYNAMIC_SHARED(T, name) (kernels/launch.cuh), which lands here.
#define GTZAN_EMU_DYNAMIC_SHARED(T, name) T* name = static_cast<T*>(::gtzan_emu::current().dynamic_shared)
