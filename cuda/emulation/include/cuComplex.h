#pragma once
// Emulated CUDA (GTZAN_CUDA=EMULATE): the part of NVIDIA's cuComplex.h that gtzan uses
// (make_cuComplex, make_cuDoubleComplex) and its closest relatives. NVIDIA's cufft.h and
// cublas_api.h include cuComplex.h, so code that includes only <cufft.h> may call these.
//
// The complex types are float2/double2, exactly as NVIDIA defines them: kernels read .x (real)
// and .y (imaginary).
//
// Arithmetic note: a GPU build (nvcc --fmad=true, the default) may contract the products in
// cuCmulf/cuCmul into fused multiply-adds; the host compiler may not. Results can differ in the
// last bit, which is why gtzan's kernels spell their products with __fmul_rn/__fadd_rn.
// cuCdivf/cuCabsf are left out on purpose: NVIDIA uses particular scaled algorithms for them
// that a plain formula would not reproduce, and gtzan does not call them.
#include "gtzan_emu/vector_types.hpp"

using cuFloatComplex = float2;
using cuDoubleComplex = double2;
using cuComplex = cuFloatComplex;

// ---- single precision ----
inline float cuCrealf(cuFloatComplex z) { return z.x; }
inline float cuCimagf(cuFloatComplex z) { return z.y; }
inline cuFloatComplex make_cuFloatComplex(float re, float im) { return cuFloatComplex{re, im}; }
inline cuComplex make_cuComplex(float re, float im) { return cuComplex{re, im}; }
inline cuFloatComplex cuConjf(cuFloatComplex z) { return cuFloatComplex{z.x, -z.y}; }
inline cuFloatComplex cuCaddf(cuFloatComplex a, cuFloatComplex b) {
  return cuFloatComplex{a.x + b.x, a.y + b.y};
}
inline cuFloatComplex cuCsubf(cuFloatComplex a, cuFloatComplex b) {
  return cuFloatComplex{a.x - b.x, a.y - b.y};
}
inline cuFloatComplex cuCmulf(cuFloatComplex a, cuFloatComplex b) {
  return cuFloatComplex{a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x};
}

// ---- double precision ----
inline double cuCreal(cuDoubleComplex z) { return z.x; }
inline double cuCimag(cuDoubleComplex z) { return z.y; }
inline cuDoubleComplex make_cuDoubleComplex(double re, double im) { return cuDoubleComplex{re, im}; }
inline cuDoubleComplex cuConj(cuDoubleComplex z) { return cuDoubleComplex{z.x, -z.y}; }
inline cuDoubleComplex cuCadd(cuDoubleComplex a, cuDoubleComplex b) {
  return cuDoubleComplex{a.x + b.x, a.y + b.y};
}
inline cuDoubleComplex cuCsub(cuDoubleComplex a, cuDoubleComplex b) {
  return cuDoubleComplex{a.x - b.x, a.y - b.y};
}
inline cuDoubleComplex cuCmul(cuDoubleComplex a, cuDoubleComplex b) {
  return cuDoubleComplex{a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x};
}

// ---- conversions ----
inline cuDoubleComplex cuComplexFloatToDouble(cuFloatComplex z) {
  return cuDoubleComplex{static_cast<double>(z.x), static_cast<double>(z.y)};
}
inline cuFloatComplex cuComplexDoubleToFloat(cuDoubleComplex z) {
  return cuFloatComplex{static_cast<float>(z.x), static_cast<float>(z.y)};
}
