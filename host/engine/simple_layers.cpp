// Flatten, ReLU, Dropout (inverted, counter-based mask) and Masking(0.0).
#include <stdexcept>

#include "engine/layers.hpp"

namespace gtzan::engine {

// ---- Flatten: a view with the trailing axes merged ----
template <class T>
std::vector<int> Flatten<T>::build(Backend<T>&, const std::vector<int>& in, Rng&, const std::string&) {
  in_ = in;
  return {static_cast<int>(shape_size(in))};
}
template <class T>
const Tensor<T>& Flatten<T>::forward(const Tensor<T>& x, Context<T>&) {
  y_ = x;
  y_.shape = {x.dim(0), static_cast<int>(x.size() / x.dim(0))};
  return y_;
}
template <class T>
const Tensor<T>& Flatten<T>::backward(const Tensor<T>& dy, Context<T>&) {
  dx_ = dy;
  dx_.shape = {dy.dim(0)};
  dx_.shape.insert(dx_.shape.end(), in_.begin(), in_.end());
  return dx_;
}

// ---- ReLU ----
template <class T>
const Tensor<T>& ReLU<T>::forward(const Tensor<T>& x, Context<T>& ctx) {
  ctx.be.ensure(y_, x.shape);
  ctx.be.relu_forward(x.data(), y_.data(), x.size());
  return y_;
}
template <class T>
const Tensor<T>& ReLU<T>::backward(const Tensor<T>& dy, Context<T>& ctx) {
  ctx.be.ensure(dx_, dy.shape);
  ctx.be.relu_backward(y_.data(), dy.data(), dx_.data(), dy.size());
  return dx_;
}

// ---- Dropout: identity at inference ----
template <class T>
std::vector<int> Dropout<T>::build(Backend<T>&, const std::vector<int>& in, Rng&, const std::string& name) {
  if (rate_ < 0.0 || rate_ >= 1.0) throw std::invalid_argument(name + ": dropout rate must be in [0, 1)");
  return in;
}
template <class T>
const Tensor<T>& Dropout<T>::forward(const Tensor<T>& x, Context<T>& ctx) {
  active_ = ctx.training && rate_ > 0.0;
  if (!active_) {
    y_ = x;
    return y_;
  }
  ctx.be.ensure(y_, x.shape);
  ctx.be.ensure(scale_, x.shape);
  std::uint64_t s = ctx.dropout_seed ^ (salt_ * 0x9E3779B97F4A7C15ull);
  ctx.be.dropout_forward(x.data(), y_.data(), scale_.data(), x.size(), rate_, splitmix64(s), 0);
  return y_;
}
template <class T>
const Tensor<T>& Dropout<T>::backward(const Tensor<T>& dy, Context<T>& ctx) {
  if (!active_) {
    dx_ = dy;
    return dx_;
  }
  ctx.be.ensure(dx_, dy.shape);
  ctx.be.mul(dy.data(), scale_.data(), dx_.data(), dy.size());
  return dx_;
}

// ---- Masking(0.0): a time step whose features are all 0 is masked for the layers after ----
template <class T>
Masking<T>::Masking(const LayerSpec& s) {
  if (s.mask_value != 0.0) throw std::invalid_argument("masking: only mask_value = 0.0 is supported");
}
template <class T>
std::vector<int> Masking<T>::build(Backend<T>&, const std::vector<int>& in, Rng&, const std::string& name) {
  if (in.size() != 2) throw std::invalid_argument(name + ": masking needs a (time, features) input");
  steps_ = in[0];
  features_ = in[1];
  return in;
}
template <class T>
const Tensor<T>& Masking<T>::forward(const Tensor<T>& x, Context<T>& ctx) {
  const int batch = x.dim(0);
  ctx.be.ensure(y_, x.shape);
  ctx.be.ensure(mask_, {batch, steps_});
  ctx.be.masking_forward(batch * steps_, features_, x.data(), y_.data(), mask_.data());
  ctx.mask = &mask_;
  return y_;
}
template <class T>
const Tensor<T>& Masking<T>::backward(const Tensor<T>& dy, Context<T>& ctx) {
  ctx.be.ensure(dx_, dy.shape);
  ctx.be.row_scale(dy.dim(0) * steps_, features_, dy.data(), mask_.data(), dx_.data());
  return dx_;
}

#define GTZAN_INSTANTIATE(L) \
  template class L<float>;   \
  template class L<double>;
GTZAN_INSTANTIATE(Flatten)
GTZAN_INSTANTIATE(ReLU)
GTZAN_INSTANTIATE(Dropout)
GTZAN_INSTANTIATE(Masking)
#undef GTZAN_INSTANTIATE

}  // namespace gtzan::engine
