#pragma once
// The study's ensembles over base models' outputs (host/ml/classifier.hpp learners).
// Each base model contributes an n x K probability matrix (Rows) for the same n samples.
//
// - soft_vote: the mean of the models' probabilities (VotingClassifier(voting="soft")).
// - hard_vote: the label most models predict. Ties between labels with the same count are
//   broken by the larger probability summed over all models (TieBreak::SummedProbability,
//   then the lowest label), or by the lowest label alone (TieBreak::LowestLabel, which is
//   numpy.argmax(bincount) as scikit-learn's VotingClassifier(voting="hard") does).
//   Labels come from each model's predict() (the SVM's are its one-vs-one votes, not the
//   argmax of its probabilities), so they are passed separately.
// - weighted_vote: sum_m w_m P_m / sum_m w_m (the study used each model's TEST accuracy as
//   w_m: flaw 3 in docs/study.md; pass validation accuracies for an honest variant).
// - stacking: a LogisticRegression fitted on the base models' probabilities concatenated
//   (model-major: model 0's K columns, then model 1's, ...). The study fitted it on the base
//   models' IN-SAMPLE training probabilities (flaw 4); out_of_fold_proba() gives the honest
//   features: every training row's probabilities from a base model that did not see it.
#include <functional>
#include <string>
#include <vector>

#include "ml/classifier.hpp"
#include "ml/logistic_regression.hpp"

namespace gtzan::ml {

enum class TieBreak { SummedProbability, LowestLabel };

Rows soft_vote(const std::vector<Rows>& probas);
std::vector<int> hard_vote(const std::vector<std::vector<int>>& labels, const std::vector<Rows>& probas,
                           int K, TieBreak tie = TieBreak::SummedProbability);
// Weights must be >= 0 with a positive sum; they are normalised.
Rows weighted_vote(const std::vector<Rows>& probas, const std::vector<double>& weights);

// Concatenate the models' probability rows: n rows of (models * K) columns.
Rows stack_features(const std::vector<Rows>& probas);

// The held-out row indices of each fold for n rows with labels y (e.g. KFold or
// StratifiedKFold from the splits module). The folds must partition 0..n-1.
using FoldFn = std::function<std::vector<std::vector<std::size_t>>(std::size_t n, const std::vector<int>& y)>;

// Out-of-fold probabilities (scikit-learn's cross_val_predict(method="predict_proba")):
// for each fold a fresh model from `factory` is fitted on the other folds' rows and predicts
// the fold's rows. Throws if the folds are not a partition of 0..n-1.
Rows out_of_fold_proba(const ClassifierFactory& factory, const Rows& X, const std::vector<int>& y, int K,
                       const FoldFn& folds);

class StackingEnsemble {
 public:
  explicit StackingEnsemble(LogisticRegressionParams p = {}) : meta_(p) {}
  // base_probas: one n x K matrix per base model, for the meta-learner's training rows
  // (in-sample as the study, or out_of_fold_proba for the honest variant).
  void fit(const std::vector<Rows>& base_probas, const std::vector<int>& y, int K);
  Rows predict_proba(const std::vector<Rows>& base_probas) const;
  std::vector<int> predict(const std::vector<Rows>& base_probas) const;
  const LogisticRegression& meta() const { return meta_; }

 private:
  LogisticRegression meta_;
  std::size_t n_models_ = 0;
};

}  // namespace gtzan::ml
