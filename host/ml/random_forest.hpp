#pragma once
// The study's random forest (scikit-learn RandomForestClassifier(n_estimators=100,
// random_state=42)) as XGBoost's random-forest mode: ONE boosting round of
// num_parallel_tree = 100 trees, eta 1 (XGBoost averages the parallel trees' leaf values).
//
// Settings and how they differ from scikit-learn's forest:
// - rows: subsample 0.632 WITHOUT replacement per tree (scikit-learn draws a bootstrap of n
//   rows WITH replacement: ~63.2% distinct rows, some repeated);
// - features: colsample_bynode = floor(sqrt(d))/d, i.e. floor(sqrt(d)) candidate features per
//   split, as max_features="sqrt";
// - depth: unlimited (max_depth 0, grow_policy "lossguide"), leaves down to single rows
//   (min_child_weight 1e-6, lambda 0: no leaf shrinkage), like max_depth=None,
//   min_samples_leaf=1;
// - splits: histogram (max_bin 256) thresholds instead of exact midpoints, and for K > 2
//   classes XGBoost grows one regression tree PER CLASS on the one-vs-rest gradient
//   (variance reduction of the class indicator), where scikit-learn grows one tree with the
//   Gini criterion over all classes (Gini = the sum of those per-class variances);
// - probabilities: with lambda 0 and the uniform start (margin 0, p = 1/K, softmax hessian
//   2p(1-p)), a leaf's value is (f - 1/K) / (2(1/K)(1-1/K)) where f is the fraction of the
//   leaf's rows in the class (binary: 4f - 2), so the averaged margin is an affine function
//   of the averaged leaf class fraction. predict_proba inverts it, clips at 0 and normalises
//   each row: the mean one-vs-rest leaf frequencies, the analogue of scikit-learn's mean of
//   leaf class distributions (not XGBoost's softmax of the margins);
// - random numbers: XGBoost's generator seeded with `seed` (42), so the forest is
//   deterministic but not scikit-learn's forest.
#include "ml/xgb_classifier.hpp"

namespace gtzan::ml {

struct RandomForestParams {
  int n_trees = 100;
  double subsample = 0.632;
  double max_features = 0;  // fraction of features per split; <= 0: floor(sqrt(d))/d
  int nthread = 0;
  unsigned long long seed = 42;
  std::string device = "cpu";
};

class RandomForest final : public Classifier {
 public:
  explicit RandomForest(RandomForestParams p = {});
  void fit(const Rows& X, const std::vector<int>& y, int K) override;
  Rows predict_proba(const Rows& X) const override;
  std::string name() const override { return "rf"; }
  const XgbClassifier* booster() const { return xgb_.get(); }

 private:
  RandomForestParams p_;
  std::unique_ptr<XgbClassifier> xgb_;
};

}  // namespace gtzan::ml
