#pragma once
// Adam as Keras (optimizer_v2): t = iterations + 1, lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t),
// m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, w -= lr_t * m / (sqrt(v) + epsilon).
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/layer.hpp"

namespace gtzan::engine {

template <class T>
class Adam {
 public:
  Adam(Backend<T>& be, std::vector<Param<T>*> params, double lr, double beta1 = 0.9,
       double beta2 = 0.999, double eps = 1e-7)
      : be_(be), lr(lr), beta1(beta1), beta2(beta2), eps(eps) {
    for (auto* p : params)
      if (p->trainable) {
        params_.push_back(p);
        m.push_back(be.zeros(p->value.shape));
        v.push_back(be.zeros(p->value.shape));
      }
  }
  void step() {
    const double t = static_cast<double>(iterations + 1);
    const double lr_t = lr * std::sqrt(1.0 - std::pow(beta2, t)) / (1.0 - std::pow(beta1, t));
    for (std::size_t i = 0; i < params_.size(); ++i)
      be_.adam_update(params_[i]->value.size(), params_[i]->value.data(), params_[i]->grad.data(),
                      m[i].data(), v[i].data(), lr_t, beta1, beta2, eps);
    ++iterations;
  }
  const std::vector<Param<T>*>& params() const { return params_; }

  Backend<T>& be_;
  double lr, beta1, beta2, eps;
  std::int64_t iterations = 0;
  std::vector<Tensor<T>> m, v;  // per trainable parameter, in params() order

 private:
  std::vector<Param<T>*> params_;
};

}  // namespace gtzan::engine
