// Dense (Keras): y = act(x W + b) over the last axis; W(in, units). A softmax activation is
// left to the fused softmax + cross-entropy loss: this layer then outputs the logits.
#include <stdexcept>

#include "engine/layers.hpp"

namespace gtzan::engine {

template <class T>
std::vector<int> Dense<T>::build(Backend<T>& be, const std::vector<int>& in, Rng& rng,
                                 const std::string& name) {
  if (in.empty() || s_.units <= 0) throw std::invalid_argument(name + ": dense needs units > 0 and an input");
  in_ = in.back();
  w_.name = name + "/kernel";
  b_.name = name + "/bias";
  w_.value = be.from_host({in_, s_.units}, init_values<T>(s_.kernel_initializer, {in_, s_.units}, rng));
  b_.value = be.from_host({s_.units}, init_values<T>(s_.bias_initializer, {s_.units}, rng));
  w_.grad = be.zeros({in_, s_.units});
  b_.grad = be.zeros({s_.units});
  auto out = in;
  out.back() = s_.units;
  return out;
}

template <class T>
const Tensor<T>& Dense<T>::forward(const Tensor<T>& x, Context<T>& ctx) {
  auto& be = ctx.be;
  x_ = &x;
  const int rows = static_cast<int>(x.size() / in_);
  auto shape = x.shape;
  shape.back() = s_.units;
  be.ensure(y_, shape);
  be.gemm(false, false, rows, s_.units, in_, T(1), x.data(), in_, w_.value.data(), s_.units, T(0),
          y_.data(), s_.units);
  be.add_row_bias(y_.data(), b_.value.data(), rows, s_.units);
  if (act_ == Activation::relu) be.relu_forward(y_.data(), y_.data(), y_.size());
  return y_;
}

template <class T>
const Tensor<T>& Dense<T>::backward(const Tensor<T>& dy, Context<T>& ctx) {
  auto& be = ctx.be;
  const int rows = static_cast<int>(x_->size() / in_);
  const Tensor<T>* dz = &dy;
  if (act_ == Activation::relu) {
    be.ensure(dz_, dy.shape);
    be.relu_backward(y_.data(), dy.data(), dz_.data(), dy.size());
    dz = &dz_;
  }
  be.gemm(true, false, in_, s_.units, rows, T(1), x_->data(), in_, dz->data(), s_.units, T(0),
          w_.grad.data(), s_.units);
  be.sum_rows(dz->data(), b_.grad.data(), rows, s_.units);
  if (!this->need_input_grad) {
    dx_.shape.clear();
    return dx_;
  }
  be.ensure(dx_, x_->shape);
  be.gemm(false, true, rows, in_, s_.units, T(1), dz->data(), s_.units, w_.value.data(), s_.units,
          T(0), dx_.data(), in_);
  return dx_;
}

template class Dense<float>;
template class Dense<double>;

}  // namespace gtzan::engine
