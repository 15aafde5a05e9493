#pragma once
// Support for test_emu_cudnn.cpp: device arrays, the reference LSTM and the stand-in harness.
//
// The reference is cuDNN's documented LSTM written out naively in double, sharing no code with
// the stand-in (cuda/emulation/src/cudnn_rnn*.cpp):
//   i = s(W_i x + R_i h + bW_i + bR_i), f = s(...), g = tanh(...), o = s(...)
//   c' = f c + i g, h' = o tanh(c')       (s = logistic sigmoid)
// The harness reaches the weight blocks only through cudnnGetRNNWeightParams (linLayerID 0-3
// the input matrices of gates i, f, g, o, 4-7 the recurrent ones; row-major hidden x width),
// checking the shapes it reports on the way.
#include <cuda_runtime.h>
#include <cudnn.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

#define CUDNN_OK(call) REQUIRE((call) == CUDNN_STATUS_SUCCESS)

namespace emu_cudnn_test {

// ---- device memory ----
template <class T>
class DeviceArray {
 public:
  explicit DeviceArray(std::size_t n) : n_(n) { REQUIRE(cudaMalloc(&p_, (n ? n : 1) * sizeof(T)) == cudaSuccess); }
  explicit DeviceArray(const std::vector<T>& host) : DeviceArray(host.size()) { upload(host); }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  ~DeviceArray() { cudaFree(p_); }
  T* get() const { return static_cast<T*>(p_); }
  void upload(const std::vector<T>& h) {
    REQUIRE(h.size() <= n_);
    REQUIRE(cudaMemcpy(p_, h.data(), h.size() * sizeof(T), cudaMemcpyHostToDevice) == cudaSuccess);
  }
  std::vector<T> download() const {
    std::vector<T> h(n_);
    REQUIRE(cudaMemcpy(h.data(), p_, n_ * sizeof(T), cudaMemcpyDeviceToHost) == cudaSuccess);
    return h;
  }

