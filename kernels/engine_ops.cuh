#pragma once
// Kernels of the training engine's CUDA backend (cuda/engine/), one op per engine_*.cu file.
// Each is the twin of a loop in host/engine/cpu_backend.cpp: same arithmetic, same
// accumulation order and precision (double where the CPU uses double), and no FMA contraction
// where the CPU has none (explicit __f*_rn / __d*_rn), so most results match bit for bit.
// Matrices are row-major; all pointers are device pointers; every launch goes on `stream`.
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

namespace gtzan::kernels {

inline unsigned engine_blocks(std::size_t n, unsigned threads = 256) {
  const std::size_t b = (n + threads - 1) / threads;
  return static_cast<unsigned>(b < 1 ? 1 : (b > 65535 ? 65535 : b));
}

void launch_engine_fill(float* dst, std::size_t n, float value, cudaStream_t s);
void launch_engine_add_row_bias(float* y, const float* bias, int rows, int cols, cudaStream_t s);
void launch_engine_sum_rows(const float* x, float* out, int rows, int cols, cudaStream_t s);
void launch_engine_mul(const float* a, const float* b, float* c, std::size_t n, cudaStream_t s);
void launch_engine_axpy(std::size_t n, float alpha, const float* x, float* y, cudaStream_t s);
// out[0] = sum of x in double (one block, deterministic order).
void launch_engine_sum(const float* x, std::size_t n, double* out, cudaStream_t s);
void launch_engine_swap01(const float* x, float* y, int d0, int d1, int d2, cudaStream_t s);
void launch_engine_relu_forward(const float* x, float* y, std::size_t n, cudaStream_t s);
void launch_engine_relu_backward(const float* y, const float* dy, float* dx, std::size_t n, cudaStream_t s);
// col(batch*length, kernel*cin) from x(batch, length, cin), zero outside [0, length).
void launch_engine_im2col(const float* x, float* col, int batch, int length, int cin, int kernel,
                          int pad_left, cudaStream_t s);
// dx(batch, length, cin) = sum over taps of dcol (a gather: no atomics, the CPU's order).
void launch_engine_col2im(const float* dcol, float* dx, int batch, int length, int cin, int kernel,
                          int pad_left, cudaStream_t s);
void launch_engine_maxpool_forward(int batch, int length, int ch, int pool, const float* x, float* y,
                                   cudaStream_t s);
void launch_engine_maxpool_backward(int batch, int length, int ch, int pool, const float* x,
                                    const float* y, const float* dy, float* dx, cudaStream_t s);
void launch_engine_dropout(const float* x, float* y, float* scale, std::size_t n, double rate,
                           std::uint64_t seed, std::uint64_t offset, cudaStream_t s);
void launch_engine_batchnorm_stats(int rows, int cols, const float* x, float* mean, float* var,
                                   cudaStream_t s);
void launch_engine_batchnorm_apply(int rows, int cols, const float* x, const float* gamma,
                                   const float* beta, const float* mean, const float* var,
                                   double eps, float* y, cudaStream_t s);
// work: 2*cols doubles (sum dy, sum dy*xhat), filled here and read by the dx pass.
void launch_engine_batchnorm_backward(int rows, int cols, const float* x, const float* gamma,
                                      const float* mean, const float* var, double eps,
                                      const float* dy, float* dx, float* dgamma, float* dbeta,
                                      double* work, cudaStream_t s);
void launch_engine_moving_average(float* moving, const float* batch, std::size_t n, double momentum,
                                  cudaStream_t s);
void launch_engine_masking(int rows, int cols, const float* x, float* mask, cudaStream_t s);
void launch_engine_row_scale(int rows, int cols, const float* x, const float* scale, float* y,
                             cudaStream_t s);
void launch_engine_lstm_step_forward(int batch, int units, float* gates, const float* c_prev,
                                     const float* h_prev, const float* mask, float* c, float* h,
                                     cudaStream_t s);
void launch_engine_lstm_step_backward(int batch, int units, const float* gates, const float* c_prev,
                                      const float* c, const float* mask, const float* dh, float* dc,
                                      float* dgates, float* dh_prev, cudaStream_t s);

// ---- cuDNN's LSTM (cuda/engine/cudnn_lstm.cpp) ----
// Where cuDNN's RNN weight space keeps each block of a one-layer LSTM, in floats from its start
// (from cudnnGetRNNWeightParams): matrix[0..3] the input matrices of gates i, f, g, o, each
// (units x in) row-major; matrix[4..7] the recurrent ones (units x units); bias[0..3] the input
// biases (units each; CUDNN_RNN_SINGLE_INP_BIAS has no recurrent ones).
struct LstmWeightLayout {
  std::size_t matrix[8];
  std::size_t bias[4];
};
// Keras kernel (in, 4u), recurrent (u, 4u), bias (4u), gates i f c o -> cuDNN's weight space:
// gate g's block is the transpose of the Keras column block g.
void launch_engine_lstm_pack_weights(int in, int units, const float* kernel, const float* recurrent,
                                     const float* bias, const LstmWeightLayout& layout,
                                     float* weight_space, cudaStream_t s);
// The inverse, for the gradients cuDNN accumulates in its weight-space layout.
void launch_engine_lstm_unpack_weights(int in, int units, const float* weight_space,
                                       const LstmWeightLayout& layout, float* kernel,
                                       float* recurrent, float* bias, cudaStream_t s);
// Right-padded sequences (batch, steps, width); lengths (device, one per row, >= 1).
// y(b, t) = valid(b, min(t, len_b - 1)): padded steps repeat the last valid one (Keras's masked
// LSTM output).
void launch_engine_repeat_last_valid(int batch, int steps, int width, const int* lengths,
                                     const float* valid, float* y, cudaStream_t s);
// Its backward: d_valid(b, t) = dy(b, t) before len_b - 1, the sum of dy over steps len_b - 1 ..
// steps - 1 at len_b - 1 (added from the last step down, the step loop's order), 0 after.
void launch_engine_fold_padded_gradient(int batch, int steps, int width, const int* lengths,
                                        const float* dy, float* d_valid, cudaStream_t s);
// x(b, t, :) = 0 for t >= len_b.
void launch_engine_zero_padded_steps(int batch, int steps, int width, const int* lengths, float* x,
                                     cudaStream_t s);

void launch_engine_softmax_xent(int rows, int classes, const float* logits, const float* labels,
                                float* dlogits, float* loss, float* correct, cudaStream_t s);
void launch_engine_softmax(int rows, int classes, const float* logits, float* probs, cudaStream_t s);
void launch_engine_adam(std::size_t n, float* w, const float* g, float* m, float* v, float lr,
                        float b1, float b2, float eps, cudaStream_t s);

}  // namespace gtzan::kernels
