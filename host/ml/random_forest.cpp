#include "ml/random_forest.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gtzan::ml {

RandomForest::RandomForest(RandomForestParams p) : p_(std::move(p)) {}

void RandomForest::fit(const Rows& X, const std::vector<int>& y, int K) {
  const std::size_t d = check_fit_inputs(X, y, K);
  if (p_.n_trees < 1) throw std::invalid_argument("rf: n_trees must be >= 1");
  XgbParams xp;
  xp.n_estimators = 1;
  xp.num_parallel_tree = p_.n_trees;
  xp.eta = 1.0;
  xp.max_depth = 0;
  xp.grow_policy = "lossguide";
  xp.min_child_weight = 1e-6;
  xp.lambda = 0.0;
  xp.subsample = p_.subsample;
  if (p_.max_features > 0) {
    xp.colsample_bynode = p_.max_features;
  } else {
    // XGBoost keeps max(1, int(colsample * d)) features: aim half a feature above the count.
    const double m = std::max(1.0, std::floor(std::sqrt(static_cast<double>(d))));
    xp.colsample_bynode = std::min(1.0, (m + 0.5) / static_cast<double>(d));
  }
  // Start from margin 0: binary:logistic maps base_score 0.5 to logit 0; multi:softprob
  // takes base_score as the margin itself.
  xp.base_score = K == 2 ? 0.5 : 0.0;
  xp.tree_method = "hist";
  xp.nthread = p_.nthread;
  xp.seed = p_.seed;
  xp.device = p_.device;
  xgb_ = std::make_unique<XgbClassifier>(xp);
  xgb_->fit(X, y, K);
  K_ = K;
}

Rows RandomForest::predict_proba(const Rows& X) const {
  if (!xgb_) throw std::logic_error("rf: predict before fit");
  const Rows m = xgb_->predict_margin(X);
  Rows out(X.size());
  const double k = static_cast<double>(K_);
  for (std::size_t i = 0; i < X.size(); ++i) {
    std::vector<double> f(static_cast<std::size_t>(K_));
    if (K_ == 2) {
      const double f1 = std::clamp((m[i][0] + 2.0) / 4.0, 0.0, 1.0);  // leaf value 4f - 2
      f = {1.0 - f1, f1};
    } else {
      const double scale = 2.0 * (1.0 / k) * (1.0 - 1.0 / k);
      for (std::size_t c = 0; c < f.size(); ++c) f[c] = std::max(0.0, 1.0 / k + scale * m[i][c]);
    }
    double s = 0;
    for (double v : f) s += v;
    if (s <= 0) std::fill(f.begin(), f.end(), 1.0 / k);
    else
      for (double& v : f) v /= s;
    out[i] = std::move(f);
  }
  return out;
}

}  // namespace gtzan::ml