 private:
  void* p_ = nullptr;
  std::size_t n_;
};

inline std::vector<float> to_float(const std::vector<double>& v) { return {v.begin(), v.end()}; }

// Uniform values in [-a, a], rounded to float so that the reference and the stand-in see the
// same numbers.
inline std::vector<double> random_values(std::mt19937& gen, std::size_t n, double a = 0.6) {
  std::uniform_real_distribution<double> d(-a, a);
  std::vector<double> v(n);
  for (double& e : v) e = float(d(gen));
  return v;
}

// ---- the reference ----
struct RefLstm {
  int input = 0, hidden = 0, layers = 0;
  bool input_bias = true, recurrent_bias = true;
  // [layer][linLayerID 0..7]: matrices (hidden x width, row-major) and biases (hidden).
  std::vector<std::array<std::vector<double>, 8>> matrix, bias;
  int width(int l, int id) const { return id < 4 && l == 0 ? input : hidden; }
  bool has_bias(int id) const { return id < 4 ? input_bias : recurrent_bias; }
};

inline RefLstm random_model(std::mt19937& gen, int input, int hidden, int layers, cudnnRNNBiasMode_t mode) {
  RefLstm m;
  m.input = input, m.hidden = hidden, m.layers = layers;
  m.input_bias = mode == CUDNN_RNN_DOUBLE_BIAS || mode == CUDNN_RNN_SINGLE_INP_BIAS;
  m.recurrent_bias = mode == CUDNN_RNN_DOUBLE_BIAS || mode == CUDNN_RNN_SINGLE_REC_BIAS;
  m.matrix.resize(layers);
  m.bias.resize(layers);
  for (int l = 0; l < layers; ++l)
    for (int id = 0; id < 8; ++id) {
      m.matrix[l][id] = random_values(gen, std::size_t(hidden) * m.width(l, id));
      m.bias[l][id] = m.has_bias(id) ? random_values(gen, hidden) : std::vector<double>(hidden, 0.0);
    }
  return m;
}

struct Batch {
  int batch = 0, steps = 0;
  std::vector<int> lengths;
  std::vector<double> x, hx, cx;  // x batch-major (batch, steps, input); states (layers, batch, hidden)
};

struct RefOut {
  std::vector<double> y, hy, cy;  // y (batch, steps, hidden), 0 on padded steps
};

inline double sigm(double v) { return 1.0 / (1.0 + std::exp(-v)); }

inline RefOut reference_forward(const RefLstm& m, const Batch& in) {
  const int B = in.batch, T = in.steps, H = m.hidden;
  RefOut r;
  r.hy.assign(std::size_t(m.layers) * B * H, 0.0);
  r.cy = r.hy;
  std::vector<double> seq = in.x;  // the current layer's input, (B, T, width)
  int width = m.input;
  for (int l = 0; l < m.layers; ++l) {
    std::vector<double> out(std::size_t(B) * T * H, 0.0);
    for (int b = 0; b < B; ++b) {
      std::vector<double> h(in.hx.begin() + (l * B + b) * H, in.hx.begin() + (l * B + b + 1) * H);
      std::vector<double> c(in.cx.begin() + (l * B + b) * H, in.cx.begin() + (l * B + b + 1) * H);
      for (int t = 0; t < in.lengths[b]; ++t) {
        const double* xt = &seq[(std::size_t(b) * T + t) * width];
        std::array<std::vector<double>, 4> a;
        for (int k = 0; k < 4; ++k) {
          a[k].assign(H, 0.0);
          for (int j = 0; j < H; ++j) {
            double s = m.bias[l][k][j] + m.bias[l][4 + k][j];
            for (int i = 0; i < width; ++i) s += m.matrix[l][k][j * width + i] * xt[i];
            for (int i = 0; i < H; ++i) s += m.matrix[l][4 + k][j * H + i] * h[i];
            a[k][j] = s;
          }
        }
        for (int j = 0; j < H; ++j) {
          c[j] = sigm(a[1][j]) * c[j] + sigm(a[0][j]) * std::tanh(a[2][j]);
          h[j] = sigm(a[3][j]) * std::tanh(c[j]);
          out[(std::size_t(b) * T + t) * H + j] = h[j];
        }
      }
      for (int j = 0; j < H; ++j) r.hy[(l * B + b) * H + j] = h[j], r.cy[(l * B + b) * H + j] = c[j];
    }
    seq = out;
    width = H;
  }
  r.y = seq;
  return r;
}

// The scalar the gradient checks differentiate: weighted sums of y (valid steps), hy and cy.
struct LossWeights {
  std::vector<double> y, hy, cy;
};

inline double reference_loss(const RefLstm& m, const Batch& in, const LossWeights& w) {
  const RefOut r = reference_forward(m, in);
  double loss = 0.0;
  for (std::size_t i = 0; i < r.y.size(); ++i) loss += w.y[i] * r.y[i];
  for (std::size_t i = 0; i < r.hy.size(); ++i) loss += w.hy[i] * r.hy[i] + w.cy[i] * r.cy[i];
  return loss;
}

// Central difference of the reference loss with respect to one number it reads.
template <class Model>
double central_difference(double& param, Model&& loss) {
  const double eps = 1e-5, saved = param;
  param = saved + eps;
  const double up = loss();
  param = saved - eps;
  const double down = loss();
  param = saved;
  return (up - down) / (2 * eps);
}

// ---- the stand-in, set up as cuda/engine/cudnn_lstm.cpp does ----
struct StandIn {
  cudnnHandle_t handle = nullptr;
  cudnnDropoutDescriptor_t dropout = nullptr;
  cudnnRNNDescriptor_t rnn = nullptr;
  cudnnRNNDataDescriptor_t x_desc = nullptr, y_desc = nullptr;
  cudnnTensorDescriptor_t state_desc = nullptr;
  int input, hidden, layers;

