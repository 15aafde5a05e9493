// The training engine's CUDA backend: Backend<float> on GPU 0. Matrix products through cuBLAS
// (row-major calls mapped onto column-major by swapping the operands), Conv1D as im2col + one
// cuBLAS gemm per direction (as the CPU backend, which handles the asymmetric "same" padding of
// an even kernel for free), everything else in small kernels (kernels/engine_*.cu) that repeat
// the CPU backend's arithmetic. One stream (the legacy default stream), so host<->device copies
// order themselves after the kernels without explicit synchronisation. LSTM layers get cuDNN's
// whole-sequence RNN (cudnn_lstm.cpp) unless the step kernels were asked for.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include "backend/feature_backend.hpp"
#include "cuda_check.hpp"
#include "cudnn_lstm.hpp"
#include "device_buffer.hpp"
#include "engine/gpu_engine.hpp"
#include "engine_ops.cuh"

#define GTZAN_CUBLAS_CHECK(call)                                                              \
  do {                                                                                        \
    cublasStatus_t st_ = (call);                                                              \
    if (st_ != CUBLAS_STATUS_SUCCESS)                                                         \
      ::gtzan::cuda::throw_cuda(#call, __FILE__, __LINE__, cublasGetStatusString(st_));       \
  } while (0)

namespace gtzan::engine {
namespace {

namespace k = gtzan::kernels;
using gtzan::cuda::DeviceBuffer;

// A scratch buffer that only grows.
template <class T>
T* grow(DeviceBuffer<T>& b, std::size_t n) {
  if (b.size() < n) b = DeviceBuffer<T>(std::max<std::size_t>(n, 1));
  return b.data();
}

class CudaEngineBackend final : public Backend<float> {
 public:
  explicit CudaEngineBackend(bool cudnn_lstm) : cudnn_lstm_(cudnn_lstm) {
    GTZAN_CUBLAS_CHECK(cublasCreate(&blas_));
    GTZAN_CUBLAS_CHECK(cublasSetStream(blas_, stream_));
    // Plain FP32: the default math mode never rounds sgemm inputs to TF32.
    GTZAN_CUBLAS_CHECK(cublasSetMathMode(blas_, CUBLAS_DEFAULT_MATH));
    GTZAN_CUBLAS_CHECK(cublasSetPointerMode(blas_, CUBLAS_POINTER_MODE_HOST));
  }
  ~CudaEngineBackend() override {
    if (blas_) cublasDestroy(blas_);
  }
  CudaEngineBackend(const CudaEngineBackend&) = delete;
  CudaEngineBackend& operator=(const CudaEngineBackend&) = delete;

  Device device() const override { return Device::cuda; }
  std::string name() const override { return "cuda"; }

  // ---- memory ----
  std::shared_ptr<float> allocate(std::size_t n) override {
    // The RAII buffer owns the memory; the returned pointer aliases it (shared ownership).
    auto holder = std::make_shared<DeviceBuffer<float>>(std::max<std::size_t>(n, 1));
    float* p = holder->data();
    GTZAN_CUDA_CHECK(cudaMemsetAsync(p, 0, std::max<std::size_t>(n, 1) * sizeof(float), stream_));
    return std::shared_ptr<float>(std::move(holder), p);
  }
  void upload(const float* host, float* dst, std::size_t n) override {
    if (n) GTZAN_CUDA_CHECK(cudaMemcpy(dst, host, n * sizeof(float), cudaMemcpyHostToDevice));
  }
  void download(const float* src, float* host, std::size_t n) override {
    if (n) GTZAN_CUDA_CHECK(cudaMemcpy(host, src, n * sizeof(float), cudaMemcpyDeviceToHost));
  }
  void copy(const float* src, float* dst, std::size_t n) override {
    if (n && src != dst)
      GTZAN_CUDA_CHECK(cudaMemcpyAsync(dst, src, n * sizeof(float), cudaMemcpyDeviceToDevice, stream_));
  }
  void fill(float* dst, std::size_t n, float value) override {
    k::launch_engine_fill(dst, n, value, stream_);
    check();
  }

  // ---- dense algebra ----
  // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: the same buffers with the
  // same leading dimensions, operands swapped and m <-> n.
  void gemm(bool ta, bool tb, int m, int n, int kk, float alpha, const float* a, int lda,
            const float* b, int ldb, float beta, float* c, int ldc) override {
    if (m == 0 || n == 0) return;
    GTZAN_CUBLAS_CHECK(cublasSgemm(blas_, tb ? CUBLAS_OP_T : CUBLAS_OP_N, ta ? CUBLAS_OP_T : CUBLAS_OP_N,
                                   n, m, kk, &alpha, b, ldb, a, lda, &beta, c, ldc));
  }
  void add_row_bias(float* y, const float* bias, int rows, int cols) override {
    k::launch_engine_add_row_bias(y, bias, rows, cols, stream_);
    check();
  }
  void sum_rows(const float* x, float* out, int rows, int cols) override {
    k::launch_engine_sum_rows(x, out, rows, cols, stream_);
    check();
  }
  void mul(const float* a, const float* b, float* c, std::size_t n) override {
    k::launch_engine_mul(a, b, c, n, stream_);
    check();
  }
  void axpy(std::size_t n, float alpha, const float* x, float* y) override {
    k::launch_engine_axpy(n, alpha, x, y, stream_);
    check();
  }
  double sum(const float* x, std::size_t n) override {
    if (n == 0) return 0.0;
    double* d = grow(sum_, 1);
    k::launch_engine_sum(x, n, d, stream_);
    check();
    double h = 0;
    GTZAN_CUDA_CHECK(cudaMemcpy(&h, d, sizeof(double), cudaMemcpyDeviceToHost));
    return h;
  }
  void swap01(const float* x, float* y, int d0, int d1, int d2) override {
    k::launch_engine_swap01(x, y, d0, d1, d2, stream_);
    check();
  }

  // ---- activations ----
  void relu_forward(const float* x, float* y, std::size_t n) override {
    k::launch_engine_relu_forward(x, y, n, stream_);
    check();
  }
  void relu_backward(const float* y, const float* dy, float* dx, std::size_t n) override {
    k::launch_engine_relu_backward(y, dy, dx, n, stream_);
    check();
  }

  // ---- convolution and pooling ----
  void conv1d_forward(const Conv1dShape& s, const float* x, const float* w, const float* bias,
                      float* y) override {
    const int kc = s.kernel * s.cin;
    const int rows = s.batch * s.length;
    float* col = grow(col_, static_cast<std::size_t>(rows) * kc);
    k::launch_engine_im2col(x, col, s.batch, s.length, s.cin, s.kernel, s.pad_left, stream_);
    check();
    gemm(false, false, rows, s.cout, kc, 1.0f, col, kc, w, s.cout, 0.0f, y, s.cout);
    add_row_bias(y, bias, rows, s.cout);
  }
  void conv1d_backward(const Conv1dShape& s, const float* x, const float* w, const float* dy,
                       float* dx, float* dw, float* db) override {
    const int kc = s.kernel * s.cin;
    const int rows = s.batch * s.length;
    float* col = grow(col_, static_cast<std::size_t>(rows) * kc);
    k::launch_engine_im2col(x, col, s.batch, s.length, s.cin, s.kernel, s.pad_left, stream_);
    check();
    gemm(true, false, kc, s.cout, rows, 1.0f, col, kc, dy, s.cout, 0.0f, dw, s.cout);
    sum_rows(dy, db, rows, s.cout);
    if (!dx) return;
    float* dcol = grow(dcol_, static_cast<std::size_t>(rows) * kc);
    gemm(false, true, rows, kc, s.cout, 1.0f, dy, s.cout, w, s.cout, 0.0f, dcol, kc);
    k::launch_engine_col2im(dcol, dx, s.batch, s.length, s.cin, s.kernel, s.pad_left, stream_);
    check();
  }
  void maxpool1d_forward(int batch, int length, int ch, int pool, const float* x, float* y) override {
    k::launch_engine_maxpool_forward(batch, length, ch, pool, x, y, stream_);
    check();
  }
  void maxpool1d_backward(int batch, int length, int ch, int pool, const float* x, const float* y,
                          const float* dy, float* dx) override {
    k::launch_engine_maxpool_backward(batch, length, ch, pool, x, y, dy, dx, stream_);
    check();
  }

  // ---- regularisation and normalisation ----
  void dropout_forward(const float* x, float* y, float* scale, std::size_t n, double rate,
                       std::uint64_t seed, std::uint64_t offset) override {
    k::launch_engine_dropout(x, y, scale, n, rate, seed, offset, stream_);
    check();
  }
  void batchnorm_forward_train(int rows, int cols, const float* x, const float* gamma,
                               const float* beta, double eps, float* y, float* mean,
                               float* var) override {
    k::launch_engine_batchnorm_stats(rows, cols, x, mean, var, stream_);
    check();
    batchnorm_forward_infer(rows, cols, x, gamma, beta, mean, var, eps, y);
  }
  void batchnorm_forward_infer(int rows, int cols, const float* x, const float* gamma,
                               const float* beta, const float* mean, const float* var, double eps,
                               float* y) override {
    k::launch_engine_batchnorm_apply(rows, cols, x, gamma, beta, mean, var, eps, y, stream_);
    check();
  }
  void batchnorm_backward(int rows, int cols, const float* x, const float* gamma, const float* mean,
                          const float* var, double eps, const float* dy, float* dx, float* dgamma,
                          float* dbeta) override {
    double* work = grow(bn_work_, 2 * static_cast<std::size_t>(cols));
    k::launch_engine_batchnorm_backward(rows, cols, x, gamma, mean, var, eps, dy, dx, dgamma, dbeta,
                                        work, stream_);
    check();
  }
  void moving_average(float* moving, const float* batch, std::size_t n, double momentum) override {
    k::launch_engine_moving_average(moving, batch, n, momentum, stream_);
    check();
  }

  // ---- masking and recurrent cells ----
  void masking_forward(int rows, int cols, const float* x, float* y, float* mask) override {
    k::launch_engine_masking(rows, cols, x, mask, stream_);
    check();
    row_scale(rows, cols, x, mask, y);
  }
  void row_scale(int rows, int cols, const float* x, const float* s, float* y) override {
    k::launch_engine_row_scale(rows, cols, x, s, y, stream_);
    check();
  }
  void lstm_step_forward(int batch, int units, float* gates, const float* c_prev, const float* h_prev,
                         const float* mask, float* c, float* h) override {
    k::launch_engine_lstm_step_forward(batch, units, gates, c_prev, h_prev, mask, c, h, stream_);
    check();
  }
  void lstm_step_backward(int batch, int units, const float* gates, const float* c_prev,
                          const float* c, const float* mask, const float* dh, float* dc,
                          float* dgates, float* dh_prev) override {
    k::launch_engine_lstm_step_backward(batch, units, gates, c_prev, c, mask, dh, dc, dgates, dh_prev,
                                        stream_);
    check();
  }
  std::unique_ptr<LstmSequence<float>> make_lstm_sequence(int in, int units) override {
    if (!cudnn_lstm_) return nullptr;
    if (!cudnn_) cudnn_ = make_cudnn_handle(stream_);
    return make_cudnn_lstm(cudnn_, stream_, in, units);
  }

  // ---- loss ----
  void softmax_xent(int rows, int classes, const float* logits, const float* labels, float* dlogits,
                    float* loss, float* correct) override {
    k::launch_engine_softmax_xent(rows, classes, logits, labels, dlogits, loss, correct, stream_);
    check();
  }
  void softmax(int rows, int classes, const float* logits, float* probs) override {
    k::launch_engine_softmax(rows, classes, logits, probs, stream_);
    check();
  }

  // ---- optimizer ----
  void adam_update(std::size_t n, float* w, const float* g, float* m, float* v, double lr_t,
                   double beta1, double beta2, double eps) override {
    k::launch_engine_adam(n, w, g, m, v, static_cast<float>(lr_t), static_cast<float>(beta1),
                          static_cast<float>(beta2), static_cast<float>(eps), stream_);
    check();
  }

 private:
  static void check() { GTZAN_CUDA_CHECK(cudaGetLastError()); }

  cudaStream_t stream_ = nullptr;  // the legacy default stream
  cublasHandle_t blas_ = nullptr;
  bool cudnn_lstm_;
  CudnnHandle cudnn_;  // created by the first LSTM layer that asks
  DeviceBuffer<float> col_, dcol_;
  DeviceBuffer<double> bn_work_, sum_;
};

}  // namespace

std::unique_ptr<Backend<float>> make_cuda_engine_backend(const std::string& lstm_path) {
  std::string path = lstm_path;
  if (path.empty()) {
    const char* env = std::getenv("GTZAN_LSTM");
    path = env && *env ? env : "cudnn";
  }
  if (path != "cudnn" && path != "steps")
    throw std::invalid_argument("training on cuda: the LSTM path (GTZAN_LSTM) must be cudnn or steps, got '" +
                                path + "'");
  std::string why;
  if (!backend::cuda_device_available(why)) throw std::runtime_error("training on cuda: " + why);
  return std::make_unique<CudaEngineBackend>(path == "cudnn");
}

}  // namespace gtzan::engine
