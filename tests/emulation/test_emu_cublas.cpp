// The emulated cuBLAS (cuda/emulation/src/cublas.cpp) against the cuBLAS documentation: GEMM
// results are compared with a plain triple loop written from the documented definition,
//   C[i + j ldc] = alpha sum_l op(A)(i, l) op(B)(l, j) + beta C[i + j ldc]   (column-major),
//   op(A)(i, l) = A[i + l lda] for CUBLAS_OP_N, A[l + i lda] for CUBLAS_OP_T / CUBLAS_OP_C,
// evaluated in long double, and with the documented CUBLAS_STATUS_INVALID_VALUE conditions.
//
// Tolerance (why): the classic GEMM error bound (Higham, Accuracy and Stability, 3.5) is
// |fl(C) - C| <= gamma_{k+2} (|alpha| sum_l |op(A)(i,l)| |op(B)(l,j)| + |beta| |C(i,j)|) with
// gamma_m ~ m u; any summation order (OpenBLAS's or a GPU's) satisfies it, while a wrong index
// or transpose misses by O(1) of the bound.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include "emu_test_util.hpp"

namespace {

using gtzan::emu_test::ChildOutcome;
using gtzan::emu_test::DeviceArray;
using gtzan::emu_test::run_in_child;


// A handle that is destroyed at the end of the test.
struct Handle {
  cublasHandle_t h = nullptr;
  Handle() { REQUIRE(cublasCreate(&h) == CUBLAS_STATUS_SUCCESS); }
  ~Handle() { cublasDestroy(h); }
};

cublasStatus_t gemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                    const float* alpha, const float* A, int lda, const float* B, int ldb, const float* beta,
                    float* C, int ldc) {
  return cublasSgemm(h, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
cublasStatus_t gemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                    const double* alpha, const double* A, int lda, const double* B, int ldb,
                    const double* beta, double* C, int ldc) {
  return cublasDgemm(h, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

template <typename T>
std::vector<T> random_values(std::size_t count, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::vector<T> v(count);
  for (T& x : v) x = static_cast<T>(uniform(rng));
  return v;
}

// One GEMM problem laid out as cuBLAS documents: A stored rows_a x cols_a with lda, etc.
// Padding rows of A and B hold NaN (they must never be read); padding rows of C hold a
// sentinel (they must never be written).
template <typename T>
struct Problem {
  cublasOperation_t ta, tb;
  int m, n, k, lda, ldb, ldc;
  T alpha, beta;
  std::vector<T> A, B, C;
  static constexpr T kSentinel = T(777);

  int rows_a() const { return ta == CUBLAS_OP_N ? m : k; }
  int cols_a() const { return ta == CUBLAS_OP_N ? k : m; }
  int rows_b() const { return tb == CUBLAS_OP_N ? k : n; }
  int cols_b() const { return tb == CUBLAS_OP_N ? n : k; }

  Problem(cublasOperation_t ta_, cublasOperation_t tb_, int m_, int n_, int k_, int pad, T alpha_, T beta_,
          unsigned seed)
      : ta(ta_), tb(tb_), m(m_), n(n_), k(k_), alpha(alpha_), beta(beta_) {
    lda = rows_a() + pad;
    ldb = rows_b() + pad + 1;
    ldc = m + pad + 2;
    A = padded(rows_a(), cols_a(), lda, std::numeric_limits<T>::quiet_NaN(), seed);
    B = padded(rows_b(), cols_b(), ldb, std::numeric_limits<T>::quiet_NaN(), seed + 1);
    C = padded(m, n, ldc, kSentinel, seed + 2);
  }
  static std::vector<T> padded(int rows, int cols, int ld, T filler, unsigned seed) {
    std::vector<T> v(static_cast<std::size_t>(std::max(ld * cols, 1)), filler);
    const std::vector<T> r = random_values<T>(static_cast<std::size_t>(rows) * cols, seed);
    for (int j = 0; j < cols; ++j)
      for (int i = 0; i < rows; ++i) v[i + static_cast<std::size_t>(j) * ld] = r[i + static_cast<std::size_t>(j) * rows];
    return v;
  }
  long double op_a(int i, int l) const { return ta == CUBLAS_OP_N ? A[i + l * lda] : A[l + i * lda]; }
  long double op_b(int l, int j) const { return tb == CUBLAS_OP_N ? B[l + j * ldb] : B[j + l * ldb]; }

  // Runs cuBLAS and checks every element of C (padding included) against the definition.
  void run_and_check(cublasHandle_t h) const {
    DeviceArray<T> dA(A), dB(B), dC(C);
    REQUIRE(gemm(h, ta, tb, m, n, k, &alpha, dA.data(), lda, dB.data(), ldb, &beta, dC.data(), ldc) ==
            CUBLAS_STATUS_SUCCESS);
    const std::vector<T> got = dC.download();
    const long double u = std::numeric_limits<T>::epsilon() / 2;
    for (int j = 0; j < n; ++j) {
      for (int i = 0; i < ldc; ++i) {
        const T value = got[i + static_cast<std::size_t>(j) * ldc];
        if (i >= m) {
          CHECK(value == kSentinel);
          continue;
        }
        long double sum = 0, magnitude = 0;
        for (int l = 0; l < k; ++l) {
          sum += op_a(i, l) * op_b(l, j);
          magnitude += std::abs(op_a(i, l) * op_b(l, j));
        }
        const long double c0 = C[i + static_cast<std::size_t>(j) * ldc];
        const long double want = alpha * sum + (beta == T(0) ? 0.0L : beta * c0);
        const long double bound =
            (k + 2) * u * (std::abs(alpha) * magnitude + (beta == T(0) ? 0.0L : std::abs(beta * c0)));
        INFO("C(" << i << ", " << j << ")");
        CHECK(std::abs(value - want) <= bound + std::numeric_limits<T>::min());
      }
    }
  }
};

constexpr cublasOperation_t kOps[] = {CUBLAS_OP_N, CUBLAS_OP_T, CUBLAS_OP_C};


}  // namespace

TEMPLATE_TEST_CASE("emulated cuBLAS: gemm matches the definition for every transpose combination",
                   "[emulation][cublas]", float, double) {
  Handle handle;
  unsigned seed = 1;
  for (cublasOperation_t ta : kOps)
    for (cublasOperation_t tb : kOps) {
      INFO("transa " << ta << ", transb " << tb);
      // Non-square, padded leading dimensions, alpha != 1 and beta != 0.
      Problem<TestType>(ta, tb, 5, 4, 3, 2, TestType(1.5), TestType(-0.75), seed++).run_and_check(handle.h);
      // Large enough for OpenBLAS's blocked kernels, with lda > rows.
      Problem<TestType>(ta, tb, 67, 45, 130, 3, TestType(-0.5), TestType(2), seed++).run_and_check(handle.h);
    }
}

TEMPLATE_TEST_CASE("emulated cuBLAS: beta = 0 overwrites C without reading it, k = 0 scales C",
                   "[emulation][cublas]", float, double) {
  Handle handle;
  SECTION("beta = 0 with NaN in C") {
    Problem<TestType> p(CUBLAS_OP_N, CUBLAS_OP_T, 6, 5, 4, 1, TestType(1), TestType(0), 11);
    for (int j = 0; j < p.n; ++j)
      for (int i = 0; i < p.m; ++i) p.C[i + j * p.ldc] = std::numeric_limits<TestType>::quiet_NaN();
    p.run_and_check(handle.h);  // the reference ignores C when beta == 0
  }
  SECTION("k = 0") {
    Problem<TestType>(CUBLAS_OP_N, CUBLAS_OP_N, 4, 3, 0, 1, TestType(3), TestType(0.5), 12).run_and_check(handle.h);
    Problem<TestType>(CUBLAS_OP_T, CUBLAS_OP_N, 4, 3, 0, 1, TestType(3), TestType(0), 13).run_and_check(handle.h);
  }
  SECTION("m = 0 or n = 0 is a successful no-op") {
    const TestType one = 1;
    CHECK(gemm(handle.h, CUBLAS_OP_N, CUBLAS_OP_N, 0, 3, 2, &one, static_cast<TestType*>(nullptr), 1,
               static_cast<TestType*>(nullptr), 2, &one, static_cast<TestType*>(nullptr), 1) ==
          CUBLAS_STATUS_SUCCESS);
    CHECK(gemm(handle.h, CUBLAS_OP_N, CUBLAS_OP_N, 3, 0, 2, &one, static_cast<TestType*>(nullptr), 3,
               static_cast<TestType*>(nullptr), 2, &one, static_cast<TestType*>(nullptr), 3) ==
          CUBLAS_STATUS_SUCCESS);
  }
}

TEST_CASE("emulated cuBLAS: a row-major product through swapped operands (gtzan's mapping)",
          "[emulation][cublas]") {
  // Row-major C[m x n] = A[m x k] B[k x n] is column-major C^T = B^T A^T: the same buffers, with
  // operands swapped and m <-> n (cuda/engine/engine_backend.cpp, cuda/nodes_spectral.cu).
  const int m = 3, n = 4, k = 5;
  const std::vector<float> A = random_values<float>(m * k, 21), B = random_values<float>(k * n, 22);
  DeviceArray<float> dA(A), dB(B), dC(m * n);
  Handle handle;
  const float one = 1, zero = 0;
  REQUIRE(cublasSgemm(handle.h, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, &one, dB.data(), n, dA.data(), k, &zero,
                      dC.data(), n) == CUBLAS_STATUS_SUCCESS);
  const std::vector<float> C = dC.download();
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      long double want = 0, magnitude = 0;
      for (int l = 0; l < k; ++l) {
        want += static_cast<long double>(A[i * k + l]) * B[l * n + j];
        magnitude += std::abs(static_cast<long double>(A[i * k + l]) * B[l * n + j]);
      }
      CHECK(std::abs(C[i * n + j] - want) <= (k + 2) * 6e-8L * magnitude);
    }
}

TEST_CASE("emulated cuBLAS: alpha and beta in device memory with CUBLAS_POINTER_MODE_DEVICE",
          "[emulation][cublas]") {
  Handle handle;
  REQUIRE(cublasSetPointerMode(handle.h, CUBLAS_POINTER_MODE_DEVICE) == CUBLAS_STATUS_SUCCESS);
  const std::vector<double> A = {1, 2, 3, 4}, B = {5, 6, 7, 8}, C = {1, 1, 1, 1};
  DeviceArray<double> dA(A), dB(B), dC(C), scalars(std::vector<double>{2.0, 10.0});
  REQUIRE(cublasDgemm(handle.h, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 2, scalars.data(), dA.data(), 2, dB.data(), 2,
                      scalars.data() + 1, dC.data(), 2) == CUBLAS_STATUS_SUCCESS);
  // Column-major A = [1 3; 2 4], B = [5 7; 6 8]: A B = [23 31; 34 46]; 2 A B + 10.
  CHECK(dC.download() == std::vector<double>{56, 78, 72, 102});
}

TEST_CASE("emulated cuBLAS: the documented CUBLAS_STATUS_INVALID_VALUE conditions", "[emulation][cublas]") {
  Handle handle;
  DeviceArray<float> A(64), B(64), C(64);
  const float one = 1;
  auto call = [&](cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k, int lda, int ldb, int ldc,
                  const float* alpha = nullptr, const float* beta = nullptr, bool null_scalars = false) {
    if (!null_scalars) {
      alpha = alpha ? alpha : &one;
      beta = beta ? beta : &one;
    }
    return cublasSgemm(handle.h, ta, tb, m, n, k, alpha, A.data(), lda, B.data(), ldb, beta, C.data(), ldc);
  };
  const auto N = CUBLAS_OP_N, T = CUBLAS_OP_T;
  CHECK(call(N, N, 4, 3, 2, 4, 2, 4) == CUBLAS_STATUS_SUCCESS);  // the valid baseline
  CHECK(call(N, N, -1, 3, 2, 4, 2, 4) == CUBLAS_STATUS_INVALID_VALUE);
  CHECK(call(N, N, 4, -1, 2, 4, 2, 4) == CUBLAS_STATUS_INVALID_VALUE);
  CHECK(call(N, N, 4, 3, -1, 4, 2, 4) == CUBLAS_STATUS_INVALID_VALUE);
  CHECK(call(static_cast<cublasOperation_t>(7), N, 4, 3, 2, 4, 2, 4) == CUBLAS_STATUS_INVALID_VALUE);
  CHECK(call(N, static_cast<cublasOperation_t>(-1), 4, 3, 2, 4, 2, 4) == CUBLAS_STATUS_INVALID_VALUE);
  CHECK(call(N, N, 4, 3, 2, 3, 2, 4) == CUBLAS_STATUS_INVALID_VALUE);  // lda < m for op N
  CHECK(call(T, N, 4, 3, 2, 2, 2, 4) == CUBLAS_STATUS_SUCCESS);        // lda >= k suffices for op T
  CHECK(call(T, N, 4, 3, 2, 1, 2, 4) == CUBLAS_STATUS_INVALID_VALUE);  // lda < k for op T
  CHECK(call(N, N, 4, 3, 2, 4, 1, 4) == CUBLAS_STATUS_INVALID_VALUE);  // ldb < k for op N
  CHECK(call(N, T, 4, 3, 2, 4, 2, 4) == CUBLAS_STATUS_INVALID_VALUE);  // ldb < n for op T
  CHECK(call(N, N, 4, 3, 2, 4, 2, 3) == CUBLAS_STATUS_INVALID_VALUE);  // ldc < m
  CHECK(call(N, N, 0, 3, 2, 0, 2, 1) == CUBLAS_STATUS_INVALID_VALUE);  // lda < max(1, 0)
  CHECK(call(N, N, 4, 3, 2, 4, 2, 4, nullptr, &one, true) == CUBLAS_STATUS_INVALID_VALUE);
  CHECK(call(N, N, 4, 3, 2, 4, 2, 4, &one, nullptr, true) == CUBLAS_STATUS_INVALID_VALUE);
}

TEST_CASE("emulated cuBLAS: handles, settings and status strings", "[emulation][cublas]") {
  const float one = 1;
  CHECK(cublasCreate(nullptr) == CUBLAS_STATUS_INVALID_VALUE);
  CHECK(cublasSgemm(nullptr, CUBLAS_OP_N, CUBLAS_OP_N, 1, 1, 1, &one, nullptr, 1, nullptr, 1, &one, nullptr, 1) ==
        CUBLAS_STATUS_NOT_INITIALIZED);
  CHECK(cublasSetStream(nullptr, nullptr) == CUBLAS_STATUS_NOT_INITIALIZED);
  CHECK(cublasDestroy(nullptr) == CUBLAS_STATUS_NOT_INITIALIZED);

  Handle handle;
  cudaStream_t stream = nullptr;
  REQUIRE(cudaStreamCreate(&stream) == cudaSuccess);
  cudaStream_t got_stream = nullptr;
  CHECK(cublasSetStream(handle.h, stream) == CUBLAS_STATUS_SUCCESS);
  CHECK(cublasGetStream(handle.h, &got_stream) == CUBLAS_STATUS_SUCCESS);
  CHECK(got_stream == stream);
  CHECK(cublasSetStream(handle.h, nullptr) == CUBLAS_STATUS_SUCCESS);
  cudaStreamDestroy(stream);

  cublasMath_t math;
  CHECK(cublasGetMathMode(handle.h, &math) == CUBLAS_STATUS_SUCCESS);
  CHECK(math == CUBLAS_DEFAULT_MATH);  // the documented default
  CHECK(cublasSetMathMode(handle.h, static_cast<cublasMath_t>(CUBLAS_TF32_TENSOR_OP_MATH |
                                                             CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION)) ==
        CUBLAS_STATUS_SUCCESS);
  CHECK(cublasSetMathMode(handle.h, static_cast<cublasMath_t>(99)) == CUBLAS_STATUS_INVALID_VALUE);
  CHECK(cublasSetMathMode(handle.h, CUBLAS_DEFAULT_MATH) == CUBLAS_STATUS_SUCCESS);

  cublasPointerMode_t mode;
  CHECK(cublasGetPointerMode(handle.h, &mode) == CUBLAS_STATUS_SUCCESS);
  CHECK(mode == CUBLAS_POINTER_MODE_HOST);  // the documented default
  CHECK(cublasSetPointerMode(handle.h, static_cast<cublasPointerMode_t>(5)) == CUBLAS_STATUS_INVALID_VALUE);

  CHECK(std::string(cublasGetStatusName(CUBLAS_STATUS_ALLOC_FAILED)) == "CUBLAS_STATUS_ALLOC_FAILED");
  CHECK(std::string(cublasGetStatusName(CUBLAS_STATUS_SUCCESS)) == "CUBLAS_STATUS_SUCCESS");
  for (cublasStatus_t s : {CUBLAS_STATUS_SUCCESS, CUBLAS_STATUS_NOT_INITIALIZED, CUBLAS_STATUS_ALLOC_FAILED,
                           CUBLAS_STATUS_INVALID_VALUE, CUBLAS_STATUS_EXECUTION_FAILED,
                           CUBLAS_STATUS_NOT_SUPPORTED})
    CHECK(std::string(cublasGetStatusString(s)).size() > 3);
}

TEST_CASE("emulated cuBLAS: operands outside device memory abort as a GPU would fault",
          "[emulation][cublas]") {
  const float one = 1, zero = 0;
  std::vector<float> host(16, 1.0f);
  auto expect_abort = [](const std::function<void()>& body, const std::string& mentions) {
    const ChildOutcome outcome = run_in_child(body);
    INFO("child's stderr: " << outcome.stderr_text);
    CHECK(outcome.aborted);
    CHECK(outcome.stderr_text.find(mentions) != std::string::npos);
  };
  expect_abort(
      [&] {
        Handle handle;
        DeviceArray<float> B(16), C(16);
        cublasSgemm(handle.h, CUBLAS_OP_N, CUBLAS_OP_N, 4, 4, 4, &one, host.data(), 4, B.data(), 4, &zero,
                    C.data(), 4);
      },
      "cublasSgemm: A");
  expect_abort(
      [&] {
        Handle handle;
        DeviceArray<float> A(16), B(16);
        cublasSgemm(handle.h, CUBLAS_OP_N, CUBLAS_OP_N, 4, 4, 4, &one, A.data(), 4, B.data(), 4, &zero,
                    host.data(), 4);
      },
      "cublasSgemm: C");
  expect_abort(
      [&] {  // B is 16 floats, but ldb 8 makes the 4 x 4 matrix span 28
        Handle handle;
        DeviceArray<float> A(16), B(16), C(16);
        cublasSgemm(handle.h, CUBLAS_OP_N, CUBLAS_OP_N, 4, 4, 4, &one, A.data(), 4, B.data(), 8, &zero, C.data(),
                    4);
      },
      "cublasSgemm: B");
  expect_abort(
      [&] {  // alpha on the device while the pointer mode says host
        Handle handle;
        DeviceArray<double> A(4), B(4), C(4), alpha(std::vector<double>{1.0});
        const double beta = 0;
        cublasDgemm(handle.h, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 2, alpha.data(), A.data(), 2, B.data(), 2, &beta,
                    C.data(), 2);
      },
      "cublasDgemm: alpha");
  expect_abort(
      [&] {  // a destroyed handle
        cublasHandle_t h = nullptr;
        cublasCreate(&h);
        cublasDestroy(h);
        cublasSetStream(h, nullptr);
      },
      "not a live cuBLAS handle");
}
