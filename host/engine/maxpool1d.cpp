// MaxPooling1D (Keras): pool p, stride p, padding "same" (out ceil(L/p), the right edge padded
// with cells that never win) or "valid" (L divisible by p only, where both agree).
#include <stdexcept>

#include "engine/layers.hpp"

namespace gtzan::engine {

template <class T>
std::vector<int> MaxPool1D<T>::build(Backend<T>&, const std::vector<int>& in, Rng&, const std::string& name) {
  if (in.size() != 2) throw std::invalid_argument(name + ": maxpool1d needs a (length, channels) input");
  if (s_.padding != "same" && s_.padding != "valid")
    throw std::invalid_argument(name + ": maxpool1d padding must be \"same\" or \"valid\"");
  if (s_.pool_size <= 0) throw std::invalid_argument(name + ": pool_size must be > 0");
  if (s_.padding == "valid" && in[0] % s_.pool_size != 0)
    throw std::invalid_argument(name + ": maxpool1d \"valid\" needs a length divisible by pool_size");
  length_ = in[0];
  ch_ = in[1];
  return {(length_ + s_.pool_size - 1) / s_.pool_size, ch_};
}

template <class T>
const Tensor<T>& MaxPool1D<T>::forward(const Tensor<T>& x, Context<T>& ctx) {
  x_ = &x;
  const int batch = x.dim(0);
  ctx.be.ensure(y_, {batch, (length_ + s_.pool_size - 1) / s_.pool_size, ch_});
  ctx.be.maxpool1d_forward(batch, length_, ch_, s_.pool_size, x.data(), y_.data());
  return y_;
}

template <class T>
const Tensor<T>& MaxPool1D<T>::backward(const Tensor<T>& dy, Context<T>& ctx) {
  ctx.be.ensure(dx_, x_->shape);
  ctx.be.maxpool1d_backward(x_->dim(0), length_, ch_, s_.pool_size, x_->data(), y_.data(), dy.data(),
                            dx_.data());
  return dx_;
}

template class MaxPool1D<float>;
template class MaxPool1D<double>;

}  // namespace gtzan::engine
