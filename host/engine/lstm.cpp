// LSTM (Keras): kernel W(in, 4u), recurrent kernel U(u, 4u), bias(4u), gate order i, f, c, o;
// sigmoid / tanh; unit_forget_bias puts ones in the forget-gate bias. Under a mask (from
// Masking) a masked step keeps c and h and outputs the previous output. return_sequences
// gives (batch, time, u) and keeps the mask; otherwise the output at the last step, which under
// masking is the output of the last valid step. Internally time-major.
#include <stdexcept>

#include "engine/layers.hpp"

namespace gtzan::engine {

template <class T>
std::vector<int> LSTM<T>::build(Backend<T>& be, const std::vector<int>& in, Rng& rng,
                                const std::string& name) {
  if (in.size() != 2) throw std::invalid_argument(name + ": lstm needs a (time, features) input, got " + shape_string(in));
  if (s_.units <= 0) throw std::invalid_argument(name + ": lstm needs units > 0");
  steps_ = in[0];
  in_ = in[1];
  const int u = s_.units;
  w_.name = name + "/kernel";
  u_.name = name + "/recurrent_kernel";
  b_.name = name + "/bias";
  w_.value = be.from_host({in_, 4 * u}, init_values<T>(s_.kernel_initializer, {in_, 4 * u}, rng));
  u_.value = be.from_host({u, 4 * u}, init_values<T>(s_.recurrent_initializer, {u, 4 * u}, rng));
  auto bias = init_values<T>(s_.bias_initializer, {4 * u}, rng);
  if (s_.unit_forget_bias)
    for (int j = 0; j < u; ++j) bias[u + j] = T(1);
  b_.value = be.from_host({4 * u}, bias);
  w_.grad = be.zeros({in_, 4 * u});
  u_.grad = be.zeros({u, 4 * u});
  b_.grad = be.zeros({4 * u});
  sequence_ = be.make_lstm_sequence(in_, u);
  if (s_.return_sequences) return {steps_, u};
  return {u};
}

// Fills lengths_ with each row's valid steps when the whole-sequence path applies: a backend
// that has one, and a mask (if any) that is a non-empty prefix in every row. A row without any
// valid step goes to the step loop too: zero-length sequences were rejected by older cuDNN RNN
// calls (ONNX Runtime works around it), and such rows do not occur with real features.
template <class T>
bool LSTM<T>::prefix_lengths(const Tensor<T>& x, Context<T>& ctx) {
  if (!sequence_) return false;
  const int B = x.dim(0), S = steps_;
  lengths_.assign(B, S);
  if (!ctx.mask) return true;
  mask_host_.resize(static_cast<std::size_t>(B) * S);
  ctx.be.download(ctx.mask->data(), mask_host_.data(), mask_host_.size());
  for (int b = 0; b < B; ++b) {
    const T* m = mask_host_.data() + static_cast<std::size_t>(b) * S;
    int len = 0;
    while (len < S && m[len] != T(0)) ++len;
    for (int t = len; t < S; ++t)
      if (m[t] != T(0)) return false;  // a masked step inside the sequence
    if (len == 0) return false;
    lengths_[b] = len;
  }
  return true;
}

template <class T>
const Tensor<T>& LSTM<T>::forward(const Tensor<T>& x, Context<T>& ctx) {
  auto& be = ctx.be;
  const int B = x.dim(0), S = steps_, u = s_.units, g4 = 4 * u;
  const std::size_t bu = static_cast<std::size_t>(B) * u, bg = bu * 4;
  batch_ = B;
  whole_sequence_ = prefix_lengths(x, ctx);
  if (whole_sequence_) {
    if (s_.return_sequences)
      be.ensure(y_, {B, S, u});
    else
      be.ensure(y_, {B, u});
    sequence_->forward(B, S, lengths_, s_.return_sequences, ctx.training, x.data(), w_.value.data(),
                       u_.value.data(), b_.value.data(), y_.data());
    return y_;
  }
  be.ensure(xt_, {S, B, in_});
  be.swap01(x.data(), xt_.data(), B, S, in_);
  masked_ = ctx.mask != nullptr;
  if (masked_) {
    be.ensure(mt_, {S, B});
    be.swap01(ctx.mask->data(), mt_.data(), B, S, 1);
  }
  be.ensure(gates_, {S, B, g4});
  be.gemm(false, false, S * B, g4, in_, T(1), xt_.data(), in_, w_.value.data(), g4, T(0),
          gates_.data(), g4);
  be.add_row_bias(gates_.data(), b_.value.data(), S * B, g4);
  be.ensure(c_, {S + 1, B, u});
  be.ensure(h_, {S + 1, B, u});
  be.fill(c_.data(), bu, T(0));
  be.fill(h_.data(), bu, T(0));
  for (int t = 0; t < S; ++t) {
    T* g = gates_.data() + t * bg;
    const T* hp = h_.data() + t * bu;
    be.gemm(false, false, B, g4, u, T(1), hp, u, u_.value.data(), g4, T(1), g, g4);
    be.lstm_step_forward(B, u, g, c_.data() + t * bu, hp, masked_ ? mt_.data() + t * B : nullptr,
                         c_.data() + (t + 1) * bu, h_.data() + (t + 1) * bu);
  }
  if (s_.return_sequences) {
    be.ensure(y_, {B, S, u});
    be.swap01(h_.data() + bu, y_.data(), S, B, u);
  } else {
    be.ensure(y_, {B, u});
    be.copy(h_.data() + S * bu, y_.data(), bu);
  }
  return y_;
}

template <class T>
const Tensor<T>& LSTM<T>::backward(const Tensor<T>& dy, Context<T>& ctx) {
  auto& be = ctx.be;
  const int B = batch_, S = steps_, u = s_.units, g4 = 4 * u;
  const std::size_t bu = static_cast<std::size_t>(B) * u, bg = bu * 4;
  if (whole_sequence_) {
    T* dx = nullptr;
    if (this->need_input_grad) {
      be.ensure(dx_, {B, S, in_});
      dx = dx_.data();
    } else {
      dx_.shape.clear();
    }
    sequence_->backward(dy.data(), dx, w_.grad.data(), u_.grad.data(), b_.grad.data());
    return dx_;
  }
  if (s_.return_sequences) {
    be.ensure(tmp_, {S, B, u});
    be.swap01(dy.data(), tmp_.data(), B, S, u);
  }
  be.ensure(dgates_, {S, B, g4});
  be.ensure(dh_, {B, u});   // total dL/dh_t
  be.ensure(dc_, {B, u});
  be.ensure(dht_, {B, u});  // dL/dh_{t-1} carried to the step before
  be.fill(dht_.data(), bu, T(0));
  be.fill(dc_.data(), bu, T(0));
  for (int t = S - 1; t >= 0; --t) {
    be.copy(dht_.data(), dh_.data(), bu);
    if (s_.return_sequences)
      be.axpy(bu, T(1), tmp_.data() + t * bu, dh_.data());
    else if (t == S - 1)
      be.axpy(bu, T(1), dy.data(), dh_.data());
    T* dg = dgates_.data() + t * bg;
    be.lstm_step_backward(B, u, gates_.data() + t * bg, c_.data() + t * bu, c_.data() + (t + 1) * bu,
                          masked_ ? mt_.data() + t * B : nullptr, dh_.data(), dc_.data(), dg,
                          dht_.data());
    be.gemm(false, true, B, u, g4, T(1), dg, g4, u_.value.data(), g4, T(1), dht_.data(), u);
  }
  // Parameter gradients over all steps at once.
  be.gemm(true, false, u, g4, S * B, T(1), h_.data(), u, dgates_.data(), g4, T(0), u_.grad.data(), g4);
  be.gemm(true, false, in_, g4, S * B, T(1), xt_.data(), in_, dgates_.data(), g4, T(0),
          w_.grad.data(), g4);
  be.sum_rows(dgates_.data(), b_.grad.data(), S * B, g4);
  if (!this->need_input_grad) {
    dx_.shape.clear();
    return dx_;
  }
  be.ensure(dxt_, {S, B, in_});
  be.gemm(false, true, S * B, in_, g4, T(1), dgates_.data(), g4, w_.value.data(), g4, T(0),
          dxt_.data(), in_);
  be.ensure(dx_, {B, S, in_});
  be.swap01(dxt_.data(), dx_.data(), S, B, in_);
  return dx_;
}

template class LSTM<float>;
template class LSTM<double>;

}  // namespace gtzan::engine
