#pragma once
// Logistic regression, the stacking meta-learner: scikit-learn LogisticRegression() defaults
// — L2 penalty, C = 1.0, intercept fitted and not penalised, multinomial (softmax) for more
// than two classes, one weight vector (sigmoid) for two.
//
// Objective (the same minimiser as scikit-learn's):
//     (1/n) sum_i -log p(y_i | x_i)  +  ||W||^2 / (2 C n)
// minimised in double by our own L-BFGS (10 correction pairs, as scipy's default, Armijo
// backtracking line search; a pair is skipped when s.y <= 0). Unlike scikit-learn, which
// stops at max_iter = 100 or when the largest gradient entry falls below tol = 1e-4,
// this solves to convergence (gradient inf-norm <= tol = 1e-8 by default, max_iter 1000),
// so it matches a tightly converged scikit-learn fit closely and a default one to roughly
// its own stopping accuracy (see tests/test_learners.cpp for the measured differences).
// Classes absent from the training labels are left out of the fit (as scikit-learn's
// classes_) and get probability 0; with one class present its probability is 1.
#include <vector>

#include "ml/classifier.hpp"

namespace gtzan::ml {

struct LogisticRegressionParams {
  double C = 1.0;
  int max_iter = 1000;
  double tol = 1e-8;   // stop when max |gradient| of the scaled objective <= tol
  int history = 10;    // L-BFGS correction pairs
};

class LogisticRegression final : public Classifier {
 public:
  explicit LogisticRegression(LogisticRegressionParams p = {});
  void fit(const Rows& X, const std::vector<int>& y, int K) override;
  Rows predict_proba(const Rows& X) const override;
  std::string name() const override { return "logreg"; }

  // Coefficients as scikit-learn's coef_ / intercept_: one row per class present in the
  // training labels (sorted), or a single row for two classes (the second class's weights).
  const Rows& coef() const { return coef_; }
  const std::vector<double>& intercept() const { return intercept_; }
  const std::vector<int>& classes() const { return classes_; }
  int n_iter() const { return n_iter_; }
  bool converged() const { return converged_; }

 private:
  LogisticRegressionParams p_;
  Rows coef_;
  std::vector<double> intercept_;
  std::vector<int> classes_;  // labels present in training, sorted
  std::size_t n_features_ = 0;
  int n_iter_ = 0;
  bool converged_ = false;
};

// Minimise f with L-BFGS (exposed for tests). fg(x, grad) returns f(x) and fills grad.
struct LbfgsResult {
  std::vector<double> x;
  double f = 0;
  double grad_inf = 0;
  int iterations = 0;
  bool converged = false;
};
LbfgsResult lbfgs_minimize(const std::function<double(const std::vector<double>&, std::vector<double>&)>& fg,
                           std::vector<double> x0, int max_iter, double tol, int history = 10);

}  // namespace gtzan::ml
