#pragma once
// The study's gradient-boosted trees: xgboost.XGBClassifier(n_estimators=1000,
// learning_rate=0.05), other parameters at their defaults, through XGBoost's C API
// (Debian's libxgboost 1.7.4).
//
// - objective multi:softprob with num_class = K (K > 2); binary:logistic for K == 2, its
//   P(class 1) mapped to two columns [1-p, p]. base_score 0.5, max_depth 6, min_child_weight 1,
//   lambda 1, gamma 0, subsample 1, colsample_* 1, max_bin 256 (XGBoost defaults).
// - tree_method: "hist" by default, set explicitly. XGBClassifier 1.x left it at "auto",
//   which on a data set this small means "exact"; XGBoost >= 2.0 defaults to "hist". "exact"
//   and "approx" can be chosen in XgbParams::tree_method.
// - seed 42 (XGBClassifier's own default is random_state=0; with subsample = 1 and no column
//   sampling the seed does not change the model). nthread configurable (0: XGBoost's default,
//   all cores); results are identical run to run for the same seed and nthread.
// - device "cuda": XGBoost 1.7 trains on a GPU only with tree_method "gpu_hist" in a CUDA
//   build. xgb_cuda_available() reads XGBuildInfo(); Debian's library is CPU-only, so asking
//   for "cuda" there throws std::runtime_error (no silent CPU fallback).
// Features are passed to XGBoost as float (as the Python package does); NaN means missing.
#include <string>
#include <vector>

#include "ml/classifier.hpp"

namespace gtzan::ml {

struct XgbParams {
  int n_estimators = 1000;          // boosting rounds
  double eta = 0.05;                // learning_rate
  int max_depth = 6;                // 0: no limit (needs grow_policy "lossguide")
  double min_child_weight = 1.0;
  double lambda = 1.0;              // L2 on leaf weights
  double subsample = 1.0;           // row sampling per tree, without replacement
  double colsample_bynode = 1.0;
  int num_parallel_tree = 1;        // > 1: XGBoost's random-forest mode
  int max_bin = 256;
  double base_score = 0.5;          // initial prediction (a probability for binary:logistic)
  std::string tree_method = "hist"; // "hist" | "exact" | "approx"
  std::string grow_policy = "depthwise";
  std::string device = "cpu";       // "cpu" | "cuda" (needs a CUDA build of libxgboost)
  int nthread = 0;                  // 0: XGBoost's default
  unsigned long long seed = 42;
};

// Whether the linked libxgboost was built with CUDA (XGBuildInfo's USE_CUDA).
bool xgb_cuda_available();
std::string xgb_build_info();

class XgbClassifier : public Classifier {
 public:
  explicit XgbClassifier(XgbParams p = {});
  ~XgbClassifier() override;
  XgbClassifier(const XgbClassifier&) = delete;
  XgbClassifier& operator=(const XgbClassifier&) = delete;

  void fit(const Rows& X, const std::vector<int>& y, int K) override;
  Rows predict_proba(const Rows& X) const override;
  std::string name() const override { return "xgb"; }

  const XgbParams& params() const { return p_; }
  // Raw margins: K per row (multi:softprob), 1 per row (binary:logistic).
  Rows predict_margin(const Rows& X) const;
  // The model as XGBoost JSON (for inspection and bit-for-bit comparisons).
  std::string model_json() const;

 private:
  std::vector<float> predict_raw(const Rows& X, bool margin, std::size_t& cols) const;

  XgbParams p_;
  void* booster_ = nullptr;  // BoosterHandle
  std::size_t n_features_ = 0;
};

}  // namespace gtzan::ml
