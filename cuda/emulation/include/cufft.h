#pragma once
// Emulated cuFFT (GTZAN_CUDA=EMULATE): the subset of NVIDIA's cuFFT API that gtzan uses, with
// NVIDIA's types, enum values and signatures, computed on the CPU (cuda/emulation/src/cufft.cpp).
//
// Semantics follow the cuFFT documentation:
//  - forward = exp(-2*pi*i*j*k/n), inverse = exp(+2*pi*i*j*k/n), no scaling in either direction;
//  - R2C/D2Z of n reals gives the n/2+1 non-redundant coefficients; C2R/Z2D takes them back and
//    does NOT preserve its input (the emulation overwrites it with NaN on purpose);
//  - cufftPlanMany: inembed or onembed NULL means the basic (packed) layout and istride, idist,
//    ostride, odist are ignored; otherwise element x of batch b is at b*dist + x*stride.
// Only rank-1 transforms are implemented; ranks 2 and 3 answer CUFFT_NOT_IMPLEMENTED.
// Plans reserve a work area of emulated device memory, so the emulator's memory cap
// (GTZAN_EMU_MEMORY) surfaces as CUFFT_ALLOC_FAILED, and exec checks that its pointers lie in
// device memory, as a GPU would fault otherwise.
#include <cstddef>

#include <cuda_runtime.h>

#include "cuComplex.h"

#define CUFFT_VER_MAJOR 12
#define CUFFT_VER_MINOR 0
#define CUFFT_VER_PATCH 0
#define CUFFT_VERSION 12000

enum cufftResult_t : int {
  CUFFT_SUCCESS = 0x0,
  CUFFT_INVALID_PLAN = 0x1,
  CUFFT_ALLOC_FAILED = 0x2,
  CUFFT_INVALID_TYPE = 0x3,
  CUFFT_INVALID_VALUE = 0x4,
  CUFFT_INTERNAL_ERROR = 0x5,
  CUFFT_EXEC_FAILED = 0x6,
  CUFFT_SETUP_FAILED = 0x7,
  CUFFT_INVALID_SIZE = 0x8,
  CUFFT_UNALIGNED_DATA = 0x9,
  CUFFT_INVALID_DEVICE = 0xB,
  CUFFT_NO_WORKSPACE = 0xD,
  CUFFT_NOT_IMPLEMENTED = 0xE,
  CUFFT_NOT_SUPPORTED = 0x10,
};
using cufftResult = cufftResult_t;

using cufftReal = float;
using cufftDoubleReal = double;
using cufftComplex = cuComplex;
using cufftDoubleComplex = cuDoubleComplex;

#define CUFFT_FORWARD -1
#define CUFFT_INVERSE 1

enum cufftType_t : int {
  CUFFT_R2C = 0x2a,  // float real -> float complex
  CUFFT_C2R = 0x2c,  // float complex (Hermitian half) -> float real
  CUFFT_C2C = 0x29,
  CUFFT_D2Z = 0x6a,  // double real -> double complex
  CUFFT_Z2D = 0x6c,
  CUFFT_Z2Z = 0x69,
};
using cufftType = cufftType_t;

using cufftHandle = int;
// A handle value that was never a plan; cufftDestroy accepts it as a no-op.
#define CUFFT_PLAN_NULL -1

cufftResult cufftPlan1d(cufftHandle* plan, int nx, cufftType type, int batch);
cufftResult cufftPlanMany(cufftHandle* plan, int rank, int* n, int* inembed, int istride, int idist,
                          int* onembed, int ostride, int odist, cufftType type, int batch);
// The bytes of emulated device memory the plan reserved as its work area.
cufftResult cufftGetSize(cufftHandle plan, std::size_t* workSize);

cufftResult cufftExecC2C(cufftHandle plan, cufftComplex* idata, cufftComplex* odata, int direction);
cufftResult cufftExecR2C(cufftHandle plan, cufftReal* idata, cufftComplex* odata);
cufftResult cufftExecC2R(cufftHandle plan, cufftComplex* idata, cufftReal* odata);
cufftResult cufftExecZ2Z(cufftHandle plan, cufftDoubleComplex* idata, cufftDoubleComplex* odata,
                         int direction);
cufftResult cufftExecD2Z(cufftHandle plan, cufftDoubleReal* idata, cufftDoubleComplex* odata);
cufftResult cufftExecZ2D(cufftHandle plan, cufftDoubleComplex* idata, cufftDoubleReal* odata);

cufftResult cufftSetStream(cufftHandle plan, cudaStream_t stream);
cufftResult cufftDestroy(cufftHandle plan);
cufftResult cufftGetVersion(int* version);
