#pragma once
// The study's SVM: scikit-learn SVC(C=100, kernel="rbf", gamma="scale", probability=True,
// random_state=42), on the system libsvm (3.24) that scikit-learn's own fork derives from.
//
// - gamma "scale" = 1 / (n_features * X.var()), X.var() the population variance over ALL
//   elements of the training matrix (scikit-learn's rule); gamma > 0 overrides it.
// - Class order as scikit-learn: the training rows are stably sorted by label before libsvm
//   sees them, so libsvm's class order (order of first appearance) is the sorted labels and
//   the within-class row order is the caller's — the same arrangement scikit-learn's fork
//   (which sorts labels) hands its solver. predict() is libsvm's one-vs-one vote
//   (svm_predict), which is what SVC.predict returns (not the argmax of probabilities).
// - predict_proba: libsvm's Platt scaling (internal 5-fold CV per class pair) + pairwise
//   coupling. libsvm shuffles the CV folds with rand(); fit() calls srand(seed) first (under
//   a process-wide lock) so a fit is deterministic. scikit-learn's fork draws the folds from
//   its own generator instead, so probabilities match scikit-learn's only approximately
//   (the decision function and predict() are unaffected).
// - Solver settings as scikit-learn: tol 1e-3, shrinking on, cache 200 MB.
// Classes absent from the training labels get probability 0.
#include <vector>

#include "ml/classifier.hpp"

struct svm_model;
struct svm_node;

namespace gtzan::ml {

struct SvmParams {
  double C = 100.0;
  double gamma = 0.0;         // <= 0: "scale"
  bool probability = true;    // Platt scaling (needed by predict_proba)
  unsigned seed = 42;         // srand() seed for libsvm's probability CV
  double tol = 1e-3;
  double cache_mb = 200.0;
  bool shrinking = true;
};

class SvmClassifier final : public Classifier {
 public:
  explicit SvmClassifier(SvmParams p = {});
  ~SvmClassifier() override;
  SvmClassifier(const SvmClassifier&) = delete;
  SvmClassifier& operator=(const SvmClassifier&) = delete;

  void fit(const Rows& X, const std::vector<int>& y, int K) override;
  Rows predict_proba(const Rows& X) const override;
  std::vector<int> predict(const Rows& X) const override;  // one-vs-one vote, as SVC.predict
  std::string name() const override { return "svm"; }

  double gamma_used() const { return gamma_used_; }
  int n_support() const;  // total support vectors (0 before fit)
  // One-vs-one decision values, K_present*(K_present-1)/2 per row, libsvm's pair order
  // over the sorted labels present in training (scikit-learn's decision_function "ovo").
  Rows decision_function(const Rows& X) const;

 private:
  void free_model();
  std::vector<svm_node> to_nodes(const std::vector<double>& row) const;

  SvmParams p_;
  svm_model* model_ = nullptr;
  std::vector<svm_node*> x_ptrs_;     // training problem (the model's SVs point into it)
  std::vector<svm_node> storage_;   // svm_node is complete in the .cpp (C++17 rule)
  std::vector<double> y_sorted_;
  std::vector<int> labels_;           // libsvm's label order (model's class index -> our label)
  std::size_t n_features_ = 0;
  double gamma_used_ = 0.0;
};

}  // namespace gtzan::ml
