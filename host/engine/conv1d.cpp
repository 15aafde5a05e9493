// Conv1D (Keras): channels last, stride 1, kernel (k, cin, cout), padding "same" (left
// (k-1)//2 zeros, the rest on the right) or "valid"-free: only "same" is supported.
#include <stdexcept>

#include "engine/layers.hpp"

namespace gtzan::engine {

template <class T>
Conv1dShape Conv1D<T>::shape(int batch) const {
  return {batch, length_, cin_, s_.filters, s_.kernel_size, (s_.kernel_size - 1) / 2};
}

template <class T>
std::vector<int> Conv1D<T>::build(Backend<T>& be, const std::vector<int>& in, Rng& rng,
                                  const std::string& name) {
  if (in.size() != 2) throw std::invalid_argument(name + ": conv1d needs a (length, channels) input, got " + shape_string(in));
  if (s_.padding != "same") throw std::invalid_argument(name + ": conv1d supports padding \"same\" only");
  if (s_.filters <= 0 || s_.kernel_size <= 0) throw std::invalid_argument(name + ": conv1d needs filters and kernel_size > 0");
  length_ = in[0];
  cin_ = in[1];
  const std::vector<int> ks{s_.kernel_size, cin_, s_.filters};
  w_.name = name + "/kernel";
  b_.name = name + "/bias";
  w_.value = be.from_host(ks, init_values<T>(s_.kernel_initializer, ks, rng));
  b_.value = be.from_host({s_.filters}, init_values<T>(s_.bias_initializer, {s_.filters}, rng));
  w_.grad = be.zeros(ks);
  b_.grad = be.zeros({s_.filters});
  return {length_, s_.filters};
}

template <class T>
const Tensor<T>& Conv1D<T>::forward(const Tensor<T>& x, Context<T>& ctx) {
  auto& be = ctx.be;
  x_ = &x;
  const int batch = x.dim(0);
  be.ensure(y_, {batch, length_, s_.filters});
  be.conv1d_forward(shape(batch), x.data(), w_.value.data(), b_.value.data(), y_.data());
  if (act_ == Activation::relu) be.relu_forward(y_.data(), y_.data(), y_.size());
  return y_;
}

template <class T>
const Tensor<T>& Conv1D<T>::backward(const Tensor<T>& dy, Context<T>& ctx) {
  auto& be = ctx.be;
  const int batch = x_->dim(0);
  const Tensor<T>* dz = &dy;
  if (act_ == Activation::relu) {
    be.ensure(dz_, dy.shape);
    be.relu_backward(y_.data(), dy.data(), dz_.data(), dy.size());
    dz = &dz_;
  }
  T* dx = nullptr;
  if (this->need_input_grad) {
    be.ensure(dx_, x_->shape);
    dx = dx_.data();
  } else {
    dx_.shape.clear();
  }
  be.conv1d_backward(shape(batch), x_->data(), w_.value.data(), dz->data(), dx, w_.grad.data(),
                     b_.grad.data());
  return dx_;
}

template class Conv1D<float>;
template class Conv1D<double>;

}  // namespace gtzan::engine
