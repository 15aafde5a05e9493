#pragma once
// The layer set (Keras semantics). One class per file: dense.cpp, conv1d.cpp, maxpool1d.cpp,
// simple_layers.cpp (Flatten, ReLU, Dropout, Masking), batchnorm.cpp, lstm.cpp.
#include "engine/layer.hpp"

namespace gtzan::engine {

// Everything a layer may be configured with (from the model TOML).
struct LayerSpec {
  std::string type;  // dense conv1d maxpool1d flatten relu dropout batchnorm masking lstm
  int units = 0;     // dense, lstm (0 in a TOML "classes": filled in by the model)
  int filters = 0, kernel_size = 3, pool_size = 2;
  double rate = 0.0;                          // dropout
  double momentum = 0.99, epsilon = 1e-3;     // batchnorm
  double mask_value = 0.0;                    // masking (only 0.0 is supported)
  bool return_sequences = false;              // lstm
  bool unit_forget_bias = true;               // lstm
  std::string activation = "linear", padding = "same";
  std::string kernel_initializer = "glorot_uniform", recurrent_initializer = "orthogonal",
              bias_initializer = "zeros";
};

template <class T>
std::unique_ptr<Layer<T>> make_layer(const LayerSpec& spec);

template <class T>
class Dense final : public Layer<T> {
 public:
  explicit Dense(const LayerSpec& s) : s_(s), act_(parse_activation(s.activation)) {}
  std::string kind() const override { return "dense"; }
  std::vector<int> build(Backend<T>& be, const std::vector<int>& in, Rng& rng, const std::string& name) override;
  const Tensor<T>& forward(const Tensor<T>& x, Context<T>& ctx) override;
  const Tensor<T>& backward(const Tensor<T>& dy, Context<T>& ctx) override;
  std::vector<Param<T>*> params() override { return {&w_, &b_}; }
  Activation activation() const { return act_; }

 private:
  LayerSpec s_;
  Activation act_;
  int in_ = 0;
  Param<T> w_, b_;
  const Tensor<T>* x_ = nullptr;
  Tensor<T> y_, dz_, dx_;
};

template <class T>
class Conv1D final : public Layer<T> {
 public:
  explicit Conv1D(const LayerSpec& s) : s_(s), act_(parse_activation(s.activation)) {}
  std::string kind() const override { return "conv1d"; }
  std::vector<int> build(Backend<T>& be, const std::vector<int>& in, Rng& rng, const std::string& name) override;
  const Tensor<T>& forward(const Tensor<T>& x, Context<T>& ctx) override;
  const Tensor<T>& backward(const Tensor<T>& dy, Context<T>& ctx) override;
  std::vector<Param<T>*> params() override { return {&w_, &b_}; }

 private:
  Conv1dShape shape(int batch) const;
  LayerSpec s_;
  Activation act_;
  int length_ = 0, cin_ = 0;
  Param<T> w_, b_;
  const Tensor<T>* x_ = nullptr;
  Tensor<T> y_, dz_, dx_;
};

template <class T>
class MaxPool1D final : public Layer<T> {
 public:
  explicit MaxPool1D(const LayerSpec& s) : s_(s) {}
  std::string kind() const override { return "maxpool1d"; }
  std::vector<int> build(Backend<T>& be, const std::vector<int>& in, Rng& rng, const std::string& name) override;
  const Tensor<T>& forward(const Tensor<T>& x, Context<T>& ctx) override;
  const Tensor<T>& backward(const Tensor<T>& dy, Context<T>& ctx) override;

 private:
  LayerSpec s_;
  int length_ = 0, ch_ = 0;
  const Tensor<T>* x_ = nullptr;
  Tensor<T> y_, dx_;
};

template <class T>
class Flatten final : public Layer<T> {
 public:
  std::string kind() const override { return "flatten"; }
  std::vector<int> build(Backend<T>& be, const std::vector<int>& in, Rng& rng, const std::string& name) override;
  const Tensor<T>& forward(const Tensor<T>& x, Context<T>& ctx) override;
  const Tensor<T>& backward(const Tensor<T>& dy, Context<T>& ctx) override;

