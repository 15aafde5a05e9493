#pragma once
// The boundary between the training engine and the hardware. Layers, the optimizer and the
// trainer call only these operations; a backend implements them for one device. All pointers
// are in the backend's memory space. Matrices are row-major. Templated on the scalar type so the
// CPU backend also runs in double precision (finite-difference gradient checks); a GPU backend
// implements Backend<float> only. See README.md in this folder.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/tensor.hpp"

namespace gtzan::engine {

struct Conv1dShape {
  int batch, length, cin, cout, kernel, pad_left;  // stride 1, "same": out length == length
};

// A whole-sequence LSTM layer computation (cuDNN's RNN on the GPU): one library call per pass
// instead of a gemm and a kernel per time step. Optional: a backend without one returns null
// from make_lstm_sequence and the LSTM layer runs its step loop. One object per layer: it keeps
// the state a training forward leaves for backward.
template <class T>
class LstmSequence {
 public:
  virtual ~LstmSequence() = default;
  // x(batch, steps, in), batch-major. lengths (host, one per row, 1..steps): row b's valid steps
  // form a prefix; steps from lengths[b] on are padding and not read. Weights in Keras layout:
  // kernel (in, 4u), recurrent (u, 4u), bias (4u), gates i, f, c, o; zero initial state.
  // y: with return_sequences (batch, steps, u), padded steps repeating the row's last valid
  // output (Keras); otherwise (batch, u), the output at the row's last valid step.
  // training keeps what backward needs; x must stay unchanged until then.
  virtual void forward(int batch, int steps, const std::vector<int>& lengths, bool return_sequences,
                       bool training, const T* x, const T* kernel, const T* recurrent, const T* bias,
                       T* y) = 0;
  // Backward of the last training forward (weights unchanged since). dy is shaped like y.
  // dx(batch, steps, in), zero on padded steps, may be null; dkernel, drecurrent, dbias are
  // overwritten.
  virtual void backward(const T* dy, T* dx, T* dkernel, T* drecurrent, T* dbias) = 0;
};

template <class T>
class Backend {
 public:
  virtual ~Backend() = default;
  virtual Device device() const = 0;
  virtual std::string name() const = 0;

  // ---- memory ----
  virtual std::shared_ptr<T> allocate(std::size_t n) = 0;
  virtual void upload(const T* host, T* dst, std::size_t n) = 0;
  virtual void download(const T* src, T* host, std::size_t n) = 0;
  virtual void copy(const T* src, T* dst, std::size_t n) = 0;
  virtual void fill(T* dst, std::size_t n, T value) = 0;

  // ---- dense algebra ----
  // C(m,n) = alpha * op(A)(m,k) * op(B)(k,n) + beta * C, row-major with leading dimensions.
  virtual void gemm(bool trans_a, bool trans_b, int m, int n, int k, T alpha, const T* a, int lda,
                    const T* b, int ldb, T beta, T* c, int ldc) = 0;
  virtual void add_row_bias(T* y, const T* bias, int rows, int cols) = 0;   // y[i,j] += b[j]
  virtual void sum_rows(const T* x, T* out, int rows, int cols) = 0;        // out[j] = sum_i x[i,j]
  virtual void mul(const T* a, const T* b, T* c, std::size_t n) = 0;        // c = a * b
  virtual void axpy(std::size_t n, T alpha, const T* x, T* y) = 0;          // y += alpha * x
  virtual double sum(const T* x, std::size_t n) = 0;                        // reduction to host
  // y(d1, d0, d2) = x(d0, d1, d2): swaps the two leading axes (batch-major <-> time-major).
  virtual void swap01(const T* x, T* y, int d0, int d1, int d2) = 0;

  // ---- activations ----
  virtual void relu_forward(const T* x, T* y, std::size_t n) = 0;
  virtual void relu_backward(const T* y, const T* dy, T* dx, std::size_t n) = 0;  // uses output y

  // ---- convolution and pooling (channels last: x(batch, length, channels)) ----
  // w(kernel, cin, cout) as Keras; zero padding pad_left on the left, the rest on the right.
  virtual void conv1d_forward(const Conv1dShape& s, const T* x, const T* w, const T* bias, T* y) = 0;
  // dx may be null (first layer). dw and db are overwritten.
  virtual void conv1d_backward(const Conv1dShape& s, const T* x, const T* w, const T* dy, T* dx,
                               T* dw, T* db) = 0;
  // Max pooling, stride == pool, padding "same": out length ceil(length / pool), padded cells
  // never win. Backward routes each dy to the first maximum of its window (recomputed from x, y).
  virtual void maxpool1d_forward(int batch, int length, int channels, int pool, const T* x, T* y) = 0;
  virtual void maxpool1d_backward(int batch, int length, int channels, int pool, const T* x,
                                  const T* y, const T* dy, T* dx) = 0;

