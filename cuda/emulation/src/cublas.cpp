// Emulated cuBLAS (GTZAN_CUDA=EMULATE): handles and GEMM on the CPU through OpenBLAS's cblas,
// called column-major, which is cuBLAS's own convention, so arguments pass through unchanged
// once they have been validated the way the cuBLAS documentation lists.
//
// Results: OpenBLAS accumulates in a different order than a GPU's kernels, so float results
// agree with a GPU to rounding (a few ulps times k), not bit for bit.
// Standard and OpenBLAS headers come before <cublas_v2.h>: the emulated cuda_runtime.h defines
// CUDA's keyword macros (__noinline__, __shared__, ...), which must not reach library headers.
#include <cblas.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>

#include <cublas_v2.h>

#include "gtzan_emu/memory.hpp"

struct cublasContext {
  cudaStream_t stream = nullptr;
  cublasPointerMode_t pointer_mode = CUBLAS_POINTER_MODE_HOST;
  cublasMath_t math_mode = CUBLAS_DEFAULT_MATH;
  void* workspace = nullptr;
};

namespace {

// cuBLAS allocates its default workspace with the handle: 32 MiB on Hopper (the emulated
// device is an H100), per the cuBLAS documentation of cublasSetWorkspace. Reserving it here
// makes handles count against the emulator's memory cap, as on the GPU.
constexpr std::size_t kDefaultWorkspaceBytes = std::size_t{32} << 20;

struct HandleRegistry {
  std::mutex mutex;
  std::set<const cublasContext*> live;
};

HandleRegistry& registry() {
  static HandleRegistry r;
  return r;
}

void report(const std::string& what) {
  std::fprintf(stderr, "emulated cuBLAS: %s\n", what.c_str());
  std::fflush(stderr);
}

std::string address(const void* p) {
  char text[32];
  std::snprintf(text, sizeof text, "%p", p);
  return text;
}

// A null handle is the documented CUBLAS_STATUS_NOT_INITIALIZED; a non-null one that is not
// live (destroyed, or never created) is a use after free that a GPU build would crash on.
cublasStatus_t check_handle(const char* call, cublasHandle_t handle) {
  if (!handle) {
    report(std::string(call) + ": the handle is NULL (cublasCreate not called or failed)");
    return CUBLAS_STATUS_NOT_INITIALIZED;
  }
  HandleRegistry& r = registry();
  std::lock_guard lock(r.mutex);
  if (!r.live.count(handle))
    gtzan_emu::fail(std::string(call) + ": handle " + address(handle) +
                    " is not a live cuBLAS handle (destroyed, or never created)");
  return CUBLAS_STATUS_SUCCESS;
}

bool is_operation(cublasOperation_t op) { return op == CUBLAS_OP_N || op == CUBLAS_OP_T || op == CUBLAS_OP_C; }

CBLAS_TRANSPOSE to_cblas(cublasOperation_t op) {
  // For real matrices the conjugate transpose is the transpose.
  return op == CUBLAS_OP_N ? CblasNoTrans : CblasTrans;
}

cublasStatus_t invalid(const char* call, const std::string& why) {
  report(std::string(call) + ": " + why + " (CUBLAS_STATUS_INVALID_VALUE)");
  return CUBLAS_STATUS_INVALID_VALUE;
}

// A, B or C as stored: `rows` x `cols` column-major with leading dimension ld. The GPU would
// fault on anything that is not device memory, or that runs past the end of the allocation.
template <typename T>
void require_device_matrix(const char* call, const char* name, const T* p, long long rows,
                           long long cols, long long ld) {
  if (rows == 0 || cols == 0) return;  // nothing of it is read or written
  const long long elements = (cols - 1) * ld + rows;
  const std::size_t bytes = static_cast<std::size_t>(elements) * sizeof(T);
  if (!p || !gtzan_emu::is_device(p, bytes))
    gtzan_emu::fail(std::string(call) + ": " + name + " = " + address(p) + " (" + std::to_string(rows) +
                    " x " + std::to_string(cols) + ", ld " + std::to_string(ld) + ", " +
                    std::to_string(bytes) + " bytes) is not inside one device allocation");
}

// alpha/beta live where the pointer mode says; reading the wrong kind would fault (a device
// pointer dereferenced on the host, or a host pointer read by the kernel).
template <typename T>
T read_scalar(const char* call, const char* name, const T* p, cublasPointerMode_t mode) {
  const bool on_device = gtzan_emu::is_device(p, sizeof(T));
  if (mode == CUBLAS_POINTER_MODE_HOST && on_device)
    gtzan_emu::fail(std::string(call) + ": " + name + " = " + address(p) +
                    " is device memory, but the pointer mode is CUBLAS_POINTER_MODE_HOST");
  if (mode == CUBLAS_POINTER_MODE_DEVICE && !on_device)
    gtzan_emu::fail(std::string(call) + ": " + name + " = " + address(p) +
                    " is not device memory, but the pointer mode is CUBLAS_POINTER_MODE_DEVICE");
  return *p;
}

void cblas_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, float alpha, const float* A,
                int lda, const float* B, int ldb, float beta, float* C, int ldc) {
  cblas_sgemm(CblasColMajor, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
void cblas_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha, const double* A,
                int lda, const double* B, int ldb, double beta, double* C, int ldc) {
  cblas_dgemm(CblasColMajor, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

template <typename T>
cublasStatus_t gemm(const char* call, cublasHandle_t handle, cublasOperation_t transa,
                    cublasOperation_t transb, int m, int n, int k, const T* alpha, const T* A, int lda,
                    const T* B, int ldb, const T* beta, T* C, int ldc) {
  if (const cublasStatus_t s = check_handle(call, handle); s != CUBLAS_STATUS_SUCCESS) return s;
  // The documented CUBLAS_STATUS_INVALID_VALUE conditions, in the documentation's order.
  if (m < 0 || n < 0 || k < 0)
    return invalid(call, "m, n, k = " + std::to_string(m) + ", " + std::to_string(n) + ", " +
                             std::to_string(k) + " (must be >= 0)");
  if (!is_operation(transa) || !is_operation(transb))
    return invalid(call, "transa/transb must be CUBLAS_OP_N, CUBLAS_OP_T or CUBLAS_OP_C");
  // A is stored rows_a x cols_a, B rows_b x cols_b (before op()).
  const int rows_a = transa == CUBLAS_OP_N ? m : k, cols_a = transa == CUBLAS_OP_N ? k : m;
  const int rows_b = transb == CUBLAS_OP_N ? k : n, cols_b = transb == CUBLAS_OP_N ? n : k;
  if (lda < std::max(1, rows_a))
    return invalid(call, "lda = " + std::to_string(lda) + " < max(1, " + std::to_string(rows_a) +
                             "), the rows of A as stored");
  if (ldb < std::max(1, rows_b))
    return invalid(call, "ldb = " + std::to_string(ldb) + " < max(1, " + std::to_string(rows_b) +
                             "), the rows of B as stored");
  if (ldc < std::max(1, m))
    return invalid(call, "ldc = " + std::to_string(ldc) + " < max(1, m = " + std::to_string(m) + ")");
  if (!alpha || !beta) return invalid(call, "alpha and beta must not be NULL");
  if (m == 0 || n == 0) return CUBLAS_STATUS_SUCCESS;  // an empty C: nothing is read or written

  const T alpha_value = read_scalar(call, "alpha", alpha, handle->pointer_mode);
  const T beta_value = read_scalar(call, "beta", beta, handle->pointer_mode);
  // A and B are checked whenever k > 0, even when alpha == 0 lets BLAS skip reading them:
  // handing cuBLAS an invalid operand is a bug whatever alpha is.
  require_device_matrix(call, "A", A, rows_a, cols_a, lda);
  require_device_matrix(call, "B", B, rows_b, cols_b, ldb);
  require_device_matrix(call, "C", C, m, n, ldc);
  // OpenBLAS follows the BLAS rules cuBLAS documents: k == 0 or alpha == 0 scales C by beta,
  // and beta == 0 overwrites C without reading it.
  cblas_gemm(to_cblas(transa), to_cblas(transb), m, n, k, alpha_value, A, lda, B, ldb, beta_value, C, ldc);
  return CUBLAS_STATUS_SUCCESS;
}

}  // namespace

cublasStatus_t cublasCreate(cublasHandle_t* handle) {
  if (!handle) return CUBLAS_STATUS_INVALID_VALUE;
  auto* context = new cublasContext;
  context->workspace = gtzan_emu::allocate(kDefaultWorkspaceBytes, gtzan_emu::MemKind::Device);
  if (!context->workspace) {
    delete context;
    return CUBLAS_STATUS_ALLOC_FAILED;
  }
  HandleRegistry& r = registry();
  std::lock_guard lock(r.mutex);
  r.live.insert(context);
  *handle = context;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDestroy(cublasHandle_t handle) {
  if (const cublasStatus_t s = check_handle("cublasDestroy", handle); s != CUBLAS_STATUS_SUCCESS) return s;
  {
    HandleRegistry& r = registry();
    std::lock_guard lock(r.mutex);
    r.live.erase(handle);
  }
  gtzan_emu::release(handle->workspace, gtzan_emu::MemKind::Device);
  delete handle;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetStream(cublasHandle_t handle, cudaStream_t streamId) {
  if (const cublasStatus_t s = check_handle("cublasSetStream", handle); s != CUBLAS_STATUS_SUCCESS) return s;
  // Emulated streams run their work synchronously, in call order: the handle only records it.
  handle->stream = streamId;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasGetStream(cublasHandle_t handle, cudaStream_t* streamId) {
  if (const cublasStatus_t s = check_handle("cublasGetStream", handle); s != CUBLAS_STATUS_SUCCESS) return s;
  if (!streamId) return CUBLAS_STATUS_INVALID_VALUE;
  *streamId = handle->stream;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetPointerMode(cublasHandle_t handle, cublasPointerMode_t mode) {
  if (const cublasStatus_t s = check_handle("cublasSetPointerMode", handle); s != CUBLAS_STATUS_SUCCESS)
    return s;
  if (mode != CUBLAS_POINTER_MODE_HOST && mode != CUBLAS_POINTER_MODE_DEVICE)
    return invalid("cublasSetPointerMode", "unknown pointer mode " + std::to_string(static_cast<int>(mode)));
  handle->pointer_mode = mode;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasGetPointerMode(cublasHandle_t handle, cublasPointerMode_t* mode) {
  if (const cublasStatus_t s = check_handle("cublasGetPointerMode", handle); s != CUBLAS_STATUS_SUCCESS)
    return s;
  if (!mode) return CUBLAS_STATUS_INVALID_VALUE;
  *mode = handle->pointer_mode;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode) {
  if (const cublasStatus_t s = check_handle("cublasSetMathMode", handle); s != CUBLAS_STATUS_SUCCESS) return s;
  // A base mode, optionally combined with the DISALLOW_REDUCED_PRECISION_REDUCTION flag.
  const int base = static_cast<int>(mode) & ~static_cast<int>(CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION);
  if (base != CUBLAS_DEFAULT_MATH && base != CUBLAS_TENSOR_OP_MATH && base != CUBLAS_PEDANTIC_MATH &&
      base != CUBLAS_TF32_TENSOR_OP_MATH && base != CUBLAS_FP32_EMULATED_BF16X9_MATH &&
      base != CUBLAS_FP64_EMULATED_FIXEDPOINT_MATH)
    return invalid("cublasSetMathMode", "unknown math mode " + std::to_string(static_cast<int>(mode)));
  handle->math_mode = mode;  // recorded only: every mode computes in full precision here
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasGetMathMode(cublasHandle_t handle, cublasMath_t* mode) {
  if (const cublasStatus_t s = check_handle("cublasGetMathMode", handle); s != CUBLAS_STATUS_SUCCESS) return s;
  if (!mode) return CUBLAS_STATUS_INVALID_VALUE;
  *mode = handle->math_mode;
  return CUBLAS_STATUS_SUCCESS;
}

const char* cublasGetStatusName(cublasStatus_t status) {
  switch (status) {
    case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_ARCH_MISMATCH: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case CUBLAS_STATUS_MAPPING_ERROR: return "CUBLAS_STATUS_MAPPING_ERROR";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_INTERNAL_ERROR: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
    case CUBLAS_STATUS_LICENSE_ERROR: return "CUBLAS_STATUS_LICENSE_ERROR";
  }
  return "CUBLAS_STATUS_UNKNOWN";
}

const char* cublasGetStatusString(cublasStatus_t status) {
  switch (status) {
    case CUBLAS_STATUS_SUCCESS: return "success";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "the cuBLAS handle was not initialized";
    case CUBLAS_STATUS_ALLOC_FAILED: return "cuBLAS could not allocate device memory (out of memory)";
    case CUBLAS_STATUS_INVALID_VALUE: return "an invalid value was passed to a cuBLAS function";
    case CUBLAS_STATUS_ARCH_MISMATCH: return "the device does not support the requested feature";
    case CUBLAS_STATUS_MAPPING_ERROR: return "access to device memory failed";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "the cuBLAS kernel failed to execute";
    case CUBLAS_STATUS_INTERNAL_ERROR: return "an internal cuBLAS operation failed";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "the requested functionality is not supported";
    case CUBLAS_STATUS_LICENSE_ERROR: return "a license error";
  }
  return "an unknown cuBLAS status";
}

cublasStatus_t cublasSgemm(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                           int m, int n, int k, const float* alpha, const float* A, int lda,
                           const float* B, int ldb, const float* beta, float* C, int ldc) {
  return gemm("cublasSgemm", handle, transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

cublasStatus_t cublasDgemm(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                           int m, int n, int k, const double* alpha, const double* A, int lda,
                           const double* B, int ldb, const double* beta, double* C, int ldc) {
  return gemm("cublasDgemm", handle, transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
