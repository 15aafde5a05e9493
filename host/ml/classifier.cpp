#include "ml/classifier.hpp"

#include <stdexcept>
#include <string>

namespace gtzan::ml {

std::vector<int> Classifier::predict(const Rows& X) const { return argmax_rows(predict_proba(X)); }

int argmax(const std::vector<double>& v) {
  if (v.empty()) throw std::invalid_argument("argmax of an empty vector");
  std::size_t best = 0;
  for (std::size_t i = 1; i < v.size(); ++i)
    if (v[i] > v[best]) best = i;
  return static_cast<int>(best);
}

std::vector<int> argmax_rows(const Rows& P) {
  std::vector<int> out;
  out.reserve(P.size());
  for (const auto& r : P) out.push_back(argmax(r));
  return out;
}

std::size_t check_fit_inputs(const Rows& X, const std::vector<int>& y, int K) {
  if (K < 2) throw std::invalid_argument("classifier: K must be >= 2, got " + std::to_string(K));
  if (X.empty()) throw std::invalid_argument("classifier: no training rows");
  if (y.size() != X.size())
    throw std::invalid_argument("classifier: " + std::to_string(X.size()) + " rows but " +
                                std::to_string(y.size()) + " labels");
  const std::size_t d = X[0].size();
  if (d == 0) throw std::invalid_argument("classifier: rows have no features");
  for (std::size_t i = 0; i < X.size(); ++i) {
    if (X[i].size() != d)
      throw std::invalid_argument("classifier: row " + std::to_string(i) + " has " +
                                  std::to_string(X[i].size()) + " features, expected " +
                                  std::to_string(d));
    if (y[i] < 0 || y[i] >= K)
      throw std::invalid_argument("classifier: label " + std::to_string(y[i]) + " of row " +
                                  std::to_string(i) + " outside 0.." + std::to_string(K - 1));
  }
  return d;
}

void check_predict_inputs(const Rows& X, std::size_t n_features) {
  if (n_features == 0) throw std::logic_error("classifier: predict before fit");
  for (std::size_t i = 0; i < X.size(); ++i)
    if (X[i].size() != n_features)
      throw std::invalid_argument("classifier: row " + std::to_string(i) + " has " +
                                  std::to_string(X[i].size()) + " features, model has " +
                                  std::to_string(n_features));
}

}  // namespace gtzan::ml
