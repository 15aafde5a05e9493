#pragma once
// Common interface of the study's classical learners (host/ml/): SVM, XGBoost, random forest,
// logistic regression. Inputs are plain row-major matrices: X[i] is one sample's features,
// y[i] its label in 0..K-1. Every learner is deterministic for its seed.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gtzan::ml {

using Rows = std::vector<std::vector<double>>;

class Classifier {
 public:
  virtual ~Classifier() = default;
  // Fit on rows X with labels y in 0..K-1 (K >= 2; a class may be absent from y).
  virtual void fit(const Rows& X, const std::vector<int>& y, int K) = 0;
  // One row of K probabilities (summing to 1) per sample.
  virtual Rows predict_proba(const Rows& X) const = 0;
  // Predicted labels; default: argmax of predict_proba (lowest label on ties).
  virtual std::vector<int> predict(const Rows& X) const;
  virtual std::string name() const = 0;
  int num_classes() const { return K_; }

 protected:
  int K_ = 0;
};

using ClassifierFactory = std::function<std::unique_ptr<Classifier>()>;

// Index of the largest element (the first one on ties, like numpy.argmax).
int argmax(const std::vector<double>& v);
std::vector<int> argmax_rows(const Rows& P);

// Shared argument checks: X rectangular and non-empty, y.size() == X.size(), labels in
// 0..K-1, K >= 2. Throws std::invalid_argument. Returns the number of features.
std::size_t check_fit_inputs(const Rows& X, const std::vector<int>& y, int K);
// Rows of X must have n_features columns (throws otherwise).
void check_predict_inputs(const Rows& X, std::size_t n_features);

}  // namespace gtzan::ml
