#pragma once
// Emulated cuBLAS (GTZAN_CUDA=EMULATE): the subset of NVIDIA's cuBLAS v2 API that gtzan uses,
// with NVIDIA's types, enum values and signatures, computed on the CPU through OpenBLAS
// (cuda/emulation/src/cublas.cpp).
//
// Semantics follow the cuBLAS documentation: column-major matrices, C = alpha op(A) op(B) +
// beta C with op(A) m x k, op(B) k x n, C m x n and leading dimensions lda/ldb/ldc; when beta is
// 0, C is not read (it may hold NaN). alpha and beta are host pointers in
// CUBLAS_POINTER_MODE_HOST (the default) and device pointers in CUBLAS_POINTER_MODE_DEVICE.
// A, B and C must be device memory: anything else is what a GPU would fault on, so the
// emulation aborts with a message naming the call (gtzan_emu::fail).
//
// NVIDIA's header maps cublasCreate to cublasCreate_v2 and so on with macros; here the
// functions carry the documented names directly, which callers cannot tell apart.
#include <cuda_runtime.h>

#include "cuComplex.h"

enum cublasStatus_t : int {
  CUBLAS_STATUS_SUCCESS = 0,
  CUBLAS_STATUS_NOT_INITIALIZED = 1,
  CUBLAS_STATUS_ALLOC_FAILED = 3,
  CUBLAS_STATUS_INVALID_VALUE = 7,
  CUBLAS_STATUS_ARCH_MISMATCH = 8,
  CUBLAS_STATUS_MAPPING_ERROR = 11,
  CUBLAS_STATUS_EXECUTION_FAILED = 13,
  CUBLAS_STATUS_INTERNAL_ERROR = 14,
  CUBLAS_STATUS_NOT_SUPPORTED = 15,
  CUBLAS_STATUS_LICENSE_ERROR = 16,
};

enum cublasOperation_t : int {
  CUBLAS_OP_N = 0,
  CUBLAS_OP_T = 1,
  CUBLAS_OP_C = 2,  // conjugate transpose: the same as CUBLAS_OP_T for real matrices
  CUBLAS_OP_HERMITAN = 2,
};

enum cublasPointerMode_t : int {
  CUBLAS_POINTER_MODE_HOST = 0,
  CUBLAS_POINTER_MODE_DEVICE = 1,
};

// The emulation accepts every mode but always computes in full FP32/FP64, which is what
// CUBLAS_DEFAULT_MATH (gtzan's choice) and CUBLAS_PEDANTIC_MATH promise; a GPU in a TF32 or
// emulated mode would round inputs and could give different (less accurate) results.
enum cublasMath_t : int {
  CUBLAS_DEFAULT_MATH = 0,
  CUBLAS_TENSOR_OP_MATH = 1,
  CUBLAS_PEDANTIC_MATH = 2,
  CUBLAS_TF32_TENSOR_OP_MATH = 3,
  CUBLAS_FP32_EMULATED_BF16X9_MATH = 4,
  CUBLAS_FP64_EMULATED_FIXEDPOINT_MATH = 8,
  CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION = 16,
};

struct cublasContext;
using cublasHandle_t = cublasContext*;

cublasStatus_t cublasCreate(cublasHandle_t* handle);
cublasStatus_t cublasDestroy(cublasHandle_t handle);
cublasStatus_t cublasSetStream(cublasHandle_t handle, cudaStream_t streamId);
cublasStatus_t cublasGetStream(cublasHandle_t handle, cudaStream_t* streamId);
cublasStatus_t cublasSetPointerMode(cublasHandle_t handle, cublasPointerMode_t mode);
cublasStatus_t cublasGetPointerMode(cublasHandle_t handle, cublasPointerMode_t* mode);
cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode);
cublasStatus_t cublasGetMathMode(cublasHandle_t handle, cublasMath_t* mode);

// "CUBLAS_STATUS_SUCCESS" and so on; a sentence describing the status.
const char* cublasGetStatusName(cublasStatus_t status);
const char* cublasGetStatusString(cublasStatus_t status);

cublasStatus_t cublasSgemm(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                           int m, int n, int k, const float* alpha, const float* A, int lda,
                           const float* B, int ldb, const float* beta, float* C, int ldc);
cublasStatus_t cublasDgemm(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                           int m, int n, int k, const double* alpha, const double* A, int lda,
                           const double* B, int ldb, const double* beta, double* C, int ldc);
