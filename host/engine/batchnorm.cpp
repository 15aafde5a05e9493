// BatchNormalization (Keras, last axis): training normalises with the batch mean and biased
// variance and updates moving = moving * momentum + batch * (1 - momentum) (the non-fused path
// Keras takes for 2-D inputs, biased variance in the moving average too); inference uses the
// moving statistics. gamma = 1, beta = 0, moving mean 0, moving variance 1 at start.
#include <stdexcept>

#include "engine/layers.hpp"

namespace gtzan::engine {

template <class T>
std::vector<int> BatchNorm<T>::build(Backend<T>& be, const std::vector<int>& in, Rng&,
                                     const std::string& name) {
  if (in.empty()) throw std::invalid_argument(name + ": batchnorm needs an input");
  features_ = in.back();
  auto make = [&](Param<T>& p, const char* n, T v, bool trainable) {
    p.name = name + "/" + n;
    p.value = be.zeros({features_});
    be.fill(p.value.data(), features_, v);
    p.trainable = trainable;
    if (trainable) p.grad = be.zeros({features_});
  };
  make(gamma_, "gamma", T(1), true);
  make(beta_, "beta", T(0), true);
  make(mean_, "moving_mean", T(0), false);
  make(var_, "moving_variance", T(1), false);
  be.ensure(bmean_, {features_});
  be.ensure(bvar_, {features_});
  return in;
}

template <class T>
const Tensor<T>& BatchNorm<T>::forward(const Tensor<T>& x, Context<T>& ctx) {
  auto& be = ctx.be;
  x_ = &x;
  const int rows = static_cast<int>(x.size() / features_);
  be.ensure(y_, x.shape);
  if (ctx.training) {
    be.batchnorm_forward_train(rows, features_, x.data(), gamma_.value.data(), beta_.value.data(),
                               s_.epsilon, y_.data(), bmean_.data(), bvar_.data());
    be.moving_average(mean_.value.data(), bmean_.data(), features_, s_.momentum);
    be.moving_average(var_.value.data(), bvar_.data(), features_, s_.momentum);
  } else {
    be.batchnorm_forward_infer(rows, features_, x.data(), gamma_.value.data(), beta_.value.data(),
                               mean_.value.data(), var_.value.data(), s_.epsilon, y_.data());
  }
  return y_;
}

template <class T>
const Tensor<T>& BatchNorm<T>::backward(const Tensor<T>& dy, Context<T>& ctx) {
  if (!ctx.training) throw std::logic_error("batchnorm: backward needs a training-mode forward");
  const int rows = static_cast<int>(x_->size() / features_);
  ctx.be.ensure(dx_, x_->shape);
  ctx.be.batchnorm_backward(rows, features_, x_->data(), gamma_.value.data(), bmean_.data(),
                            bvar_.data(), s_.epsilon, dy.data(), dx_.data(), gamma_.grad.data(),
                            beta_.grad.data());
  return dx_;
}

template class BatchNorm<float>;
template class BatchNorm<double>;

}  // namespace gtzan::engine