 private:
  std::vector<int> in_;
  Tensor<T> y_, dx_;  // views sharing the neighbour's buffer
};

template <class T>
class ReLU final : public Layer<T> {
 public:
  std::string kind() const override { return "relu"; }
  std::vector<int> build(Backend<T>&, const std::vector<int>& in, Rng&, const std::string&) override { return in; }
  const Tensor<T>& forward(const Tensor<T>& x, Context<T>& ctx) override;
  const Tensor<T>& backward(const Tensor<T>& dy, Context<T>& ctx) override;
  bool keeps_mask() const override { return true; }

 private:
  Tensor<T> y_, dx_;
};

template <class T>
class Dropout final : public Layer<T> {
 public:
  Dropout(const LayerSpec& s, std::uint64_t salt) : rate_(s.rate), salt_(salt) {}
  std::string kind() const override { return "dropout"; }
  std::vector<int> build(Backend<T>&, const std::vector<int>& in, Rng&, const std::string&) override;
  const Tensor<T>& forward(const Tensor<T>& x, Context<T>& ctx) override;
  const Tensor<T>& backward(const Tensor<T>& dy, Context<T>& ctx) override;
  bool keeps_mask() const override { return true; }

 private:
  double rate_;
  std::uint64_t salt_;
  bool active_ = false;
  Tensor<T> y_, scale_, dx_;
};

template <class T>
class Masking final : public Layer<T> {
 public:
  explicit Masking(const LayerSpec& s);
  std::string kind() const override { return "masking"; }
  std::vector<int> build(Backend<T>&, const std::vector<int>& in, Rng&, const std::string&) override;
  const Tensor<T>& forward(const Tensor<T>& x, Context<T>& ctx) override;
  const Tensor<T>& backward(const Tensor<T>& dy, Context<T>& ctx) override;
  bool keeps_mask() const override { return true; }

 private:
  int steps_ = 0, features_ = 0;
  Tensor<T> y_, mask_, dx_;
};

template <class T>
class BatchNorm final : public Layer<T> {
 public:
  explicit BatchNorm(const LayerSpec& s) : s_(s) {}
  std::string kind() const override { return "batchnorm"; }
  std::vector<int> build(Backend<T>& be, const std::vector<int>& in, Rng& rng, const std::string& name) override;
  const Tensor<T>& forward(const Tensor<T>& x, Context<T>& ctx) override;
  const Tensor<T>& backward(const Tensor<T>& dy, Context<T>& ctx) override;
  std::vector<Param<T>*> params() override { return {&gamma_, &beta_, &mean_, &var_}; }
  bool keeps_mask() const override { return true; }

 private:
  LayerSpec s_;
  int features_ = 0;
  Param<T> gamma_, beta_, mean_, var_;
  const Tensor<T>* x_ = nullptr;
  Tensor<T> y_, bmean_, bvar_, dx_;
};

template <class T>
class LSTM final : public Layer<T> {
 public:
  explicit LSTM(const LayerSpec& s) : s_(s) {}
  std::string kind() const override { return "lstm"; }
  std::vector<int> build(Backend<T>& be, const std::vector<int>& in, Rng& rng, const std::string& name) override;
  const Tensor<T>& forward(const Tensor<T>& x, Context<T>& ctx) override;
  const Tensor<T>& backward(const Tensor<T>& dy, Context<T>& ctx) override;
  std::vector<Param<T>*> params() override { return {&w_, &u_, &b_}; }
  bool keeps_mask() const override { return s_.return_sequences; }
  // Whether the last forward ran the backend's whole-sequence LSTM (else the step loop).
  bool ran_whole_sequence() const { return whole_sequence_; }

 private:
  bool prefix_lengths(const Tensor<T>& x, Context<T>& ctx);
  LayerSpec s_;
  int steps_ = 0, in_ = 0, batch_ = 0;
  Param<T> w_, u_, b_;
  bool masked_ = false;
  // The backend's whole-sequence LSTM (null on the CPU), used when every row's mask is a prefix.
  std::unique_ptr<LstmSequence<T>> sequence_;
  bool whole_sequence_ = false;
  std::vector<int> lengths_;
  std::vector<T> mask_host_;
  // Time-major work buffers: xt (T,B,D), gates (T,B,4u), c/h (T+1,B,u) with step 0 = zeros.
  Tensor<T> xt_, mt_, gates_, c_, h_, y_;
  Tensor<T> dgates_, dh_, dc_, dht_, dxt_, dx_, tmp_;
};

}  // namespace gtzan::engine