  // ---- regularisation and normalisation ----
  // Inverted dropout: scale[i] = keep ? 1/(1-rate) : 0 with keep = u(seed, offset + i) >= rate,
  // u from the counter-based hash in rng.hpp (same bits on every backend); y = x * scale.
  virtual void dropout_forward(const T* x, T* y, T* scale, std::size_t n, double rate,
                               std::uint64_t seed, std::uint64_t offset) = 0;
  // Batch statistics over rows (biased variance), y = gamma * (x - mean) / sqrt(var + eps) + beta.
  virtual void batchnorm_forward_train(int rows, int cols, const T* x, const T* gamma,
                                       const T* beta, double eps, T* y, T* mean, T* var) = 0;
  virtual void batchnorm_forward_infer(int rows, int cols, const T* x, const T* gamma,
                                       const T* beta, const T* mean, const T* var, double eps,
                                       T* y) = 0;
  virtual void batchnorm_backward(int rows, int cols, const T* x, const T* gamma, const T* mean,
                                  const T* var, double eps, const T* dy, T* dx, T* dgamma,
                                  T* dbeta) = 0;
  // moving = moving * momentum + batch * (1 - momentum)
  virtual void moving_average(T* moving, const T* batch, std::size_t n, double momentum) = 0;

  // ---- masking and recurrent cells ----
  // mask[r] = 1 if any x[r, :] != 0 else 0; y = x * mask (Keras Masking(0.0)).
  virtual void masking_forward(int rows, int cols, const T* x, T* y, T* mask) = 0;
  virtual void row_scale(int rows, int cols, const T* x, const T* scale, T* y) = 0;  // y = x*s[r]
  // One LSTM step for `batch` rows of `units`. gates(batch, 4*units) holds the pre-activations
  // in Keras order i, f, c, o and is overwritten with the activations. mask (batch) may be null;
  // a masked row carries c and h unchanged.
  virtual void lstm_step_forward(int batch, int units, T* gates, const T* c_prev, const T* h_prev,
                                 const T* mask, T* c, T* h) = 0;
  // Backward of one step. dh: total gradient w.r.t. h_t; dc: gradient w.r.t. c_t in, w.r.t.
  // c_{t-1} out. dgates: pre-activation gradients (zero on masked rows). dh_prev: the part of
  // dL/dh_{t-1} that bypasses the gates (dh on masked rows, 0 otherwise).
  virtual void lstm_step_backward(int batch, int units, const T* gates, const T* c_prev,
                                  const T* c, const T* mask, const T* dh, T* dc, T* dgates,
                                  T* dh_prev) = 0;
  // A whole-sequence LSTM for `in` features and `units` units, or null when this backend has
  // none (the CPU: its step loop is the reference). Each LSTM layer asks for its own.
  virtual std::unique_ptr<LstmSequence<T>> make_lstm_sequence(int in, int units) {
    (void)in;
    (void)units;
    return nullptr;
  }

  // ---- loss ----
  // Softmax + sparse categorical cross-entropy per row (stable). labels hold class indices as T.
  // dlogits = (softmax - onehot) / rows (the mean over the batch); loss[r], correct[r] per row.
  virtual void softmax_xent(int rows, int classes, const T* logits, const T* labels, T* dlogits,
                            T* loss, T* correct) = 0;
  virtual void softmax(int rows, int classes, const T* logits, T* probs) = 0;

  // ---- optimizer ----
  // Keras Adam: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr_t m / (sqrt(v) + eps).
  virtual void adam_update(std::size_t n, T* w, const T* g, T* m, T* v, double lr_t, double beta1,
                           double beta2, double eps) = 0;

  // ---- helpers on Tensor ----
  // (Re)allocates t only when its capacity is too small; contents are then undefined.
  void ensure(Tensor<T>& t, const std::vector<int>& shape) {
    const std::size_t n = shape_size(shape);
    if (!t.buf || t.capacity < n) {
      t.buf = allocate(n);
      t.capacity = n;
    }
    t.shape = shape;
    t.device = device();
  }
  Tensor<T> zeros(const std::vector<int>& shape) {
    Tensor<T> t;
    ensure(t, shape);
    fill(t.data(), t.size(), T(0));
    return t;
  }
  Tensor<T> from_host(const std::vector<int>& shape, const std::vector<T>& host) {
    Tensor<T> t;
    ensure(t, shape);
    upload(host.data(), t.data(), t.size());
    return t;
  }
  std::vector<T> to_host(const Tensor<T>& t) {
    std::vector<T> h(t.size());
    if (!h.empty()) download(t.data(), h.data(), h.size());
    return h;
  }
};

// The CPU backend: OpenBLAS gemm and plain loops. threads: OpenBLAS threads (0 = all cores).
template <class T>
std::unique_ptr<Backend<T>> make_cpu_backend(int threads = 1);

// "cpu" | "cuda" | "auto" (cuda when a GPU is usable, else cpu). cuda needs the CUDA build
// and a GPU (make_cuda_engine_backend, gpu_engine.hpp); threads apply to the CPU backend only.
std::unique_ptr<Backend<float>> make_engine_backend(const std::string& device, int threads);

}  // namespace gtzan::engine