  StandIn(int in, int h, int l, cudnnRNNBiasMode_t bias, float dropout_rate = 0.0f) : input(in), hidden(h), layers(l) {
    CUDNN_OK(cudnnCreate(&handle));
    CUDNN_OK(cudnnCreateDropoutDescriptor(&dropout));
    CUDNN_OK(cudnnCreateRNNDescriptor(&rnn));
    CUDNN_OK(cudnnCreateRNNDataDescriptor(&x_desc));
    CUDNN_OK(cudnnCreateRNNDataDescriptor(&y_desc));
    CUDNN_OK(cudnnCreateTensorDescriptor(&state_desc));
    CUDNN_OK(cudnnSetDropoutDescriptor(dropout, handle, dropout_rate, nullptr, 0, 0));
    CUDNN_OK(cudnnSetRNNDescriptor_v8(rnn, CUDNN_RNN_ALGO_STANDARD, CUDNN_LSTM, bias, CUDNN_UNIDIRECTIONAL,
                                      CUDNN_LINEAR_INPUT, CUDNN_DATA_FLOAT, CUDNN_DATA_FLOAT, CUDNN_FMA_MATH, in, h,
                                      h, l, dropout, CUDNN_RNN_PADDED_IO_ENABLED));
  }
  ~StandIn() {
    cudnnDestroyTensorDescriptor(state_desc);
    cudnnDestroyRNNDataDescriptor(y_desc);
    cudnnDestroyRNNDataDescriptor(x_desc);
    cudnnDestroyRNNDescriptor(rnn);
    cudnnDestroyDropoutDescriptor(dropout);
    cudnnDestroy(handle);
  }
  void describe(const Batch& b, float fill,
                cudnnRNNDataLayout_t layout = CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED) {
    CUDNN_OK(cudnnSetRNNDataDescriptor(x_desc, CUDNN_DATA_FLOAT, layout, b.steps, b.batch, input, b.lengths.data(), &fill));
    CUDNN_OK(cudnnSetRNNDataDescriptor(y_desc, CUDNN_DATA_FLOAT, layout, b.steps, b.batch, hidden, b.lengths.data(), &fill));
    const int dims[3] = {layers, b.batch, hidden}, strides[3] = {b.batch * hidden, hidden, 1};
    CUDNN_OK(cudnnSetTensorNdDescriptor(state_desc, CUDNN_DATA_FLOAT, 3, dims, strides));
  }
  std::size_t weight_bytes() const {
    std::size_t n = 0;
    CUDNN_OK(cudnnGetRNNWeightSpaceSize(handle, rnn, &n));
    return n;
  }
  // Each block's address and shape, checked against the documented {1, hidden, width} packed
  // matrix and {1, hidden, 1} bias (nbDims 0 and NULL where the bias mode has none).
  std::pair<float*, float*> block(const RefLstm& m, float* space, int l, int id) const {
    cudnnTensorDescriptor_t md, bd;
    CUDNN_OK(cudnnCreateTensorDescriptor(&md));
    CUDNN_OK(cudnnCreateTensorDescriptor(&bd));
    void *ma = nullptr, *ba = nullptr;
    CUDNN_OK(cudnnGetRNNWeightParams(handle, rnn, l, weight_bytes(), space, id, md, &ma, bd, &ba));
    cudnnDataType_t type;
    int nb = -1, dims[3] = {}, strides[3] = {};
    CUDNN_OK(cudnnGetTensorNdDescriptor(md, 3, &type, &nb, dims, strides));
    const int w = m.width(l, id);
    CHECK(type == CUDNN_DATA_FLOAT);
    CHECK((nb == 3 && dims[0] == 1 && dims[1] == hidden && dims[2] == w));
    CHECK((strides[0] == hidden * w && strides[1] == w && strides[2] == 1));
    CUDNN_OK(cudnnGetTensorNdDescriptor(bd, 3, &type, &nb, dims, strides));
    if (m.has_bias(id)) {
      CHECK((nb == 3 && dims[0] == 1 && dims[1] == hidden && dims[2] == 1 && strides[1] == 1 && strides[2] == 1));
      CHECK(ba != nullptr);
    } else {
      CHECK(nb == 0);
      CHECK(ba == nullptr);
    }
    cudnnDestroyTensorDescriptor(md);
    cudnnDestroyTensorDescriptor(bd);
    return {static_cast<float*>(ma), static_cast<float*>(ba)};
  }
  void upload_weights(const RefLstm& m, float* space) const {
    for (int l = 0; l < layers; ++l)
      for (int id = 0; id < 8; ++id) {
        auto [mat, bias] = block(m, space, l, id);
        REQUIRE(cudaMemcpy(mat, to_float(m.matrix[l][id]).data(), m.matrix[l][id].size() * sizeof(float),
                           cudaMemcpyHostToDevice) == cudaSuccess);
        if (bias)
          REQUIRE(cudaMemcpy(bias, to_float(m.bias[l][id]).data(), hidden * sizeof(float), cudaMemcpyHostToDevice) ==
                  cudaSuccess);
      }
  }
  // Weight-space contents (e.g. gradients) in the reference's shape.
  RefLstm download_weights(const RefLstm& shape, float* space) const {
    RefLstm g = shape;
    for (int l = 0; l < layers; ++l)
      for (int id = 0; id < 8; ++id) {
        auto [mat, bias] = block(shape, space, l, id);
        std::vector<float> f(g.matrix[l][id].size());
        REQUIRE(cudaMemcpy(f.data(), mat, f.size() * sizeof(float), cudaMemcpyDeviceToHost) == cudaSuccess);
        g.matrix[l][id].assign(f.begin(), f.end());
        if (bias) {
          f.resize(hidden);
          REQUIRE(cudaMemcpy(f.data(), bias, hidden * sizeof(float), cudaMemcpyDeviceToHost) == cudaSuccess);
          g.bias[l][id].assign(f.begin(), f.end());
        }
      }
    return g;
  }
};

inline Batch random_batch(std::mt19937& gen, const RefLstm& m, std::vector<int> lengths, int steps, bool states) {
  Batch b;
  b.batch = int(lengths.size()), b.steps = steps, b.lengths = std::move(lengths);
  b.x = random_values(gen, std::size_t(b.batch) * steps * m.input, 1.0);
  const std::size_t n = std::size_t(m.layers) * b.batch * m.hidden;
  b.hx = states ? random_values(gen, n) : std::vector<double>(n, 0.0);
  b.cx = states ? random_values(gen, n) : std::vector<double>(n, 0.0);
  return b;
}

// Everything one stand-in forward needs on the device.
struct DeviceRun {
  DeviceArray<float> weights, x, y, hx, cx, hy, cy;
  DeviceArray<int> lengths;
  std::size_t work_bytes = 0, reserve_bytes = 0;
  DeviceArray<unsigned char> work, reserve;

