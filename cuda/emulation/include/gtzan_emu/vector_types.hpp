#pragma once
// Emulated CUDA (GTZAN_CUDA=EMULATE): the two vector types gtzan touches, float2 and double2,
// with their make_ functions. Their layout follows NVIDIA's vector_types.h: two members x, y and
// an alignment of the whole pair (8 bytes for float2, 16 for double2), so arrays of them, and
// structs that contain them, are laid out as on a GPU, and cuFFT's complex types (typedefs of
// these) can be read as interleaved real/imaginary arrays.
//
// Included by cuComplex.h (and so by cufft.h and cublas_v2.h); cuda_runtime.h should include
// it too, as NVIDIA's does, so that kernels see float2 without a library header.
//
// Plain inline functions: in the emulation a __device__ function is an ordinary C++ function,
// so one definition serves host and device code.

struct alignas(8) float2 {
  float x, y;
};

struct alignas(16) double2 {
  double x, y;
};

static_assert(sizeof(float2) == 8 && alignof(float2) == 8, "float2 must match CUDA's layout");
static_assert(sizeof(double2) == 16 && alignof(double2) == 16, "double2 must match CUDA's layout");

inline float2 make_float2(float x, float y) { return float2{x, y}; }
inline double2 make_double2(double x, double y) { return double2{x, y}; }
