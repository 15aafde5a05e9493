// Keras initialisers: glorot_uniform, he_normal (truncated), orthogonal, zeros, ones.
#include <cmath>
#include <stdexcept>

#include "engine/layer.hpp"

namespace gtzan::engine {
namespace {

// Keras _compute_fans: a 2-D (in, out) kernel; for more axes the leading ones are the receptive
// field: fan_in = receptive * shape[-2], fan_out = receptive * shape[-1].
void fans(const std::vector<int>& s, double& fan_in, double& fan_out) {
  if (s.size() == 1) {
    fan_in = fan_out = s[0];
  } else if (s.size() == 2) {
    fan_in = s[0];
    fan_out = s[1];
  } else {
    double receptive = 1;
    for (std::size_t i = 0; i + 2 < s.size(); ++i) receptive *= s[i];
    fan_in = receptive * s[s.size() - 2];
    fan_out = receptive * s[s.size() - 1];
  }
}

// Keras Orthogonal: QR of a (max(r,c), min(r,c)) normal matrix, Q scaled by sign(diag R),
// transposed when rows < cols. Modified Gram-Schmidt (twice) yields R with a positive diagonal,
// which is exactly Q * sign(diag R).
std::vector<double> orthogonal(int rows, int cols, Rng& rng) {
  const int big = std::max(rows, cols), small = std::min(rows, cols);
  std::vector<double> a(static_cast<std::size_t>(big) * small);  // a[i*small + j]
  for (auto& v : a) v = rng.normal();
  for (int j = 0; j < small; ++j) {
    for (int pass = 0; pass < 2; ++pass)
      for (int p = 0; p < j; ++p) {
        double dot = 0;
        for (int i = 0; i < big; ++i) dot += a[i * small + p] * a[i * small + j];
        for (int i = 0; i < big; ++i) a[i * small + j] -= dot * a[i * small + p];
      }
    double norm = 0;
    for (int i = 0; i < big; ++i) norm += a[i * small + j] * a[i * small + j];
    norm = std::sqrt(norm);
    for (int i = 0; i < big; ++i) a[i * small + j] /= norm;
  }
  if (rows >= cols) return a;  // (rows, cols) already
  std::vector<double> t(static_cast<std::size_t>(rows) * cols);
  for (int i = 0; i < big; ++i)
    for (int j = 0; j < small; ++j) t[static_cast<std::size_t>(j) * cols + i] = a[i * small + j];
  return t;
}

}  // namespace

Activation parse_activation(const std::string& s) {
  if (s.empty() || s == "linear") return Activation::linear;
  if (s == "relu") return Activation::relu;
  if (s == "softmax") return Activation::softmax;
  throw std::invalid_argument("unknown activation '" + s + "' (linear, relu, softmax)");
}

template <class T>
std::vector<T> init_values(const std::string& init, const std::vector<int>& shape, Rng& rng) {
  const std::size_t n = shape_size(shape);
  std::vector<T> out(n, T(0));
  double fan_in = 0, fan_out = 0;
  fans(shape, fan_in, fan_out);
  if (init == "zeros") {
  } else if (init == "ones") {
    std::fill(out.begin(), out.end(), T(1));
  } else if (init == "glorot_uniform") {
    const double limit = std::sqrt(6.0 / (fan_in + fan_out));
    for (auto& v : out) v = static_cast<T>(rng.uniform(-limit, limit));
  } else if (init == "he_normal") {
    const double stddev = std::sqrt(2.0 / fan_in) / .87962566103423978;
    for (auto& v : out) v = static_cast<T>(rng.truncated_normal(stddev));
  } else if (init == "glorot_normal") {
    const double stddev = std::sqrt(2.0 / (fan_in + fan_out)) / .87962566103423978;
    for (auto& v : out) v = static_cast<T>(rng.truncated_normal(stddev));
  } else if (init == "orthogonal") {
    if (shape.size() < 2) throw std::invalid_argument("orthogonal initialiser needs a 2-D shape");
    int rows = 1;
    for (std::size_t i = 0; i + 1 < shape.size(); ++i) rows *= shape[i];
    const auto q = orthogonal(rows, shape.back(), rng);
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<T>(q[i]);
  } else {
    throw std::invalid_argument("unknown initializer '" + init +
                                "' (glorot_uniform, glorot_normal, he_normal, orthogonal, zeros, ones)");
  }
  return out;
}

template std::vector<float> init_values<float>(const std::string&, const std::vector<int>&, Rng&);
template std::vector<double> init_values<double>(const std::string&, const std::vector<int>&, Rng&);

}  // namespace gtzan::engine