  DeviceRun(StandIn& s, const RefLstm& m, const Batch& b, cudnnForwardMode_t mode)
      : weights(s.weight_bytes() / sizeof(float)), x(to_float(b.x)),
        y(std::size_t(b.batch) * b.steps * m.hidden), hx(to_float(b.hx)), cx(to_float(b.cx)), hy(b.hx.size()),
        cy(b.cx.size()), lengths(b.lengths), work_bytes(temp_sizes(s, mode).first),
        reserve_bytes(temp_sizes(s, mode).second), work(work_bytes), reserve(reserve_bytes) {
    s.upload_weights(m, weights.get());
  }
  static std::pair<std::size_t, std::size_t> temp_sizes(StandIn& s, cudnnForwardMode_t mode) {
    std::size_t w = 0, r = 0;
    CUDNN_OK(cudnnGetRNNTempSpaceSizes(s.handle, s.rnn, mode, s.x_desc, &w, &r));
    return {w, r};
  }
  cudnnStatus_t forward(StandIn& s, cudnnForwardMode_t mode, bool with_states = true) {
    return cudnnRNNForward(s.handle, s.rnn, mode, lengths.get(), s.x_desc, x.get(), s.y_desc, y.get(), s.state_desc,
                           with_states ? hx.get() : nullptr, hy.get(), s.state_desc,
                           with_states ? cx.get() : nullptr, cy.get(), s.weight_bytes(), weights.get(), work_bytes,
                           work.get(), mode == CUDNN_FWD_MODE_TRAINING ? reserve_bytes : 0,
                           mode == CUDNN_FWD_MODE_TRAINING ? reserve.get() : nullptr);
  }
};

inline double max_abs_diff(const std::vector<double>& a, const std::vector<float>& b, const std::vector<bool>* use = nullptr) {
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!use || (*use)[i]) worst = std::max(worst, std::abs(a[i] - double(b[i])));
  return worst;
}

inline std::vector<bool> valid_mask(const Batch& b, int width) {
  std::vector<bool> v(std::size_t(b.batch) * b.steps * width);
  for (int r = 0; r < b.batch; ++r)
    for (int t = 0; t < b.lengths[r]; ++t)
      for (int j = 0; j < width; ++j) v[(std::size_t(r) * b.steps + t) * width + j] = true;
  return v;
}

}  // namespace emu_cudnn_test
