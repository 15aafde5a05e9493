#pragma once
// Helpers for the engine tests: finite-difference gradient checks in double precision.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "engine/layers.hpp"
#include "engine/model.hpp"

namespace gtzan::test {

using engine::Backend;
using engine::Context;
using engine::Layer;
using engine::Tensor;

inline std::vector<double> random_values(std::size_t n, engine::Rng& rng, double lo = -1, double hi = 1) {
  std::vector<double> v(n);
  for (auto& e : v) e = rng.uniform(lo, hi);
  return v;
}

// Max |analytic - numeric| / max(1, max |numeric|) over the checked indices.
struct GradError {
  double worst = 0;
  void add(double a, double n, double scale) { worst = std::max(worst, std::fabs(a - n) / std::max(1.0, scale)); }
};

// Central differences of f() w.r.t. values[i] for up to `limit` indices (spread evenly).
inline double fd_check(double* values, std::size_t n, const std::vector<double>& analytic,
                       const std::function<double()>& f, std::size_t limit = 150,
                       const std::function<bool(std::size_t)>& skip = nullptr, double h = 1e-6) {
  GradError err;
  std::vector<double> an, nu;
  const std::size_t stride = std::max<std::size_t>(1, n / limit);
  for (std::size_t i = 0; i < n; i += stride) {
    if (skip && skip(i)) continue;
    const double keep = values[i];
    values[i] = keep + h;
    const double up = f();
    values[i] = keep - h;
    const double down = f();
    values[i] = keep;
    an.push_back(analytic[i]);
    nu.push_back((up - down) / (2 * h));
  }
  double scale = 0;
  for (double v : nu) scale = std::max(scale, std::fabs(v));
  for (std::size_t k = 0; k < an.size(); ++k) err.add(an[k], nu[k], scale);
  return err.worst;
}

// Gradient check of one layer: L = sum(y * r) for a fixed random r. Returns the worst error over
// the input and every trainable parameter; prints each.
inline double check_layer(const std::string& label, Layer<double>& layer, Backend<double>& be,
                          const std::vector<int>& x_shape, std::vector<double> x_host,
                          const Tensor<double>* mask = nullptr, bool training = true,
                          const std::function<bool(std::size_t)>& skip_x = nullptr) {
  Tensor<double> x = be.from_host(x_shape, x_host);
  Context<double> ctx{be};
  ctx.training = training;
  ctx.dropout_seed = 77;
  auto run = [&]() -> const Tensor<double>& {
    ctx.mask = mask;
    return layer.forward(x, ctx);
  };
  const auto& y0 = run();
  engine::Rng rng(99);
  const auto r = random_values(y0.size(), rng);
  const auto y_shape = y0.shape;
  auto loss = [&]() {
    const auto& y = run();
    double s = 0;
    for (std::size_t i = 0; i < y.size(); ++i) s += y.data()[i] * r[i];
    return s;
  };
  run();
  Tensor<double> dy = be.from_host(y_shape, r);
  const auto& dx = layer.backward(dy, ctx);
  double worst = 0;
  if (layer.need_input_grad) {
    const auto dxv = be.to_host(dx);
    const double e = fd_check(x.data(), x.size(), dxv, loss, 150, skip_x);
    std::printf("gradcheck %-28s %-24s max error %.2e\n", label.c_str(), "input", e);
    worst = std::max(worst, e);
  }
  std::vector<std::vector<double>> grads;
  for (auto* p : layer.params())
    if (p->trainable) grads.push_back(be.to_host(p->grad));
  std::size_t k = 0;
  for (auto* p : layer.params()) {
    if (!p->trainable) continue;
    const double e = fd_check(p->value.data(), p->value.size(), grads[k++], loss);
    std::printf("gradcheck %-28s %-24s max error %.2e\n", label.c_str(), p->name.c_str(), e);
    worst = std::max(worst, e);
  }
  return worst;
}

}  // namespace gtzan::test
