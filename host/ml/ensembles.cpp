#include "ml/ensembles.hpp"

#include <stdexcept>
#include <string>

namespace gtzan::ml {
namespace {

// All matrices n x K with the same n and K; returns {n, K}.
std::pair<std::size_t, std::size_t> check_probas(const std::vector<Rows>& probas) {
  if (probas.empty()) throw std::invalid_argument("ensemble: no models");
  const std::size_t n = probas[0].size();
  const std::size_t k = n ? probas[0][0].size() : 0;
  for (std::size_t m = 0; m < probas.size(); ++m) {
    if (probas[m].size() != n)
      throw std::invalid_argument("ensemble: model " + std::to_string(m) + " has " +
                                  std::to_string(probas[m].size()) + " rows, expected " + std::to_string(n));
    for (const auto& r : probas[m])
      if (r.size() != k)
        throw std::invalid_argument("ensemble: model " + std::to_string(m) + " has a row of " +
                                    std::to_string(r.size()) + " columns, expected " + std::to_string(k));
  }
  return {n, k};
}

}  // namespace

Rows soft_vote(const std::vector<Rows>& probas) {
  return weighted_vote(probas, std::vector<double>(probas.size(), 1.0));
}

Rows weighted_vote(const std::vector<Rows>& probas, const std::vector<double>& weights) {
  const auto [n, k] = check_probas(probas);
  if (weights.size() != probas.size())
    throw std::invalid_argument("ensemble: " + std::to_string(weights.size()) + " weights for " +
                                std::to_string(probas.size()) + " models");
  double total = 0;
  for (double w : weights) {
    if (!(w >= 0)) throw std::invalid_argument("ensemble: weights must be >= 0");
    total += w;
  }
  if (!(total > 0)) throw std::invalid_argument("ensemble: weights sum to 0");
  Rows out(n, std::vector<double>(k, 0.0));
  for (std::size_t m = 0; m < probas.size(); ++m) {
    const double w = weights[m] / total;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t c = 0; c < k; ++c) out[i][c] += w * probas[m][i][c];
  }
  return out;
}

std::vector<int> hard_vote(const std::vector<std::vector<int>>& labels, const std::vector<Rows>& probas,
                           int K, TieBreak tie) {
  if (labels.empty()) throw std::invalid_argument("ensemble: no models");
  if (K < 1) throw std::invalid_argument("ensemble: K must be >= 1");
  const std::size_t n = labels[0].size(), k = static_cast<std::size_t>(K);
  for (const auto& l : labels)
    if (l.size() != n) throw std::invalid_argument("ensemble: models predict different row counts");
  if (tie == TieBreak::SummedProbability) {
    if (probas.size() != labels.size())
      throw std::invalid_argument("ensemble: hard vote needs one probability matrix per model");
    const auto [pn, pk] = check_probas(probas);
    if (pn != n || (n && pk != k)) throw std::invalid_argument("ensemble: probabilities do not match labels/K");
  }
  std::vector<int> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<int> count(k, 0);
    for (const auto& l : labels) {
      if (l[i] < 0 || l[i] >= K) throw std::invalid_argument("ensemble: label outside 0..K-1");
      ++count[static_cast<std::size_t>(l[i])];
    }
    std::vector<double> psum(k, 0.0);
    if (tie == TieBreak::SummedProbability)
      for (const auto& P : probas)
        for (std::size_t c = 0; c < k; ++c) psum[c] += P[i][c];
    std::size_t best = 0;
    for (std::size_t c = 1; c < k; ++c)
      if (count[c] > count[best] || (count[c] == count[best] && psum[c] > psum[best])) best = c;
    out[i] = static_cast<int>(best);
  }
  return out;
}

Rows stack_features(const std::vector<Rows>& probas) {
  const auto [n, k] = check_probas(probas);
  Rows out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i].reserve(k * probas.size());
    for (const auto& P : probas) out[i].insert(out[i].end(), P[i].begin(), P[i].end());
  }
  return out;
}

Rows out_of_fold_proba(const ClassifierFactory& factory, const Rows& X, const std::vector<int>& y, int K,
                       const FoldFn& folds) {
  check_fit_inputs(X, y, K);
  const std::size_t n = X.size();
  const auto fold_list = folds(n, y);
  if (fold_list.size() < 2) throw std::invalid_argument("out_of_fold_proba: need at least 2 folds");
  std::vector<int> fold_of(n, -1);
  for (std::size_t f = 0; f < fold_list.size(); ++f)
    for (std::size_t i : fold_list[f]) {
      if (i >= n) throw std::invalid_argument("out_of_fold_proba: fold index out of range");
      if (fold_of[i] != -1) throw std::invalid_argument("out_of_fold_proba: row in two folds");
      fold_of[i] = static_cast<int>(f);
    }
  for (std::size_t i = 0; i < n; ++i)
    if (fold_of[i] == -1) throw std::invalid_argument("out_of_fold_proba: row " + std::to_string(i) + " in no fold");

  Rows out(n);
  for (std::size_t f = 0; f < fold_list.size(); ++f) {
    Rows Xtr, Xte;
    std::vector<int> ytr;
    for (std::size_t i = 0; i < n; ++i)
      if (fold_of[i] != static_cast<int>(f)) Xtr.push_back(X[i]), ytr.push_back(y[i]);
    for (std::size_t i : fold_list[f]) Xte.push_back(X[i]);
    if (Xtr.empty() || Xte.empty()) throw std::invalid_argument("out_of_fold_proba: empty fold");
    auto model = factory();
    model->fit(Xtr, ytr, K);
    const Rows P = model->predict_proba(Xte);
    for (std::size_t j = 0; j < fold_list[f].size(); ++j) out[fold_list[f][j]] = P[j];
  }
  return out;
}

void StackingEnsemble::fit(const std::vector<Rows>& base_probas, const std::vector<int>& y, int K) {
  n_models_ = base_probas.size();
  meta_.fit(stack_features(base_probas), y, K);
}

Rows StackingEnsemble::predict_proba(const std::vector<Rows>& base_probas) const {
  if (base_probas.size() != n_models_)
    throw std::invalid_argument("stacking: fitted on " + std::to_string(n_models_) + " models, given " +
                                std::to_string(base_probas.size()));
  return meta_.predict_proba(stack_features(base_probas));
}

std::vector<int> StackingEnsemble::predict(const std::vector<Rows>& base_probas) const {
  return argmax_rows(predict_proba(base_probas));
}

}  // namespace gtzan::ml
